//! Drafting (Arts. 12–13): immutable draft versions bound by hash,
//! applicability determinations, consultations, cost-benefit analysis.

use serde::Deserialize;

use crate::audit::{canonical_json, sha256_hex};
use crate::definition::StageKind;
use crate::procedure::acts::{non_blank, HandlerCtx};
use crate::procedure::facts::{Applicability, Consultation, CostBenefit, Determination, Draft, NonDisclosure};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DraftIn {
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

pub(crate) fn record_draft(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
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
pub(crate) struct FlagsIn {
    technical: Option<bool>,
    high_public_concern: Option<bool>,
    affects_market_entities: Option<bool>,
    specific_group_interest: Option<bool>,
    npc_report_required: Option<bool>,
}

pub(crate) fn set_flags(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
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
pub(crate) struct DeterminationIn {
    stage: String,
    outcome: Applicability,
    reason: String,
    reference: Option<String>,
}

pub(crate) fn determine_applicability(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let d: DeterminationIn = ctx.parse()?;
    record_determination(ctx, d, None)
}

/// A determination changed: a new act, with the reason for the change; the one it replaces stays in the record
/// (`superseded_determinations`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RevisionIn {
    stage: String,
    outcome: Applicability,
    reason: String,
    reference: Option<String>,
    /// Why the earlier determination no longer holds.
    revision_reason: String,
}

pub(crate) fn revise_applicability(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let r: RevisionIn = ctx.parse()?;
    non_blank(ctx, "revision_reason", &r.revision_reason)?;
    if ctx.facts.determination(&r.stage).is_none() {
        return Err(ctx.invalid(
            format!("`{}` 尚无可修改的认定：请使用 determine_applicability", r.stage),
            format!("no determination on `{}` to revise: use determine_applicability", r.stage),
        ));
    }
    let d = DeterminationIn { stage: r.stage, outcome: r.outcome, reason: r.reason, reference: r.reference };
    record_determination(ctx, d, Some(r.revision_reason))
}

fn record_determination(ctx: &mut HandlerCtx<'_>, d: DeterminationIn, why: Option<String>) -> Result<(), Reason> {
    if !StageKind::parse(&d.stage).is_some_and(StageKind::is_conditional) {
        return Err(
            ctx.invalid(format!("`{}` 不是附条件的阶段", d.stage), format!("`{}` is not a conditional stage", d.stage))
        );
    }
    let det =
        Determination { outcome: d.outcome, reason: d.reason, reference: d.reference, by: ctx.who(), at: ctx.now };
    ctx.facts.determine(&d.stage, det, why.as_deref().unwrap_or_default());
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConsultationIn {
    unit: String,
    agreed: bool,
    opinion: String,
}

pub(crate) fn record_consultation(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let c: ConsultationIn = ctx.parse()?;
    non_blank(ctx, "unit", &c.unit)?;
    ctx.facts.consultations.push(Consultation { unit: c.unit, agreed: c.agreed, opinion: c.opinion });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TextIn {
    text: String,
}

pub(crate) fn record_dispute_statement(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let t: TextIn = ctx.parse()?;
    non_blank(ctx, "text", &t.text)?;
    ctx.facts.dispute_statement = Some(t.text);
    Ok(())
}

/// A matter not to be disclosed by law (Art. 14(1)), as the general office approves it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NonDisclosureIn {
    /// The ground, by key or Chinese label: `state_secret`（国家秘密）, `security_or_stability`
    /// （危及国家安全、公共安全、经济安全、社会稳定）, `trade_secret`（商业秘密）, `personal_privacy`（个人隐私）,
    /// `internal_affairs`（内部事务信息）.
    #[cfg_attr(feature = "openapi", schema(example = "国家秘密"))]
    legal_ground: Option<String>,
    /// The provision relied on, e.g. 《中华人民共和国保守国家秘密法》第十三条.
    legal_basis: Option<String>,
}

/// Marks the matter lawfully non-disclosable: public participation and the hearing no longer apply
/// (Art. 14(1)), and its release will not be public (PB-3). The act is the general office's approval; the gate
/// checks the ground is one the law knows and its basis is given. The ground is stored by its key.
pub(crate) fn declare_non_disclosable(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let n: NonDisclosureIn = ctx.parse()?;
    let named = n.legal_ground.unwrap_or_default();
    let ground = crate::nondisclosure::parse(&named);
    let key = ground.map_or(named.trim().to_string(), |g| g.key.to_string());
    let label = ground.map_or(named.trim(), |g| g.label_zh).to_string();
    let basis = n.legal_basis.unwrap_or_default().trim().to_string();
    ctx.facts.non_disclosure =
        Some(NonDisclosure { legal_ground: key, legal_basis: basis.clone(), approved_by: ctx.who() });
    let why = format!("依法不予公开：{label}（{basis}）");
    for kind in [StageKind::PublicParticipation, StageKind::Hearing] {
        let det = Determination {
            outcome: Applicability::NotApplicable,
            reason: why.clone(),
            reference: Some(basis.clone()).filter(|b| !b.is_empty()),
            by: ctx.who(),
            at: ctx.now,
        };
        ctx.facts.determine(kind.as_str(), det, &why);
    }
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CostBenefitIn {
    inputs: String,
    benefits: String,
}

pub(crate) fn record_cost_benefit(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let c: CostBenefitIn = ctx.parse()?;
    non_blank(ctx, "inputs", &c.inputs)?;
    non_blank(ctx, "benefits", &c.benefits)?;
    let draft_hash = ctx.current_draft_hash()?;
    ctx.facts.cost_benefit = Some(CostBenefit { inputs: c.inputs, benefits: c.benefits, draft_hash });
    Ok(())
}
