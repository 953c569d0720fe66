//! [`Store`] on SQLite, for one machine: WAL, `synchronous = FULL`, one
//! writer at a time. Acts' commits go to a writer thread of their own
//! (`sqlite_writer`); other writes go through a single-connection pool, so
//! they queue in the pool (fair, no busy-wait) instead of polling SQLite's
//! lock; reads use their own pool and never wait for a writer (WAL). The
//! queries are shared with PostgreSQL in `sql/`.

// Compiled once per backend on purpose: see `sql/mod.rs`.
#[allow(clippy::duplicate_mod)]
#[path = "sql/mod.rs"]
mod sql;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use super::sqlite_reader::SqliteReader;
use super::sqlite_writer::SqliteWriter;
use super::StoreError;
use crate::anchor::ServerKey;

/// The backend the shared implementation in `sql/` is compiled for.
type Db = Sqlite;
type Backend = SqliteStore;

/// The statements that differ from PostgreSQL's.
mod dialect {
    use crate::store::{calendar, notify, rows, scheduler};

    pub(super) const MIGRATIONS: &[rows::Embedded] = rows::SQLITE_MIGRATIONS;
    pub(super) const CLAIM_DUE: &str = rows::CLAIM_DUE_SQLITE;
    pub(super) const NOTIFY_UNDISPATCHED: &str = notify::UNDISPATCHED_SQLITE;
    pub(super) const NOTIFY_DUE: &str = notify::DUE_SQLITE;
    pub(super) const SCHEDULER_DUE: &str = scheduler::SELECT_DUE_SQLITE;
    pub(super) const CALENDAR_PENDING: &str = calendar::PROVISIONAL_PENDING;
    /// The single writer already excludes every other writer.
    pub(super) const CALENDAR_LOCK: Option<&str> = None;
    /// No row locks: the single writer never waits on another transaction.
    /// A read-only transaction that reads one snapshot (`store::snapshot`).
    pub(super) const READ_SNAPSHOT: &str = "begin";
    /// No data-modifying `with` in SQLite; a file's commits go to the writer thread anyway.
    pub(super) const BUNDLE: bool = false;
    /// One writer: a second batch would only wait for the first's lock.
    pub(super) const WRITERS: usize = 1;
    pub(super) const DECISION_LOCK: Option<&str> = None;
    /// The single writer holds the decision still while opinions are checked against it and written.
    pub(super) const OPINION_DECISION_VERSION: &str = "select version from decisions where id = $1";
    /// SQLite plans by its rules and the indexes' shapes, with no statistics to go stale.
    pub(super) const OPINIONS_ANALYZE: Option<&str> = None;

    /// The index's query for `text` when the trigram index can walk a search in order: three characters or
    /// more, quoted as one phrase. A search within one kind then reads the index in rowid order, which is the
    /// kind's `seq` order (rows are only ever appended, each batch in `seq` order, by the one writer), and stops
    /// at the page: a phrase in a hundred thousand comments costs a page's worth of rows, not all of them.
    pub(super) fn opinion_text_walk(text: &str) -> Option<String> {
        (text.chars().count() >= 3).then(|| format!("\"{}\"", text.replace('"', "\"\"")))
    }

    /// Opinions holding `text`: the trigram index for three characters or more (quoted as one phrase), a scan
    /// for fewer (a trigram index cannot find them).
    pub(super) fn opinion_text_filter(b: &mut sqlx::QueryBuilder<'_, super::Db>, text: &str) {
        match opinion_text_walk(text) {
            Some(phrase) => {
                b.push(" and rowid in (select rowid from opinion_text where opinion_text match ")
                    .push_bind(phrase)
                    .push(")");
            }
            None => opinion_text_contains(b, text),
        }
    }

    /// Opinions holding `text`, each row read.
    pub(super) fn opinion_text_contains(b: &mut sqlx::QueryBuilder<'_, super::Db>, text: &str) {
        b.push(" and instr(content, ").push_bind(text.to_string()).push(") > 0");
    }
}

/// Read connections for a file database (WAL lets them all read at once).
const READERS: u32 = 8;

#[derive(Debug, Clone)]
pub struct SqliteStore {
    /// One connection: SQLite admits one writer at a time anyway.
    writer: SqlitePool,
    reader: SqlitePool,
    /// Acts' commits, on a thread of their own; none for an in-memory database, which only its one sqlx connection
    /// can see (its commits go through `writer`).
    direct: Option<SqliteWriter>,
    /// Acts' loads of their decision, on the calling thread; none for an in-memory database.
    direct_reads: Option<Arc<SqliteReader>>,
    /// Seals every audit record written (see `crate::anchor`); none in tools that only read.
    key: Option<Arc<ServerKey>>,
}

impl SqliteStore {
    /// Open (creating if missing) the database a URL names: `sqlite://juece.db`,
    /// `sqlite:///abs/path.db` or `sqlite::memory:`. Does not migrate.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true)
            // Whichever connection writes first into a log started over cuts it back (see `sqlite_writer`).
            .pragma("journal_size_limit", super::sqlite_writer::LOG_KEPT_BYTES.to_string());
        // An in-memory database lives and dies with its connection: keep exactly one, forever.
        // No ping before handing a connection out: it is in this process, so the ping tests
        // nothing, and costs a round trip to the connection's thread on every query.
        let single = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .test_before_acquire(false);
        let writer = single.connect_with(options.clone()).await?;
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let direct = if in_memory { None } else { Some(SqliteWriter::open(options.get_filename())?) };
        let direct_reads = if in_memory { None } else { Some(Arc::new(SqliteReader::open(options.get_filename())?)) };
        let reader = if in_memory {
            writer.clone()
        } else {
            SqlitePoolOptions::new().max_connections(READERS).test_before_acquire(false).connect_with(options).await?
        };
        Ok(SqliteStore { writer, reader, direct, direct_reads, key: None })
    }

    /// Seal every audit record this store writes with `key`.
    pub fn sealed_by(mut self, key: Option<Arc<ServerKey>>) -> Self {
        self.key = key;
        self
    }

    /// Run raw SQL on the write connection and return the rows affected. For
    /// tests and tamper drills only (e.g. showing that the audit trail refuses
    /// `update`); the engine never calls it.
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        Ok(sqlx::raw_sql(sql).execute(&self.writer).await?.rows_affected())
    }

    /// A consistent copy of the whole database in the new file `path`, taken
    /// while others read and write: `VACUUM INTO` reads one snapshot (WAL)
    /// and writes a compact file with no journal of its own.
    pub async fn backup_into(&self, path: &std::path::Path) -> Result<(), StoreError> {
        let target = path.to_string_lossy();
        sqlx::query("vacuum into $1").bind(target.as_ref()).execute(&self.reader).await?;
        Ok(())
    }

    /// A write transaction. `immediate` takes the write lock up front, so
    /// another process's writer makes us wait (busy_timeout) rather than fail
    /// mid-transaction.
    async fn begin_write(&self) -> Result<Transaction<'static, Db>, sqlx::Error> {
        self.writer.begin_with("begin immediate").await
    }

    /// The writer thread acts' commits go to, if this database has one.
    fn direct(&self) -> Option<&SqliteWriter> {
        self.direct.as_ref()
    }

    /// The connections acts load their decision on, if this database has them.
    fn direct_reads(&self) -> Option<&SqliteReader> {
        self.direct_reads.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::store::{conformance, Store};

    /// A migrated store on a new file (removed with the directory).
    async fn migrated_file() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::connect(&file_url(&dir)).await.expect("connect");
        store.migrate().await.expect("migrate");
        (dir, store)
    }

    fn file_url(dir: &tempfile::TempDir) -> String {
        format!("sqlite://{}", dir.path().join("juece.db").display())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn conformance_on_a_file() {
        let (_dir, store) = migrated_file().await;
        conformance::run_all(Arc::new(store)).await;
    }

    /// A database from before the unit directory: the units its users are in become entries (the name as the
    /// id), each user placed in theirs, and the first users' units take no code nor parent.
    #[tokio::test]
    async fn the_units_in_use_become_the_directory() {
        use crate::store::units::UnitStore;
        use crate::store::users::UserStore;
        let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
        let before = &crate::store::rows::SQLITE_MIGRATIONS[..11];
        assert_eq!(before.last().map(|m| m.version), Some(11));
        crate::store::rows::migrator(before)
            .await
            .expect("migrator")
            .run(&store.writer)
            .await
            .expect("migrated to 0011");
        for (name, unit) in [("li", "示范市生态环境局"), ("wang", "示范市生态环境局"), ("zhao", "示范市交通运输局")]
        {
            let sql = format!(
                "insert into users (name, display_name, unit, position, roles, password_hash, created_at) \
                 values ('{name}', '{name}', '{unit}', '科员', '[\"drafter\"]', 'x', '2026-01-05T01:00:00.000000Z')"
            );
            store.execute_raw(&sql).await.expect("a user of before");
        }
        store.migrate().await.expect("migrate");
        let units = store.units().await.expect("units");
        let names: Vec<(&str, &str)> = units.iter().map(|u| (u.id.as_str(), u.name.as_str())).collect();
        assert_eq!(names, [("示范市交通运输局", "示范市交通运输局"), ("示范市生态环境局", "示范市生态环境局")]);
        assert!(units.iter().all(|u| u.code.is_none() && u.parent_id.is_none() && u.former_names.is_empty()));
        let li = store.user("li").await.expect("read").expect("kept");
        assert_eq!((li.unit.as_str(), li.unit_id.as_str()), ("示范市生态环境局", "示范市生态环境局"));
        assert_eq!(
            store.unit_named("示范市交通运输局").await.expect("read").map(|u| u.id).as_deref(),
            Some("示范市交通运输局")
        );
    }

    /// A database from before opinions were counted on the decision's row: each decision counts those its ledger
    /// holds, so an act on it commits only on all of them.
    #[tokio::test]
    async fn the_opinions_received_are_counted_on_each_decision() {
        let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
        let before = &crate::store::rows::SQLITE_MIGRATIONS[..14];
        assert_eq!(before.last().map(|m| m.version), Some(14));
        crate::store::rows::migrator(before).await.expect("migrator").run(&store.writer).await.expect("to 0014");
        for id in ["heard", "quiet"] {
            let sql = format!(
                "insert into decisions (id, workflow_key, workflow_version, stage, version, title, parent_id, \
                 state_json, created_at, updated_at) values ('{id}', 'national', 1, 'public_participation', 1, 't', \
                 null, '{{}}', '2026-01-05T01:00:00.000000Z', '2026-01-05T01:00:00.000000Z')"
            );
            store.execute_raw(&sql).await.expect("a decision of before");
        }
        let heads = "insert into opinion_heads (decision_id, kind, count, head) \
             values ('heard', 'comment', 3, 'h'), ('heard', 'feedback', 2, 'h')";
        store.execute_raw(heads).await.expect("its opinions' heads");
        crate::store::rows::migrator(crate::store::rows::SQLITE_MIGRATIONS)
            .await
            .expect("migrator")
            .run(&store.writer)
            .await
            .expect("migrated");
        let count = "select id || '=' || opinions from decisions order by id";
        let counts: Vec<String> = sqlx::query_scalar(count).fetch_all(&store.reader).await.expect("counts");
        assert_eq!(counts, ["heard=5", "quiet=0"]);
    }

    /// A database from before the names were indexed (migration 0018): the names each decision's row holds are
    /// indexed, and those not written with its state leave it to every reader.
    #[tokio::test]
    async fn the_names_stored_before_are_indexed() {
        let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
        let before = &crate::store::rows::SQLITE_MIGRATIONS[..17];
        assert_eq!(before.last().map(|m| m.version), Some(17));
        crate::store::rows::migrator(before).await.expect("migrator").run(&store.writer).await.expect("to 0017");
        conformance::seed_before_0018(&store).await;
        let all = crate::store::rows::SQLITE_MIGRATIONS;
        crate::store::rows::migrator(all).await.expect("migrator").run(&store.writer).await.expect("migrated");
        conformance::names_from_before_0018(&store).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn conformance_in_memory() {
        let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
        store.migrate().await.expect("migrate");
        conformance::run_all(Arc::new(store)).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn batches_in_opposite_orders_both_answer() {
        let (_dir, store) = migrated_file().await;
        conformance::races::opposite_batches_never_fail_the_database(Arc::new(store)).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn numbers_have_no_gaps_or_duplicates_under_concurrency() {
        let (_dir, store) = migrated_file().await;
        crate::store::numbering::conformance::run_all(Arc::new(store)).await;
    }

    #[tokio::test]
    async fn connect_creates_a_wal_file_that_is_ready_after_migrate() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::connect(&file_url(&dir)).await.expect("connect");
        assert!(dir.path().join("juece.db").exists(), "the database file is created");
        assert!(!store.ready().await.expect("ready answers"), "not ready before migrate");
        store.migrate().await.expect("migrate");
        assert!(store.ready().await.expect("ready answers"), "ready after migrate");
        let mode: String = sqlx::query_scalar("pragma journal_mode").fetch_one(&store.reader).await.expect("pragma");
        assert_eq!(mode, "wal");
        let sync: i64 = sqlx::query_scalar("pragma synchronous").fetch_one(&store.writer).await.expect("pragma");
        assert_eq!(sync, 2, "synchronous = FULL");
        let limit: i64 =
            sqlx::query_scalar("pragma journal_size_limit").fetch_one(&store.writer).await.expect("pragma");
        assert_eq!(limit, super::super::sqlite_writer::LOG_KEPT_BYTES, "a log held long is cut back");
    }

    /// A new record's first act, with one memo.
    fn proposed(id: &str) -> crate::store::TransitionCommit {
        let now = chrono::Utc::now();
        conformance::Chain::new(id, "start", now).next("propose", "drafting", now, &["立项"])
    }

    /// Acts' commits (the writer thread) and the other writes (the sqlx writer: here the scheduler's claims)
    /// share SQLite's one write lock: they take turns, and none fails for holding the other's lock.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn the_writer_thread_and_the_pool_take_turns() {
        use chrono::Utc;
        let (_dir, store) = migrated_file().await;
        let store = Arc::new(store);
        assert!(store.direct().is_some(), "a file's acts are committed on the writer thread");
        assert!(store.direct_reads().is_some(), "and loaded on connections of their own");
        let mut writes = tokio::task::JoinSet::new();
        for i in 0..40 {
            let s = store.clone();
            writes.spawn(async move {
                s.commit(vec![proposed(&format!("turns-{i}"))]).await.into_iter().try_for_each(|r| r)
            });
            let s = store.clone();
            writes.spawn(async move { s.claim_due(Utc::now(), 10).await.map(|_| ()) });
        }
        while let Some(done) = writes.join_next().await {
            done.expect("joined").expect("every write succeeds");
        }
        for i in 0..40 {
            let loaded = store.load(&format!("turns-{i}")).await.expect("load").expect("committed");
            assert_eq!((loaded.decision.version, loaded.decision.stage.as_str()), (1, "drafting"));
        }
        assert_eq!(store.memos("turns-7").await.expect("memos").len(), 1, "the act's memo is written with it");
    }

    /// Acts queued with the writer thread while the sqlx writer holds SQLite's write lock: the first is taken alone
    /// and waits for the lock (busy timeout), the others queue behind it; the caller of `gone` stops waiting before
    /// the lock is released. Each other act's result, the batches and acts counted, and the store.
    async fn queued_behind_the_lock(
        ids: &[&str],
        gone: Option<&str>,
    ) -> (Vec<(String, Result<(), StoreError>)>, [u64; 2], Arc<dyn Store>, tempfile::TempDir) {
        use std::sync::atomic::Ordering::Relaxed;
        use std::time::Duration;
        let (dir, store) = migrated_file().await;
        let lock = store.begin_write().await.expect("the write lock");
        let store: Arc<dyn Store> = Arc::new(store);
        let group = Arc::new(crate::group_commit::GroupCommit::default());
        let mut tasks = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            let (s, g, c) = (store.clone(), group.clone(), proposed(id));
            tasks.push((id.to_string(), tokio::spawn(async move { g.commit(&s, c).await })));
            tokio::time::sleep(Duration::from_millis(if i == 0 { 300 } else { 30 })).await;
        }
        let mut waiting = Vec::new();
        for (id, task) in tasks {
            if gone == Some(id.as_str()) {
                task.abort();
                assert!(task.await.expect_err("aborted").is_cancelled());
            } else {
                waiting.push((id, task));
            }
        }
        lock.rollback().await.expect("released");
        let mut results = Vec::new();
        for (id, task) in waiting {
            results.push((id, task.await.expect("joined")));
        }
        let counts = group.counts();
        (results, [counts.batches.load(Relaxed), counts.acts.load(Relaxed)], store, dir)
    }

    /// Acts that queue with the writer thread while it writes go to the database together in its next batch,
    /// each succeeding or failing alone.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn acts_queued_while_the_writer_writes_share_its_next_batch_each_on_its_own() {
        let (results, counts, store, _dir) = queued_behind_the_lock(&["first", "b", "c", "b"], None).await;
        let ok = |i: usize| results[i].1.is_ok();
        assert!(ok(0) && ok(2), "{results:?}");
        assert!(ok(1) != ok(3), "of the two creations of `b` in one batch exactly one fails, alone: {results:?}");
        assert_eq!(counts, [2, 4], "the first alone, then the three that queued behind it in one batch");
        for id in ["first", "b", "c"] {
            assert_eq!(store.audit_records(id).await.expect("records").len(), 1, "{id} is written once");
        }
    }

    /// An act whose caller stopped waiting before the writer thread took it is dropped, never written.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_queued_act_whose_caller_went_away_is_not_written() {
        let (results, counts, store, _dir) = queued_behind_the_lock(&["first", "gone", "kept"], Some("gone")).await;
        assert!(results.iter().all(|(_, r)| r.is_ok()), "{results:?}");
        assert_eq!(counts, [2, 2], "the abandoned act is neither written nor counted");
        assert!(store.load("gone").await.expect("load").is_none(), "the abandoned act is dropped");
        assert!(store.load("kept").await.expect("load").is_some());
    }

    /// The writer thread never copies the log into the database file itself; the checkpoint thread does, so the
    /// file grows as acts are written (without it, everything would stay in the log).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_checkpoint_thread_copies_acts_into_the_database_file() {
        let (dir, store) = migrated_file().await;
        let file = dir.path().join("juece.db");
        let size = || std::fs::metadata(&file).expect("database file").len();
        let before = size();
        for i in 0..=super::super::sqlite_writer::CHECKPOINT_EVERY {
            store
                .commit(vec![proposed(&format!("ckpt-{i}"))])
                .await
                .into_iter()
                .try_for_each(|r| r)
                .expect("committed");
        }
        let waited = std::time::Instant::now();
        while size() == before && waited.elapsed() < std::time::Duration::from_secs(30) {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(size() > before, "the acts are checkpointed into the database file, still {before} bytes");
    }

    /// Acts that never stop coming still let SQLite start its log over: the log file stays near the size at which
    /// it is started over (16 MB, about four times the acts between two checkpoints here), instead of growing by
    /// every act (it did, to 93 MB: twenty times).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_log_starts_over_while_acts_keep_coming() {
        let (dir, store) = migrated_file().await;
        let log = dir.path().join("juece.db-wal");
        let log_size = || std::fs::metadata(&log).map(|m| m.len()).expect("the log file");
        let every = super::super::sqlite_writer::CHECKPOINT_EVERY;
        let mut first = 0;
        for i in 0..20 * every {
            if i == every {
                // The log's growth between two checkpoints.
                first = log_size();
            }
            store.commit(vec![proposed(&format!("log-{i}"))]).await.into_iter().try_for_each(|r| r).expect("committed");
        }
        let last = log_size();
        assert!(last < 10 * first, "the log grew from {first} bytes after {every} acts to {last} after {}", 20 * every);
    }
}
