//! The `Engine`: the one type callers use. It loads a decision, runs the
//! pure transition function, turns the effects into rows (memos rendered,
//! deadlines, outbox) and commits them with the audit record in one store
//! transaction. The API, the scheduler, the CLI and the demo all come here.

mod calendar;
mod group;
mod intake;
mod issue;
mod numbers;
mod recent;
mod server;
mod turns;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::act::Act;
use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::calendar::WorkCalendar;
use crate::decision::Decision;
use crate::definition::Workflow;
use crate::error::Error;
use crate::group_commit::GroupCommit;
use crate::memo::MemoSet;
use crate::procedure::facts::ExpertPool;
use crate::refusal::{Detail, Reason, Refusal};
use crate::store::idempotency::{KeyClaim, StoredResponse};
use crate::store::scheduler::LeasedFiring;
use crate::store::{Assumed, DeadlineRow, Loaded, OutboxMessage, Store, StoredMemo};
use crate::warning::Warning;
use calendar::LiveCalendar;
use group::{Carried, Part};
pub use intake::OpinionRequest;

/// One act asked of the engine: the record, the act, who asks and when (the server's clock, never the caller's),
/// the version the caller acted on, and the idempotency key's answer to store with the act.
#[derive(Clone, Copy)]
pub struct ActRequest<'a> {
    pub decision_id: &'a str,
    pub act: &'a Act,
    pub actor: &'a Actor,
    pub now: DateTime<Utc>,
    pub expected_version: Option<i64>,
    pub answering: Option<&'a Answering<'a>>,
}

impl<'a> ActRequest<'a> {
    /// `act` by `actor` on `decision_id` at `now`, on whatever version the record has, with no idempotency key.
    pub fn new(decision_id: &'a str, act: &'a Act, actor: &'a Actor, now: DateTime<Utc>) -> ActRequest<'a> {
        ActRequest { decision_id, act, actor, now, expected_version: None, answering: None }
    }

    /// Only on this version of the record (`None`: on the record as it is).
    pub fn expecting(self, expected_version: Option<i64>) -> ActRequest<'a> {
        ActRequest { expected_version, ..self }
    }

    /// Store the answer under the request's idempotency key, with the act.
    pub fn answering(self, answering: Option<&'a Answering<'a>>) -> ActRequest<'a> {
        ActRequest { answering, ..self }
    }
}

/// An Art. 37 adjustment to open ([`Engine::open_adjustment`]).
#[derive(Debug, Clone, Copy)]
pub struct AdjustmentRequest<'a> {
    pub child_id: &'a str,
    pub reason: &'a str,
    /// The child decision's first act (e.g. `submit_proposal`).
    pub first_act: &'a Act,
    /// Opened on the post-evaluation report's recommendation (PE-4).
    pub from_evaluation: bool,
}

/// An accepted act as committed.
#[derive(Debug, Clone)]
pub struct Applied {
    pub decision: Decision,
    pub audit: AuditRecord,
    pub memos: Vec<StoredMemo>,
    pub deadlines: Vec<DeadlineRow>,
    /// Warnings the act raised; they are in the decision's facts too.
    pub warnings: Vec<Warning>,
}

/// The request an act answers under an `Idempotency-Key`: the key its
/// request holds, and how the caller renders the answer to an accepted act,
/// which is stored with the act in its own transaction (so an act that
/// committed always replays).
pub struct Answering<'a> {
    pub held: KeyClaim,
    pub answer: &'a (dyn Fn(&Applied) -> StoredResponse + Send + Sync),
}

struct Loadedwf {
    workflow: Workflow,
    memos: MemoSet,
}

/// How often an act that named no version is stepped again after another replica's act on its record won.
const CONFLICT_ATTEMPTS: u32 = 16;

/// How often an act renders again after losing a document number to a concurrent act.
const NUMBER_ATTEMPTS: u32 = 16;

/// Replicas racing for one record, or for the next number of one series, would keep racing in step: a random pause,
/// growing with each lost race (`attempt`, from 1), lets one through.
async fn lost_race_pause(attempt: u32) {
    let ceiling = 1u64 << attempt.min(6);
    let pause = rand::Rng::gen_range(&mut rand::thread_rng(), 1..=ceiling);
    tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
}

pub struct Engine {
    workflows: BTreeMap<(String, u32), Loadedwf>,
    latest: BTreeMap<String, u32>,
    calendar: LiveCalendar,
    store: Arc<dyn Store>,
    group: GroupCommit,
    /// Acts that issue numbered documents, written by one writer in the order their numbers were handed out (see
    /// [`numbers`]); `None` where the store has one writer anyway, and `group` keeps that order.
    numbered: Option<GroupCommit>,
    /// Opinions from the public, group-committed apart from acts (see [`intake`]).
    intake_group: GroupCommit<crate::store::opinions::Incoming>,
    intake: intake::Intake,
    /// Held by an act that issues a numbered document, from reading its number to queueing its commit.
    numbering: numbers::Numbering,
    /// Acts on one record take turns in this process (see [`turns`]).
    turns: turns::Turns,
    /// The records acts committed last, for the next act on them (see [`recent`]).
    recent: recent::Recent,
}

impl Engine {
    pub fn new(workflows: Vec<Workflow>, calendar: WorkCalendar, store: Arc<dyn Store>) -> Result<Engine, Error> {
        let mut map = BTreeMap::new();
        let mut latest = BTreeMap::new();
        for w in workflows {
            let memos = MemoSet::load(&w.dir)?;
            let v = latest.entry(w.key.clone()).or_insert(w.version);
            *v = (*v).max(w.version);
            map.insert((w.key.clone(), w.version), Loadedwf { workflow: w, memos });
        }
        let writers = store.writers();
        let group = GroupCommit::with_writers(writers);
        Ok(Engine {
            workflows: map,
            latest,
            calendar: LiveCalendar::new(calendar),
            store,
            numbered: (writers > 1).then(|| group.beside(1)),
            group,
            // One batch of opinions at a time: each continues its consultation's hash chain from the last.
            intake_group: GroupCommit::default(),
            intake: Default::default(),
            numbering: Default::default(),
            turns: Default::default(),
            recent: Default::default(),
        })
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The memo templates of the latest version of a workflow.
    pub fn memos(&self, workflow_key: &str) -> Option<&MemoSet> {
        let version = self.latest.get(workflow_key)?;
        self.workflows.get(&(workflow_key.to_string(), *version)).map(|l| &l.memos)
    }

    /// The unit directory, with the 机关代字 the loaded memo templates print for their organs.
    pub fn units(&self) -> crate::units::Units {
        let mut codes = std::collections::BTreeMap::new();
        for l in self.workflows.values() {
            for (organ, code) in l.memos.manifest().organ_codes() {
                codes.entry(organ.to_string()).or_insert_with(|| code.to_string());
            }
        }
        crate::units::Units::new(self.store.clone()).with_organ_codes(codes)
    }

    /// How many acts group commit wrote in how many transactions.
    pub fn group_commit_counts(&self) -> &crate::store::BatchCounts {
        self.group.counts()
    }

    /// Acts that took their record as this process last committed it instead of reading it, and how many of those
    /// records had moved on (see [`recent`]): many stale ones mean replicas share records without routing.
    pub fn kept_record_counts(&self) -> (u64, u64) {
        self.recent.counts()
    }

    pub fn workflows(&self) -> impl Iterator<Item = &Workflow> {
        self.workflows.values().map(|l| &l.workflow)
    }

    fn loaded(&self, key: &str, version: u32) -> Result<&Loadedwf, Error> {
        self.workflows
            .get(&(key.to_string(), version))
            .ok_or_else(|| Error::UnknownWorkflow(format!("{key} v{version}")))
    }

    /// Start a new decision, `request.decision_id`, on the latest version of `workflow_key` with its first act.
    /// A new record has no version to expect: `request.expected_version` is not read.
    pub async fn open(&self, workflow_key: &str, request: ActRequest<'_>) -> Result<Applied, Error> {
        let ActRequest { decision_id: id, act, actor, now, answering, .. } = request;
        let started = std::time::Instant::now();
        let result = async {
            let version = *self.latest.get(workflow_key).ok_or_else(|| Error::UnknownWorkflow(workflow_key.into()))?;
            let wf = &self.loaded(workflow_key, version)?.workflow;
            let opened = Loaded::unwritten(Decision::new(id, workflow_key, version, &wf.start, now));
            self.commit(opened, act, actor, now, Carried::first(answering)).await
        }
        .await;
        // The first act is an act like any other: one log line, accepted or refused.
        log_applied(id, act, actor, started, &result);
        result
    }

    /// Art. 37: a published decision is amended or stopped only by a child
    /// decision that runs the procedure again (legality review and collective
    /// discussion included). The parent records the adjustment — its gates
    /// decide whether one may be opened now, and on a post-evaluation's
    /// recommendation (PE-4) — the child opens on the parent's workflow with
    /// its first act, and the parent's act records the origin on the child:
    /// all in one transaction, so no child exists without its parent's link. With `answering`, the answer (made
    /// from the child's first act) is stored under the request's idempotency key with the acts. Another act or an
    /// opinion on the parent between its read and the commit makes the parent read again, as for an act.
    pub async fn open_adjustment(
        &self,
        parent_id: &str,
        request: AdjustmentRequest<'_>,
        actor: &Actor,
        now: DateTime<Utc>,
        answering: Option<&Answering<'_>>,
    ) -> Result<(Applied, Applied), Error> {
        if request.child_id == parent_id {
            return Err(Error::Refused(Refusal::one(
                Reason::new("invalid_payload", "Art. 37", "调整应当另立决策事项", "an adjustment is a new decision")
                    .with_detail(Detail::new("调整决策需要自己的编号", "the child decision needs an id of its own")),
            )));
        }
        let _turn = self.turns.take(parent_id).await;
        let mut attempt = 0;
        loop {
            let parent = self.store.load(parent_id).await?.ok_or_else(|| Error::NotFound(parent_id.into()))?;
            let (key, version) = (parent.decision.workflow_key.clone(), parent.decision.workflow_version);
            let wf = &self.loaded(&key, version)?.workflow;
            let mut fresh = Decision::new(request.child_id, &key, version, &wf.start, now);
            fresh.parent = Some(parent_id.to_string());
            let link = Act::new(
                "record_adjustment",
                serde_json::json!({
                    "child_id": request.child_id, "reason": request.reason, "from_evaluation": request.from_evaluation,
                }),
            );
            let parts = vec![
                Part { loaded: parent, act: link, actor: actor.clone() },
                Part { loaded: Loaded::unwritten(fresh), act: request.first_act.clone(), actor: actor.clone() },
            ];
            let carried = Carried { part: 1, answering, fires: None, assumed: None };
            match self.commit_group(parts, now, carried).await {
                // Another replica's act on the parent, or an opinion on it (a published decision takes the public's
                // feedback), came between the read and the commit: the parent is read again, as `apply` does.
                Err(Error::Conflict { .. }) if attempt < CONFLICT_ATTEMPTS => {
                    attempt += 1;
                    lost_race_pause(attempt).await;
                }
                result => {
                    let mut applied = result?.into_iter();
                    return match (applied.next(), applied.next()) {
                        (Some(parent), Some(child)) => Ok((parent, child)),
                        _ => unreachable!("a group returns one result per part"),
                    };
                }
            }
        }
    }

    /// Apply an act to an existing decision. `request.expected_version`, when given, must match (a client acting
    /// on a stale view gets a conflict); with `request.answering`, the answer is stored under the request's
    /// idempotency key with the act. Every act accepted or refused here is one structured log line (target
    /// `juece::act`): the decision, the act, the actor, the outcome with its reason codes, and how long it took.
    /// Never the payload: it may hold what the law keeps from some readers.
    pub async fn apply(&self, request: ActRequest<'_>) -> Result<Applied, Error> {
        let ActRequest { decision_id, act, actor, now, expected_version, answering } = request;
        let started = std::time::Instant::now();
        // On the heap: with the record it may hold as kept and the one it reads, this future is large, and the
        // callers' futures hold it (debug builds overflow a test thread's stack otherwise).
        let result = Box::pin(async {
            if crate::ledger::Kind::of_act(&act.name).is_some() {
                return Err(Error::Refused(intake::not_an_opinion(&act.name)));
            }
            let _turn = self.turns.take(decision_id).await;
            let mut attempt = 0;
            // The record as this process's last act on it committed it, if kept and at the version the caller named.
            let mut kept =
                self.recent.take(decision_id).filter(|(l, _)| expected_version.is_none_or(|v| v == l.decision.version));
            // What an attempt on a kept record took as read, when it has to be stepped again on the stored one.
            let mut unread: Option<(i64, Assumed)> = None;
            // Held after a lost commit, until the act is done: this process's opinions on the record wait for it.
            let mut opinions_held = None;
            loop {
                let (loaded, assumed) = match kept.take() {
                    Some((loaded, assumed)) => (loaded, Some(assumed)),
                    None => {
                        let loaded = self.load_stored(decision_id).await?;
                        if unread.take().is_some_and(|(version, assumed)| !assumed.holds_for(&loaded, version)) {
                            self.recent.stale();
                        }
                        (loaded, None)
                    }
                };
                if expected_version.is_some_and(|v| v != loaded.decision.version) {
                    let current = Some(loaded.decision.version);
                    return Err(Error::Conflict { decision_id: decision_id.into(), current });
                }
                let version = loaded.decision.version;
                let read_with = (loaded.calendar_notices, loaded.opinion_kinds, loaded.opinions);
                match self.commit(loaded, act, actor, now, Carried { assumed, ..Carried::first(answering) }).await {
                    Ok(applied) => {
                        self.recent.keep(Loaded {
                            decision: applied.decision.clone(),
                            last_hash: applied.audit.hash.clone(),
                            calendar_notices: read_with.0,
                            opinion_kinds: read_with.1,
                            opinions: read_with.2,
                        });
                        return Ok(applied);
                    }
                    // Taken as this process last wrote it, the record had moved on (another replica's act, an
                    // opinion, a calendar notice), or the law refused the act on that state: step it again on the
                    // record as stored, which decides.
                    Err(Error::Conflict { .. } | Error::Refused(_)) if assumed.is_some() => {
                        unread = assumed.map(|a| (version, a));
                    }
                    // Another replica committed on this record first, or an opinion arrived on it after the act read
                    // it: the record is read again. A caller who named no version acted on the record as it is, not
                    // as they read it: the act is stepped again on the new state (and refused if the law now refuses
                    // it). A caller who named one is told if the version moved on, for they must look again (at the
                    // top of the loop); if only the opinions did, the act is stepped again on them.
                    Err(Error::Conflict { .. }) if attempt < CONFLICT_ATTEMPTS => {
                        attempt += 1;
                        // If opinions arriving failed it, a stream of them could fail every attempt.
                        opinions_held.get_or_insert_with(|| self.turns.hold_opinions(decision_id));
                        if expected_version.is_none() {
                            lost_race_pause(attempt).await;
                        }
                    }
                    // Lost a race while naming a version: say which version won.
                    Err(Error::Conflict { decision_id, current: None }) => {
                        let current = self.store.load(&decision_id).await?.map(|l| l.decision.version);
                        return Err(Error::Conflict { decision_id, current });
                    }
                    other => return other,
                }
            }
        })
        .await;
        log_applied(decision_id, act, actor, started, &result);
        result
    }

    /// The scheduler's auto-act: `act` applied by the system for the deadline
    /// it holds a lease on. The act's transaction also marks the deadline
    /// fired and queues `notices`, so both commit together or neither does;
    /// a holder whose lease was taken over gets [`crate::store::StoreError::LeaseLost`].
    pub async fn apply_due(
        &self,
        decision_id: &str,
        act: &Act,
        firing: &LeasedFiring,
        notices: &[OutboxMessage],
    ) -> Result<Applied, Error> {
        let _turn = self.turns.take(decision_id).await;
        // What an act here last committed is superseded by this one.
        self.recent.forget(decision_id);
        let loaded = self.load_stored(decision_id).await?;
        let carried = Carried { fires: Some((firing, notices)), ..Carried::first(None) };
        self.commit(loaded, act, &Actor::system(), firing.at, carried).await
    }

    /// Check an act without committing it (what-if for forms and tests).
    pub async fn check(&self, decision_id: &str, act: &Act, actor: &Actor, now: DateTime<Utc>) -> Result<(), Error> {
        let loaded = self.store.load(decision_id).await?.ok_or_else(|| Error::NotFound(decision_id.into()))?;
        // Stepped as `apply` steps it, the acts it would cause on linked records included, and nothing written.
        let part = Part { loaded, act: act.clone(), actor: actor.clone() };
        self.check_group(vec![part], now).await
    }

    async fn commit(
        &self,
        loaded: Loaded,
        act: &Act,
        actor: &Actor,
        now: DateTime<Utc>,
        carried: Carried<'_>,
    ) -> Result<Applied, Error> {
        let part = Part { loaded, act: act.clone(), actor: actor.clone() };
        // The act's own result comes first; acts it caused on linked records follow.
        let applied = self.commit_group(vec![part], now, carried).await?.into_iter().next();
        Ok(applied.expect("a group returns one result per part"))
    }

    /// The expert pool an act names (`"pool": "<id>"` in its payload) and
    /// its superiors' pools, read before the pure step (Art. 21: a decision
    /// organ without its own pool uses its superior's).
    async fn resolve_pools(&self, payload: &serde_json::Value) -> Result<Vec<(String, ExpertPool)>, Error> {
        let mut out = Vec::new();
        let mut next = payload.get("pool").and_then(|v| v.as_str()).map(str::to_string);
        while let Some(id) = next.take() {
            if out.len() >= 4 || out.iter().any(|(seen, _)| *seen == id) {
                break;
            }
            let Some(pool) = self.store.load(&id).await?.and_then(|l| l.decision.facts.pool) else { break };
            next = pool.superior.clone();
            out.push((id, pool));
        }
        Ok(out)
    }

    pub async fn load(&self, decision_id: &str) -> Result<Decision, Error> {
        Ok(self.load_stored(decision_id).await?.decision)
    }

    /// The record as stored, with what is read with it.
    async fn load_stored(&self, decision_id: &str) -> Result<Loaded, Error> {
        self.store.load(decision_id).await?.ok_or_else(|| Error::NotFound(decision_id.into()))
    }

    /// Claim up to `limit` deadlines due at `now` and fire them (see
    /// [`crate::scheduler`]): recurring ones are re-armed and notices queued
    /// in the claim's transaction; auto-acts go through the same transition
    /// function as every other act. Returns what fired.
    pub async fn fire_due(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<crate::scheduler::Firing>, Error> {
        crate::scheduler::fire_batch(self, now, limit, crate::scheduler::SchedulerConfig::default().lease).await
    }
}

/// Verification lives in [`crate::verify`]; these names stay for callers.
pub use crate::verify::{verify_store, VerifyReport};

/// The one log line of an act taken through [`Engine::apply`] (or of an opinion through the intake, whose
/// `accepted` line says what was written): never its payload.
fn log_act<T>(
    decision_id: &str,
    act: &Act,
    actor: &Actor,
    started: std::time::Instant,
    result: &Result<T, Error>,
    accepted: impl FnOnce(&T, f64),
) {
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok(done) => accepted(done, ms),
        Err(Error::Refused(r)) => {
            let codes: Vec<&str> = r.reasons.iter().map(|x| x.reason_code.as_str()).collect();
            tracing::info!(target: "juece::act", decision = decision_id, act = %act.name,
                actor = %actor.user_id, reasons = %codes.join(","), ms, "refused")
        }
        Err(e) => tracing::warn!(target: "juece::act", decision = decision_id, act = %act.name,
            actor = %actor.user_id, error = %e, ms, "failed"),
    }
}

/// The accepted line of an act.
fn log_applied(
    decision_id: &str,
    act: &Act,
    actor: &Actor,
    started: std::time::Instant,
    result: &Result<Applied, Error>,
) {
    log_act(decision_id, act, actor, started, result, |a, ms| {
        tracing::info!(target: "juece::act", decision = decision_id, act = %act.name,
            actor = %actor.user_id, version = a.decision.version, ms, "accepted")
    });
}
