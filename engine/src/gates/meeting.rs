//! Checks of the meeting, release, publication and execution (Arts. 8, 30–37).

use super::{ensure, GateCtx};
use crate::actor::Role;
use crate::acts::codes;

pub(super) fn meeting_type_lawful(c: &GateCtx<'_>) -> Result<(), String> {
    let t = c.after.meeting.as_ref().map(|m| m.meeting_type.as_str()).unwrap_or("none");
    ensure(codes::allows(codes::MEETING_TYPES, t), || {
        format!("`{t}` is not an executive (常务) or plenary (全体) meeting")
    })
}

pub(super) fn meeting_open(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(c.before.meeting.as_ref().is_some_and(|m| m.closed_at.is_none()), || "the meeting is closed".into())
}

pub(super) fn member_on_roster(c: &GateCtx<'_>) -> Result<(), String> {
    let member = c.str("member").unwrap_or_default();
    ensure(c.after.meeting.as_ref().is_some_and(|m| m.members.iter().any(|n| n == member)), || {
        format!("`{member}` is not a member of this meeting")
    })
}

/// Art. 30(2): each member states their own view. A member signed in records only their own stance (the roster
/// links them by account, not by a name anyone could share); the general office keeps the minutes for all.
pub(super) fn stance_is_own(c: &GateCtx<'_>) -> Result<(), String> {
    if c.actor.has(Role::GeneralOffice) {
        return Ok(());
    }
    let member = c.str("member").unwrap_or_default();
    let own = c.before.meeting.as_ref().and_then(|m| m.member_of(&c.actor.user_id));
    ensure(own == Some(member), || match own {
        Some(own) => format!("you are `{own}` on the roster and may record only your own stance, not `{member}`'s"),
        None => "your account is not on this meeting's roster".into(),
    })
}

/// Art. 30(2): the chief executive speaks last; after that no member's
/// stance can be added.
pub(super) fn chief_not_yet_spoken(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(c.before.meeting.as_ref().is_none_or(|m| m.chief.is_none()), || {
        "the chief executive has already spoken".into()
    })
}

/// Art. 30(2): a decision departing from the majority needs its reasons
/// given at the meeting — so with the chief's opinion, before closing.
pub(super) fn divergence_explained(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(m) = &c.after.meeting else { return Ok(()) };
    let Some(chief) = &m.chief else { return Ok(()) };
    ensure(!m.diverges(&chief.stance) || m.divergence_reason.is_some(), || {
        format!("the majority is `{}` and the decision `{}`; reasons required", m.majority(), chief.stance)
    })
}

pub(super) fn chief_adopted(c: &GateCtx<'_>) -> Result<(), String> {
    let chief = c.after.meeting.as_ref().and_then(|m| m.chief.as_ref());
    ensure(chief.is_some_and(|s| s.stance == "adopt"), || "the chief executive has not decided to adopt".into())
}

pub(super) fn party_report_answered(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(c.after.party_report.as_ref().is_some_and(|p| p.response.is_some()), || {
        "no report to the Party committee with its response (D26)".into()
    })
}

pub(super) fn npc_report_made(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(!c.after.flags.npc_report_required || c.after.npc_report.is_some(), || "the NPC report is required".into())
}

pub(super) fn executing_unit_designated(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(c.after.executing_unit.is_some(), || "no executing unit designated".into())
}

pub(super) fn publication_channels(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(p) = &c.after.publication else { return Err("no publication".into()) };
    // A lawfully non-disclosable decision (PB-3) is not published to the public.
    if !p.is_public() {
        return Ok(());
    }
    let missing: Vec<&str> = c
        .params
        .publication_required_channels
        .iter()
        .filter(|ch| !p.channels.contains(ch))
        .map(String::as_str)
        .collect();
    ensure(missing.is_empty(), || format!("required channels missing: {}", missing.join(", ")))
}

pub(super) fn publication_adoption_explanation(c: &GateCtx<'_>) -> Result<(), String> {
    let f = &c.after.flags;
    if !(f.technical || f.high_public_concern) {
        return Ok(());
    }
    let Some(p) = &c.after.publication else { return Err("no publication".into()) };
    if !p.is_public() {
        return Ok(());
    }
    ensure(p.adoption_explanation.is_some() && !p.interpretation_activities.is_empty(), || {
        "a technical or high-concern decision is published with the adoption explanation and an interpretation activity"
            .into()
    })
}

/// PB-3: a matter not to be disclosed by law goes through no public channel; its release records the ground.
pub(super) fn withheld_release_private(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(p) = c.after.publication.as_ref().filter(|p| !p.is_public()) else { return Ok(()) };
    ensure(p.channels.is_empty(), || {
        format!(
            "the matter is not to be disclosed ({}); channels given: {}",
            p.withheld.as_deref().unwrap_or_default(),
            p.channels.join(", ")
        )
    })
}

/// Art. 35(2): the public gives feedback on a decision published to it; a withheld release takes none.
pub(super) fn publicly_published(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(c.before.publicly_published(), || "the decision was not published to the public".into())
}

pub(super) fn suspension_report_linked(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(s) = &c.after.suspension else { return Err("no suspension".into()) };
    let report = s.report_index.checked_sub(1).and_then(|i| c.after.execution_reports.get(i));
    let problem = |kind: &str| crate::acts::PROBLEM_KINDS.contains(&kind);
    ensure(report.is_some_and(|r| problem(&r.kind)), || "no linked Art. 35 problem report".into())
}

pub(super) fn suspension_urgency(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(c.after.suspension.as_ref().is_some_and(|s| !s.urgency_reason.trim().is_empty()), || {
        "no urgency reason".into()
    })
}

/// Art. 36(2): not the unit that did the main demonstration or assessment.
pub(super) fn evaluator_independent(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(pe) = &c.after.post_evaluation else { return Err("no evaluation".into()) };
    let mut conflicted: Vec<&str> = Vec::new();
    if let Some(r) = &c.after.risk_report {
        conflicted.push(r.assessor.as_str());
    }
    conflicted.extend(c.after.experts.iter().filter(|e| e.institution).map(|e| e.name.as_str()));
    ensure(!conflicted.contains(&pe.evaluator.as_str()), || {
        format!("{} did the main assessment before the decision", pe.evaluator)
    })
}

/// Art. 36(3): the report shows how public opinion was heard and which of
/// the named categories took part.
pub(super) fn evaluation_report_sections(c: &GateCtx<'_>) -> Result<(), String> {
    const CATEGORIES: [&str; 5] = ["人大代表", "政协委员", "人民团体", "基层组织", "社会组织"];
    let Some(pe) = &c.after.post_evaluation else { return Err("no evaluation".into()) };
    ensure(pe.public_opinion_collection.is_some(), || "no public-opinion section".into())?;
    ensure(pe.participants.iter().any(|p| CATEGORIES.contains(&p.as_str())), || {
        format!("no participant of the categories {}", CATEGORIES.join("、"))
    })
}

/// Art. 30(2): members present express their opinions fully before the
/// chief executive; speaking first needs the chief's explicit confirmation
/// (`"confirm_unheard": true`), and the minutes name who did not speak.
pub(super) fn unheard_members_confirmed(c: &GateCtx<'_>) -> Result<(), String> {
    let unheard = unheard(c);
    let confirmed = c.payload.get("confirm_unheard").and_then(|v| v.as_bool()) == Some(true);
    ensure(unheard.is_empty() || confirmed, || {
        format!("members present who have not spoken: {}; confirm with `confirm_unheard`", unheard.join("、"))
    })
}

/// The warning side of the same rule: fires whenever members had not spoken.
pub(super) fn all_members_heard(c: &GateCtx<'_>) -> Result<(), String> {
    let unheard = unheard(c);
    ensure(unheard.is_empty(), || format!("did not speak: {}", unheard.join("、")))
}

fn unheard(c: &GateCtx<'_>) -> Vec<String> {
    c.after.meeting.as_ref().map(|m| m.unheard.clone()).unwrap_or_default()
}
