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
use crate::calendar::WorkCalendar;
use crate::decision::Decision;
use crate::definition::{StageKind, Workflow};
use crate::effect::Effect;
use crate::ledger::Standing;
use crate::procedure::acts::{self, HandlerCtx};
use crate::procedure::deadline;
use crate::procedure::facts::{Applicability, ExpertPool};
use crate::procedure::gates::{self, GateCtx};
use crate::refusal::{Detail, Reason, Refusal};
use crate::warning::Warning;

/// What the transition function reads besides the decision.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub workflow: &'a Workflow,
    pub calendar: &'a WorkCalendar,
    /// The expert pools an act names (its own first, then its superiors'),
    /// read by the orchestrator beforehand so that `step` stays pure.
    pub pools: &'a [(String, ExpertPool)],
    /// The decision's opinions as the act needs them (tallies, the opinion it names), read beforehand too.
    pub ledger: &'a Standing,
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
            Reason::new("unknown_act", "", "本程序没有该行为", "this procedure has no such act")
                .with_detail(Detail::new(format!("行为 `{}`", act.name), format!("act `{}`", act.name))),
        ));
    };
    if !def.stages.contains(&state.stage) {
        // Too early for the act: say what the law still requires (e.g. the Party-committee report before
        // publication, Art. 31) rather than only that the stage is wrong.
        let early = early_reasons(ctx, def, state, act, actor, now);
        if !early.is_empty() {
            return Err(Refusal { reasons: early });
        }
        return Err(Refusal::one(not_in_stage(wf, def, &state.stage)));
    }
    access::check(def, state, act, actor)?;
    check_skips(ctx, def, state)?;
    // Preconditions first: the handler relies on what they establish, so their refusal comes before it runs.
    let standing = gate_ctx(ctx, &state.facts, &state.facts, act, actor, now, state.version + 1);
    let unmet = failing(&def.gates, &wf.gates, &standing, |g| gates::is_precondition(&g.check));
    if !unmet.is_empty() {
        return Err(Refusal { reasons: unmet });
    }

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
        ledger: ctx.ledger,
        seq: state.version + 1,
        decision_id: &state.id,
        notices: &mut notices,
    })
    .map_err(Refusal::one)?;

    let gate_ctx = gate_ctx(ctx, &state.facts, &facts, act, actor, now, state.version + 1);
    let reasons = failing(&def.gates, &wf.gates, &gate_ctx, |g| !gates::is_precondition(&g.check));
    if !reasons.is_empty() {
        return Err(Refusal { reasons });
    }
    // An opinion from the public is written apart from the decision, which it leaves as it was.
    if notices.iter().any(|e| matches!(e, Effect::Receive(_))) {
        return Ok(Outcome { decision: state.clone(), effects: notices, warnings: Vec::new() });
    }
    // Warnings never refuse: each one that fires is recorded with the act.
    let seq = state.version + 1;
    let warnings: Vec<Warning> = failing(&def.warnings, &wf.warnings, &gate_ctx, |_| true)
        .into_iter()
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

/// The act's `early_gates` that fail on the decision as it stands.
fn early_reasons(
    ctx: Context<'_>,
    def: &crate::definition::ActDef,
    state: &Decision,
    act: &Act,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Vec<Reason> {
    let gate_ctx = gate_ctx(ctx, &state.facts, &state.facts, act, actor, now, state.version + 1);
    failing(&def.early_gates, &ctx.workflow.gates, &gate_ctx, |_| true)
}

/// What a gate sees: the facts before and after the act, the record position the act will take, and everything
/// else the step was given.
fn gate_ctx<'a>(
    ctx: Context<'a>,
    before: &'a crate::procedure::facts::Facts,
    after: &'a crate::procedure::facts::Facts,
    act: &'a Act,
    actor: &'a Actor,
    now: DateTime<Utc>,
    seq: i64,
) -> GateCtx<'a> {
    GateCtx {
        before,
        after,
        payload: &act.payload,
        actor,
        now,
        params: &ctx.workflow.parameters,
        calendar: ctx.calendar,
        workflow: ctx.workflow,
        pools: ctx.pools,
        ledger: ctx.ledger,
        seq,
    }
}

/// The reasons of the checks named in `codes` (gates, or warnings, declared in `declared`) that fail, among
/// those `which` selects.
fn failing(
    codes: &[String],
    declared: &std::collections::BTreeMap<String, crate::definition::Gate>,
    gate_ctx: &GateCtx<'_>,
    which: impl Fn(&crate::definition::Gate) -> bool,
) -> Vec<Reason> {
    codes
        .iter()
        .filter_map(|code| declared.get(code))
        .filter(|g| which(g))
        .filter_map(|g| gates::evaluate(g, gate_ctx).err())
        .collect()
}

/// Whether `actor` may take the act `def` on `state` as far as role, unit and
/// assignment go (the "what can I do here" list; gates are not evaluated).
pub fn permitted(def: &crate::definition::ActDef, state: &Decision, actor: &Actor) -> bool {
    let probe = Act::new(&def.name, serde_json::json!({ "expert_id": actor.user_id }));
    access::check(def, state, &probe, actor).is_ok()
}

/// An act that passes over a conditional stage needs a recorded
/// determination that the stage does not apply, and the jurisdiction must
/// not have made that stage always applicable. Public participation is passed
/// over only for a matter not to be disclosed by law (Art. 14(1)); "already
/// done" counts only for the risk assessment (Art. 22(2)); a stage that has
/// begun is finished, never passed over.
fn check_skips(ctx: Context<'_>, def: &crate::definition::ActDef, state: &Decision) -> Result<(), Refusal> {
    let mut reasons = Vec::new();
    let f = &state.facts;
    // The refusal of the gate `code` as the definition words it, `fallback` where it has no such gate.
    let gate_reason = |code: &str, article: &str, fallback: (&str, &str)| match ctx.workflow.gates.get(code) {
        Some(g) => Reason::new(code, &g.article, &g.zh, &g.en),
        None => Reason::new(code, article, fallback.0, fallback.1),
    };
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
                .with_detail(stage_detail(name)),
            );
            continue;
        }
        if let Some(what) = crate::procedure::drafting::applicability::begun(f, *kind) {
            let (code, article) = begun_code(*kind);
            let fallback =
                ("该环节已经开始，应当依法完成，不得略过", "the stage has begun: it is completed, never passed over");
            reasons.push(gate_reason(code, article, fallback).with_detail(what));
            continue;
        }
        if *kind == StageKind::PublicParticipation {
            if f.non_disclosure.is_none() {
                let fallback = (
                    "除依法不予公开的决策事项外，应当充分听取各方面意见",
                    "public participation is passed over only for a matter not to be disclosed by law",
                );
                reasons.push(
                    gate_reason("art14_participation_mandatory", "Art. 14(1)", fallback)
                        .with_detail(stage_detail(name)),
                );
            }
            continue;
        }
        let determined = f.determination(name).is_some_and(|d| match d.outcome {
            Applicability::NotApplicable => true,
            Applicability::AlreadyDone => *kind == StageKind::RiskAssessment,
            Applicability::Applicable => false,
        });
        if !determined {
            reasons.push(
                Reason::new(
                    "applicability_not_determined",
                    kind.article(),
                    "未记录该阶段不适用的判断，不得跳过",
                    "a conditional stage cannot be skipped without a recorded determination that it does not apply",
                )
                .with_detail(stage_detail(name)),
            );
        }
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(Refusal { reasons })
    }
}

/// The reason code and article refusing to pass over the stage `kind` once it has begun.
fn begun_code(kind: StageKind) -> (&'static str, &'static str) {
    match kind {
        StageKind::PublicParticipation => ("art15_notice_published", "Art. 15"),
        StageKind::Hearing => ("art16_hearing_begun", "Art. 16(2)"),
        StageKind::ExpertConsultation => ("art19_experts_begun", "Art. 19(1)"),
        StageKind::RiskAssessment => ("art22_risk_assessment_begun", "Art. 22"),
        _ => ("art12_cost_benefit_begun", "Art. 12(3)"),
    }
}

/// The act exists but not in the decision's stage. The refusal names the stage the decision is in and the
/// stages where the act is allowed; it cites no article of the act, whose article says what the act does, not
/// when it may be done: the order of the stages is the procedure's, and the refusal says so.
fn not_in_stage(wf: &crate::definition::Workflow, def: &crate::definition::ActDef, current: &str) -> Reason {
    let title = |key: &str| match wf.stage(key) {
        Some(s) => (format!("「{}」", s.title_zh), format!("`{key}` ({})", s.title_en)),
        None => (format!("「{key}」"), format!("`{key}`")),
    };
    let (now_zh, now_en) = title(current);
    let (allowed_zh, allowed_en): (Vec<String>, Vec<String>) = def.stages.iter().map(|k| title(k)).unzip();
    let source = format!("stage order of the procedure `{}` (workflow definition)", wf.key);
    Reason::new(
        "act_not_allowed_in_stage",
        &source,
        "当前阶段不允许该行为",
        "this act is not allowed in the current stage",
    )
    .with_detail(Detail::new(
        format!("决策事项处于{now_zh}阶段，行为 `{act}` 仅可在{}阶段实施", allowed_zh.join("、"), act = def.name),
        format!(
            "the decision is in stage {now_en}; the act `{act}` is allowed in: {}",
            allowed_en.join(", "),
            act = def.name
        ),
    ))
}

/// The stage a refusal is about, in both languages.
fn stage_detail(kind: &str) -> Detail {
    Detail::new(format!("阶段 `{kind}`"), format!("stage `{kind}`"))
}
