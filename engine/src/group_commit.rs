//! Group commit: acts that arrive while a commit is being written wait for
//! it, then go to the database together in the next transaction, so many
//! acts share one flush to disk. Each act still succeeds or fails on its own
//! (a savepoint each, see [`Store::commit`]); alone, an act is written at
//! once, with no added wait. Opinions from the public are batched the same
//! way ([`Batchable`] for [`Incoming`], written by `OpinionStore::receive`).
//!
//! A store with a writer thread of its own (SQLite) batches acts there
//! instead ([`Store::enqueue`]): the thread takes everything queued as soon as
//! it is free, with no task of the runtime to wake between two batches.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{oneshot, Semaphore};

use crate::ledger::Opinion;
use crate::store::opinions::Incoming;
use crate::store::{BatchCounts, Store, StoreError, TransitionCommit};

/// What can be written in batches, and how a batch is written: one result per item, in order.
#[async_trait::async_trait]
pub(crate) trait Batchable: Send + Sized + 'static {
    type Written: Send + 'static;
    async fn write(store: &Arc<dyn Store>, batch: Vec<Self>) -> Vec<Result<Self::Written, StoreError>>;

    /// Queue `item` with a writer of the store's own, which batches it and answers `answer` (see
    /// [`Store::enqueue`]); `Err` gives both back, to be batched here.
    fn enqueue(
        _store: &Arc<dyn Store>,
        item: Self,
        answer: oneshot::Sender<Answer<Self>>,
        _counts: &Arc<BatchCounts>,
    ) -> Result<(), Waiting<Self>> {
        Err((item, answer))
    }
}

#[async_trait::async_trait]
impl Batchable for TransitionCommit {
    type Written = ();
    async fn write(store: &Arc<dyn Store>, batch: Vec<Self>) -> Vec<Result<(), StoreError>> {
        store.commit(batch).await
    }

    fn enqueue(
        store: &Arc<dyn Store>,
        item: Self,
        answer: oneshot::Sender<Answer<Self>>,
        counts: &Arc<BatchCounts>,
    ) -> Result<(), Waiting<Self>> {
        store.enqueue(Box::new(item), answer, counts).map_err(|(item, answer)| (*item, answer))
    }
}

#[async_trait::async_trait]
impl Batchable for Incoming {
    type Written = Opinion;
    async fn write(store: &Arc<dyn Store>, batch: Vec<Self>) -> Vec<Result<Opinion, StoreError>> {
        let n = batch.len();
        match store.receive(batch).await {
            Ok(results) => results,
            // The transaction was rolled back: none of the batch is written.
            Err(e) => (0..n).map(|_| Err(StoreError::Interrupted(format!("the batch was not written: {e}")))).collect(),
        }
    }
}

type Answer<T> = Result<<T as Batchable>::Written, StoreError>;
pub(crate) type Waiting<T> = (T, oneshot::Sender<Answer<T>>);

/// A commit in the queue, waiting for its answer.
pub(crate) struct Queued<T: Batchable> {
    answer: oneshot::Receiver<Answer<T>>,
    /// Queued with the store's own writer, which writes and answers it: no batch to take here.
    with_store: bool,
}

pub(crate) struct GroupCommit<T: Batchable = TransitionCommit> {
    /// Commits not yet taken by a writer.
    pending: Mutex<Vec<Waiting<T>>>,
    /// A permit is held while a batch is written: at most as many batches in flight as the store has writers.
    writing: Arc<Semaphore>,
    counts: Arc<BatchCounts>,
}

impl<T: Batchable> Default for GroupCommit<T> {
    /// One batch in flight at a time.
    fn default() -> Self {
        GroupCommit::with_writers(1)
    }
}

impl<T: Batchable> GroupCommit<T> {
    /// Up to `writers` batches written at once, each in its own transaction. SQLite has one writer, so one;
    /// PostgreSQL writes concurrent transactions side by side, and a batch spends most of its time waiting on
    /// round trips and the flush, so a few in flight keep both the server and this process busy. Batches in
    /// flight together never hold the same record: acts on a record take turns before they reach here.
    pub(crate) fn with_writers(writers: usize) -> Self {
        GroupCommit {
            pending: Mutex::new(Vec::new()),
            writing: Arc::new(Semaphore::new(writers.max(1))),
            counts: Default::default(),
        }
    }

    /// Another queue with `writers` of its own, counted with this one.
    pub(crate) fn beside(&self, writers: usize) -> Self {
        GroupCommit { counts: self.counts.clone(), ..GroupCommit::with_writers(writers) }
    }

    /// Write `commit`, together with whatever else is waiting.
    pub(crate) async fn commit(&self, store: &Arc<dyn Store>, commit: T) -> Result<T::Written, StoreError> {
        let queued = self.queue(store, commit);
        self.written(store, queued).await
    }

    /// Put `commit` in the queue now (the store's writer's, if it has one); [`GroupCommit::written`] writes it.
    /// With one writer, commits reach the database in the order they were queued: a batch takes everything
    /// queued, in order, and the next batch starts when it is written.
    pub(crate) fn queue(&self, store: &Arc<dyn Store>, commit: T) -> Queued<T> {
        let (sender, answer) = oneshot::channel();
        let with_store = match T::enqueue(store, commit, sender, &self.counts) {
            Ok(()) => true,
            Err(waiting) => {
                self.with_pending(|p| p.push(waiting));
                false
            }
        };
        Queued { answer, with_store }
    }

    /// Wait for a queued commit to be written, writing a batch when it is our turn. A caller that goes away
    /// before then (drops this future) has its commit dropped, never written.
    pub(crate) async fn written(&self, store: &Arc<dyn Store>, queued: Queued<T>) -> Result<T::Written, StoreError> {
        let Queued { mut answer, with_store } = queued;
        if with_store {
            return answer.await.unwrap_or_else(|_| Err(lost()));
        }
        let turn = self.writing.clone().acquire_owned().await.expect("the semaphore is never closed");
        // The writer before us may have taken ours into its batch.
        match answer.try_recv() {
            Ok(result) => return result,
            Err(oneshot::error::TryRecvError::Closed) => return Err(lost()),
            Err(oneshot::error::TryRecvError::Empty) => {}
        }
        // A caller that went away before its act was written (its
        // request was cancelled) has it dropped, never written.
        let batch: Vec<Waiting<T>> =
            self.with_pending(std::mem::take).into_iter().filter(|(_, s)| !s.is_closed()).collect();
        if batch.is_empty() {
            // Ours is in a batch a writer still in flight took (only a writer takes from `pending`): its answer
            // comes when that batch is written.
            drop(turn);
            return answer.await.unwrap_or_else(|_| Err(lost()));
        }
        // The batch is written by a task of its own, so that a caller
        // going away now (a closed HTTP connection drops its future)
        // never aborts the other callers' acts in the same transaction.
        let (store, counts) = (store.clone(), self.counts.clone());
        tokio::spawn(async move {
            let (commits, senders): (Vec<_>, Vec<_>) = batch.into_iter().unzip();
            counts.batches.fetch_add(1, Ordering::Relaxed);
            counts.acts.fetch_add(commits.len() as u64, Ordering::Relaxed);
            let results = T::write(&store, commits).await;
            for (sender, result) in senders.into_iter().zip(results) {
                let _ = sender.send(result);
            }
            drop(turn);
        });
        answer.await.unwrap_or_else(|_| Err(lost()))
    }

    pub(crate) fn counts(&self) -> &BatchCounts {
        &self.counts
    }

    fn with_pending<R>(&self, f: impl FnOnce(&mut Vec<Waiting<T>>) -> R) -> R {
        // A panic while the lock is held cannot leave the vector half-changed.
        f(&mut self.pending.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// The writing task ended without an answer: it panicked, so its
/// transaction was dropped and rolled back.
fn lost() -> StoreError {
    StoreError::Interrupted("the group commit ended without an answer".into())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::{DateTime, Utc};

    use super::*;
    use crate::store::conformance::Chain;
    use crate::store::SqliteStore;

    fn at() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-02T09:00:00+08:00").expect("instant").with_timezone(&Utc)
    }

    async fn store() -> Arc<dyn Store> {
        let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
        store.migrate().await.expect("migrate");
        Arc::new(store)
    }

    fn create(id: &str) -> TransitionCommit {
        Chain::new(id, "proposal", at()).next("submit_proposal", "proposal", at(), &[])
    }

    /// Start `commits` while a batch is being written, and wait until all of them queue.
    async fn queued(
        group: &Arc<GroupCommit>,
        store: &Arc<dyn Store>,
        commits: Vec<TransitionCommit>,
    ) -> Vec<tokio::task::JoinHandle<Result<(), StoreError>>> {
        let n = commits.len();
        let tasks = commits
            .into_iter()
            .map(|c| {
                let (group, store) = (group.clone(), store.clone());
                tokio::spawn(async move { group.commit(&store, c).await })
            })
            .collect();
        while group.with_pending(|p| p.len()) < n {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        tasks
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn acts_that_wait_together_are_written_in_one_batch_each_on_its_own() {
        let (group, store) = (Arc::new(GroupCommit::default()), store().await);
        let busy = group.writing.clone().acquire_owned().await.expect("permit");
        let tasks = queued(&group, &store, vec![create("a"), create("b"), create("a")]).await;
        drop(busy);
        let mut results = Vec::new();
        for t in tasks {
            results.push(t.await.expect("task"));
        }
        assert!(results[1].is_ok(), "{results:?}");
        assert!(
            results[0].is_ok() != results[2].is_ok(),
            "of the two creations of `a` in one batch exactly one fails, alone: {results:?}"
        );
        assert_eq!(group.counts.batches.load(Ordering::Relaxed), 1, "one transaction for the three");
        assert_eq!(group.counts.acts.load(Ordering::Relaxed), 3);
        for id in ["a", "b"] {
            assert!(store.load(id).await.expect("load").is_some(), "{id} is written");
        }
        assert_eq!(store.audit_records("a").await.expect("records").len(), 1, "the failed one left nothing");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_act_whose_caller_went_away_before_the_write_is_not_written() {
        let (group, store) = (Arc::new(GroupCommit::default()), store().await);
        let busy = group.writing.clone().acquire_owned().await.expect("permit");
        let mut tasks = queued(&group, &store, vec![create("gone"), create("kept")]).await;
        let kept = tasks.pop().expect("kept");
        let gone = tasks.pop().expect("gone");
        gone.abort();
        assert!(gone.await.expect_err("aborted").is_cancelled());
        drop(busy);
        kept.await.expect("task").expect("kept is written");
        assert!(store.load("gone").await.expect("load").is_none(), "the abandoned act is dropped");
        assert!(store.load("kept").await.expect("load").is_some());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn with_two_writers_a_batch_is_written_while_another_is_in_flight() {
        let (group, store) = (Arc::new(GroupCommit::with_writers(2)), store().await);
        // One writer busy (a batch in flight): the other still takes and writes what arrives.
        let busy = group.writing.clone().acquire_owned().await.expect("permit");
        let written = tokio::time::timeout(Duration::from_secs(30), group.commit(&store, create("beside")));
        written.await.expect("not held up by the batch in flight").expect("written");
        assert!(store.load("beside").await.expect("load").is_some());
        // Both busy: an act waits for a writer, and is written when one is free.
        let other = group.writing.clone().acquire_owned().await.expect("permit");
        let waiting = queued(&group, &store, vec![create("after")]).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(store.load("after").await.expect("load").is_none(), "no writer free: not written yet");
        drop((busy, other));
        for t in waiting {
            t.await.expect("task").expect("written once a writer is free");
        }
        assert!(store.load("after").await.expect("load").is_some());
    }

    /// A store with a writer thread of its own (SQLite on a file) batches the acts there: they never wait for a
    /// writer of the group's (here all busy), nor queue in its `pending`.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_store_with_a_writer_of_its_own_batches_acts_itself() {
        let dir = tempfile::tempdir().expect("temp dir");
        let sqlite = SqliteStore::connect(&format!("sqlite://{}", dir.path().join("j.db").display())).await;
        let store: Arc<dyn Store> = Arc::new(sqlite.expect("connect"));
        store.migrate().await.expect("migrate");
        let group = GroupCommit::default();
        let _busy = group.writing.clone().acquire_owned().await.expect("permit");
        let written = tokio::time::timeout(Duration::from_secs(30), group.commit(&store, create("own")));
        written.await.expect("not held up by the group's writers").expect("written");
        assert_eq!(group.with_pending(|p| p.len()), 0);
        assert_eq!((group.counts.batches.load(Ordering::Relaxed), group.counts.acts.load(Ordering::Relaxed)), (1, 1));
        assert_eq!(group.counts.by_caller.load(Ordering::Relaxed), 1, "the writer thread idle: written by its caller");
        assert!(store.load("own").await.expect("load").is_some());
    }

    #[tokio::test]
    async fn an_act_alone_is_written_at_once() {
        let (group, store) = (GroupCommit::default(), store().await);
        group.commit(&store, create("alone")).await.expect("written");
        assert_eq!(group.counts.batches.load(Ordering::Relaxed), 1);
        assert!(store.load("alone").await.expect("load").is_some());
    }
}
