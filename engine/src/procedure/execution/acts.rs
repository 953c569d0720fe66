//! Execution, suspension, post-evaluation and adjustment (Arts. 33–37).

use chrono::NaiveDate;
use serde::Deserialize;

use crate::act::Act;
use crate::actor::Role;
use crate::ledger::Kind;
use crate::procedure::acts::{non_blank, HandlerCtx};
use crate::procedure::facts::{
    Adjustment, AdjustmentOrigin, EvaluationLink, ExecutionReport, PostEvaluation, Supersession, Suspension,
};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReportIn {
    kind: String,
    text: String,
}

/// `completion`: the executing unit reports the decision fully carried out,
/// the ground on which execution may end (Art. 37).
const REPORT_KINDS: [&str; 5] = ["progress", "decision_problem", "major_change", "force_majeure", "completion"];

pub(crate) fn file_execution_report(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let r: ReportIn = ctx.parse()?;
    if !REPORT_KINDS.contains(&r.kind.as_str()) {
        return Err(ctx.invalid(
            format!("类型应为其中之一：{}", REPORT_KINDS.join(", ")),
            format!("kind must be one of {}", REPORT_KINDS.join(", ")),
        ));
    }
    non_blank(ctx, "text", &r.text)?;
    if crate::codes::PROBLEM_KINDS.contains(&r.kind.as_str()) {
        // Art. 35(1): problems reach the decision organ and its chief promptly.
        let subject = format!("执行问题报告（{}）：{}", r.kind, ctx.facts.title);
        ctx.notify(Role::ChiefExecutive, subject.clone());
        ctx.notify(Role::GeneralOffice, subject);
    }
    ctx.facts.execution_reports.push(ExecutionReport { kind: r.kind, text: r.text, at: ctx.now });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SuspendIn {
    /// 1-based number of the Art. 35 problem report that prompts it.
    report: Option<usize>,
    #[serde(default)]
    urgency_reason: String,
}

pub(crate) fn suspend(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let s: SuspendIn = ctx.parse()?;
    // Suspension pauses the periodic execution reports; resuming starts a new interval.
    ctx.facts.execution_since = None;
    ctx.facts.suspension =
        Some(Suspension { report_index: s.report.unwrap_or(0), urgency_reason: s.urgency_reason, at: ctx.now });
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "suspension": ctx.facts.suspension,
        "report": s.report.and_then(|i| i.checked_sub(1)).and_then(|i| ctx.facts.execution_reports.get(i)),
    }));
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EvaluationIn {
    trigger: String,
    evaluator: String,
}

pub(crate) fn start_post_evaluation(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let e: EvaluationIn = ctx.parse()?;
    non_blank(ctx, "evaluator", &e.evaluator)?;
    ctx.facts.post_evaluation = Some(PostEvaluation {
        trigger: e.trigger,
        evaluator: e.evaluator,
        report: None,
        recommendation: None,
        public_opinion_collection: None,
        participants: Vec::new(),
        reported_at: None,
    });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EvaluationReportIn {
    report: String,
    recommendation: String,
    #[serde(default)]
    public_opinion_collection: Option<String>,
    #[serde(default)]
    participants: Vec<String>,
}

pub(crate) fn submit_post_evaluation_report(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let r: EvaluationReportIn = ctx.parse()?;
    if !["keep", "adjust", "stop"].contains(&r.recommendation.as_str()) {
        return Err(ctx.invalid("建议应为 keep、adjust 或 stop", "recommendation must be keep, adjust or stop"));
    }
    let invalid = ctx.invalid("尚未启动决策后评估", "no post-evaluation was started");
    let pe = ctx.facts.post_evaluation.as_mut().ok_or(invalid)?;
    pe.report = Some(r.report);
    pe.recommendation = Some(r.recommendation);
    pe.public_opinion_collection = r.public_opinion_collection.filter(|s| !s.trim().is_empty());
    pe.participants = r.participants;
    pe.reported_at = Some(ctx.now);
    Ok(())
}

/// Art. 35(2): anyone may comment on a published decision; written apart from the decision (see
/// [`crate::ledger`]). Crossing the profile's threshold raises a task for the decision organ to consider a
/// post-evaluation (Art. 36(1)(2)) — the intake queues it with the feedback that crosses it — and never starts
/// one by itself.
pub(crate) fn submit_feedback(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let f = crate::procedure::acts::PublicText::read(ctx)?;
    ctx.receive(Kind::Feedback, f, None);
    Ok(())
}

/// Execution begins or resumes (also when a post-evaluation hands back to
/// it): the periodic execution reports run from now, unless already running.
pub(crate) fn run_execution(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    ctx.parse::<crate::procedure::acts::Empty>()?;
    ctx.facts.execution_since.get_or_insert(ctx.now);
    Ok(())
}

/// Execution ends: no more reports are due. The ground is read from the
/// record — a decided adjustment, or a completion report — never from the
/// caller; without one the gate refuses (Art. 37).
pub(crate) fn end_execution(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    ctx.parse::<crate::procedure::acts::Empty>()?;
    let ground = if ctx.facts.superseded_by.is_some() {
        "superseded"
    } else if ctx.facts.execution_reports.iter().any(|r| r.kind == "completion") {
        "completed"
    } else {
        ""
    };
    ctx.facts.execution_since = None;
    ctx.facts.execution_end = Some(crate::procedure::facts::ExecutionEnd { ground: ground.into(), at: ctx.now });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AdjustmentIn {
    child_id: String,
    reason: String,
    /// Opened on the post-evaluation report's recommendation (PE-4); the
    /// gates check that it recommends adjusting or stopping.
    #[serde(default)]
    from_evaluation: bool,
}

/// The parent's side of an Art. 37 adjustment: the link to the child
/// decision that re-runs the procedure, recorded on both (the child's side
/// in the same transaction). The published text stays as it was.
pub(crate) fn record_adjustment(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let a: AdjustmentIn = ctx.parse()?;
    non_blank(ctx, "child_id", &a.child_id)?;
    non_blank(ctx, "reason", &a.reason)?;
    let evaluation = match (a.from_evaluation, &ctx.facts.post_evaluation) {
        (true, Some(pe)) => pe.report.as_ref().zip(pe.recommendation.as_ref()).map(|(report, rec)| EvaluationLink {
            evaluator: pe.evaluator.clone(),
            recommendation: rec.clone(),
            report_sha256: crate::audit::sha256_hex(report.as_bytes()),
            reported_at: pe.reported_at,
        }),
        _ => None,
    };
    let origin = serde_json::json!({
        "parent": ctx.decision_id, "reason": a.reason, "evaluation": evaluation,
    });
    ctx.link(&a.child_id, Act::new("record_origin", origin));
    let by = ctx.who();
    ctx.facts.adjustments.push(Adjustment { child_id: a.child_id, reason: a.reason, at: ctx.now, by, evaluation });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OriginIn {
    parent: String,
    reason: String,
    evaluation: Option<EvaluationLink>,
}

/// The child's side of an Art. 37 adjustment, taken by the engine with the
/// parent's `record_adjustment`: which decision it adjusts, why, and the
/// post-evaluation report it came from, if any (PE-4).
pub(crate) fn record_origin(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let o: OriginIn = ctx.parse()?;
    if ctx.facts.origin.is_some() {
        return Err(ctx.invalid("本决策已记录其所调整的决策", "this decision already records the decision it adjusts"));
    }
    ctx.facts.origin =
        Some(AdjustmentOrigin { parent: o.parent, reason: o.reason, evaluation: o.evaluation, at: ctx.now });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SupersededIn {
    child_id: String,
    decided_on: Option<NaiveDate>,
}

/// The parent's side of a decided adjustment, taken by the engine with the
/// child's `decide`: this decision is no longer the one in force.
pub(crate) fn record_superseded(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let s: SupersededIn = ctx.parse()?;
    non_blank(ctx, "child_id", &s.child_id)?;
    if !ctx.facts.adjustments.iter().any(|a| a.child_id == s.child_id) {
        return Err(ctx.invalid(
            format!("`{}` 不是本决策的调整", s.child_id),
            format!("`{}` is not an adjustment of this decision", s.child_id),
        ));
    }
    ctx.facts.superseded_by = Some(Supersession { child_id: s.child_id, decided_on: s.decided_on, at: ctx.now });
    Ok(())
}
