//! The intake of the public's opinions. An opinion is checked by the same transition function as every act
//! (the period running, the matter disclosable, the text readable), on the decision as this process last read
//! it, then written as a row of its own, group-committed with the opinions arriving at the same time
//! ([`crate::group_commit`]). The row is written only if the decision is still at the version it was checked
//! against, in the same transaction: if the period closed meanwhile, the opinion is checked again on the
//! decision as it is now, and refused with the period's end in the error. The caller's answer comes after the
//! row is durable, never before.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};

use super::Engine;
use crate::act::Act;
use crate::actor::{Actor, Role};
use crate::decision::Decision;
use crate::effect::Effect;
use crate::error::Error;
use crate::ledger::cluster::Fingerprint;
use crate::ledger::{new_receipt, Kind, Opinion, Standing, Submission, Targets};
use crate::machine::{self, Context};
use crate::refusal::{Reason, Refusal};
use crate::store::idempotency::KeyClaim;
use crate::store::opinions::{AnswerFn, Incoming};
use crate::store::{OutboxMessage, StoreError};

/// Decisions kept read: the busiest consultations at once, far more than ever run together.
const CACHED: usize = 1024;

/// How often an opinion is checked again after its decision moved on while it was being written.
const ATTEMPTS: u32 = 8;

/// One opinion asked of the intake: the decision, the act (`receive_comment`, `submit_feedback`,
/// `suggest_hearing`), who sends it and when (the server's clock), and how to answer the request under its
/// idempotency key, stored with the row.
pub struct OpinionRequest<'a> {
    pub decision_id: &'a str,
    pub act: &'a Act,
    pub actor: &'a Actor,
    pub now: DateTime<Utc>,
    pub answer: Option<(KeyClaim, AnswerFn)>,
}

/// The decisions the intake last read. Correctness never depends on it: every row is written only against
/// the version it was checked on.
#[derive(Default)]
pub(super) struct Intake {
    read: Mutex<HashMap<String, Arc<Decision>>>,
}

impl Intake {
    fn get(&self, id: &str) -> Option<Arc<Decision>> {
        self.read.lock().unwrap_or_else(PoisonError::into_inner).get(id).cloned()
    }

    fn put(&self, d: Arc<Decision>) {
        let mut read = self.read.lock().unwrap_or_else(PoisonError::into_inner);
        if read.len() >= CACHED {
            read.clear();
        }
        read.insert(d.id.clone(), d);
    }

    fn forget(&self, id: &str) {
        self.read.lock().unwrap_or_else(PoisonError::into_inner).remove(id);
    }
}

impl Engine {
    /// Take an opinion from the public and write it; the answer is the stored row, with its number and receipt.
    pub async fn receive(&self, request: OpinionRequest<'_>) -> Result<Opinion, Error> {
        let OpinionRequest { decision_id, act, actor, now, answer } = request;
        let started = std::time::Instant::now();
        let result = async {
            let Some(kind) = Kind::of_act(&act.name) else {
                return Err(Error::Refused(not_an_opinion(&act.name)));
            };
            let mut attempt = 0;
            loop {
                // An act on the record whose commit opinions kept failing holds them (see `turns`): this one is
                // checked once the act is done, on the record as the act left it.
                if self.turns.opinions_wait(decision_id).await {
                    self.intake.forget(decision_id);
                }
                let decision = match self.intake.get(decision_id) {
                    Some(d) => d,
                    None => {
                        let loaded = self.store.load(decision_id).await?;
                        let d = Arc::new(loaded.ok_or_else(|| Error::NotFound(decision_id.into()))?.decision);
                        self.intake.put(d.clone());
                        d
                    }
                };
                let submission = self.check_opinion(&decision, act, actor, now).await?;
                let incoming = Incoming {
                    decision_id: decision_id.to_string(),
                    checked_version: decision.version,
                    fingerprint: Fingerprint::of(&submission.content),
                    receipt: new_receipt(kind),
                    notify_at: self.threshold_notice(&decision, kind, now),
                    submission,
                    // As stored: to the microsecond, the precision of every instant on record.
                    received_at: chrono::SubsecRound::trunc_subsecs(now, 6),
                    answer: answer.clone(),
                };
                match self.intake_group.commit(&self.store, incoming).await {
                    Err(StoreError::Conflict { .. }) if attempt < ATTEMPTS => {
                        attempt += 1;
                        self.intake.forget(decision_id);
                    }
                    Err(StoreError::Conflict { .. }) => {
                        self.intake.forget(decision_id);
                        return Err(Error::Conflict { decision_id: decision_id.into(), current: None });
                    }
                    other => return Ok(other?),
                }
            }
        }
        .await;
        // One log line per opinion, as for an act: never its text or its sender.
        super::log_act(decision_id, act, actor, started, &result, |o, ms| {
            tracing::info!(target: "juece::act", decision = decision_id, act = %act.name,
                actor = %actor.user_id, seq = o.seq, ms, "received")
        });
        result
    }

    /// The transition function's answer on the opinion: what to write, or the refusal.
    async fn check_opinion(
        &self,
        decision: &Decision,
        act: &Act,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Submission, Error> {
        let lw = self.loaded(&decision.workflow_key, decision.workflow_version)?;
        // An opinion's checks compute no date (the period's end is in the notice) and read no tally: the intake
        // asks the store for neither on each opinion.
        let calendar = self.calendar();
        let ledger = Standing::default();
        let ctx = Context { workflow: &lw.workflow, calendar: &calendar, pools: &[], ledger: &ledger };
        let outcome = machine::step(ctx, decision, act, actor, now).map_err(Error::Refused)?;
        outcome
            .effects
            .into_iter()
            .find_map(|e| match e {
                Effect::Receive(s) => Some(s),
                _ => None,
            })
            .ok_or_else(|| Error::Refused(not_an_opinion(&act.name)))
    }

    /// Feedback reaching the procedure's threshold tells the general office to consider a post-evaluation
    /// (Art. 36(1)(2)); it never starts one by itself.
    fn threshold_notice(&self, d: &Decision, kind: Kind, now: DateTime<Utc>) -> Option<(i64, OutboxMessage)> {
        let threshold = self
            .loaded(&d.workflow_key, d.workflow_version)
            .ok()?
            .workflow
            .parameters
            .post_evaluation_feedback_threshold;
        (kind == Kind::Feedback && threshold > 0).then(|| {
            let subject = format!("公众意见已达{threshold}条，请决定是否组织决策后评估：{}", d.facts.title);
            let message = OutboxMessage {
                id: uuid::Uuid::new_v4().to_string(),
                decision_id: d.id.clone(),
                recipient_role: Role::GeneralOffice.as_str().to_string(),
                subject,
                created_at: now,
            };
            (i64::from(threshold), message)
        })
    }

    /// The tallies of a decision's opinions and the opinion an act names, for the act's step.
    pub(super) async fn standing(&self, decision_id: &str, act: &Act) -> Result<Standing, Error> {
        Ok(self.store.standing(decision_id, &Targets::of(&act.name, &act.payload)).await?)
    }
}

/// An act that is not an opinion asked of the intake, or an opinion asked of `apply`: each has its own way in.
pub(super) fn not_an_opinion(act: &str) -> Refusal {
    let (zh, en) = match Kind::of_act(act) {
        Some(_) => ("公众意见经意见受理入口提交", "opinions from the public go through the intake (`Engine::receive`)"),
        None => ("该行为不是公众意见", "this act is not an opinion from the public"),
    };
    Refusal::one(
        Reason::new("invalid_act_route", "Art. 15", zh, en)
            .with_detail(crate::refusal::Detail::new(format!("行为 `{act}`"), format!("act `{act}`"))),
    )
}
