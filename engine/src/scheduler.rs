//! The scheduler: a loop that fires due deadlines through the engine.
//!
//! * **Never early.** A claim takes only rows with `due_at <= now`, `now`
//!   read from an injected [`Clock`]; a re-armed occurrence is strictly later
//!   than the one that fired.
//! * **Once.** Claims are atomic in the store (one writer on SQLite,
//!   `for update skip locked` on PostgreSQL), and finishing or re-arming a row
//!   is written in the claim's transaction, so no occurrence is claimed twice
//!   by any number of replicas.
//! * **Catch-up.** After downtime every overdue row is due; batches are taken
//!   earliest first, so missed deadlines fire once each, in due order. A
//!   recurring series that missed several occurrences fires once and is
//!   re-armed to its next working-day occurrence after `now`.
//! * **No long sleeps.** The loop sleeps until the earliest pending instant
//!   or [`SchedulerConfig::max_sleep`], whichever is sooner, so a deadline
//!   set while it sleeps, a clock change or a far deadline never holds it.
//!
//! Recurring kinds (reminder, escalation, periodic) go on "while the
//! condition holds": the condition is the row itself. The act that resolves
//! it cancels the deadline by name in its own transaction (the definition's
//! `cancel_deadlines`), and a series is re-armed in place, so the cancel
//! catches it whichever of the two commits first.
//!
//! Auto-acts are crash-safe and still applied once. Their claim does not
//! finish the row: it takes a lease ([`SchedulerConfig::lease`]) and commits.
//! The act then goes through the one transition function
//! ([`Engine::apply_due`], actor = the system, audited like every act), and
//! its transaction marks the row fired, guarded by the lease's holder. If the
//! process dies in between, the lease expires and another scheduler claims
//! the row again; a holder that comes back late finds its lease taken and
//! its commit is refused, so the act is applied exactly once. A concurrent
//! act's conflict is retried on the fresh state; an act the engine refuses
//! (the procedure moved on) finishes the row with a notice saying why.

pub mod clock;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;

use crate::act::Act;
use crate::audit::format_instant;
use crate::definition::{DeadlineDef, DeadlineKind};
use crate::error::Error;
use crate::orchestrator::Engine;
use crate::procedure::deadline::next_working_occurrence;
use crate::store::scheduler::{AfterClaim, FirePlan, Fired, Lease, LeasedFiring};
use crate::store::{DeadlineRow, OutboxMessage};

pub use clock::{Clock, ManualClock, SystemClock};

/// How often an auto-act that lost a race with a person's act is retried.
const CONFLICT_RETRIES: usize = 3;

#[derive(Debug, Clone)]
pub struct SchedulerConfig {
    /// Deadlines claimed per transaction.
    pub batch: i64,
    /// The longest the loop sleeps, whatever is pending.
    pub max_sleep: Duration,
    /// The pause after a database error before the next attempt.
    pub error_backoff: Duration,
    /// How long a claimed auto-act is held: after a crash between claim and
    /// act, another scheduler may claim it once this has passed. Far longer
    /// than an act takes; a shorter one only costs a refused second attempt.
    pub lease: Duration,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        SchedulerConfig {
            batch: 100,
            max_sleep: Duration::from_millis(500),
            error_backoff: Duration::from_secs(1),
            lease: Duration::from_secs(60),
        }
    }
}

/// One occurrence fired, and the outcome of its auto-act if it has one.
#[derive(Debug)]
pub struct Firing {
    pub fired: Fired,
    /// `None` for deadlines without an act.
    pub act: Option<Result<(), Error>>,
}

/// What the scheduler tells about its work, for monitoring: the server exports it as Prometheus metrics, the
/// engine knows nothing of how it is shown. Called after the claim's transaction committed.
pub trait SchedulerObserver: Send + Sync {
    /// An occurrence of `kind` fired `lag` after it fell due (never negative: nothing fires early).
    fn fired(&self, kind: DeadlineKind, lag: Duration);
    /// An auto-act fired and was not applied: the refusal's `reason_code`, or the kind of error (retried later).
    fn act_not_applied(&self, reason: &str);
    /// Claiming due deadlines failed (the database); the scheduler backs off and tries again.
    fn claim_failed(&self);
}

pub struct Scheduler {
    engine: Arc<Engine>,
    clock: Arc<dyn Clock>,
    config: SchedulerConfig,
    observer: Option<Arc<dyn SchedulerObserver>>,
}

impl Scheduler {
    pub fn new(engine: Arc<Engine>, clock: Arc<dyn Clock>) -> Scheduler {
        Scheduler { engine, clock, config: SchedulerConfig::default(), observer: None }
    }

    pub fn with_observer(mut self, observer: Arc<dyn SchedulerObserver>) -> Scheduler {
        self.observer = Some(observer);
        self
    }

    pub fn with_config(mut self, config: SchedulerConfig) -> Scheduler {
        self.config = config;
        self
    }

    /// Fire everything due at the clock's `now`, batch after batch, in due order.
    pub async fn tick(&self) -> Result<Vec<Firing>, Error> {
        let now = self.clock.now();
        // A notice another replica loaded re-arms series on the calendar it makes.
        self.engine.fresh_calendar().await?;
        let mut all = Vec::new();
        loop {
            let batch = fire_batch(&self.engine, now, self.config.batch, self.config.lease).await?;
            self.observe(&batch);
            let full = batch.len() as i64 >= self.config.batch;
            all.extend(batch);
            if !full {
                return Ok(all);
            }
        }
    }

    fn observe(&self, batch: &[Firing]) {
        let Some(o) = &self.observer else { return };
        let now = self.clock.now();
        for f in batch {
            let d = &f.fired.deadline.spec;
            o.fired(d.kind, (now - d.due_at).to_std().unwrap_or(Duration::ZERO));
            match &f.act {
                Some(Err(Error::Refused(r))) => o.act_not_applied(r.reason_code()),
                Some(Err(Error::Conflict { .. })) => o.act_not_applied("conflict"),
                Some(Err(_)) => o.act_not_applied("error"),
                _ => {}
            }
        }
    }

    /// Run until `stop` is cancelled.
    pub async fn run(&self, stop: CancellationToken) {
        tracing::info!("scheduler started");
        while !stop.is_cancelled() {
            let wait = match self.tick().await {
                Ok(fired) => {
                    for f in &fired {
                        log_firing(f);
                    }
                    self.wait(!fired.is_empty()).await
                }
                Err(e) => {
                    tracing::warn!(error = %e, "scheduler: claiming due deadlines failed");
                    if let Some(o) = &self.observer {
                        o.claim_failed();
                    }
                    self.config.error_backoff
                }
            };
            tokio::select! {
                _ = self.clock.sleep(wait) => {}
                _ = stop.cancelled() => break,
            }
        }
        tracing::info!("scheduler stopped");
    }

    /// How long to sleep: until the earliest pending instant, capped.
    async fn wait(&self, fired_some: bool) -> Duration {
        let cap = self.config.max_sleep;
        match self.engine.store().next_due().await {
            Ok(Some(due)) => {
                let ahead = (due - self.clock.now()).to_std().unwrap_or(Duration::ZERO);
                // Due already but not claimed: another replica holds it. Do not spin.
                let floor = if fired_some { Duration::ZERO } else { Duration::from_millis(10) };
                ahead.clamp(floor, cap.max(floor))
            }
            Ok(None) => cap,
            Err(e) => {
                tracing::warn!(error = %e, "scheduler: reading the next due instant failed");
                self.config.error_backoff
            }
        }
    }
}

fn log_firing(f: &Firing) {
    let d = &f.fired.deadline;
    let due = format_instant(&d.spec.due_at);
    match &f.act {
        Some(Err(e)) => tracing::warn!(decision = %d.decision_id, deadline = %d.spec.name, %due, error = %e,
            "deadline fired; its act was not applied"),
        _ => tracing::info!(decision = %d.decision_id, deadline = %d.spec.name, %due, "deadline fired"),
    }
}

/// Claim one batch due at `now`, finish or re-arm each row with its notices
/// in the claim's transaction (auto-acts: lease it for `lease`), then apply
/// the auto-acts.
pub async fn fire_batch(
    engine: &Engine,
    now: DateTime<Utc>,
    limit: i64,
    lease: Duration,
) -> Result<Vec<Firing>, Error> {
    let plan = |d: &DeadlineRow, now: DateTime<Utc>| plan(engine, d, now, lease);
    let fired = engine.store().fire_due_planned(now, limit, &plan).await?;
    let mut out = Vec::with_capacity(fired.len());
    for f in fired {
        let act = match (&f.deadline.spec.act, &f.lease) {
            (Some(name), Some(lease)) => Some(apply_auto_act(engine, &f.deadline, name, lease, now).await),
            _ => None,
        };
        out.push(Firing { fired: f, act });
    }
    Ok(out)
}

async fn apply_auto_act(
    engine: &Engine,
    d: &DeadlineRow,
    name: &str,
    lease: &Lease,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let act = Act::new(name, serde_json::json!({}));
    let firing = LeasedFiring { deadline_id: d.id.clone(), holder: lease.holder.clone(), at: now };
    let mut attempt = 0;
    loop {
        match engine.apply_due(&d.decision_id, &act, &firing, &outbox(d, now, notice(engine, d))).await {
            Err(Error::Conflict { .. }) if attempt < CONFLICT_RETRIES => attempt += 1,
            // The engine will never apply it (the procedure moved on, or the
            // decision is gone): the deadline has fired all the same, and its
            // role is told why nothing was done. Other errors keep the lease,
            // so the act is tried again when it expires.
            Err(e @ (Error::Refused(_) | Error::NotFound(_) | Error::UnknownWorkflow(_))) => {
                let told = outbox(d, now, format!("{}; not applied: {e}", notice(engine, d)));
                if let Err(fe) = engine.store().finish_leased(&firing, &told).await {
                    tracing::warn!(deadline = %d.id, error = %fe, "finishing a refused auto-act failed; retried later");
                }
                return Err(e);
            }
            other => return other.map(|_| ()),
        }
    }
}

/// What firing `d` at `now` writes: the next occurrence of a recurring kind
/// and the notice to its role; for an auto-act only a lease, its notice
/// going with the act (a claim may be repeated after a crash, the act not).
fn plan(engine: &Engine, d: &DeadlineRow, now: DateTime<Utc>, lease: Duration) -> FirePlan {
    if d.spec.act.is_some() {
        // A lease too long for chrono is a configuration mistake: a day is long enough for any act.
        let span = chrono::Duration::from_std(lease).unwrap_or_else(|_| chrono::Duration::days(1));
        let until = now.checked_add_signed(span).unwrap_or(now);
        let lease = Lease { holder: uuid::Uuid::new_v4().to_string(), until };
        return FirePlan { then: AfterClaim::Lease(lease), outbox: Vec::new() };
    }
    let recurring = matches!(d.spec.kind, DeadlineKind::Reminder | DeadlineKind::Escalation | DeadlineKind::Periodic);
    let then = match recurring.then(|| rearm(engine, d, now)).flatten() {
        Some((next, basis)) => AfterClaim::Rearm(next, basis),
        None => AfterClaim::Finish,
    };
    FirePlan { then, outbox: outbox(d, now, notice(engine, d)) }
}

/// The notice of a firing to the deadline's role, if it names one.
fn outbox(d: &DeadlineRow, now: DateTime<Utc>, subject: String) -> Vec<OutboxMessage> {
    d.spec
        .notify
        .map(|role| OutboxMessage {
            id: uuid::Uuid::new_v4().to_string(),
            decision_id: d.decision_id.clone(),
            recipient_role: role.as_str().into(),
            subject,
            created_at: now,
        })
        .into_iter()
        .collect()
}

fn notice(engine: &Engine, d: &DeadlineRow) -> String {
    // The law reads its periods in China Standard Time, to 24:00 of the last day.
    let (due_zh, due_en) = (crate::calendar::cst::zh(d.spec.due_at), crate::calendar::cst::en(d.spec.due_at));
    let name = &d.spec.name;
    let def = definitions(engine, name).next();
    let (zh, en) = def.map_or((name.as_str(), name.as_str()), |def| (def.zh.as_str(), def.en.as_str()));
    match (d.spec.kind, &d.spec.act) {
        (DeadlineKind::Reminder, _) => {
            format!("提醒：{zh}（截至{due_zh}） / reminder: {en} (`{name}`, occurrence due {due_en})")
        }
        (DeadlineKind::Escalation, _) => {
            format!("督办：{zh}（截至{due_zh}） / escalation: {en} (`{name}`, occurrence due {due_en})")
        }
        (DeadlineKind::Periodic, _) => {
            format!("定期事项：{zh}（截至{due_zh}） / periodic duty: {en} (`{name}`, due {due_en})")
        }
        (_, Some(act)) => {
            format!("期限届满：{zh}（截至{due_zh}） / deadline: {en} (`{name}`, due {due_en}); applying `{act}`")
        }
        _ => format!("期限届满：{zh}（截至{due_zh}） / deadline: {en} (`{name}`, due {due_en})"),
    }
}

/// The next working-day occurrence after both `now` and the occurrence that
/// fired, from the schedule recorded in the row's basis (or, for rows set
/// before it was recorded, the one definition that names the deadline).
fn rearm(engine: &Engine, d: &DeadlineRow, now: DateTime<Utc>) -> Option<(DateTime<Utc>, serde_json::Value)> {
    let source = match d.spec.basis.get("cron").and_then(|c| c.as_str()) {
        Some(s) => s.to_string(),
        None => definition_cron(engine, &d.spec.name)?,
    };
    let schedule: cron::Schedule = match source.parse() {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(deadline = %d.id, error = %e, "recurring deadline has an unreadable schedule; not re-armed");
            return None;
        }
    };
    let cal = engine.calendar();
    let Some(next) = next_working_occurrence(&schedule, &cal, now.max(d.spec.due_at)) else {
        tracing::warn!(deadline = %d.id, "recurring deadline has no working-day occurrence ahead; not re-armed");
        return None;
    };
    let mut basis = d.spec.basis.clone();
    if let Some(obj) = basis.as_object_mut() {
        obj.insert("cron".into(), serde_json::json!(source));
        obj.insert(
            "rearmed".into(),
            serde_json::json!({
                "rule": "next working-day occurrence of cron (China Standard Time)",
                "after": format_instant(&now.max(d.spec.due_at)),
                "previous_due": format_instant(&d.spec.due_at),
                "calendar_version": cal.version(),
                "provisional": cal.is_provisional(next.with_timezone(&chrono_tz::Asia::Shanghai).date_naive()),
            }),
        );
    }
    Some((next, basis))
}

/// Every loaded definition of the deadline `name` (a family member is described as its family is).
fn definitions<'a>(engine: &'a Engine, name: &'a str) -> impl Iterator<Item = &'a DeadlineDef> {
    let definition = crate::procedure::deadline::family::definition_name(name);
    engine.workflows().filter_map(move |w| w.deadlines.get(definition))
}

/// The schedule of `name` when every loaded definition that has it agrees.
fn definition_cron(engine: &Engine, name: &str) -> Option<String> {
    let mut found = definitions(engine, name).filter_map(|d| d.cron.as_ref().map(|c| c.source().to_string()));
    let first = found.next()?;
    found.all(|c| c == first).then_some(first)
}
