//! Expert consultation (Arts. 19–21): selection, due dates, declarations, opinions and their adoption.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::act::Act;
use crate::procedure::acts::{non_blank, HandlerCtx};
use crate::procedure::facts::{ExpertAssignment, ExpertOpinion};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SelectIn {
    expert_id: String,
    name: String,
    #[serde(default)]
    institution: bool,
    #[serde(default)]
    official: bool,
    field: String,
    /// The expert's conflict declaration for this matter, if any (Art. 20).
    conflict: Option<String>,
    /// The pool the expert comes from (read by the orchestrator for the
    /// eligibility gate); absent for an expert from outside any pool.
    #[allow(dead_code)]
    pool: Option<String>,
    /// Set when this expert replaces another: who, and why.
    replaces: Option<String>,
    replacement_reason: Option<String>,
    /// `true` when the replaced expert gave no opinion in time (A13).
    #[serde(default)]
    non_submission: bool,
    /// The day the opinion is due (EX-8).
    due_on: Option<NaiveDate>,
}

pub(crate) fn select_expert(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let s: SelectIn = ctx.parse()?;
    non_blank(ctx, "expert_id", &s.expert_id)?;
    if ctx.facts.experts.iter().any(|e| e.expert_id == s.expert_id && e.replaced_reason.is_none()) {
        return Err(ctx.invalid(
            format!("专家 `{}` 已在论证专家名单中", s.expert_id),
            format!("expert `{}` is already on the panel", s.expert_id),
        ));
    }
    if let Some(old) = &s.replaces {
        let reason = s.replacement_reason.clone().unwrap_or_default();
        non_blank(ctx, "replacement_reason", &reason)?;
        let invalid = ctx.invalid(
            format!("名单中没有专家 `{old}`，也没有被排除的该专家"),
            format!("no expert `{old}` on the panel or excluded from it"),
        );
        let e = ctx.facts.experts.iter_mut().find(|e| &e.expert_id == old && e.replaced_by.is_none()).ok_or(invalid)?;
        // An expert already off the panel (excluded for a conflict) keeps that
        // mark: the replacement is recorded beside it, never over it.
        e.replaced_reason.get_or_insert_with(|| reason.clone());
        e.replaced_by = Some(s.expert_id.clone());
        e.non_submission = s.non_submission && e.opinion.is_none() && !e.excluded_conflict;
        if let (true, Some(pool)) = (e.non_submission, e.pool.clone()) {
            // EX-8: the fact goes onto the expert's pool record in this act's transaction.
            let fact = serde_json::json!({
                "id": old, "decision_id": ctx.decision_id, "reason": reason, "by": ctx.who(),
            });
            ctx.link(&pool, Act::new("record_non_submission", fact));
        }
    }
    let pool = pool_of(ctx.pools, &s.expert_id);
    ctx.facts.experts.push(ExpertAssignment {
        expert_id: s.expert_id,
        name: s.name,
        institution: s.institution,
        official: s.official,
        field: s.field,
        conflict: s.conflict.filter(|c| !c.trim().is_empty()),
        opinion: None,
        replaced_reason: None,
        excluded_conflict: false,
        replaced_by: None,
        confidentiality_ack: None,
        interest_declared_at: None,
        non_submission: false,
        pool,
        due_on: s.due_on,
    });
    Ok(())
}

/// The id of the pool record (among those the act named) that holds `expert_id`.
pub(crate) fn pool_of(pools: &[(String, crate::procedure::facts::ExpertPool)], expert_id: &str) -> Option<String> {
    pools.iter().find(|(_, p)| p.experts.iter().any(|e| e.id == expert_id)).map(|(id, _)| id.clone())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DueIn {
    expert_id: String,
    due_on: NaiveDate,
}

/// Set or extend the day an expert's opinion is due (EX-8); the reminders
/// follow the new date.
pub(crate) fn set_expert_due(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let d: DueIn = ctx.parse()?;
    let missing = ctx.invalid(
        format!("专家 `{}` 没有待提交的意见", d.expert_id),
        format!("expert `{}` owes no opinion", d.expert_id),
    );
    let e = ctx.facts.experts.iter_mut().find(|e| e.expert_id == d.expert_id && e.outstanding()).ok_or(missing)?;
    e.due_on = Some(d.due_on);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OpinionIn {
    expert_id: String,
    necessity: String,
    feasibility: String,
    scientific_soundness: String,
    signature: Option<String>,
    seal: Option<String>,
}

pub(crate) fn submit_expert_opinion(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let o: OpinionIn = ctx.parse()?;
    non_blank(ctx, "necessity", &o.necessity)?;
    non_blank(ctx, "feasibility", &o.feasibility)?;
    non_blank(ctx, "scientific_soundness", &o.scientific_soundness)?;
    let draft_hash = ctx.current_draft_hash()?;
    let now = ctx.now;
    let e = open_assignment(ctx, &o.expert_id)?;
    e.opinion = Some(ExpertOpinion {
        necessity: o.necessity,
        feasibility: o.feasibility,
        scientific_soundness: o.scientific_soundness,
        signature: o.signature.filter(|s| !s.trim().is_empty()),
        seal: o.seal.filter(|s| !s.trim().is_empty()),
        draft_hash,
        submitted_at: now,
    });
    let snapshot = e.clone();
    // The opinion goes to the unit that organised the consultation: the lead undertaking unit.
    let start = ctx.facts.start.as_ref();
    let undertaking = start.and_then(|s| s.lead_unit.clone().or_else(|| s.undertaking_units.first().cloned()));
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "expert": snapshot, "undertaking_unit": undertaking,
        // The opinion names the draft it addresses by version; its digest is in the record.
        "draft_version": ctx.facts.current_draft().map(|d| d.version),
    }));
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SummaryIn {
    text: String,
}

pub(crate) fn record_expert_adoption_summary(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let s: SummaryIn = ctx.parse()?;
    non_blank(ctx, "text", &s.text)?;
    ctx.facts.expert_adoption_summary = Some(s.text);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConflictIn {
    expert_id: String,
    conflict: String,
}

/// The expert's assignment still open (not replaced or excluded), or the refusal that says there is none.
fn open_assignment<'a>(ctx: &'a mut HandlerCtx<'_>, expert_id: &str) -> Result<&'a mut ExpertAssignment, Reason> {
    let missing = ctx.invalid(
        format!("专家 `{expert_id}` 没有进行中的论证任务"),
        format!("expert `{expert_id}` has no open assignment"),
    );
    ctx.facts.experts.iter_mut().find(|e| e.expert_id == expert_id && e.replaced_reason.is_none()).ok_or(missing)
}

/// A conflict declared after assignment (A11 variant): the expert leaves the
/// panel; an opinion already given stays in the record, marked excluded,
/// and no longer counts for the package.
pub(crate) fn declare_expert_conflict(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let c: ConflictIn = ctx.parse()?;
    non_blank(ctx, "conflict", &c.conflict)?;
    let e = open_assignment(ctx, &c.expert_id)?;
    e.conflict = Some(c.conflict.clone());
    e.excluded_conflict = true;
    e.replaced_reason = Some(format!("excluded_conflict: {}", c.conflict));
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AckIn {
    expert_id: String,
}

/// The expert's own declaration that they have no direct interest in the matter (利害关系声明, Art. 20): each
/// expert files it per matter, before their opinion counts. An expert who has one declares it with
/// `declare_expert_conflict` instead and leaves the panel.
pub(crate) fn declare_no_direct_interest(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let a: AckIn = ctx.parse()?;
    let now = ctx.now;
    let e = open_assignment(ctx, &a.expert_id)?;
    e.interest_declared_at.get_or_insert(now);
    Ok(())
}

/// The confidentiality undertaking (保密承诺, Art. 19(2)) an expert gives
/// before the materials open to them.
pub(crate) fn acknowledge_confidentiality(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let a: AckIn = ctx.parse()?;
    let now = ctx.now;
    let e = open_assignment(ctx, &a.expert_id)?;
    e.confidentiality_ack.get_or_insert(now);
    Ok(())
}
