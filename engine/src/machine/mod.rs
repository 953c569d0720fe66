//! The transition function. [`step`] is pure — no IO, no clock read: given
//! the workflow, a decision's state, an act, its actor and the time, it
//! returns the accepted outcome (new state and effects) or a refusal. The
//! API, the scheduler, the CLI and the demo all go through it, so there is
//! one place where a transition is applied.

mod access;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};

use crate::act::Act;
use crate::actor::Actor;
use crate::acts::{self, HandlerCtx};
use crate::calendar::WorkCalendar;
use crate::deadline;
use crate::decision::Decision;
use crate::definition::Workflow;
use crate::effect::Effect;
use crate::facts::{Applicability, ExpertPool};
use crate::gates::{self, GateCtx};
use crate::refusal::{Reason, Refusal};
use crate::warning::Warning;

/// What the transition function reads besides the decision.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub workflow: &'a Workflow,
    pub calendar: &'a WorkCalendar,
    /// The expert pools an act names (its own first, then its superiors'),
    /// read by the orchestrator beforehand so that `step` stays pure.
    pub pools: &'a [(String, ExpertPool)],
}

/// An accepted act.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub decision: Decision,
    pub effects: Vec<Effect>,
    /// Warnings the act raised (also recorded in the decision's facts).
    pub warnings: Vec<Warning>,
}

pub fn step(
    ctx: Context<'_>,
    state: &Decision,
    act: &Act,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Outcome, Refusal> {
    let wf = ctx.workflow;
    let Some(def) = wf.acts.get(&act.name) else {
        return Err(Refusal::one(
            Reason::new("unknown_act", "Art. 6", "本程序没有该行为", "this procedure has no such act")
                .with_detail(act.name.clone()),
        ));
    };
    if !def.stages.contains(&state.stage) {
        return Err(Refusal::one(
            Reason::new(
                "act_not_allowed_in_stage",
                &def.article,
                "当前阶段不允许该行为",
                "this act is not allowed in the current stage",
            )
            .with_detail(format!("act `{}` in stage `{}`", act.name, state.stage)),
        ));
    }
    access::check(def, state, act, actor)?;
    check_skips(ctx, def, state)?;

    let mut facts = state.facts.clone();
    let mut effects = Vec::new();
    let mut memo_data = None;
    let mut notices = Vec::new();
    let handler = acts::lookup(&def.handler).ok_or_else(|| {
        Refusal::one(Reason::new("unknown_act", &def.article, "未知的行为处理器", "unknown act handler"))
    })?;
    handler(&mut HandlerCtx {
        facts: &mut facts,
        payload: &act.payload,
        actor,
        now,
        params: &wf.parameters,
        calendar: ctx.calendar,
        article: &def.article,
        memo_data: &mut memo_data,
        pools: ctx.pools,
        decision_id: &state.id,
        notices: &mut notices,
    })
    .map_err(Refusal::one)?;

    let gate_ctx = GateCtx {
        before: &state.facts,
        after: &facts,
        payload: &act.payload,
        actor,
        now,
        params: &wf.parameters,
        calendar: ctx.calendar,
        workflow: wf,
        pools: ctx.pools,
    };
    let reasons: Vec<Reason> = def
        .gates
        .iter()
        .filter_map(|code| wf.gates.get(code))
        .filter_map(|g| gates::evaluate(g, &gate_ctx).err())
        .collect();
    if !reasons.is_empty() {
        return Err(Refusal { reasons });
    }
    // Warnings never refuse: each one that fires is recorded with the act.
    let seq = state.version + 1;
    let warnings: Vec<Warning> = def
        .warnings
        .iter()
        .filter_map(|code| wf.warnings.get(code))
        .filter_map(|w| gates::evaluate(w, &gate_ctx).err())
        .map(|r| Warning::raised(r, &act.name, seq, now))
        .collect();
    facts.warnings.extend(warnings.iter().cloned());

    let mut next = state.clone();
    next.facts = facts;
    next.version = seq;
    next.updated_at = now;
    if let Some(to) = &def.to {
        next.stage = to.clone();
    }
    effects.extend(notices);
    if let Some(memo) = &def.memo {
        let data = memo_data.unwrap_or_else(|| serde_json::json!({}));
        effects.push(Effect::RenderMemo { memo: memo.clone(), data });
    }
    effects.extend(deadline::family::act_effects(wf, def, &state.facts, &next.facts, ctx.calendar, now));
    Ok(Outcome { decision: next, effects, warnings })
}

/// Whether `actor` may take the act `def` on `state` as far as role, unit and
/// assignment go (the "what can I do here" list; gates are not evaluated).
pub fn permitted(def: &crate::definition::ActDef, state: &Decision, actor: &Actor) -> bool {
    let probe = Act::new(&def.name, serde_json::json!({ "expert_id": actor.user_id }));
    access::check(def, state, &probe, actor).is_ok()
}

/// An act that passes over a conditional stage needs a recorded
/// determination that the stage does not apply, and the jurisdiction must
/// not have made that stage always applicable.
fn check_skips(ctx: Context<'_>, def: &crate::definition::ActDef, state: &Decision) -> Result<(), Refusal> {
    let mut reasons = Vec::new();
    for kind in &def.skips {
        let name = kind.as_str();
        if ctx.workflow.parameters.always_applicable.contains(name) {
            reasons.push(
                Reason::new(
                    "profile_stage_always_applicable",
                    kind.article(),
                    "本地规定该阶段必须进行",
                    "the jurisdiction profile makes this stage always applicable",
                )
                .with_detail(name),
            );
            continue;
        }
        let determined = state
            .facts
            .determination(name)
            .is_some_and(|d| matches!(d.outcome, Applicability::NotApplicable | Applicability::AlreadyDone));
        if !determined {
            reasons.push(
                Reason::new(
                    "applicability_not_determined",
                    kind.article(),
                    "未记录该阶段不适用的判断，不得跳过",
                    "a conditional stage cannot be skipped without a recorded determination that it does not apply",
                )
                .with_detail(name),
            );
        }
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(Refusal { reasons })
    }
}
