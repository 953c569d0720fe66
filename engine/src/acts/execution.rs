//! Execution, suspension, post-evaluation and archive (Arts. 33–37).

use serde::Deserialize;

use super::{non_blank, HandlerCtx};
use crate::facts::{Archive, ExecutionReport, PostEvaluation, Suspension};
use crate::refusal::Reason;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportIn {
    kind: String,
    text: String,
}

const REPORT_KINDS: [&str; 4] = ["progress", "decision_problem", "major_change", "force_majeure"];

pub(super) fn file_execution_report(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let r: ReportIn = ctx.parse()?;
    if !REPORT_KINDS.contains(&r.kind.as_str()) {
        return Err(ctx.invalid(format!("kind must be one of {}", REPORT_KINDS.join(", "))));
    }
    non_blank(ctx, "text", &r.text)?;
    ctx.facts.execution_reports.push(ExecutionReport { kind: r.kind, text: r.text, at: ctx.now });
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuspendIn {
    /// 1-based number of the Art. 35 problem report that prompts it.
    report: Option<usize>,
    #[serde(default)]
    urgency_reason: String,
}

pub(super) fn suspend(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let s: SuspendIn = ctx.parse()?;
    ctx.facts.suspension =
        Some(Suspension { report_index: s.report.unwrap_or(0), urgency_reason: s.urgency_reason, at: ctx.now });
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "suspension": ctx.facts.suspension,
        "report": s.report.and_then(|i| i.checked_sub(1)).and_then(|i| ctx.facts.execution_reports.get(i)),
    }));
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvaluationIn {
    trigger: String,
    evaluator: String,
}

pub(super) fn start_post_evaluation(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let e: EvaluationIn = ctx.parse()?;
    non_blank(ctx, "evaluator", &e.evaluator)?;
    ctx.facts.post_evaluation =
        Some(PostEvaluation { trigger: e.trigger, evaluator: e.evaluator, report: None, recommendation: None });
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvaluationReportIn {
    report: String,
    recommendation: String,
}

pub(super) fn submit_post_evaluation_report(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let r: EvaluationReportIn = ctx.parse()?;
    if !["keep", "adjust", "stop"].contains(&r.recommendation.as_str()) {
        return Err(ctx.invalid("recommendation must be keep, adjust or stop"));
    }
    let invalid = ctx.invalid("no post-evaluation was started");
    let pe = ctx.facts.post_evaluation.as_mut().ok_or(invalid)?;
    pe.report = Some(r.report);
    pe.recommendation = Some(r.recommendation);
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArchiveIn {
    archivist: String,
}

pub(super) fn archive_decision(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let a: ArchiveIn = ctx.parse()?;
    non_blank(ctx, "archivist", &a.archivist)?;
    let items = crate::gates::archive::manifest(ctx.facts).into_iter().map(|(item, _)| item).collect();
    let archive = Archive { archivist: a.archivist, items, archived_at: ctx.now };
    *ctx.memo_data =
        Some(serde_json::json!({ "title": ctx.facts.title, "organ": ctx.facts.organ, "archive": archive }));
    ctx.facts.archive = Some(archive);
    Ok(())
}
