//! SQLite's commits on a thread of their own, through SQLite's C API
//! (rusqlite) rather than sqlx's connection worker. sqlx hands every
//! statement to its connection's thread and the answer back: two thread
//! wake-ups a statement, about 70 µs on a shared two-core machine, and an act
//! is seven to ten statements. Here an act is one message to the thread and
//! one answer back; the thread runs the same statements (`store::plan`) on
//! its own connection to the same file, and answers after the flush to disk.
//!
//! The thread is also where acts are batched (group commit, `Store::enqueue`):
//! it takes every act queued while it wrote the last batch as its next batch,
//! at once. Batched by the runtime's tasks instead (`group_commit`), a batch
//! waited for a task to be woken and scheduled between two batches, behind
//! the acts being stepped; with 16 clients the thread then stood idle, and
//! acts a second were 8–22% fewer (three alternated pairs; p50 2.1–2.5 ms
//! against 1.6–1.9, p99 5.2–6.2 against 7.3–8.4 ms, as the batches are
//! smaller: 5–7 acts instead of 14).
//!
//! The thread does not copy the log into the database file itself (SQLite's
//! automatic checkpoint, which would stop every act for that copy and its
//! flush; the sqlx writer, for the other writes, keeps it): a second thread
//! checkpoints on a connection of its own, and the writer goes on appending
//! meanwhile. Once the log has grown to `RESTART_FRAMES`, the writer then
//! copies the few acts it appended during that checkpoint, between two
//! batches: SQLite starts the log over from its beginning only when a write
//! finds it copied whole, and a writer that never stops appending never finds
//! it so. Without that, the log grew by every act for as long as acts kept
//! coming (680 MB after 16,000 acts from one client), and each commit,
//! lengthening the file, took about twice as long to flush (412 µs against
//! 212 µs). The writer's copy ends with a flush of the database file, which
//! the next act waits for: done after every checkpoint (every 100 acts), it
//! raised one client's 99th percentile by 0.3–0.5 ms. A read begun during
//! that copy and still open keeps the log from starting over (SQLite does not
//! wait for it); the next round tries again.
//!
//! When the thread has nothing to write, a queued act is written by its
//! caller instead, on the caller's own thread (`block_in_place`), with the
//! thread's connection: the two hand-offs cost 65–85 µs an act (a task
//! handing a job to a parked thread and being woken with the answer, after
//! 300 µs of work, on the shared two-core machine), and an act from one
//! client waited for both. Only then: a caller writes only while no job sent
//! to the thread is unwritten, so acts still reach the database in the order
//! they were queued (numbered acts depend on it), and acts arriving while it
//! writes queue for the thread, which takes them as one batch as before.
//!
//! Only acts' commits come here. Other writes (the scheduler's claims,
//! opinions, users) go through the sqlx writer as before: both take SQLite's
//! write lock with `begin immediate` and wait for each other (busy timeout),
//! so they take turns as two writers in two processes would.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use tokio::runtime::RuntimeFlavor;
use tokio::sync::oneshot;

use super::plan::{self, Arg, Fail, Stmt};
use super::{rows, BatchCounts, CommitAnswer, StoreError, TransitionCommit};
use crate::anchor::ServerKey;

/// How long a write waits for SQLite's write lock held by another connection (the sqlx writer's, another
/// process's): as long as the sqlx connections wait (`SqliteStore::connect`).
const BUSY: Duration = Duration::from_secs(5);

/// Statements kept prepared: an act's shapes (memos, deadlines and notices per statement) are few.
const PREPARED: usize = 128;

/// Acts written between two checkpoints: an act writes about ten pages, so about SQLite's own default of a
/// checkpoint every 1,000 pages.
pub(super) const CHECKPOINT_EVERY: usize = 100;

/// Frames (pages) in the log from which the writer completes a checkpoint so that the log starts over: 16 MB,
/// about 400 acts from one client (under group commit acts share pages, and write fewer pages an act).
const RESTART_FRAMES: i64 = 4096;

/// The log's size SQLite cuts it back to after it grew larger (a reader held it): at the commit of the first
/// transaction written into the log started over, by the connection that wrote it, so every connection that writes
/// sets it. Below that the log is reused, not cut: about 1,400 acts.
pub(super) const LOG_KEPT_BYTES: i64 = 64 << 20;

/// The sending end of the writer thread; the thread ends when the last clone is dropped.
#[derive(Debug, Clone)]
pub(super) struct SqliteWriter {
    jobs: mpsc::Sender<Job>,
    shared: Arc<Shared>,
}

/// What the thread and the callers writing in its stead share.
#[derive(Debug)]
struct Shared {
    /// Held by whoever writes: the thread, or a caller while the thread has nothing to write.
    conn: Mutex<Writing>,
    /// Jobs sent to the thread and not yet written: a caller writes its act itself only while there are none.
    unwritten: AtomicUsize,
    /// Asks the checkpoint thread to copy the log.
    checkpoints: mpsc::SyncSender<()>,
    /// The checkpoint thread copied a log of `RESTART_FRAMES` or more (see the module's comment).
    copied: Arc<AtomicBool>,
}

#[derive(Debug)]
struct Writing {
    conn: Connection,
    /// Acts written since the last checkpoint was asked for.
    written: usize,
}

#[derive(Debug)]
enum Job {
    /// An act's commit, queued (`Store::enqueue`): the thread writes it with every other queued after it as one
    /// batch, each succeeding or failing alone. The batch is counted in `counts`.
    Queued {
        commit: Box<TransitionCommit>,
        key: Option<Arc<ServerKey>>,
        answer: CommitAnswer,
        counts: Arc<BatchCounts>,
    },
    /// Each commit succeeds or fails alone (`Store::commit`).
    Each { batch: Vec<TransitionCommit>, key: Option<Arc<ServerKey>>, answer: oneshot::Sender<Vec<Outcome>> },
    /// All commits or none (`Store::commit_all`).
    All { batch: Vec<TransitionCommit>, key: Option<Arc<ServerKey>>, answer: oneshot::Sender<Outcome> },
}

type Outcome = Result<(), StoreError>;

impl SqliteWriter {
    /// Open a second connection to the database file at `path` (the sqlx pools' file, already in WAL mode) and
    /// start its thread.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let (writer, inbox) = Self::unstarted(path)?;
        let shared = writer.shared.clone();
        spawn("juece-sqlite-writer", move || serve(&shared, inbox))?;
        Ok(writer)
    }

    /// The writer and the receiving end of its thread's channel, the thread not started.
    fn unstarted(path: &Path) -> Result<(Self, mpsc::Receiver<Job>), StoreError> {
        let conn = connection(path)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        conn.pragma_update(None, "journal_size_limit", LOG_KEPT_BYTES)?;
        conn.set_prepared_statement_cache_capacity(PREPARED);
        let copied = Arc::new(AtomicBool::new(false));
        let checkpoints = checkpointer(connection(path)?, copied.clone())?;
        let (jobs, inbox) = mpsc::channel();
        let shared = Arc::new(Shared {
            conn: Mutex::new(Writing { conn, written: 0 }),
            unwritten: AtomicUsize::new(0),
            checkpoints,
            copied,
        });
        Ok((SqliteWriter { jobs, shared }, inbox))
    }

    pub async fn commit(&self, batch: Vec<TransitionCommit>, key: Option<Arc<ServerKey>>) -> Vec<Outcome> {
        let n = batch.len();
        let (answer, answered) = oneshot::channel();
        let lost = || (0..n).map(|_| Err(gone())).collect();
        self.shared.unwritten.fetch_add(1, Ordering::AcqRel);
        if self.jobs.send(Job::Each { batch, key, answer }).is_err() {
            return lost();
        }
        answered.await.unwrap_or_else(|_| lost())
    }

    /// Queue `commit` for the thread's next batch, or write it now if the thread has nothing to write.
    pub fn enqueue(
        &self,
        commit: Box<TransitionCommit>,
        key: Option<Arc<ServerKey>>,
        answer: CommitAnswer,
        counts: Arc<BatchCounts>,
    ) {
        let Some((commit, answer)) = self.write_here(commit, key.as_deref(), answer, &counts) else { return };
        self.shared.unwritten.fetch_add(1, Ordering::AcqRel);
        if let Err(mpsc::SendError(Job::Queued { answer, .. })) =
            self.jobs.send(Job::Queued { commit, key, answer, counts })
        {
            let _ = answer.send(Err(gone()));
        }
    }

    /// Write `commit` on the caller's thread if the writer thread has nothing to write (see the module's
    /// comment); otherwise give it back, to be queued. Only on a multi-threaded runtime, whose worker can hand its
    /// other tasks on while it writes.
    fn write_here(
        &self,
        commit: Box<TransitionCommit>,
        key: Option<&ServerKey>,
        answer: CommitAnswer,
        counts: &BatchCounts,
    ) -> Option<(Box<TransitionCommit>, CommitAnswer)> {
        let multi =
            tokio::runtime::Handle::try_current().is_ok_and(|h| h.runtime_flavor() == RuntimeFlavor::MultiThread);
        let idle = || self.shared.unwritten.load(Ordering::Acquire) == 0;
        if !multi || !idle() {
            return Some((commit, answer));
        }
        // Held by the thread (or another caller), or poisoned by a panic there: the thread writes it.
        let Ok(mut w) = self.shared.conn.try_lock() else { return Some((commit, answer)) };
        // A job sent since the first look is the thread's next, and comes first.
        if !idle() {
            return Some((commit, answer));
        }
        // Written here only if no other connection holds SQLite's write lock (the sqlx writer, another process):
        // the caller's thread must never wait for it, since whatever the caller's task awaits beside this act
        // (`join!`) waits with it, and might be what holds the lock. The thread waits instead.
        if !write_lock_free(&w.conn) {
            return Some((commit, answer));
        }
        let n = tokio::task::block_in_place(|| write_queued(&mut w.conn, vec![(commit, answer)], key, counts));
        counts.by_caller.fetch_add(n as u64, Ordering::Relaxed);
        after(&self.shared, &mut w, n);
        None
    }

    pub async fn commit_all(&self, batch: Vec<TransitionCommit>, key: Option<Arc<ServerKey>>) -> Outcome {
        let (answer, answered) = oneshot::channel();
        self.shared.unwritten.fetch_add(1, Ordering::AcqRel);
        self.jobs.send(Job::All { batch, key, answer }).map_err(|_| gone())?;
        answered.await.unwrap_or_else(|_| Err(gone()))
    }
}

/// A read-write connection to the file at `path`, with the same durability as the sqlx connections
/// (`SqliteStore::connect`).
fn connection(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(conn)
}

fn spawn(name: &str, body: impl FnOnce() + Send + 'static) -> Result<(), StoreError> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(body)
        .map(drop)
        .map_err(|e| StoreError::Interrupted(format!("cannot start the thread {name}: {e}")))
}

/// Start the thread that checkpoints on `conn` each time it is asked (and once for any asks that came while it
/// was busy), and says in `copied` when the log it copied had reached `RESTART_FRAMES`; it ends with the writer.
/// A passive checkpoint copies what no reader still needs and never waits for the writer, whose appends go on
/// meanwhile.
fn checkpointer(conn: Connection, copied: Arc<AtomicBool>) -> Result<mpsc::SyncSender<()>, StoreError> {
    let (ask, asked) = mpsc::sync_channel(1);
    spawn("juece-sqlite-checkpoint", move || {
        while asked.recv().is_ok() {
            if checkpoint(&conn) >= RESTART_FRAMES {
                copied.store(true, Ordering::Release);
            }
        }
    })?;
    Ok(ask)
}

/// Copy the log into the database file as far as no reader still needs it (a passive checkpoint), and say how many
/// frames the log held (-1: another connection was checkpointing, and this one did nothing). One that fails leaves
/// the rest to the next.
fn checkpoint(conn: &Connection) -> i64 {
    // The pragma's row: busy, frames in the log, frames copied (both -1 when busy).
    match conn.query_row("pragma wal_checkpoint(passive)", [], |r| r.get(1)) {
        Ok(frames) => frames,
        Err(e) => {
            tracing::warn!(error = %e, "SQLite checkpoint failed; the log is copied at the next one");
            0
        }
    }
}

/// Whether SQLite's write lock was free a moment ago: taken and given back at once, without waiting for it. Another
/// connection may still take it before the write does, which then waits for it as any write does.
fn write_lock_free(conn: &Connection) -> bool {
    let free = conn.busy_timeout(Duration::ZERO).is_ok() && conn.execute_batch("begin immediate; commit").is_ok();
    if !conn.is_autocommit() {
        // Begun and not committed (cannot happen but by a failing commit): nothing was written.
        let _ = conn.execute_batch("rollback");
    }
    conn.busy_timeout(BUSY).is_ok() && free
}

/// The thread stopped (it panicked): whatever it was writing was rolled back with its transaction.
fn gone() -> StoreError {
    StoreError::Interrupted("the SQLite writer thread stopped".into())
}

fn serve(shared: &Shared, inbox: mpsc::Receiver<Job>) {
    // A job of another kind found while gathering a batch of queued commits: the next to run.
    let mut next = None;
    // The caller may have stopped waiting (its task was cancelled); the commit stands all the same.
    while let Some(job) = next.take().or_else(|| inbox.recv().ok()) {
        // Poisoned: a panic while writing rolled its transaction back; the connection is as good as before.
        let mut w = shared.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Jobs taken from the channel and written now (`next` is written in the next round).
        let mut taken = 1;
        let n = match job {
            Job::Queued { commit, key, answer, counts } => {
                let mut queued = vec![(commit, answer)];
                while let Ok(job) = inbox.try_recv() {
                    match job {
                        Job::Queued { commit, answer, .. } => {
                            queued.push((commit, answer));
                            taken += 1;
                        }
                        other => {
                            next = Some(other);
                            break;
                        }
                    }
                }
                write_queued(&mut w.conn, queued, key.as_deref(), &counts)
            }
            Job::Each { batch, key, answer } => {
                drop(answer.send(each(&mut w.conn, &batch, key.as_deref())));
                batch.len()
            }
            Job::All { batch, key, answer } => {
                drop(answer.send(all(&mut w.conn, &batch, key.as_deref())));
                batch.len()
            }
        };
        after(shared, &mut w, n);
        shared.unwritten.fetch_sub(taken, Ordering::AcqRel);
    }
}

/// After `n` acts were written (by the thread or a caller), with the connection still held: the log's copy.
fn after(shared: &Shared, w: &mut Writing, n: usize) {
    // The checkpoint thread copied the log as it was when it began; what was appended since is a few acts,
    // copied here, after their callers have their answers: the next batch then starts the log over. If the
    // checkpoint thread is copying again (asked while it was busy), the writer tries after the next batch.
    if shared.copied.swap(false, Ordering::Acquire) && checkpoint(&w.conn) < 0 {
        shared.copied.store(true, Ordering::Release);
    }
    w.written += n;
    if w.written >= CHECKPOINT_EVERY {
        // Full: a checkpoint is asked for already, and it will copy these too.
        let _ = shared.checkpoints.try_send(());
        w.written = 0;
    }
}

/// Queued commits as one batch, but those whose callers stopped waiting (dropped, never written); how many were
/// written.
fn write_queued(
    conn: &mut Connection,
    queued: Vec<(Box<TransitionCommit>, CommitAnswer)>,
    key: Option<&ServerKey>,
    counts: &BatchCounts,
) -> usize {
    let (batch, answers): (Vec<_>, Vec<_>) =
        queued.into_iter().filter(|(_, a)| !a.is_closed()).map(|(commit, answer)| (*commit, answer)).unzip();
    if batch.is_empty() {
        return 0;
    }
    counts.batches.fetch_add(1, Ordering::Relaxed);
    counts.acts.fetch_add(batch.len() as u64, Ordering::Relaxed);
    for (answer, result) in answers.into_iter().zip(each(conn, &batch, key)) {
        let _ = answer.send(result);
    }
    batch.len()
}

/// Like the sqlx stores' `commit`: a batch in one transaction (one flush), written straight through first; if a
/// commit fails, the batch is written again with each commit in a savepoint, so that the failure is its own.
fn each(conn: &mut Connection, batch: &[TransitionCommit], key: Option<&ServerKey>) -> Vec<Outcome> {
    if batch.len() > 1 {
        match group(conn, batch, key) {
            Ok(results) => return results,
            Err(e) => tracing::warn!(error = %e, "group commit failed; committing one by one"),
        }
    }
    batch.iter().map(|c| all(conn, std::slice::from_ref(c), key)).collect()
}

fn group(
    conn: &mut Connection,
    batch: &[TransitionCommit],
    key: Option<&ServerKey>,
) -> Result<Vec<Outcome>, StoreError> {
    if straight(conn, batch, key)? {
        return Ok(batch.iter().map(|_| Ok(())).collect());
    }
    isolated(conn, batch, key)
}

/// Every commit of `batch` in one transaction, or (false) none of them when one fails.
fn straight(conn: &mut Connection, batch: &[TransitionCommit], key: Option<&ServerKey>) -> Result<bool, StoreError> {
    if batch.iter().any(|c| rows::check_commit(c).is_err()) {
        return Ok(false);
    }
    // Dropped without a commit, a transaction rolls back.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for c in batch {
        if write(&tx, c, key).is_err() {
            return Ok(false);
        }
    }
    tx.commit()?;
    Ok(true)
}

/// A batch in one transaction, each commit in a savepoint: each succeeds or fails alone.
fn isolated(
    conn: &mut Connection,
    batch: &[TransitionCommit],
    key: Option<&ServerKey>,
) -> Result<Vec<Outcome>, StoreError> {
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut results = Vec::with_capacity(batch.len());
    for c in batch {
        if let Err(e) = rows::check_commit(c) {
            results.push(Err(e));
            continue;
        }
        // Dropped without a commit, a savepoint rolls back to where it began: this commit's partial rows go.
        let savepoint = tx.savepoint()?;
        let outcome = write(&savepoint, c, key);
        if outcome.is_ok() {
            savepoint.commit()?;
        }
        results.push(outcome);
    }
    tx.commit()?;
    Ok(results)
}

/// Every commit of `batch` or none.
fn all(conn: &mut Connection, batch: &[TransitionCommit], key: Option<&ServerKey>) -> Outcome {
    for c in batch {
        rows::check_commit(c)?;
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for c in batch {
        write(&tx, c, key)?;
    }
    tx.commit()?;
    Ok(())
}

fn write(conn: &Connection, c: &TransitionCommit, key: Option<&ServerKey>) -> Outcome {
    run(conn, &plan::commit(c, key)?, |f| f.error(c))
}

/// Run a plan's statements in order; the first that fails ends it, with the error its plan names (`fail`).
fn run(conn: &Connection, statements: &[Stmt<'_>], fail: impl Fn(Fail) -> StoreError) -> Outcome {
    for s in statements {
        let mut st = conn.prepare_cached(&s.sql)?;
        // SQLite numbers `$n` parameters in the order they first appear, not by `n`: bind each by its name.
        for i in 1..=st.parameter_count() {
            let n = st.parameter_name(i).and_then(|name| name.strip_prefix('$')).and_then(|n| n.parse::<usize>().ok());
            let arg = n
                .and_then(|n| s.args.get(n.wrapping_sub(1)))
                .ok_or_else(|| rows::corrupt(format!("parameter {i} of `{}` has no argument", s.sql)))?;
            match arg {
                Arg::Text(t) => st.raw_bind_parameter(i, t.as_ref())?,
                Arg::Int(v) => st.raw_bind_parameter(i, v)?,
                Arg::Null => st.raw_bind_parameter(i, rusqlite::types::Null)?,
            }
        }
        match st.raw_execute() {
            Err(e) if is_unique_violation(&e) => return Err(s.if_taken.map_or_else(|| e.into(), &fail)),
            Err(e) => return Err(e.into()),
            Ok(0) => {
                if let Some(f) = s.if_none {
                    return Err(fail(f));
                }
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

/// A unique or primary key violated, as sqlx tells it for SQLite.
fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::conformance::{t0, Chain};
    use crate::store::{SqliteStore, Store};

    /// A migrated database file `juece.db` in a directory of its own.
    async fn migrated() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("juece.db").display());
        let store = SqliteStore::connect(&url).await.expect("connect");
        store.migrate().await.expect("migrate");
        (dir, store)
    }

    fn created(id: &str) -> Box<TransitionCommit> {
        Box::new(Chain::new(id, "s0", t0()).next("start", "s1", t0(), &[]))
    }

    /// With nothing for the thread to write, an act is written by its caller, at once; while a job sent to the
    /// thread is unwritten, the next act queues behind it even with the connection free, so acts reach the
    /// database in the order they were queued; and while another connection holds the write lock, the act is
    /// the thread's to wait for.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_caller_writes_its_act_only_while_the_thread_has_nothing_to_write() {
        let (dir, store) = migrated().await;
        let path = dir.path().join("juece.db");
        let (writer, inbox) = SqliteWriter::unstarted(&path).expect("writer");
        let counts = Arc::new(BatchCounts::default());
        let enqueue = |id: &str| {
            let (answer, answered) = oneshot::channel();
            writer.enqueue(created(id), None, answer, counts.clone());
            answered
        };

        let mut here = enqueue("here");
        assert!(matches!(here.try_recv(), Ok(Ok(()))), "written before enqueue returned");
        assert_eq!(counts.by_caller.load(Ordering::Relaxed), 1);
        assert!(store.load("here").await.expect("load").is_some());

        // The connection held (the thread writing): the act is sent to the thread.
        let held = writer.shared.conn.lock().expect("lock");
        let mut first = enqueue("first");
        drop(held);
        // The connection free, but `first` unwritten: sent to the thread too, behind it.
        let mut second = enqueue("second");
        assert!(first.try_recv().is_err() && second.try_recv().is_err(), "neither written yet");
        assert_eq!(counts.by_caller.load(Ordering::Relaxed), 1, "neither written by its caller");
        assert!(store.load("second").await.expect("load").is_none());
        let queued: Vec<String> = inbox
            .try_iter()
            .map(|job| match job {
                Job::Queued { commit, .. } => commit.decision.id.clone(),
                _ => "another kind of job".into(),
            })
            .collect();
        assert_eq!(queued, ["first", "second"]);
        writer.shared.unwritten.store(0, Ordering::Release); // as the thread leaves it once it wrote both

        // Another connection holds SQLite's write lock: the caller does not wait for it, the thread will.
        let other = connection(&path).expect("another connection");
        other.execute_batch("begin immediate").expect("the write lock");
        let mut blocked = enqueue("blocked");
        assert!(blocked.try_recv().is_err(), "not written, nor failed waiting for the lock");
        assert_eq!(counts.by_caller.load(Ordering::Relaxed), 1);
        other.execute_batch("rollback").expect("given back");
        assert!(matches!(inbox.try_recv(), Ok(Job::Queued { .. })), "sent to the thread");
    }

    /// Acts from many callers at once are each written once, by their callers or by the thread in batches.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn acts_from_many_callers_at_once_are_each_written_once() {
        let (dir, store) = migrated().await;
        let path = dir.path().join("juece.db");
        let writer = SqliteWriter::open(&path).expect("writer");
        let counts = Arc::new(BatchCounts::default());
        let mut callers = tokio::task::JoinSet::new();
        for i in 0..64 {
            let (writer, counts) = (writer.clone(), counts.clone());
            callers.spawn(async move {
                let (answer, answered) = oneshot::channel();
                writer.enqueue(created(&format!("many-{i}")), None, answer, counts);
                answered.await.expect("answered")
            });
        }
        while let Some(done) = callers.join_next().await {
            done.expect("caller").expect("written");
        }
        assert_eq!(counts.acts.load(Ordering::Relaxed), 64);
        for i in 0..64 {
            let id = format!("many-{i}");
            assert_eq!(store.audit_records(&id).await.expect("records").len(), 1, "{id} written once");
        }
    }
}
