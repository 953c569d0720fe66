//! Checks of the meeting, release, publication and execution (Arts. 8, 30–37).

use super::{ensure, GateCtx};
use crate::actor::Role;
use crate::codes;
use crate::refusal::{bi, Detail};

fn no_publication() -> Detail {
    bi("没有公布记录", "no publication")
}

fn no_evaluation() -> Detail {
    bi("没有决策后评估记录", "no evaluation")
}

/// Art. 30(1), a precondition: stances, the chief executive's opinion, closing the meeting and the decision
/// belong to a convened executive or plenary meeting.
pub(super) fn meeting_convened(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.before.meeting.is_some(), || bi("尚未召开会议", "no meeting convened"))
}

pub(super) fn meeting_type_lawful(c: &GateCtx<'_>) -> Result<(), Detail> {
    let t = c.after.meeting.as_ref().map(|m| m.meeting_type.as_str()).unwrap_or("none");
    ensure(codes::allows(codes::MEETING_TYPES, t), || {
        bi(
            format!("`{t}` 不是常务会议或者全体会议"),
            format!("`{t}` is not an executive (常务) or plenary (全体) meeting"),
        )
    })
}

pub(super) fn meeting_open(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.before.meeting.as_ref().is_some_and(|m| m.closed_at.is_none()), || {
        bi("会议已结束", "the meeting is closed")
    })
}

pub(super) fn member_on_roster(c: &GateCtx<'_>) -> Result<(), Detail> {
    let member = c.str("member").unwrap_or_default();
    ensure(c.after.meeting.as_ref().is_some_and(|m| m.members.iter().any(|n| n == member)), || {
        bi(format!("`{member}` 不是本次会议的组成人员"), format!("`{member}` is not a member of this meeting"))
    })
}

/// Art. 30(2): each member states their own view. A member signed in records only their own stance (the roster
/// links them by account, not by a name anyone could share); the general office keeps the minutes for all.
pub(super) fn stance_is_own(c: &GateCtx<'_>) -> Result<(), Detail> {
    if c.actor.has(Role::GeneralOffice) {
        return Ok(());
    }
    let member = c.str("member").unwrap_or_default();
    let own = c.before.meeting.as_ref().and_then(|m| m.member_of(&c.actor.user_id));
    ensure(own == Some(member), || match own {
        Some(own) => bi(
            format!("你在名单上是 `{own}`，只能记录本人的意见，不能记录 `{member}` 的意见"),
            format!("you are `{own}` on the roster and may record only your own stance, not `{member}`'s"),
        ),
        None => bi("你的账户不在本次会议的名单上", "your account is not on this meeting's roster"),
    })
}

/// Art. 30(2): the chief executive speaks last; after that no member's
/// stance can be added.
pub(super) fn chief_not_yet_spoken(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.before.meeting.as_ref().is_none_or(|m| m.chief.is_none()), || {
        bi("行政首长已经发表意见", "the chief executive has already spoken")
    })
}

/// Art. 30(2): a decision departing from the majority needs its reasons
/// given at the meeting — so with the chief's opinion, before closing.
pub(super) fn divergence_explained(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(m) = &c.after.meeting else { return Ok(()) };
    let Some(chief) = &m.chief else { return Ok(()) };
    ensure(!m.diverges(&chief.stance) || m.divergence_reason.is_some(), || {
        let (majority, stance) = (m.majority(), &chief.stance);
        bi(
            format!("多数意见为 `{majority}`，决定为 `{stance}`；应当说明理由"),
            format!("the majority is `{majority}` and the decision `{stance}`; reasons required"),
        )
    })
}

pub(super) fn chief_adopted(c: &GateCtx<'_>) -> Result<(), Detail> {
    let chief = c.after.meeting.as_ref().and_then(|m| m.chief.as_ref());
    ensure(chief.is_some_and(|s| s.stance == "adopt"), || {
        bi("行政首长未决定通过", "the chief executive has not decided to adopt")
    })
}

pub(super) fn party_report_answered(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.after.party_report.as_ref().is_some_and(|p| p.response.is_some()), || {
        bi("没有向党委请示报告及其答复（D26）", "no report to the Party committee with its response (D26)")
    })
}

pub(super) fn npc_report_made(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(!c.after.flags.npc_report_required || c.after.npc_report.is_some(), || {
        bi("应当向本级人大常委会报告", "the NPC report is required")
    })
}

pub(super) fn executing_unit_designated(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.after.executing_unit.is_some(), || bi("未确定执行单位", "no executing unit designated"))
}

pub(super) fn publication_channels(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(p) = &c.after.publication else { return Err(no_publication()) };
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
    ensure(missing.is_empty(), || {
        let m = missing.join(", ");
        bi(format!("缺少规定的公布渠道：{m}"), format!("required channels missing: {m}"))
    })
}

pub(super) fn publication_adoption_explanation(c: &GateCtx<'_>) -> Result<(), Detail> {
    let f = &c.after.flags;
    if !(f.technical || f.high_public_concern) {
        return Ok(());
    }
    let Some(p) = &c.after.publication else { return Err(no_publication()) };
    if !p.is_public() {
        return Ok(());
    }
    ensure(p.adoption_explanation.is_some() && !p.interpretation_activities.is_empty(), || {
        bi(
            "专业性、技术性较强或者社会关注度高的决策，公布时应当附意见采纳情况说明并开展解读",
            "a technical or high-concern decision is published with the adoption explanation and an interpretation \
             activity",
        )
    })
}

/// PB-3: a matter not to be disclosed by law goes through no public channel; its release records the ground.
pub(super) fn withheld_release_private(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(p) = c.after.publication.as_ref().filter(|p| !p.is_public()) else { return Ok(()) };
    ensure(p.channels.is_empty(), || {
        let (ground, channels) = (p.withheld.as_deref().unwrap_or_default(), p.channels.join(", "));
        bi(
            format!("该事项依法不予公开（{ground}）；却给出了公布渠道：{channels}"),
            format!("the matter is not to be disclosed ({ground}); channels given: {channels}"),
        )
    })
}

/// Art. 35(2): the public gives feedback on a decision published to it; a withheld release takes none.
pub(super) fn publicly_published(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.before.publicly_published(), || bi("该决策未向社会公布", "the decision was not published to the public"))
}

pub(super) fn suspension_report_linked(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(s) = &c.after.suspension else { return Err(bi("没有停止执行的记录", "no suspension")) };
    let report = s.report_index.checked_sub(1).and_then(|i| c.after.execution_reports.get(i));
    let problem = |kind: &str| crate::codes::PROBLEM_KINDS.contains(&kind);
    ensure(report.is_some_and(|r| problem(&r.kind)), || {
        bi("没有关联的第三十五条问题报告", "no linked Art. 35 problem report")
    })
}

pub(super) fn suspension_urgency(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.after.suspension.as_ref().is_some_and(|s| !s.urgency_reason.trim().is_empty()), || {
        bi("未说明紧急情况", "no urgency reason")
    })
}

/// Art. 36(2): not the unit that did the main demonstration or assessment.
pub(super) fn evaluator_independent(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(pe) = &c.after.post_evaluation else { return Err(no_evaluation()) };
    let mut conflicted: Vec<&str> = Vec::new();
    if let Some(r) = &c.after.risk_report {
        conflicted.push(r.assessor.as_str());
    }
    conflicted.extend(c.after.experts.iter().filter(|e| e.institution).map(|e| e.name.as_str()));
    ensure(!conflicted.contains(&pe.evaluator.as_str()), || {
        let who = &pe.evaluator;
        bi(format!("{who}在决策前承担了主要论证评估工作"), format!("{who} did the main assessment before the decision"))
    })
}

/// Art. 36(3): the report shows how public opinion was heard and which of
/// the named categories took part.
pub(super) fn evaluation_report_sections(c: &GateCtx<'_>) -> Result<(), Detail> {
    const CATEGORIES: [&str; 5] = ["人大代表", "政协委员", "人民团体", "基层组织", "社会组织"];
    let Some(pe) = &c.after.post_evaluation else { return Err(no_evaluation()) };
    ensure(pe.public_opinion_collection.is_some(), || bi("缺少听取社会公众意见的部分", "no public-opinion section"))?;
    ensure(pe.participants.iter().any(|p| CATEGORIES.contains(&p.as_str())), || {
        let list = CATEGORIES.join("、");
        bi(format!("没有{list}参与"), format!("no participant of the categories {list}"))
    })
}

/// Art. 30(2): members present express their opinions fully before the
/// chief executive; speaking first needs the chief's explicit confirmation
/// (`"confirm_unheard": true`), and the minutes name who did not speak.
pub(super) fn unheard_members_confirmed(c: &GateCtx<'_>) -> Result<(), Detail> {
    let unheard = unheard(c);
    let confirmed = c.payload.get("confirm_unheard").and_then(|v| v.as_bool()) == Some(true);
    ensure(unheard.is_empty() || confirmed, || {
        let names = unheard.join("、");
        bi(
            format!("出席会议尚未发言的组成人员：{names}；以 `confirm_unheard` 确认"),
            format!("members present who have not spoken: {names}; confirm with `confirm_unheard`"),
        )
    })
}

/// The warning side of the same rule: fires whenever members had not spoken.
pub(super) fn all_members_heard(c: &GateCtx<'_>) -> Result<(), Detail> {
    let unheard = unheard(c);
    ensure(unheard.is_empty(), || {
        let names = unheard.join("、");
        bi(format!("未发言：{names}"), format!("did not speak: {names}"))
    })
}

fn unheard(c: &GateCtx<'_>) -> Vec<String> {
    c.after.meeting.as_ref().map(|m| m.unheard.clone()).unwrap_or_default()
}
