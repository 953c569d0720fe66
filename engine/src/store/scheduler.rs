//! What the scheduler needs of a store: claim due deadlines and, in the
//! same database transaction, finish each one, re-arm the recurring ones in
//! place and queue their notices. A crash can therefore never leave a
//! deadline fired without its notice, nor a reminder fired without its next
//! occurrence.
//!
//! The engine decides what firing a row means (the next working-day
//! occurrence needs the calendar and the cron schedule); the store asks it
//! through a [`FirePlanner`] while it holds the claim.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::rows::{self, Cols};
use super::{DeadlineRow, OutboxMessage, StoreError};

/// What firing one claimed deadline writes.
#[derive(Debug, Clone, PartialEq)]
pub struct FirePlan {
    /// `Some((instant, basis))`: the row stays pending, due again at
    /// `instant` (strictly later than the claim's `now`), explained by
    /// `basis`. `None`: the row is finished (`fired`).
    pub rearm: Option<(DateTime<Utc>, serde_json::Value)>,
    /// Notices written in the same transaction.
    pub outbox: Vec<OutboxMessage>,
}

/// Decides, synchronously and without I/O, what firing a row writes.
pub type FirePlanner<'a> = &'a (dyn Fn(&DeadlineRow, DateTime<Utc>) -> FirePlan + Send + Sync);

/// One occurrence fired.
#[derive(Debug, Clone, PartialEq)]
pub struct Fired {
    /// The row as claimed (its `spec.due_at` is the occurrence that fired).
    pub deadline: DeadlineRow,
    /// When the row is due again, for re-armed series.
    pub rearmed_to: Option<DateTime<Utc>>,
    /// How many occurrences of this row have fired, this one included.
    pub occurrence: i64,
}

/// Firing state of a deadline row beyond [`DeadlineRow`].
#[derive(Debug, Clone, PartialEq)]
pub struct FiringState {
    pub occurrences: i64,
    pub last_fired_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait SchedulerStore: Send + Sync {
    /// Claim up to `limit` pending deadlines due at or before `now`, earliest
    /// first, and apply `plan` to each in one transaction. No two callers get
    /// the same occurrence; a row due after `now` is never touched.
    async fn fire_due_planned(
        &self,
        now: DateTime<Utc>,
        limit: i64,
        plan: FirePlanner<'_>,
    ) -> Result<Vec<Fired>, StoreError>;
    /// The earliest instant a pending deadline is due (an index lookup).
    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// How often a deadline has fired and when last (`None` when no such row).
    async fn firing_state(&self, deadline_id: &str) -> Result<Option<FiringState>, StoreError>;
}

// ---- SQL shared by both stores ------------------------------------------------

/// SQLite has one writer, and the transaction holds it: a plain select claims.
pub(super) const SELECT_DUE_SQLITE: &str = "select id, decision_id, name, kind, due_at_us, act, notify, basis_json, \
     status, fired_at, occurrences from deadlines where status = 'pending' and due_at_us <= $1 \
     order by due_at_us, id limit $2";
/// PostgreSQL: concurrent schedulers skip the rows another one holds.
pub(super) const SELECT_DUE_POSTGRES: &str = "select id, decision_id, name, kind, due_at_us, act, notify, \
     basis_json, status, fired_at, occurrences from deadlines where status = 'pending' and due_at_us <= $1 \
     order by due_at_us, id limit $2 for update skip locked";
/// `status = 'pending'` again, so a row cancelled meanwhile stays cancelled.
pub(super) const FINISH: &str = "update deadlines set status = 'fired', fired_at = $2, last_fired_at = $2, \
     occurrences = occurrences + 1 where id = $1 and status = 'pending'";
pub(super) const REARM: &str = "update deadlines set due_at_us = $3, basis_json = $4, last_fired_at = $2, \
     occurrences = occurrences + 1 where id = $1 and status = 'pending'";
pub(super) const NEXT_DUE: &str = "select min(due_at_us) from deadlines where status = 'pending'";
pub(super) const FIRING_STATE: &str = "select occurrences, last_fired_at from deadlines where id = $1";

pub(super) fn firing_state(row: &impl Cols) -> Result<FiringState, StoreError> {
    let last_fired_at = match row.opt_text("last_fired_at")? {
        Some(at) => Some(
            DateTime::parse_from_rfc3339(&at)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| rows::corrupt(format!("deadline last_fired_at {at:?}: {e}")))?,
        ),
        None => None,
    };
    Ok(FiringState { occurrences: row.int("occurrences")?, last_fired_at })
}
