//! [`SnapshotStore`]: what `juece audit verify` and the anchor writer read,
//! each in one snapshot of the database (a read-only transaction), so that
//! acts committing meanwhile never show as a chain out of step with its
//! decision: verification can run while `juece serve` is serving.

use async_trait::async_trait;

use super::{StoreError, StoredMemo};
use crate::anchor::Head;
use crate::audit::AuditRecord;

/// An audit record with its seal (see [`crate::anchor`]); both are `None`
/// in records written before seals existed, the signature also in records
/// written by a process without the server key.
#[derive(Debug, Clone)]
pub struct SealedRecord {
    pub record: AuditRecord,
    pub state_sha256: Option<String>,
    pub signature: Option<String>,
}

/// One decision as stored: its row's columns, its state, its chain and its memos.
#[derive(Debug, Clone)]
pub struct ChainSnapshot {
    pub decision_id: String,
    /// The `version` and `stage` columns, which copy the state's.
    pub version: i64,
    pub stage: String,
    /// The state exactly as stored.
    pub state_json: String,
    pub records: Vec<SealedRecord>,
    pub memos: Vec<StoredMemo>,
}

/// The calendar notices' chain and how many notices are stored.
#[derive(Debug, Clone, Default)]
pub struct CalendarSnapshot {
    pub records: Vec<AuditRecord>,
    pub notices: i64,
}

/// Called once per decision, in id order, inside the snapshot.
pub type ChainVisitor<'a> = &'a mut (dyn FnMut(ChainSnapshot) + Send);

#[async_trait]
pub trait SnapshotStore: Send + Sync {
    /// Every decision's chain, state and memos, and the calendar chain, all
    /// read in one snapshot. One decision is in memory at a time.
    async fn audit_snapshot(&self, visit: ChainVisitor<'_>) -> Result<CalendarSnapshot, StoreError>;
    /// Every decision's chain head and the calendar chain's, in one snapshot.
    async fn chain_heads(&self) -> Result<(Vec<Head>, Head), StoreError>;
}

// ---- SQL shared by both stores ------------------------------------------------

pub(super) const DECISION_IDS: &str = "select id from decisions order by id";
pub(super) const DECISION_ROW: &str = "select version, stage, state_json from decisions where id = $1";
pub(super) const SEALED_RECORDS: &str = "select decision_id, seq, act, stage_from, stage_to, actor_json, at, \
     payload, payload_hash, memo_hashes_json, prev_hash, hash, state_sha256, signature from audit_records \
     where decision_id = $1 order by seq";
pub(super) const HEADS: &str = "select d.id, d.version, a.hash from decisions d \
     left join audit_records a on a.decision_id = d.id and a.seq = d.version order by d.id";
