//! What the scheduler needs of a store: claim due deadlines and, in the
//! same database transaction, finish each one, re-arm the recurring ones in
//! place and queue their notices. A crash can therefore never leave a
//! deadline fired without its notice, nor a reminder fired without its next
//! occurrence.
//!
//! The engine decides what firing a row means (the next working-day
//! occurrence needs the calendar and the cron schedule); the store asks it
//! through a [`FirePlanner`] while it holds the claim.
//!
//! An auto-act is the exception: its claim only takes a [`Lease`], and the
//! act's own transaction marks the row fired ([`LeasedFiring`] in a
//! [`super::TransitionCommit`]), so a crash between claim and act loses
//! nothing and the act still happens once.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::rows::{self, Cols};
use super::{DeadlineRow, OutboxMessage, StoreError};

/// What firing one claimed deadline writes.
#[derive(Debug, Clone, PartialEq)]
pub struct FirePlan {
    pub then: AfterClaim,
    /// Notices written in the same transaction.
    pub outbox: Vec<OutboxMessage>,
}

/// What becomes of a claimed row.
#[derive(Debug, Clone, PartialEq)]
pub enum AfterClaim {
    /// The row is finished (`fired`).
    Finish,
    /// The row stays pending, due again at the instant (strictly later than
    /// the claim's `now`), explained by the basis.
    Rearm(DateTime<Utc>, serde_json::Value),
    /// The row stays pending, held by the lease; no other claim takes it
    /// until the lease expires. Its act's transaction fires it.
    Lease(Lease),
}

/// A scheduler's hold on a claimed auto-act deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// Unique per claim, so a holder whose lease expired and was taken over cannot fire the row.
    pub holder: String,
    pub until: DateTime<Utc>,
}

/// Marks a leased deadline fired inside the transaction of its act; the
/// commit fails with [`StoreError::LeaseLost`] (and writes nothing) unless
/// the row is still pending and held by `holder`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeasedFiring {
    pub deadline_id: String,
    pub holder: String,
    pub at: DateTime<Utc>,
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
    /// The lease taken on an auto-act deadline (the row is still pending).
    pub lease: Option<Lease>,
    /// How many occurrences of this row have fired, this one included.
    pub occurrence: i64,
}

/// Firing state of a deadline row beyond [`DeadlineRow`].
#[derive(Debug, Clone, PartialEq)]
pub struct FiringState {
    pub occurrences: i64,
    pub last_fired_at: Option<DateTime<Utc>>,
}

/// What is due and not yet fired (see [`SchedulerStore::due_backlog`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DueBacklog {
    pub count: i64,
    pub oldest_due: Option<DateTime<Utc>>,
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
    /// The earliest instant a pending deadline is due, or a lease on one
    /// expires (index lookups).
    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// Finish a leased deadline whose act will not be applied (the engine
    /// refused it), with its notices, if `holder` still holds it. False when
    /// the lease was lost (the row is another's, or already fired).
    async fn finish_leased(&self, firing: &LeasedFiring, outbox: &[OutboxMessage]) -> Result<bool, StoreError>;
    /// The pending deadlines due at or before `now` (leased auto-acts included): how many and the earliest, for
    /// monitoring. A range scan of the due-instant index, so it costs what is due, not what is pending.
    async fn due_backlog(&self, now: DateTime<Utc>) -> Result<DueBacklog, StoreError>;
    /// How often a deadline has fired and when last (`None` when no such row).
    async fn firing_state(&self, deadline_id: &str) -> Result<Option<FiringState>, StoreError>;
}

// ---- SQL shared by both stores ------------------------------------------------

/// SQLite has one writer, and the transaction holds it: a plain select claims.
/// A row under a lease that has not expired is someone else's.
pub(super) const SELECT_DUE_SQLITE: &str = "select id, decision_id, name, kind, due_at_us, act, notify, basis_json, \
     status, fired_at, occurrences from deadlines where status = 'pending' and due_at_us <= $1 \
     and (lease_until_us is null or lease_until_us <= $1) order by due_at_us, id limit $2";
/// PostgreSQL: concurrent schedulers skip the rows another one holds.
pub(super) const SELECT_DUE_POSTGRES: &str = "select id, decision_id, name, kind, due_at_us, act, notify, \
     basis_json, status, fired_at, occurrences from deadlines where status = 'pending' and due_at_us <= $1 \
     and (lease_until_us is null or lease_until_us <= $1) order by due_at_us, id limit $2 for update skip locked";
/// `status = 'pending'` again, so a row cancelled meanwhile stays cancelled.
pub(super) const FINISH: &str = "update deadlines set status = 'fired', fired_at = $2, last_fired_at = $2, \
     occurrences = occurrences + 1 where id = $1 and status = 'pending'";
pub(super) const REARM: &str = "update deadlines set due_at_us = $3, basis_json = $4, last_fired_at = $2, \
     occurrences = occurrences + 1 where id = $1 and status = 'pending'";
pub(super) const LEASE: &str =
    "update deadlines set claimed_by = $2, lease_until_us = $3 where id = $1 and status = 'pending'";
/// Only the holder fires a leased row, and only once.
pub(super) const FIRE_LEASED: &str = "update deadlines set status = 'fired', fired_at = $3, last_fired_at = $3, \
     occurrences = occurrences + 1, lease_until_us = null where id = $1 and claimed_by = $2 and status = 'pending'";
/// A leased row is due again when its lease expires.
pub(super) const NEXT_DUE: &str = "select min(t) from (\
     select min(due_at_us) as t from deadlines where status = 'pending' and lease_until_us is null \
     union all select min(lease_until_us) as t from deadlines where status = 'pending' and lease_until_us is not null\
     ) as next";
pub(super) const DUE_BACKLOG: &str =
    "select count(*), min(due_at_us) from deadlines where status = 'pending' and due_at_us <= $1";
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
