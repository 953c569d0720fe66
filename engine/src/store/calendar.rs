//! [`CalendarStore`]: the official notices an administrator loaded at run time, and the calendar's own audit chain.
//!
//! The shipped year files (`workflows/calendars/`) are read at start; a notice published later is loaded into the
//! database instead, so every replica merges the same notices over the files and computes the same dates. Loading
//! one is a single transaction: the notice, the pending deadlines it recomputes and one record appended to the
//! `calendar` chain (an [`AuditRecord`] chain like a decision's, verified by `juece audit verify`) are written
//! together or not at all.
//!
//! The engine decides what the new notice changes (that needs the calendar); the store asks it through a
//! [`RecomputePlanner`] while it holds the rows, so a deadline cannot fire between being read and being moved.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::rows;
use super::{DeadlineRow, StoreError};
use crate::audit::AuditRecord;

/// The id of the calendar's audit chain (no decision has it: decision ids are generated).
pub const CALENDAR_CHAIN: &str = "calendar";

/// A notice as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredNotice {
    pub year: i32,
    /// The year file's TOML text, exactly as loaded.
    pub toml: String,
    pub sha256: String,
    pub loaded_at: DateTime<Utc>,
    pub loaded_by: String,
}

/// One pending deadline moved by a notice.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineChange {
    pub deadline_id: String,
    pub decision_id: String,
    pub name: String,
    pub old_due: DateTime<Utc>,
    pub new_due: DateTime<Utc>,
    /// The row's new basis (it keeps the old and new instants).
    pub basis: serde_json::Value,
}

/// What loading a notice did.
#[derive(Debug, Clone, PartialEq)]
pub enum NoticeOutcome {
    /// Stored; these deadlines were recomputed (possibly none moved).
    Loaded { changes: Vec<DeadlineChange>, record: Box<AuditRecord> },
    /// The same text was loaded before: nothing written.
    AlreadyLoaded,
    /// A different notice for this year is already stored: nothing written.
    Conflicting { existing_sha256: String },
}

/// Given a pending row, the recomputed `(due, basis)` when the notice changes it (`None`: the row is untouched).
pub type RecomputePlanner<'a> = &'a (dyn Fn(&DeadlineRow) -> Option<(DateTime<Utc>, serde_json::Value)> + Send + Sync);
/// Builds the chain's next record from its position, the previous hash and the changes made.
pub type RecordBuilder<'a> = &'a (dyn Fn(i64, &str, &[DeadlineChange]) -> AuditRecord + Send + Sync);

#[async_trait]
pub trait CalendarStore: Send + Sync {
    /// Every notice loaded at run time, by year.
    async fn calendar_notices(&self) -> Result<Vec<StoredNotice>, StoreError>;
    /// How many notices are stored: a replica polls it to learn of one another replica loaded (notices are never
    /// replaced or deleted, so the count changes exactly when one is added).
    async fn calendar_notice_count(&self) -> Result<i64, StoreError>;
    /// Store `notice`, apply `plan` to the pending deadlines whose basis is provisional, and append the record
    /// `record` builds, in one transaction.
    async fn load_calendar_notice(
        &self,
        notice: &StoredNotice,
        plan: RecomputePlanner<'_>,
        record: RecordBuilder<'_>,
    ) -> Result<NoticeOutcome, StoreError>;
    /// The calendar chain, in order.
    async fn calendar_audit(&self) -> Result<Vec<AuditRecord>, StoreError>;
}

// ---- SQL shared by both stores ------------------------------------------------

pub(super) const NOTICES: &str = "select year, toml, sha256, loaded_at, loaded_by from calendar_notices order by year";
pub(super) const NOTICE_COUNT: &str = "select count(*) from calendar_notices";
pub(super) const NOTICE_SHA: &str = "select sha256 from calendar_notices where year = $1";
pub(super) const INSERT_NOTICE: &str =
    "insert into calendar_notices (year, toml, sha256, loaded_at, loaded_by) values ($1, $2, $3, $4, $5)";
/// Only rows whose basis says provisional, and recurring series (a `cron`: their next occurrence is chosen on the
/// calendar), can change; the basis is stored as compact JSON.
pub(super) const PROVISIONAL_PENDING: &str = "select id, decision_id, name, kind, due_at_us, act, notify, \
     basis_json, status, fired_at from deadlines where status = 'pending' \
     and (basis_json like '%\"provisional\":true%' or basis_json like '%\"cron\":%') order by due_at_us, id";
/// The same, locking the rows: a scheduler (`skip locked`) leaves them until the new instants are committed.
pub(super) const PROVISIONAL_PENDING_POSTGRES: &str = "select id, decision_id, name, kind, due_at_us, act, notify, \
     basis_json, status, fired_at from deadlines where status = 'pending' \
     and (basis_json like '%\"provisional\":true%' or basis_json like '%\"cron\":%') \
     order by due_at_us, id for update";
/// Serialises loads across replicas: one chain head, one row per year.
pub(super) const LOCK_POSTGRES: &str = "lock table calendar_notices in exclusive mode";
pub(super) const MOVE_DEADLINE: &str =
    "update deadlines set due_at_us = $2, basis_json = $3 where id = $1 and status = 'pending'";
pub(super) const CHAIN_HEAD: &str = "select seq, hash from calendar_audit order by seq desc limit 1";
pub(super) const INSERT_RECORD: &str = "insert into calendar_audit (seq, record_json, hash) values ($1, $2, $3)";
pub(super) const CHAIN: &str = "select record_json from calendar_audit order by seq";

pub(super) fn notice(row: &impl rows::Cols) -> Result<StoredNotice, StoreError> {
    let at = row.text("loaded_at")?;
    let loaded_at = DateTime::parse_from_rfc3339(&at)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rows::corrupt(format!("calendar notice loaded_at {at:?}: {e}")))?;
    let year = i32::try_from(row.int("year")?).map_err(|e| rows::corrupt(format!("calendar notice year: {e}")))?;
    Ok(StoredNotice {
        year,
        toml: row.text("toml")?,
        sha256: row.text("sha256")?,
        loaded_at,
        loaded_by: row.text("loaded_by")?,
    })
}

pub(super) fn record(json: &str) -> Result<AuditRecord, StoreError> {
    serde_json::from_str(json).map_err(|e| rows::corrupt(format!("calendar audit record: {e}")))
}

/// Ask the planner about one row; a change only when the instant or the basis differs.
pub(super) fn plan_change(row: &DeadlineRow, plan: RecomputePlanner<'_>) -> Option<DeadlineChange> {
    let (new_due, basis) = plan(row)?;
    if new_due == row.spec.due_at && basis == row.spec.basis {
        return None;
    }
    Some(DeadlineChange {
        deadline_id: row.id.clone(),
        decision_id: row.decision_id.clone(),
        name: row.spec.name.clone(),
        old_due: row.spec.due_at,
        new_due,
        basis,
    })
}
