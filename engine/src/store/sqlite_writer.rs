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
//! Only acts' commits come here. Other writes (the scheduler's claims,
//! opinions, users) go through the sqlx writer as before: both take SQLite's
//! write lock with `begin immediate` and wait for each other (busy timeout),
//! so they take turns as two writers in two processes would.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use tokio::sync::oneshot;

use super::plan::{self, Arg, Fail, Stmt};
use super::{rows, BatchCounts, CommitAnswer, StoreError, TransitionCommit};
use crate::anchor::ServerKey;

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
        let conn = connection(path)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        conn.pragma_update(None, "journal_size_limit", LOG_KEPT_BYTES)?;
        conn.set_prepared_statement_cache_capacity(PREPARED);
        let copied = Arc::new(AtomicBool::new(false));
        let checkpoints = checkpointer(connection(path)?, copied.clone())?;
        let (jobs, inbox) = mpsc::channel();
        spawn("juece-sqlite-writer", move || serve(conn, inbox, checkpoints, &copied))?;
        Ok(SqliteWriter { jobs })
    }

    pub async fn commit(&self, batch: Vec<TransitionCommit>, key: Option<Arc<ServerKey>>) -> Vec<Outcome> {
        let n = batch.len();
        let (answer, answered) = oneshot::channel();
        let lost = || (0..n).map(|_| Err(gone())).collect();
        if self.jobs.send(Job::Each { batch, key, answer }).is_err() {
            return lost();
        }
        answered.await.unwrap_or_else(|_| lost())
    }

    /// Queue `commit` for the thread's next batch.
    pub fn enqueue(
        &self,
        commit: Box<TransitionCommit>,
        key: Option<Arc<ServerKey>>,
        answer: CommitAnswer,
        counts: Arc<BatchCounts>,
    ) {
        if let Err(mpsc::SendError(Job::Queued { answer, .. })) =
            self.jobs.send(Job::Queued { commit, key, answer, counts })
        {
            let _ = answer.send(Err(gone()));
        }
    }

    pub async fn commit_all(&self, batch: Vec<TransitionCommit>, key: Option<Arc<ServerKey>>) -> Outcome {
        let (answer, answered) = oneshot::channel();
        self.jobs.send(Job::All { batch, key, answer }).map_err(|_| gone())?;
        answered.await.unwrap_or_else(|_| Err(gone()))
    }
}

/// A read-write connection to the file at `path`, with the same durability as the sqlx connections
/// (`SqliteStore::connect`).
fn connection(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(Duration::from_secs(5))?;
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

/// The thread stopped (it panicked): whatever it was writing was rolled back with its transaction.
fn gone() -> StoreError {
    StoreError::Interrupted("the SQLite writer thread stopped".into())
}

fn serve(mut conn: Connection, inbox: mpsc::Receiver<Job>, checkpoints: mpsc::SyncSender<()>, copied: &AtomicBool) {
    let mut written = 0;
    // A job of another kind found while gathering a batch of queued commits: the next to run.
    let mut next = None;
    // The caller may have stopped waiting (its task was cancelled); the commit stands all the same.
    while let Some(job) = next.take().or_else(|| inbox.recv().ok()) {
        written += match job {
            Job::Queued { commit, key, answer, counts } => {
                let mut queued = vec![(commit, answer)];
                while let Ok(job) = inbox.try_recv() {
                    match job {
                        Job::Queued { commit, answer, .. } => queued.push((commit, answer)),
                        other => {
                            next = Some(other);
                            break;
                        }
                    }
                }
                write_queued(&mut conn, queued, key.as_deref(), &counts)
            }
            Job::Each { batch, key, answer } => {
                drop(answer.send(each(&mut conn, &batch, key.as_deref())));
                batch.len()
            }
            Job::All { batch, key, answer } => {
                drop(answer.send(all(&mut conn, &batch, key.as_deref())));
                batch.len()
            }
        };
        // The checkpoint thread copied the log as it was when it began; what was appended since is a few acts,
        // copied here, after their callers have their answers: the next batch then starts the log over. If the
        // checkpoint thread is copying again (asked while it was busy), the writer tries after the next batch.
        if copied.swap(false, Ordering::Acquire) && checkpoint(&conn) < 0 {
            copied.store(true, Ordering::Release);
        }
        if written >= CHECKPOINT_EVERY {
            // Full: a checkpoint is asked for already, and it will copy these too.
            let _ = checkpoints.try_send(());
            written = 0;
        }
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
