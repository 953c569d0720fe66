//! Risk assessment (Arts. 22–24): the report, the organ's judgement of
//! controllability, and the risk work kept bound to the draft it assessed
//! (Art. 24, RA-7).

use serde::Deserialize;

use crate::procedure::acts::{non_blank, HandlerCtx};
use crate::procedure::facts::{Controllability, OpinionConfirmation, RiskReport};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RiskUnaffectedIn {
    /// Why the new draft does not change the assessed risk.
    statement: String,
}

/// The assessing unit states that the new draft leaves the risk as assessed:
/// the report moves to the current draft, the statement stays on record. The
/// decision organ's controllability judgement is not moved: it judges again.
pub(crate) fn confirm_risk_unaffected(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let u: RiskUnaffectedIn = ctx.parse()?;
    non_blank(ctx, "statement", &u.statement)?;
    let current = ctx.current_draft_hash()?;
    let none = ctx.invalid("没有可确认的风险评估报告", "there is no risk assessment report to confirm");
    let (by, at) = (ctx.who(), ctx.now);
    let report = ctx.facts.risk_report.as_mut().ok_or(none)?;
    let from_hash = std::mem::replace(&mut report.draft_hash, current.clone());
    report.confirmations.push(OpinionConfirmation { from_hash, to_hash: current, statement: u.statement, by, at });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RiskIn {
    assessor: String,
    #[serde(default)]
    methods: Vec<String>,
    #[serde(default)]
    departments_consulted: Vec<String>,
    #[serde(default)]
    risk_points: Vec<String>,
    #[serde(default)]
    measures: Vec<String>,
    #[serde(default)]
    contingency_plan: String,
    level: String,
}

pub(crate) fn submit_risk_report(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let r: RiskIn = ctx.parse()?;
    non_blank(ctx, "assessor", &r.assessor)?;
    if !ctx.params.risk_levels.contains(&r.level) {
        return Err(ctx.invalid(
            format!("风险等级应为其中之一：{}", ctx.params.risk_levels.join(", ")),
            format!("risk level must be one of {}", ctx.params.risk_levels.join(", ")),
        ));
    }
    let draft_hash = ctx.current_draft_hash()?;
    let report = RiskReport {
        assessor: r.assessor,
        methods: r.methods,
        departments_consulted: r.departments_consulted,
        risk_points: r.risk_points,
        measures: r.measures,
        contingency_plan: r.contingency_plan,
        level: r.level,
        draft_hash,
        confirmations: Vec::new(),
    };
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "report": report,
        "draft_version": ctx.facts.current_draft().map(|d| d.version),
    }));
    ctx.facts.risk_report = Some(report);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct JudgementIn {
    controllable: bool,
}

pub(crate) fn judge_controllability(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let j: JudgementIn = ctx.parse()?;
    let draft_hash = ctx.current_draft_hash()?;
    ctx.facts.controllability =
        Some(Controllability { controllable: j.controllable, by: ctx.who(), draft_hash, at: ctx.now });
    Ok(())
}
