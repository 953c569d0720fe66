//! Before release and publication (Arts. 8, 31, 32, 34).

use serde::Deserialize;

use crate::procedure::acts::{non_blank, HandlerCtx};
use crate::procedure::facts::{PartyReport, Publication};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UnitIn {
    unit: String,
}

pub(crate) fn designate_executing_unit(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let u: UnitIn = ctx.parse()?;
    non_blank(ctx, "unit", &u.unit)?;
    ctx.facts.executing_unit = Some(u.unit.trim().to_string());
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReferenceIn {
    reference_no: String,
}

pub(crate) fn record_npc_report(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let r: ReferenceIn = ctx.parse()?;
    non_blank(ctx, "reference_no", &r.reference_no)?;
    ctx.facts.npc_report = Some(r.reference_no);
    Ok(())
}

pub(crate) fn report_to_party(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let r: ReferenceIn = ctx.parse()?;
    non_blank(ctx, "reference_no", &r.reference_no)?;
    ctx.facts.party_report = Some(PartyReport { reference_no: r.reference_no, submitted_at: ctx.now, response: None });
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "report": ctx.facts.party_report,
        "outcome": ctx.facts.outcome,
    }));
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResponseIn {
    response: String,
}

pub(crate) fn record_party_response(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let r: ResponseIn = ctx.parse()?;
    non_blank(ctx, "response", &r.response)?;
    let invalid = ctx.invalid("该决策尚未向党委请示报告", "the decision has not been reported to the Party committee");
    ctx.facts.party_report.as_mut().ok_or(invalid)?.response = Some(r.response);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublishIn {
    channels: Vec<String>,
    adoption_explanation: Option<String>,
    #[serde(default)]
    interpretation_activities: Vec<String>,
}

pub(crate) fn publish_decision(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let p: PublishIn = ctx.parse()?;
    // A matter not to be disclosed by law is released without public publication, on its ground (PB-3).
    let withheld = ctx.facts.non_disclosure.as_ref().map(|n| n.legal_ground.clone());
    let publication = Publication {
        channels: p.channels,
        adoption_explanation: p.adoption_explanation.filter(|s| !s.trim().is_empty()),
        interpretation_activities: p.interpretation_activities,
        published_at: ctx.now,
        withheld,
    };
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "publication": publication,
        "draft": ctx.facts.current_draft(), "executing_unit": ctx.facts.executing_unit,
        "public_adoption_summary": ctx.facts.public_adoption_summary,
        "expert_adoption_summary": ctx.facts.expert_adoption_summary,
    }));
    ctx.facts.publication = Some(publication);
    Ok(())
}
