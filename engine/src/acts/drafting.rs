//! Drafting (Arts. 12–13): immutable draft versions bound by hash,
//! applicability determinations, consultations, cost-benefit analysis.

use serde::Deserialize;

use super::{non_blank, HandlerCtx};
use crate::audit::{canonical_json, sha256_hex};
use crate::definition::StageKind;
use crate::facts::{Applicability, Consultation, CostBenefit, Determination, Draft, NonDisclosure};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DraftIn {
    text: String,
    explanation: String,
    #[serde(default)]
    legal_basis: Vec<String>,
    #[serde(default)]
    options: Vec<String>,
    /// Art. 12(4): the unit marks major disagreements; two or more options
    /// are then expected (a warning, not a refusal).
    #[serde(default)]
    major_disagreement: bool,
}

pub(super) fn record_draft(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let d: DraftIn = ctx.parse()?;
    non_blank(ctx, "text", &d.text)?;
    let legal_basis: Vec<String> =
        d.legal_basis.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    let mut content = serde_json::json!({
        "text": d.text, "explanation": d.explanation, "legal_basis": legal_basis, "options": d.options,
    });
    // Only when set, so that drafts without the mark keep the hashes they always had.
    if d.major_disagreement {
        content["major_disagreement"] = serde_json::Value::Bool(true);
    }
    let version = ctx.facts.drafts.len() as u32 + 1;
    let draft = Draft {
        version,
        hash: sha256_hex(canonical_json(&content).as_bytes()),
        text: d.text,
        explanation: d.explanation,
        legal_basis,
        options: d.options,
        major_disagreement: d.major_disagreement,
        by: ctx.who(),
        at: ctx.now,
    };
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "draft": draft,
        "consultations": ctx.facts.consultations, "dispute_statement": ctx.facts.dispute_statement,
        "cost_benefit": ctx.facts.cost_benefit,
    }));
    ctx.facts.drafts.push(draft);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FlagsIn {
    technical: Option<bool>,
    high_public_concern: Option<bool>,
    affects_market_entities: Option<bool>,
    specific_group_interest: Option<bool>,
    npc_report_required: Option<bool>,
}

pub(super) fn set_flags(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let f: FlagsIn = ctx.parse()?;
    let flags = &mut ctx.facts.flags;
    for (slot, v) in [
        (&mut flags.technical, f.technical),
        (&mut flags.high_public_concern, f.high_public_concern),
        (&mut flags.affects_market_entities, f.affects_market_entities),
        (&mut flags.specific_group_interest, f.specific_group_interest),
        (&mut flags.npc_report_required, f.npc_report_required),
    ] {
        if let Some(v) = v {
            *slot = v;
        }
    }
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DeterminationIn {
    stage: String,
    outcome: Applicability,
    reason: String,
    reference: Option<String>,
}

pub(super) fn determine_applicability(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let d: DeterminationIn = ctx.parse()?;
    if !StageKind::parse(&d.stage).is_some_and(StageKind::is_conditional) {
        return Err(ctx.invalid(format!("`{}` is not a conditional stage", d.stage)));
    }
    let det =
        Determination { outcome: d.outcome, reason: d.reason, reference: d.reference, by: ctx.who(), at: ctx.now };
    ctx.facts.applicability.insert(d.stage, det);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConsultationIn {
    unit: String,
    agreed: bool,
    opinion: String,
}

pub(super) fn record_consultation(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let c: ConsultationIn = ctx.parse()?;
    non_blank(ctx, "unit", &c.unit)?;
    ctx.facts.consultations.push(Consultation { unit: c.unit, agreed: c.agreed, opinion: c.opinion });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TextIn {
    text: String,
}

pub(super) fn record_dispute_statement(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let t: TextIn = ctx.parse()?;
    non_blank(ctx, "text", &t.text)?;
    ctx.facts.dispute_statement = Some(t.text);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NonDisclosureIn {
    legal_ground: Option<String>,
}

/// Marks the matter lawfully non-disclosable: public participation no longer
/// applies (Art. 14(1)). The gate checks the ground is one the law knows.
pub(super) fn declare_non_disclosable(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let n: NonDisclosureIn = ctx.parse()?;
    let ground = n.legal_ground.unwrap_or_default();
    ctx.facts.non_disclosure = Some(NonDisclosure { legal_ground: ground.clone(), approved_by: ctx.who() });
    for kind in [StageKind::PublicParticipation, StageKind::Hearing] {
        ctx.facts.applicability.insert(
            kind.as_str().to_string(),
            Determination {
                outcome: Applicability::NotApplicable,
                reason: format!("依法不予公开：{ground}"),
                reference: None,
                by: ctx.who(),
                at: ctx.now,
            },
        );
    }
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CostBenefitIn {
    inputs: String,
    benefits: String,
}

pub(super) fn record_cost_benefit(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let c: CostBenefitIn = ctx.parse()?;
    non_blank(ctx, "inputs", &c.inputs)?;
    non_blank(ctx, "benefits", &c.benefits)?;
    let draft_hash = ctx.current_draft_hash()?;
    ctx.facts.cost_benefit = Some(CostBenefit { inputs: c.inputs, benefits: c.benefits, draft_hash });
    Ok(())
}
