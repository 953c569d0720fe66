//! Checks of expert consultation, risk assessment, legality review and the
//! Art. 29 package (Arts. 19–29).

use super::{ensure, GateCtx};
use crate::definition::StageKind;
use crate::facts::{Applicability, ExpertAssignment};

fn active_experts<'a>(c: &'a GateCtx<'_>) -> impl Iterator<Item = &'a ExpertAssignment> {
    c.after.experts.iter().filter(|e| e.replaced_reason.is_none())
}

/// The expert just selected must not have declared a direct interest (Art. 20).
pub(super) fn expert_no_conflict(c: &GateCtx<'_>) -> Result<(), String> {
    match c.after.experts.last().and_then(|e| e.conflict.as_ref().map(|x| (e, x))) {
        Some((e, conflict)) => Err(format!("{} declared: {conflict}", e.name)),
        None => Ok(()),
    }
}

fn submitted<'a>(c: &'a GateCtx<'_>) -> Option<&'a ExpertAssignment> {
    let id = c.str("expert_id")?;
    c.after.experts.iter().find(|e| e.expert_id == id && e.replaced_reason.is_none())
}

pub(super) fn expert_signed(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(e) = submitted(c) else { return Ok(()) };
    ensure(e.opinion.as_ref().is_some_and(|o| o.signature.is_some()), || format!("{}'s opinion is unsigned", e.name))
}

pub(super) fn expert_sealed(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(e) = submitted(c) else { return Ok(()) };
    ensure(!e.institution || e.opinion.as_ref().is_some_and(|o| o.seal.is_some()), || {
        format!("{} is an institution and its opinion bears no seal", e.name)
    })
}

pub(super) fn expert_opinions_complete(c: &GateCtx<'_>) -> Result<(), String> {
    if !c.applies(StageKind::ExpertConsultation.as_str()) {
        return Ok(());
    }
    let current = c.after.current_draft_hash().unwrap_or_default();
    let missing: Vec<&str> = active_experts(c)
        .filter(|e| e.opinion.as_ref().is_none_or(|o| o.draft_hash != current))
        .map(|e| e.name.as_str())
        .collect();
    ensure(missing.is_empty(), || format!("no opinion on the current draft from: {}", missing.join(", ")))?;
    let n = active_experts(c).count() as u32;
    ensure(n >= c.params.expert_panel_min, || {
        format!("{n} valid opinions, the minimum is {}", c.params.expert_panel_min)
    })
}

pub(super) fn expert_panel_composition(c: &GateCtx<'_>) -> Result<(), String> {
    if !c.applies(StageKind::ExpertConsultation.as_str()) {
        return Ok(());
    }
    let n = active_experts(c).count() as u32;
    let officials = active_experts(c).filter(|e| e.official).count() as u32;
    ensure(n >= c.params.expert_panel_min, || format!("panel of {n}, the minimum is {}", c.params.expert_panel_min))?;
    ensure(!c.params.expert_panel_odd || n % 2 == 1, || format!("panel of {n} must be odd"))?;
    ensure(officials * 100 <= c.params.expert_max_official_percent * n.max(1), || {
        format!("{officials} officials of {n} exceed {}%", c.params.expert_max_official_percent)
    })
}

pub(super) fn expert_adoption_recorded(c: &GateCtx<'_>) -> Result<(), String> {
    let needed = c.applies(StageKind::ExpertConsultation.as_str()) && active_experts(c).next().is_some();
    ensure(!needed || c.after.expert_adoption_summary.is_some(), || "no expert-adoption summary".into())
}

pub(super) fn risk_report_sections(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(r) = &c.after.risk_report else { return Err("no report".into()) };
    let mut missing = Vec::new();
    for (name, empty) in [
        ("methods", r.methods.is_empty()),
        ("departments_consulted", r.departments_consulted.is_empty()),
        ("risk_points", r.risk_points.is_empty()),
        ("measures", r.measures.is_empty()),
        ("contingency_plan", r.contingency_plan.trim().is_empty()),
    ] {
        if empty {
            missing.push(name);
        }
    }
    ensure(missing.is_empty(), || format!("missing sections: {}", missing.join(", ")))
}

pub(super) fn risk_report_present(c: &GateCtx<'_>) -> Result<(), String> {
    if !c.applies(StageKind::RiskAssessment.as_str()) {
        return Ok(());
    }
    ensure(c.after.risk_report.is_some(), || "risk assessment applies and there is no report".into())
}

/// Art. 24: an uncontrollable risk blocks the decision until a new judgement
/// on a revised draft finds it controllable.
pub(super) fn risk_controllable(c: &GateCtx<'_>) -> Result<(), String> {
    let kind = StageKind::RiskAssessment.as_str();
    let assessed = c.after.risk_report.is_some()
        || c.after.determination(kind).is_some_and(|d| d.outcome == Applicability::AlreadyDone);
    match &c.after.controllability {
        Some(j) if !j.controllable => Err("the decision organ judged the risk uncontrollable".into()),
        Some(_) => Ok(()),
        None => ensure(!(c.applies(kind) && assessed), || "the decision organ has not judged controllability".into()),
    }
}

pub(super) fn submission_procedure_explained(c: &GateCtx<'_>) -> Result<(), String> {
    let s = c.after.legality_submissions.last();
    ensure(s.is_some_and(|s| !s.procedure_explanation.trim().is_empty()), || "no procedure explanation".into())
}

pub(super) fn submission_legal_basis(c: &GateCtx<'_>) -> Result<(), String> {
    let s = c.after.legality_submissions.last();
    ensure(s.is_some_and(|s| !s.legal_basis.is_empty()), || "no legal basis listed".into())
}

/// Art. 26: at least N working days from receipt of complete materials,
/// earlier only with a stated urgency reason.
pub(super) fn review_time_floor(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(s) = c.after.legality_submissions.last() else { return Err("no submission".into()) };
    ensure(s.requested_due >= s.floor_due || s.urgency_reason.is_some(), || {
        format!(
            "requested {} but {} working days after {} is {}",
            s.requested_due, c.params.legality_review_min_working_days, s.received_complete_on, s.floor_due
        )
    })
}

/// Art. 26(2) from the reviewer's receipt: the requested due day is at least the floor counted from it, or a
/// shorter review rests on an urgency reason the reviewer acknowledged.
pub(super) fn review_time_from_receipt(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(s) = c.after.legality_submissions.last() else { return Err("no submission".into()) };
    let acknowledged = s.urgency_reason.is_some() && s.urgency_acknowledged_by.is_some();
    ensure(s.requested_due >= s.floor_due || acknowledged, || {
        format!(
            "received {}: {} working days run to {}, the drafter asked for {}; a shorter review needs an urgency \
             reason the reviewer acknowledges",
            s.received_complete_on, c.params.legality_review_min_working_days, s.floor_due, s.requested_due
        )
    })
}

/// No opinion on a review shortened for urgency until the reviewer has acknowledged the drafter's reason.
pub(super) fn shortened_review_acknowledged(c: &GateCtx<'_>) -> Result<(), String> {
    let current = c.after.current_draft_hash();
    let Some(s) = c
        .after
        .legality_submissions
        .iter()
        .rev()
        .find(|s| Some(s.draft_hash.as_str()) == current && s.status == "pending")
    else {
        return Ok(());
    };
    ensure(s.requested_due >= s.floor_due || s.urgency_acknowledged_by.is_some(), || {
        format!(
            "the review is shortened to {} (floor {}) for urgency: the reviewer has not acknowledged the reason \
             (record_review_receipt with acknowledge_urgency)",
            s.requested_due, s.floor_due
        )
    })
}

/// The opinion answers a pending submission of the current draft: one that
/// was returned or sent back for supplements does not count (Art. 26(1)).
pub(super) fn submission_for_current_draft(c: &GateCtx<'_>) -> Result<(), String> {
    let current = c.after.current_draft_hash();
    ensure(
        c.after.legality_submissions.iter().any(|s| Some(s.draft_hash.as_str()) == current && s.status == "pending"),
        || "no pending review submission of the current draft (returned or awaiting supplements?)".into(),
    )
}

pub(super) fn confidentiality_acknowledged(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(e) = submitted(c) else { return Ok(()) };
    ensure(e.confidentiality_ack.is_some(), || format!("{} has not given the confidentiality undertaking", e.name))
}

/// The expert declared no direct interest before giving the opinion (Art. 20).
pub(super) fn interest_declared(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(e) = submitted(c) else { return Ok(()) };
    ensure(e.interest_declared_at.is_some(), || {
        format!("{} has not declared whether they have a direct interest in the matter", e.name)
    })
}

pub(super) fn lawyer_opinion_present(c: &GateCtx<'_>) -> Result<(), String> {
    let current = c.after.current_draft_hash();
    ensure(c.after.lawyer_opinions.iter().any(|l| Some(l.draft_hash.as_str()) == current), || {
        "no 法律顾问 / 公职律师 opinion on the current draft".into()
    })
}

pub(super) fn legality_findings_complete(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(o) = &c.after.legality_opinion else { return Err("no opinion".into()) };
    let missing: Vec<&str> = [("authority", &o.authority), ("procedure", &o.procedure), ("content", &o.content)]
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(n, _)| n)
        .collect();
    ensure(missing.is_empty(), || format!("missing findings: {}", missing.join(", ")))
}

pub(super) fn exploratory_statement(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(o) = &c.after.legality_opinion else { return Ok(()) };
    ensure(o.conclusion != "exploratory_with_legal_risk" || o.legal_risk_statement.is_some(), || {
        "an exploratory conclusion needs the legal-risk statement".into()
    })
}

pub(super) fn legality_opinion_present(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(c.after.legality_opinion.is_some(), || "no legality review opinion (合法性审查意见书) issued".into())
}

pub(super) fn legality_not_unlawful(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(c.after.legality_opinion.as_ref().is_none_or(|o| o.conclusion != "unlawful"), || {
        "the review concluded the draft is unlawful".into()
    })
}

pub(super) fn legality_opinion_current(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(o) = &c.after.legality_opinion else { return Ok(()) };
    let current = c.after.current_draft_hash().unwrap_or_default();
    ensure(o.draft_hash == current, || {
        format!(
            "the opinion covers draft {}…, the current draft is {}…",
            &o.draft_hash[..8.min(o.draft_hash.len())],
            &current[..8.min(current.len())]
        )
    })
}

pub(super) fn package_public_adoption(c: &GateCtx<'_>) -> Result<(), String> {
    let performed = c.applies(StageKind::PublicParticipation.as_str());
    ensure(!performed || c.after.public_adoption_summary.is_some(), || {
        "public participation applied; adoption summary missing".into()
    })
}

pub(super) fn package_expert_adoption(c: &GateCtx<'_>) -> Result<(), String> {
    expert_adoption_recorded(c)
}

pub(super) fn package_risk_report(c: &GateCtx<'_>) -> Result<(), String> {
    let kind = StageKind::RiskAssessment.as_str();
    let already = c.after.determination(kind).is_some_and(|d| d.outcome == Applicability::AlreadyDone);
    ensure(!c.applies(kind) || already || c.after.risk_report.is_some(), || {
        "risk assessment applied; report missing".into()
    })
}

pub(super) fn package_fair_competition(c: &GateCtx<'_>) -> Result<(), String> {
    if !c.after.flags.affects_market_entities {
        return Ok(());
    }
    ensure(c.after.fair_competition.is_some(), || {
        "the draft affects market entities and has no fair-competition review".into()
    })
}

/// The Fair Competition Review Regulation: a measure reviewed negative is not issued (its discussion is not
/// barred: the package only has to include the review, Art. 29(1)).
pub(super) fn fair_competition_passed(c: &GateCtx<'_>) -> Result<(), String> {
    if !c.after.flags.affects_market_entities {
        return Ok(());
    }
    ensure(c.after.fair_competition.as_ref().is_some_and(|f| f.passed), || {
        "the fair-competition review is missing or negative".into()
    })
}
