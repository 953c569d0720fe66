//! Persistence. One accepted act is one [`TransitionCommit`], written by
//! [`Store::commit`] in one database transaction (state, audit record,
//! memos, deadlines, outbox) or not at all. Concurrent acts on one decision
//! are serialised by optimistic versioning: the loser gets
//! [`StoreError::Conflict`] and nothing of it is written.
//!
//! `commit` takes a batch so that a writer can later gather acts arriving
//! together into one database commit (group commit); each commit in the
//! batch still succeeds or fails on its own. `commit_all` is the other
//! kind of batch: acts that belong together (an act and the one it causes
//! on another record) are written all or none.

pub mod calendar;
// The suite and raw SQL are for tests and benchmarks: the `testing` feature, never in the release library.
#[cfg(any(test, feature = "testing"))]
pub mod conformance;
pub mod directory;
pub mod idempotency;
pub mod notify;
pub mod numbering;
pub mod opinions;
mod plan;
mod postgres;
pub mod reports;
mod rows;
pub mod scheduler;
pub mod snapshot;
mod sqlite;
mod sqlite_reader;
mod sqlite_writer;
pub mod units;
pub mod users;

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::audit::AuditRecord;
use crate::decision::Decision;
use crate::effect::DeadlineSpec;

pub use plan::Seal;
/// A fresh PostgreSQL database per test run, for tests of store extensions.
#[cfg(test)]
pub(crate) use postgres::tests::TestDb as PgTestDb;
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// Where a queued commit's result goes ([`Store::enqueue`]).
pub type CommitAnswer = tokio::sync::oneshot::Sender<Result<(), StoreError>>;

/// How many batches of acts were written, holding how many acts: by group commit, or by a store's own writer
/// ([`Store::enqueue`]), for `/metrics`.
#[derive(Debug, Default)]
pub struct BatchCounts {
    pub batches: AtomicU64,
    pub acts: AtomicU64,
    /// Of `acts`, those written by their own caller, the store's writer having nothing else to write (SQLite).
    pub by_caller: AtomicU64,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The decision changed since it was read (optimistic versioning).
    #[error("decision {decision_id} was changed concurrently (expected version {expected})")]
    Conflict { decision_id: String, expected: i64 },
    /// A scheduler's lease on an auto-act deadline expired and another took
    /// it (or fired it): this holder's act is not applied.
    #[error("deadline {deadline_id} is no longer held by this scheduler")]
    LeaseLost { deadline_id: String },
    /// Another act took this document number first (the engine renders again).
    #[error("document number {series}〔{year}〕{number}号 was taken concurrently")]
    NumberTaken { series: String, year: i32, number: i64 },
    #[error("decision {0} already exists")]
    AlreadyExists(String),
    /// The act's idempotency key is no longer held by its request (its lease
    /// ended and a retry took it over): the act is not committed.
    #[error("idempotency key {0} is held by another request")]
    KeyNotHeld(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The write was cut short before it answered (its task panicked):
    /// its transaction was rolled back, so nothing of it is written.
    #[error("the write was interrupted: {0}")]
    Interrupted(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// From SQLite's writer thread (`sqlite_writer`), which writes acts' commits without sqlx.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A memo rendered by an act, stored immutably.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMemo {
    pub decision_id: String,
    /// The audit record (chain position) of the act that rendered it.
    pub seq: i64,
    pub memo: String,
    pub lang: String,
    /// `html` or `md`.
    pub format: String,
    pub body: String,
    pub sha256: String,
    pub template_sha256: String,
    pub data: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineStatus {
    Pending,
    Fired,
    Cancelled,
}

impl DeadlineStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineStatus::Pending => "pending",
            DeadlineStatus::Fired => "fired",
            DeadlineStatus::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlineRow {
    pub id: String,
    pub decision_id: String,
    pub spec: DeadlineSpec,
    pub status: DeadlineStatus,
    pub fired_at: Option<DateTime<Utc>>,
}

/// A notification queued in the same transaction as its act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub id: String,
    pub decision_id: String,
    pub recipient_role: String,
    pub subject: String,
    pub created_at: DateTime<Utc>,
}

/// Everything one accepted act writes.
#[derive(Debug, Clone)]
pub struct TransitionCommit {
    /// The state after the act; its `version` is `expected_version + 1`.
    pub decision: Decision,
    /// 0 when the act creates the decision.
    pub expected_version: i64,
    pub audit: AuditRecord,
    pub memos: Vec<StoredMemo>,
    pub set_deadlines: Vec<DeadlineRow>,
    /// Names of this decision's pending deadlines to cancel.
    pub cancel_deadlines: Vec<String>,
    pub outbox: Vec<OutboxMessage>,
    /// Document numbers its memos carry (`numbering`).
    pub numbers: Vec<numbering::NumberClaim>,
    /// The answer to store under the request's `Idempotency-Key`, with the act.
    pub idempotency: Option<idempotency::KeyCompletion>,
    /// The auto-act deadline this act fires (the scheduler's), marked fired in the same transaction.
    pub fires: Option<scheduler::LeasedFiring>,
    /// What the act does to the decision's opinion rows (a disposition, a split, a hidden text).
    pub ledger: Vec<crate::ledger::LedgerWrite>,
    /// The state as stored, its hash and the server's signature, computed by the caller with [`Store::seal`] once
    /// the commit is final, so that SQLite's one writer spends its turn writing; `None`: the store computes them.
    pub sealed: Option<Seal>,
    /// Set when the act did not read the record but took it as this process last wrote it: then the commit is
    /// written only if what the act would have read with the record still holds, and fails as a conflict otherwise.
    pub assumed: Option<Assumed>,
    /// How many opinions the record had received when the act read it ([`Loaded::opinions`]). An update is written
    /// only while the record has received no other, and fails as a conflict otherwise: the act may have decided on
    /// the opinions it read (a period closed with their count and chain head, Art. 14), and a free-text reading of
    /// them never stands in for one it did not see. Not read for a new record.
    pub opinions: i64,
}

impl TransitionCommit {
    /// A commit of the state, its record and its memos, with nothing else written (no deadline, notice, number,
    /// opinion change or key; sealed by the store): the commits tests and tools build by hand. The engine's acts
    /// fill in the rest.
    pub fn bare(decision: Decision, expected_version: i64, audit: AuditRecord, memos: Vec<StoredMemo>) -> Self {
        TransitionCommit {
            decision,
            expected_version,
            audit,
            memos,
            set_deadlines: Vec::new(),
            cancel_deadlines: Vec::new(),
            outbox: Vec::new(),
            numbers: Vec::new(),
            idempotency: None,
            fires: None,
            ledger: Vec::new(),
            sealed: None,
            assumed: None,
            opinions: 0,
        }
    }
}

/// What an act that did not read its record took as read with it ([`Loaded`]'s counts), checked when it commits
/// (the row's count of opinions, as for every act, by [`TransitionCommit::opinions`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assumed {
    pub calendar_notices: i64,
    pub opinion_kinds: i64,
    pub opinions: i64,
}

impl Assumed {
    /// Whether `loaded`, read from the store, is at `version` and read with these counts.
    pub fn holds_for(&self, loaded: &Loaded, version: i64) -> bool {
        loaded.decision.version == version
            && loaded.calendar_notices == Some(self.calendar_notices)
            && loaded.opinion_kinds == Some(self.opinion_kinds)
            && loaded.opinions == Some(self.opinions)
    }
}

/// A decision as loaded, with the hash its next audit record must link to.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub decision: Decision,
    pub last_hash: String,
    /// How many calendar notices were stored, read in the same query as
    /// the decision, so the engine knows whether its calendar is current
    /// without another query; `None` for a record not read from the store.
    pub calendar_notices: Option<i64>,
    /// How many kinds of opinion anyone has sent on the decision, read with it like `calendar_notices`, from the
    /// ledger's own heads: most decisions have none, and then an act needs no read of the opinion ledger. `None`
    /// when not read.
    pub opinion_kinds: Option<i64>,
    /// The opinions the decision's row counts, read with it: the intake adds to it with every opinion, and an act
    /// commits only while it is still this number, so no opinion arrives unseen between the act's read and its
    /// commit. A change mark, not the ledger's tally: a replica of a version before the count (migration 0015),
    /// still running during an upgrade, takes opinions without counting them. `None` when not read.
    pub opinions: Option<i64>,
}

impl Loaded {
    /// `decision` before its first act, never written: its chain starts at the genesis hash, and it has no opinions
    /// (each names a stored decision), so its act needs no read of the ledger.
    pub fn unwritten(decision: Decision) -> Self {
        Loaded {
            decision,
            last_hash: crate::audit::GENESIS.into(),
            calendar_notices: None,
            opinion_kinds: Some(0),
            opinions: Some(0),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct DecisionFilter {
    pub stage: Option<String>,
    /// Only decisions at one of these stages of these procedures (none: no such bound).
    pub at: Vec<StageOf>,
    /// With `at` only: decisions naming one of these parties (`Facts::parties`), and those whose
    /// parties were not written with their state (none: no such bound).
    pub parties: Option<Vec<String>>,
    pub limit: i64,
    pub offset: i64,
}

/// A stage of one version of a procedure.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StageOf {
    pub workflow_key: String,
    pub workflow_version: u32,
    pub stage: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionSummary {
    pub id: String,
    pub title: String,
    pub workflow_key: String,
    pub stage: String,
    pub version: i64,
}

#[async_trait]
pub trait Store:
    Send
    + Sync
    + scheduler::SchedulerStore
    + notify::NotifyStore
    + users::UserStore
    + units::UnitStore
    + directory::DirectoryStore
    + idempotency::IdempotencyStore
    + numbering::NumberingStore
    + reports::ReportStore
    + calendar::CalendarStore
    + snapshot::SnapshotStore
    + opinions::OpinionStore
{
    /// Apply pending migrations (idempotent).
    async fn migrate(&self) -> Result<(), StoreError>;
    /// True when the database answers and every migration is applied.
    async fn ready(&self) -> Result<bool, StoreError>;
    /// How many transactions of acts are worth writing at once: SQLite has one writer; PostgreSQL takes
    /// several side by side (group commit keeps this many batches in flight).
    fn writers(&self) -> usize {
        1
    }
    /// Seal `c` now, in the caller's task (see [`TransitionCommit::sealed`]); `c` must not change afterwards.
    fn seal(&self, c: &mut TransitionCommit) -> Result<(), StoreError>;
    /// Commit each transition in its own database transaction; results in order.
    async fn commit(&self, batch: Vec<TransitionCommit>) -> Vec<Result<(), StoreError>>;
    /// Queue `commit` with a writer of the store's own, which takes everything queued as one batch as soon as it
    /// is free (each commit succeeding or failing alone, as [`Store::commit`] writes them), sends each its
    /// `answer`, and counts the batch in `counts`. A commit whose caller stopped waiting before its batch was taken
    /// is dropped, never written. `Err` gives both back: the store has no such writer, and group commit batches.
    fn enqueue(
        &self,
        commit: Box<TransitionCommit>,
        answer: CommitAnswer,
        _counts: &Arc<BatchCounts>,
    ) -> Result<(), (Box<TransitionCommit>, CommitAnswer)> {
        Err((commit, answer))
    }
    /// Commit every transition in one database transaction, in order, or
    /// none of them: the first error rolls the whole batch back.
    async fn commit_all(&self, batch: Vec<TransitionCommit>) -> Result<(), StoreError>;
    async fn load(&self, decision_id: &str) -> Result<Option<Loaded>, StoreError>;
    /// The decisions `ids` that exist, as [`Store::load`] reads each, in no particular order: a page of a list in a
    /// few reads, not one a decision.
    async fn load_many(&self, ids: &[&str]) -> Result<Vec<Loaded>, StoreError>;
    async fn list(&self, filter: &DecisionFilter) -> Result<Vec<DecisionSummary>, StoreError>;
    /// Every decision id with its version, for verification of all chains.
    async fn versions(&self) -> Result<Vec<(String, i64)>, StoreError>;
    /// A decision's audit records ordered by `seq`.
    async fn audit_records(&self, decision_id: &str) -> Result<Vec<AuditRecord>, StoreError>;
    async fn memos(&self, decision_id: &str) -> Result<Vec<StoredMemo>, StoreError>;
    async fn deadlines(&self, decision_id: &str) -> Result<Vec<DeadlineRow>, StoreError>;
    /// The pending deadlines of each of `decision_ids` with how often each has fired, in one read: a worklist
    /// asks this of a page of decisions at once rather than of each decision in turn.
    async fn pending_deadlines(&self, decision_ids: &[String]) -> Result<Vec<(DeadlineRow, i64)>, StoreError>;
    /// Atomically claim up to `limit` pending deadlines due at or before
    /// `now` (earliest first), marking them fired; no two callers get the same row.
    async fn claim_due(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<DeadlineRow>, StoreError>;
    async fn outbox(&self, decision_id: &str) -> Result<Vec<OutboxMessage>, StoreError>;
}

/// Open the store a URL names (`sqlite://…` or `postgres://…`) and migrate it.
/// Records it writes carry no seal: for commands that only read.
pub async fn connect(url: &str) -> Result<std::sync::Arc<dyn Store>, StoreError> {
    connect_sealed(url, None).await
}

/// Open and migrate the store a URL names; with a key, every audit record
/// it writes is sealed by it (see [`crate::anchor`]).
pub async fn connect_sealed(
    url: &str,
    key: Option<std::sync::Arc<crate::anchor::ServerKey>>,
) -> Result<std::sync::Arc<dyn Store>, StoreError> {
    let store: std::sync::Arc<dyn Store> = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        std::sync::Arc::new(PgStore::connect(url).await?.sealed_by(key))
    } else {
        std::sync::Arc::new(SqliteStore::connect(url).await?.sealed_by(key))
    };
    store.migrate().await?;
    Ok(store)
}
