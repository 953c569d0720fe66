//! Acts that keep what was assessed and decided bound to the text it was
//! about: the risk work to the draft it assessed (Art. 24, RA-7), a decision
//! in force to the procedure that alone changes it (Art. 37).

use chrono::NaiveDate;
use serde::Deserialize;

use super::{non_blank, HandlerCtx};
use crate::facts::{OpinionConfirmation, Supersession};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RiskUnaffectedIn {
    /// Why the new draft does not change the assessed risk.
    statement: String,
}

/// The assessing unit states that the new draft leaves the risk as assessed:
/// the report moves to the current draft, the statement stays on record. The
/// decision organ's controllability judgement is not moved: it judges again.
pub(super) fn confirm_risk_unaffected(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
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
pub(super) struct SupersededIn {
    child_id: String,
    decided_on: Option<NaiveDate>,
}

/// The parent's side of a decided adjustment, taken by the engine with the
/// child's `decide`: this decision is no longer the one in force.
pub(super) fn record_superseded(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
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
