//! Initiation (Arts. 10–11): proposals and the decision organ's start decision.

use serde::Deserialize;

use crate::procedure::acts::{non_blank, HandlerCtx};
use crate::procedure::facts::{Proposal, StartRecord};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProposalIn {
    title: String,
    organ: String,
    /// Departments and lower governments argue their case (`main_problem`, `reasons_and_basis`,
    /// `preliminary_solution`, `necessity`, `feasibility` required, Art. 10(2)); citizens' and organisations'
    /// proposals are `written` (Art. 10(3)).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::codes::schemas::proposer_type))]
    proposer_type: String,
    proposer: String,
    summary: String,
    main_problem: Option<String>,
    reasons_and_basis: Option<String>,
    preliminary_solution: Option<String>,
    necessity: Option<String>,
    feasibility: Option<String>,
    #[serde(default)]
    written: bool,
}

pub(crate) fn submit_proposal(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let p: ProposalIn = ctx.parse()?;
    non_blank(ctx, "title", &p.title)?;
    non_blank(ctx, "organ", &p.organ)?;
    ctx.facts.title = p.title.trim().to_string();
    ctx.facts.organ = p.organ.trim().to_string();
    ctx.facts.proposal = Some(Proposal {
        proposer_type: p.proposer_type,
        proposer: p.proposer,
        summary: p.summary,
        main_problem: p.main_problem,
        reasons_and_basis: p.reasons_and_basis,
        preliminary_solution: p.preliminary_solution,
        necessity: p.necessity,
        feasibility: p.feasibility,
        written: p.written,
    });
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "proposal": ctx.facts.proposal,
    }));
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StartIn {
    category: Option<u8>,
    /// Art. 3(2) exclusion claimed for the matter, if any (the gate refuses it).
    #[allow(dead_code)]
    exclusion: Option<String>,
    #[serde(default)]
    undertaking_units: Vec<String>,
    lead_unit: Option<String>,
    catalogue_item: Option<String>,
    /// The catalogue record listing the item (AC-2 delay monitoring).
    catalogue: Option<String>,
}

pub(crate) fn start_decision(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let s: StartIn = ctx.parse()?;
    let units: Vec<String> = s.undertaking_units.iter().map(|u| u.trim().to_string()).collect();
    ctx.facts.start = Some(StartRecord {
        category: s.category.unwrap_or(0),
        lead_unit: s.lead_unit.or_else(|| (units.len() == 1).then(|| units[0].clone())),
        undertaking_units: units,
        catalogue_item: s.catalogue_item.clone(),
        catalogue: s.catalogue.clone(),
        decided_by: ctx.who(),
        decided_at: ctx.now,
    });
    if let (Some(catalogue), Some(item)) = (s.catalogue, s.catalogue_item) {
        let take_up = serde_json::json!({ "item": item, "decision_id": ctx.decision_id });
        ctx.link(&catalogue, crate::act::Act::new("record_item_taken_up", take_up));
    }
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "start": ctx.facts.start,
    }));
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeclineIn {
    reason: String,
}

pub(crate) fn decline_proposal(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let d: DeclineIn = ctx.parse()?;
    non_blank(ctx, "reason", &d.reason)
}
