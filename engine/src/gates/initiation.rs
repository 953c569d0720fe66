//! Checks of initiation and drafting (Arts. 3, 10–14).

use super::{ensure, GateCtx};
use crate::acts::codes;
use crate::definition::StageKind;

/// Art. 10(2): proposals of departments and lower governments argue their
/// case; Art. 10(3): citizens' proposals are written.
pub(super) fn proposal_fields(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(p) = &c.after.proposal else { return Err("no proposal".into()) };
    let kind = p.proposer_type.as_str();
    if !codes::allows(codes::PROPOSER_TYPES, kind) {
        return Err(format!("unknown proposer type `{kind}`: one of {}", codes::list(codes::PROPOSER_TYPES)));
    }
    if codes::ARGUING_PROPOSERS.contains(&kind) {
        let given = [&p.main_problem, &p.reasons_and_basis, &p.preliminary_solution, &p.necessity, &p.feasibility];
        let missing: Vec<&str> = (codes::ARGUMENT_FIELDS.into_iter().zip(given))
            .filter(|(_, v)| v.as_deref().is_none_or(|s| s.trim().is_empty()))
            .map(|(n, _)| n)
            .collect();
        return ensure(missing.is_empty(), || format!("missing: {}", missing.join(", ")));
    }
    if codes::WRITING_PROPOSERS.contains(&kind) {
        return ensure(p.written, || "a citizen's proposal must be written".into());
    }
    Ok(())
}

pub(super) fn category_given(c: &GateCtx<'_>) -> Result<(), String> {
    let cat = c.after.start.as_ref().map(|s| s.category).unwrap_or(0);
    ensure((1..=5).contains(&cat), || "category must be one of Art. 3(1) items 1–5".into())
}

pub(super) fn not_excluded(c: &GateCtx<'_>) -> Result<(), String> {
    match c.str("exclusion") {
        Some(e) => Err(format!("excluded matter: {e}")),
        None => Ok(()),
    }
}

pub(super) fn undertaking_unit_given(c: &GateCtx<'_>) -> Result<(), String> {
    let n = c.after.start.as_ref().map_or(0, |s| s.undertaking_units.len());
    ensure(n > 0, || "no undertaking unit designated".into())
}

pub(super) fn lead_unit_designated(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(s) = &c.after.start else { return Ok(()) };
    if s.undertaking_units.len() < 2 {
        return Ok(());
    }
    ensure(s.lead_unit.as_ref().is_some_and(|l| s.undertaking_units.contains(l)), || {
        format!("{} units and no lead unit among them", s.undertaking_units.len())
    })
}

pub(super) fn catalogue_item_given(c: &GateCtx<'_>) -> Result<(), String> {
    let has = c.after.start.as_ref().is_some_and(|s| s.catalogue_item.is_some());
    ensure(!c.params.catalogue_mandatory || has, || "this jurisdiction requires a catalogue item".into())
}

pub(super) fn draft_exists(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(!c.after.drafts.is_empty(), || "no draft recorded".into())
}

pub(super) fn legal_basis_non_empty(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(c.after.current_draft().is_some_and(|d| !d.legal_basis.is_empty()), || "legal basis list is empty".into())
}

pub(super) fn determination_reasoned(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(c.str("reason").is_some(), || "a determination needs a reason".into())?;
    let already = c.str("outcome") == Some("already_done");
    ensure(!already || c.str("reference").is_some(), || {
        "`already_done` needs a reference to the existing document".into()
    })
}

pub(super) fn determination_not_forced(c: &GateCtx<'_>) -> Result<(), String> {
    let stage = c.str("stage").unwrap_or_default();
    let waived = c.str("outcome") != Some("applicable");
    ensure(!(waived && c.params.always_applicable.contains(stage)), || format!("`{stage}` is always applicable here"))
}

/// Art. 19(1): a matter flagged technical must have expert consultation;
/// it cannot be determined not applicable (nor "done elsewhere" without a
/// reference, which `determination_reasoned` already requires).
pub(super) fn technical_matter_needs_experts(c: &GateCtx<'_>) -> Result<(), String> {
    let waives_experts = c.str("stage") == Some("expert_consultation") && c.str("outcome") == Some("not_applicable");
    ensure(!(waives_experts && c.after.flags.technical), || {
        "the matter is flagged highly specialised or technical".into()
    })
}

/// A ground of 政府信息公开条例 Arts. 14–16 (`crate::nondisclosure`), with the provision relied on.
pub(super) fn non_disclosure_ground(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(n) = &c.after.non_disclosure else { return Err("no non-disclosure recorded".into()) };
    ensure(crate::nondisclosure::by_key(&n.legal_ground).is_some(), || {
        format!("`legal_ground` must be one of {}", crate::nondisclosure::listed())
    })?;
    ensure(!n.legal_basis.trim().is_empty(), || "`legal_basis` (the provision relied on) is missing".into())
}

pub(super) fn cost_benefit_recorded(c: &GateCtx<'_>) -> Result<(), String> {
    if !c.applies(StageKind::CostBenefit.as_str()) {
        return Ok(());
    }
    let current = c.after.current_draft_hash();
    ensure(c.after.cost_benefit.as_ref().is_some_and(|cb| Some(cb.draft_hash.as_str()) == current), || {
        "no cost-benefit analysis for the current draft".into()
    })
}

pub(super) fn dispute_explained(c: &GateCtx<'_>) -> Result<(), String> {
    let disagreeing: Vec<&str> = c.after.consultations.iter().filter(|x| !x.agreed).map(|x| x.unit.as_str()).collect();
    ensure(disagreeing.is_empty() || c.after.dispute_statement.is_some(), || {
        format!("units that disagree: {}", disagreeing.join(", "))
    })
}

/// Art. 12(4): a draft marked with major disagreements should offer two or
/// more options ("可以", so a warning).
pub(super) fn options_for_major_disagreement(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(d) = c.after.current_draft() else { return Ok(()) };
    let n = d.options.iter().filter(|o| !o.trim().is_empty()).count();
    ensure(!d.major_disagreement || n >= 2, || {
        format!("draft v{} is marked major_disagreement with {n} option(s)", d.version)
    })
}
