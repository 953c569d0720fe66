//! Acts that are committed together: an act with the acts it causes on
//! linked records ([`Effect::Link`]), or acts a caller groups (an
//! adjustment's child and its parent's link). Each is stepped in order — a
//! later act on the same record sees the earlier one's state — and all are
//! written in one store transaction, or none.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use tokio::sync::MutexGuard;

use super::issue::{issue, Request};
use super::numbers::Floors;
use super::{Answering, Applied, Engine, NUMBER_ATTEMPTS};
use crate::act::Act;
use crate::actor::Actor;
use crate::audit::{self, AuditRecord};
use crate::calendar::WorkCalendar;
use crate::decision::Decision;
use crate::effect::Effect;
use crate::error::Error;
use crate::ledger::{LedgerWrite, Standing};
use crate::machine::{self, Context};
use crate::refusal::{Detail, Reason, Refusal};
use crate::store::idempotency::KeyCompletion;
use crate::store::scheduler::LeasedFiring;
use crate::store::{Assumed, DeadlineRow, DeadlineStatus, Loaded, OutboxMessage, StoreError, TransitionCommit};
use crate::warning::Warning;

/// One act of a group, on a record as loaded (or, for a new record, before its first act).
pub(super) struct Part {
    pub loaded: Loaded,
    pub act: Act,
    pub actor: Actor,
}

/// What one part's commit carries besides its act: the answer stored under
/// the request's idempotency key, and the deadline firing (lease and
/// notices) the act completes for the scheduler.
pub(super) struct Carried<'a> {
    pub part: usize,
    pub answering: Option<&'a Answering<'a>>,
    pub fires: Option<(&'a LeasedFiring, &'a [OutboxMessage])>,
    /// What the part's act took as read without reading its record (see `recent`), checked when it commits.
    pub assumed: Option<Assumed>,
}

impl<'a> Carried<'a> {
    /// For the first part: the request's answer, and nothing else.
    pub fn first(answering: Option<&'a Answering<'a>>) -> Self {
        Carried { part: 0, answering, fires: None, assumed: None }
    }
}

/// An act the transition function accepted, turned into rows but for its memos.
struct Stepped {
    before: Decision,
    next: Decision,
    act: Act,
    actor: Actor,
    warnings: Vec<Warning>,
    requested: Vec<(String, serde_json::Value)>,
    set_deadlines: Vec<DeadlineRow>,
    cancel_deadlines: Vec<String>,
    outbox: Vec<OutboxMessage>,
    ledger: Vec<LedgerWrite>,
}

/// The records a group touches: the state each is in after the acts stepped
/// so far, and the audit hash each had before the group.
#[derive(Default)]
struct Records {
    states: BTreeMap<String, Decision>,
    heads: BTreeMap<String, String>,
    /// How many opinions each record had received when read: its acts commit only while that still holds.
    opinions: BTreeMap<String, i64>,
    /// Records read with no opinion received: their acts need no read of the opinion ledger.
    quiet: BTreeSet<String>,
}

impl Records {
    fn current(&mut self, loaded: Loaded) -> Decision {
        match self.states.get(&loaded.decision.id) {
            Some(state) => state.clone(),
            None => {
                self.heads.insert(loaded.decision.id.clone(), loaded.last_hash);
                // A record not read from the store (a new one, never updated) counts none: an update on that
                // count fails if opinions exist rather than pass unseen.
                self.opinions.insert(loaded.decision.id.clone(), loaded.opinions.unwrap_or(0));
                if loaded.opinion_kinds == Some(0) {
                    self.quiet.insert(loaded.decision.id.clone());
                }
                loaded.decision
            }
        }
    }
}

impl Engine {
    /// Step `parts` in order, then the acts they link to (taken by the
    /// engine as `system`), and commit everything in one transaction. Any
    /// refusal refuses the whole group and nothing is written.
    pub(super) async fn commit_group(
        &self,
        parts: Vec<Part>,
        now: DateTime<Utc>,
        carried: Carried<'_>,
    ) -> Result<Vec<Applied>, Error> {
        let (steps, records) = self.step_group(parts, now).await?;
        self.write_group(&steps, &records, now, carried).await
    }

    /// Whether the group would be accepted — its linked acts included — without writing anything (a what-if).
    pub(super) async fn check_group(&self, parts: Vec<Part>, now: DateTime<Utc>) -> Result<(), Error> {
        self.step_group(parts, now).await.map(|_| ())
    }

    /// Step `parts` in order, then the acts they link to; the first refusal refuses the group.
    async fn step_group(&self, parts: Vec<Part>, now: DateTime<Utc>) -> Result<(Vec<Stepped>, Records), Error> {
        let mut records = Records::default();
        let mut steps = Vec::new();
        let mut links = Vec::new();
        // The first part was read from the store with the notice count, unless it is a new record.
        let calendar = self.calendar_as_of(parts.first().and_then(|p| p.loaded.calendar_notices)).await?;
        for Part { loaded, act, actor } in parts {
            let state = records.current(loaded);
            let quiet = records.quiet.contains(&state.id);
            let stepped = self.step_one(&state, act, actor, now, &calendar, quiet, &mut links).await?;
            records.states.insert(stepped.next.id.clone(), stepped.next.clone());
            steps.push(stepped);
        }
        for (target, act) in links {
            let state = match records.states.get(&target) {
                Some(state) => state.clone(),
                None => {
                    let loaded = self.store.load(&target).await?.ok_or_else(|| missing_link(&target, &act))?;
                    records.current(loaded)
                }
            };
            let mut further = Vec::new();
            let quiet = records.quiet.contains(&state.id);
            let stepped = self.step_one(&state, act, Actor::engine(), now, &calendar, quiet, &mut further).await?;
            if let Some((id, act)) = further.first() {
                // One level only: a linked act that links again would make the group unbounded.
                return Err(Error::Refused(Refusal::one(
                    Reason::new(
                        "linked_act_chain",
                        "Art. 33",
                        "联动行为不得再引起联动",
                        "a linked act cannot link again",
                    )
                    .with_detail(Detail::new(
                        format!("决策事项 {id} 的 `{}`", act.name),
                        format!("`{}` on {id}", act.name),
                    )),
                )));
            }
            records.states.insert(stepped.next.id.clone(), stepped.next.clone());
            steps.push(stepped);
        }
        Ok((steps, records))
    }

    /// Run the transition function on one act and turn its effects into rows. `quiet`: the record was read with
    /// no opinion received, so its opinion ledger stands empty without another read.
    #[allow(clippy::too_many_arguments)]
    async fn step_one(
        &self,
        state: &Decision,
        act: Act,
        actor: Actor,
        now: DateTime<Utc>,
        calendar: &WorkCalendar,
        quiet: bool,
        links: &mut Vec<(String, Act)>,
    ) -> Result<Stepped, Error> {
        let lw = self.loaded(&state.workflow_key, state.workflow_version)?;
        let pools = self.resolve_pools(&act.payload).await?;
        let ledger = if quiet { Standing::default() } else { self.standing(&state.id, &act).await? };
        let ctx = Context { workflow: &lw.workflow, calendar, pools: &pools, ledger: &ledger };
        let outcome = machine::step(ctx, state, &act, &actor, now).map_err(Error::Refused)?;
        let next = outcome.decision;
        let message = |role: &str, subject: String| OutboxMessage {
            id: uuid::Uuid::new_v4().to_string(),
            decision_id: next.id.clone(),
            recipient_role: role.to_string(),
            subject,
            created_at: now,
        };
        let mut s = Stepped {
            before: state.clone(),
            next: next.clone(),
            act,
            actor,
            warnings: outcome.warnings,
            requested: Vec::new(),
            set_deadlines: Vec::new(),
            cancel_deadlines: Vec::new(),
            outbox: Vec::new(),
            ledger: Vec::new(),
        };
        for effect in outcome.effects {
            match effect {
                Effect::RenderMemo { memo, data } => s.requested.push((memo, data)),
                Effect::SetDeadline(spec) => s.set_deadlines.push(DeadlineRow {
                    id: uuid::Uuid::new_v4().to_string(),
                    decision_id: next.id.clone(),
                    spec,
                    status: DeadlineStatus::Pending,
                    fired_at: None,
                }),
                Effect::CancelDeadline { name } => s.cancel_deadlines.push(name),
                Effect::Notify { role, subject } => s.outbox.push(message(role.as_str(), subject)),
                Effect::Link { decision_id, act } => links.push((decision_id, act)),
                Effect::Ledger(write) => s.ledger.push(write),
                // Opinions are written by the intake (`Engine::receive`), which refuses them here first.
                Effect::Receive(_) => return Err(Error::Refused(super::intake::not_an_opinion(&s.act.name))),
            }
        }
        for d in &s.set_deadlines {
            if let Some(role) = d.spec.notify {
                let subject = format!("deadline `{}` set for {}", d.spec.name, audit::format_instant(&d.spec.due_at));
                s.outbox.push(message(role.as_str(), subject));
            }
        }
        Ok(s)
    }

    /// Issue the memos and commit. Memos are rendered inside the act; a
    /// document number another act took meanwhile fails the commit (nothing
    /// written), and the memos are rendered again with the next free number.
    async fn write_group(
        &self,
        steps: &[Stepped],
        records: &Records,
        now: DateTime<Utc>,
        carried: Carried<'_>,
    ) -> Result<Vec<Applied>, Error> {
        // Within this process numbered acts take turns from reading the number to queueing the commit (see
        // `numbers`), so two acts never hold one number; only another replica's act, or a number left free by a
        // failed commit, fails a commit, and then we render again.
        let numbered = steps.iter().any(|s| {
            let Ok(lw) = self.loaded(&s.next.workflow_key, s.next.workflow_version) else { return false };
            s.requested.iter().any(|(memo, _)| lw.memos.manifest().series(memo, &s.next.facts.organ).is_some())
        });
        if numbered && carried.assumed.is_some() {
            // Not on a record taken unread (see `recent`): if that record had moved on, the failed commit would leave
            // its number free, and every act numbered after it here would render again. Read it, and step again.
            let decision_id = steps.get(carried.part).map(|s| s.next.id.clone()).unwrap_or_default();
            return Err(Error::Conflict { decision_id, current: None });
        }
        let no_floors = Floors::default();
        let mut attempt = 0;
        loop {
            let mut turn = if numbered { Some(self.numbering.turn().await) } else { None };
            let floors = turn.as_deref().unwrap_or(&no_floors);
            let mut hashes = records.heads.clone();
            let mut numbers = Vec::new();
            let mut commits = Vec::with_capacity(steps.len());
            let mut applied = Vec::with_capacity(steps.len());
            for s in steps {
                let memos = &self.loaded(&s.next.workflow_key, s.next.workflow_version)?.memos;
                // Boxed: in debug builds a deep chain of inline futures overflows test-thread stacks.
                let request = Request {
                    next: &s.next,
                    act: &s.act,
                    actor: &s.actor,
                    now,
                    requested: &s.requested,
                    taken: &numbers,
                    floors,
                };
                let issued = Box::pin(issue(memos, self.store.as_ref(), request)).await?;
                let prev = hashes.get(&s.next.id).cloned().unwrap_or_else(|| audit::GENESIS.into());
                let audit = AuditRecord::next(
                    &s.next.id,
                    s.next.version,
                    &s.act.name,
                    &s.before.stage,
                    &s.next.stage,
                    &s.actor,
                    now,
                    &s.act.payload,
                    issued.memos.iter().map(|m| m.sha256.clone()).collect(),
                    &prev,
                );
                hashes.insert(s.next.id.clone(), audit.hash.clone());
                numbers.extend(issued.numbers.iter().cloned());
                commits.push(TransitionCommit {
                    decision: s.next.clone(),
                    expected_version: s.before.version,
                    audit: audit.clone(),
                    memos: issued.memos.clone(),
                    set_deadlines: s.set_deadlines.clone(),
                    cancel_deadlines: s.cancel_deadlines.clone(),
                    outbox: s.outbox.clone(),
                    numbers: issued.numbers,
                    idempotency: None,
                    fires: None,
                    ledger: s.ledger.clone(),
                    sealed: None,
                    assumed: None,
                    opinions: records.opinions.get(&s.next.id).copied().unwrap_or(0),
                });
                applied.push(Applied {
                    decision: s.next.clone(),
                    audit,
                    memos: issued.memos,
                    deadlines: s.set_deadlines.clone(),
                    warnings: s.warnings.clone(),
                });
            }
            if let Some(c) = commits.get_mut(carried.part) {
                c.assumed = carried.assumed;
                // Stored with the acts, so a request whose acts committed always replays.
                c.idempotency = carried
                    .answering
                    .map(|a| KeyCompletion { held: a.held.clone(), response: (a.answer)(&applied[carried.part]) });
                if let Some((firing, notices)) = carried.fires {
                    c.fires = Some(firing.clone());
                    c.outbox.extend(notices.iter().cloned());
                }
            }
            if let Some(floors) = turn.as_deref_mut() {
                floors.hand_out(&numbers);
            }
            let result = self.send(commits, numbered, turn).await;
            if result.is_err() && numbered {
                self.numbering.turn().await.forget(&numbers);
            }
            match result {
                Err(StoreError::NumberTaken { .. }) if attempt < NUMBER_ATTEMPTS => {
                    attempt += 1;
                    // Another replica took the number: both read the next one afresh, and would collide again.
                    super::lost_race_pause(attempt).await;
                }
                Err(e) => return Err(e.into()),
                Ok(()) => {
                    // The records kept as last written are written anew (the caller keeps its own act's).
                    for s in steps {
                        self.recent.forget(&s.next.id);
                    }
                    return Ok(applied);
                }
            }
        }
    }

    /// Write a group's commits. An act alone shares a transaction with acts arriving meanwhile (group commit);
    /// a numbered one queues behind the numbered acts before it, and the next numbered act may take its turn as
    /// soon as it is queued. Acts that belong together are one transaction of their own, written in the turn.
    async fn send(
        &self,
        mut commits: Vec<TransitionCommit>,
        numbered: bool,
        turn: Option<MutexGuard<'_, Floors>>,
    ) -> Result<(), StoreError> {
        // Sealed here, by each caller at once, not in turn by the store's writer.
        for c in &mut commits {
            self.store.seal(c)?;
        }
        match <[TransitionCommit; 1]>::try_from(commits) {
            Ok([commit]) if numbered => {
                let lane = self.numbered.as_ref().unwrap_or(&self.group);
                let queued = lane.queue(&self.store, commit);
                drop(turn);
                lane.written(&self.store, queued).await
            }
            Ok([commit]) => self.group.commit(&self.store, commit).await,
            Err(commits) => self.store.commit_all(commits).await,
        }
    }
}

fn missing_link(target: &str, act: &Act) -> Error {
    Error::Refused(Refusal::one(
        Reason::new("linked_record_not_found", "Art. 33", "关联记录不存在", "the linked record does not exist")
            .with_detail(Detail::new(
                format!("决策事项 {target} 的 `{}`", act.name),
                format!("`{}` on {target}", act.name),
            )),
    ))
}
