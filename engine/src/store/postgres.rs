//! [`Store`] on PostgreSQL, for scale-out: any number of stateless replicas
//! share one database. Concurrent acts on a decision are serialised by the
//! row's version (read committed re-checks it after waiting for the row
//! lock); concurrent schedulers claim deadlines with `for update skip locked`.
//! The queries are shared with SQLite in `sql/`.

// Compiled once per backend on purpose: see `sql/mod.rs`.
#[allow(clippy::duplicate_mod)]
#[path = "sql/mod.rs"]
mod sql;

use std::str::FromStr;
use std::sync::Arc;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};

use super::StoreError;
use crate::anchor::ServerKey;

/// The backend the shared implementation in `sql/` is compiled for.
type Db = Postgres;
type Backend = PgStore;

/// The statements that differ from SQLite's.
mod dialect {
    use crate::store::{calendar, notify, rows, scheduler};

    pub(super) const MIGRATIONS: &[rows::Embedded] = rows::POSTGRES_MIGRATIONS;
    pub(super) const CLAIM_DUE: &str = rows::CLAIM_DUE_POSTGRES;
    pub(super) const NOTIFY_UNDISPATCHED: &str = notify::UNDISPATCHED_POSTGRES;
    pub(super) const NOTIFY_DUE: &str = notify::DUE_POSTGRES;
    pub(super) const SCHEDULER_DUE: &str = scheduler::SELECT_DUE_POSTGRES;
    pub(super) const CALENDAR_PENDING: &str = calendar::PROVISIONAL_PENDING_POSTGRES;
    /// Two replicas loading notices at once take turns: one chain head.
    pub(super) const CALENDAR_LOCK: Option<&str> = Some(calendar::LOCK_POSTGRES);
    /// A read-only transaction that reads one snapshot (`store::snapshot`).
    pub(super) const READ_SNAPSHOT: &str = "begin isolation level repeatable read, read only";
    /// An act's rows in one statement (`store::plan::bundle`): one round trip instead of one per table.
    pub(super) const BUNDLE: bool = true;
    /// Batches of acts in flight at once. Each batch is a string of round trips on one connection; with three,
    /// one is flushing while the others send, and the pool's other connections are left to reads and opinions.
    pub(super) const WRITERS: usize = 3;
    /// Group commit locks the decisions of a batch in id order first (see `sql::lock_in_order`), in one
    /// statement: the rows are locked as the sort returns them. Followed by `in ($1, …, $n)`.
    pub(super) const DECISION_LOCK: Option<&str> = Some("select 1 from decisions where id in ");
    /// Held until the opinions commit, as the count of opinions on the row is written then: an act that moves the
    /// decision on (the period's end) waits for them and, the count having moved, is stepped again on them; opinions
    /// checked against the old version are refused once such an act has committed. Not `for share`: two intakes
    /// sharing the row would each wait for the other to write the count.
    pub(super) const OPINION_DECISION_VERSION: &str = "select version from decisions where id = $1 for no key update";
    /// Refreshes the opinions' statistics as a consultation grows (see `sql/opinion_intake.rs`).
    pub(super) const OPINIONS_ANALYZE: Option<&str> = Some("analyze opinions");

    /// No ordered walk of the text index: a GIN index returns its matches unordered (see SQLite's).
    pub(super) fn opinion_text_walk(_text: &str) -> Option<String> {
        None
    }

    /// Opinions holding `text`, by characters (the pg_trgm index serves it where the server has one).
    pub(super) fn opinion_text_filter(b: &mut sqlx::QueryBuilder<'_, super::Db>, text: &str) {
        opinion_text_contains(b, text);
    }

    /// Opinions holding `text`, each row read (the same predicate: the planner chooses).
    pub(super) fn opinion_text_contains(b: &mut sqlx::QueryBuilder<'_, super::Db>, text: &str) {
        let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        b.push(" and content like ").push_bind(format!("%{escaped}%")).push(" escape '\\'");
    }
}

/// A pooled connection idle this long is pinged before it is handed out.
const IDLE_CHECK: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct PgStore {
    /// Reads and writes share one pool: under MVCC readers never wait for
    /// writers, and a read after a write sees it on any connection.
    writer: PgPool,
    reader: PgPool,
    /// Seals every audit record written (see `crate::anchor`); none in tools that only read.
    key: Option<Arc<ServerKey>>,
}

impl PgStore {
    /// Connect to the database a `postgres://` URL names. Does not migrate.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        PgStore::connect_with(PgConnectOptions::from_str(url)?).await
    }

    async fn connect_with(options: PgConnectOptions) -> Result<Self, StoreError> {
        // sqlx pings every connection it hands out by default: a round trip before each read and each commit,
        // about a tenth of an act's time on a local server. A connection that sat idle a while is still checked,
        // since that is when a server restart or a dropped link goes unnoticed.
        let pool = PgPoolOptions::new()
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= IDLE_CHECK {
                        sqlx::Connection::ping(conn).await?;
                    }
                    Ok(true)
                })
            })
            .connect_with(options)
            .await?;
        Ok(PgStore { writer: pool.clone(), reader: pool, key: None })
    }

    /// Seal every audit record this store writes with `key`.
    pub fn sealed_by(mut self, key: Option<Arc<ServerKey>>) -> Self {
        self.key = key;
        self
    }

    /// Run raw SQL and return the rows affected. For tests and tamper drills
    /// only (e.g. showing that the audit trail refuses `update`); the engine
    /// never calls it.
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        Ok(sqlx::raw_sql(sql).execute(&self.writer).await?.rows_affected())
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Db>, sqlx::Error> {
        self.writer.begin().await
    }

    /// Every commit goes through sqlx: the writer thread is SQLite's (see `sql/mod.rs`).
    fn direct(&self) -> Option<&super::sqlite_writer::SqliteWriter> {
        None
    }

    /// Every read goes through sqlx.
    fn direct_reads(&self) -> Option<&super::sqlite_reader::SqliteReader> {
        None
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use sqlx::{Connection, PgConnection};

    use super::*;
    use crate::store::{conformance, Store};

    /// A database of its own for one test run, dropped afterwards, so parallel runs never meet.
    pub(crate) struct TestDb {
        admin_url: String,
        name: String,
    }

    impl TestDb {
        /// `None` (and a note) when no server is configured.
        pub(crate) async fn create() -> Option<TestDb> {
            let Ok(admin_url) = std::env::var("JUECE_TEST_POSTGRES_URL") else {
                println!("skipped: JUECE_TEST_POSTGRES_URL not set");
                return None;
            };
            let name = format!("juece_test_{}", uuid::Uuid::new_v4().simple());
            let mut admin = PgConnection::connect(&admin_url).await.expect("connect to JUECE_TEST_POSTGRES_URL");
            sqlx::raw_sql(&format!("create database {name}")).execute(&mut admin).await.expect("create database");
            Some(TestDb { admin_url, name })
        }

        pub(crate) async fn store(&self) -> PgStore {
            let options = PgConnectOptions::from_str(&self.admin_url).expect("url").database(&self.name);
            let store = PgStore::connect_with(options).await.expect("connect to the test database");
            store.migrate().await.expect("migrate");
            store
        }

        /// Run `test` against a fresh, migrated store; drop the database even when it panics.
        pub(crate) async fn run<F, Fut>(self, test: F)
        where
            F: FnOnce(Arc<PgStore>) -> Fut,
            Fut: std::future::Future<Output = ()> + Send + 'static,
        {
            let store = Arc::new(self.store().await);
            let outcome = tokio::spawn(test(store.clone())).await;
            store.writer.close().await;
            let mut admin = PgConnection::connect(&self.admin_url).await.expect("reconnect");
            sqlx::raw_sql(&format!("drop database if exists {} with (force)", self.name))
                .execute(&mut admin)
                .await
                .expect("drop database");
            if let Err(e) = outcome {
                std::panic::resume_unwind(e.into_panic());
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn conformance_on_postgres() {
        if let Some(db) = TestDb::create().await {
            db.run(conformance::run_all).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn batches_of_two_replicas_never_deadlock() {
        let Some(db) = TestDb::create().await else { return };
        db.run(|store| conformance::races::opposite_batches_never_fail_the_database(store)).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn numbers_have_no_gaps_or_duplicates_under_concurrency() {
        let Some(db) = TestDb::create().await else { return };
        db.run(|store| async move { crate::store::numbering::conformance::run_all(store).await }).await;
    }

    #[tokio::test]
    async fn users_sessions_tokens_and_idempotency_on_postgres() {
        if let Some(db) = TestDb::create().await {
            db.run(|store| crate::auth::tests::exercise(store)).await;
        }
    }

    /// A database from before the names were indexed (migration 0018): as on SQLite.
    #[tokio::test]
    async fn the_names_stored_before_are_indexed() {
        let Some(db) = TestDb::create().await else { return };
        let options = PgConnectOptions::from_str(&db.admin_url).expect("url").database(&db.name);
        let outcome = tokio::spawn(async move {
            let store = PgStore::connect_with(options).await.expect("connect");
            let before = &crate::store::rows::POSTGRES_MIGRATIONS[..17];
            assert_eq!(before.last().map(|m| m.version), Some(17));
            crate::store::rows::migrator(before).await.expect("migrator").run(&store.writer).await.expect("to 0017");
            conformance::seed_before_0018(&store).await;
            let all = crate::store::rows::POSTGRES_MIGRATIONS;
            crate::store::rows::migrator(all).await.expect("migrator").run(&store.writer).await.expect("migrated");
            conformance::names_from_before_0018(&store).await;
            store.writer.close().await;
        })
        .await;
        db.run(|_| async {}).await; // drops the database
        if let Err(e) = outcome {
            std::panic::resume_unwind(e.into_panic());
        }
    }

    #[tokio::test]
    async fn append_only_tables_refuse_truncate() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        db.run(|store| async move {
            assert!(store.ready().await.expect("ready answers"));
            for sql in ["truncate audit_records", "truncate memos", "truncate decisions cascade"] {
                let refused = store.execute_raw(sql).await.expect_err(sql);
                assert!(refused.to_string().contains("append-only"), "{sql}: {refused}");
            }
        })
        .await;
    }
}
