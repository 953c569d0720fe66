//! Checks of the meeting (Art. 30): convened lawfully, stances from the
//! roster, every member heard, the chief executive's opinion adopted.

use crate::actor::Role;
use crate::codes;
use crate::procedure::gates::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

/// Art. 30(1), a precondition: stances, the chief executive's opinion, closing the meeting and the decision
/// belong to a convened executive or plenary meeting.
pub(crate) fn meeting_convened(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.before.meeting.is_some(), || bi("尚未召开会议", "no meeting convened"))
}

pub(crate) fn meeting_type_lawful(c: &GateCtx<'_>) -> Result<(), Detail> {
    let t = c.after.meeting.as_ref().map(|m| m.meeting_type.as_str()).unwrap_or("none");
    ensure(codes::allows(codes::MEETING_TYPES, t), || {
        bi(
            format!("`{t}` 不是常务会议或者全体会议"),
            format!("`{t}` is not an executive (常务) or plenary (全体) meeting"),
        )
    })
}

pub(crate) fn meeting_open(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.before.meeting.as_ref().is_some_and(|m| m.closed_at.is_none()), || {
        bi("会议已结束", "the meeting is closed")
    })
}

pub(crate) fn member_on_roster(c: &GateCtx<'_>) -> Result<(), Detail> {
    let member = c.str("member").unwrap_or_default();
    ensure(c.after.meeting.as_ref().is_some_and(|m| m.members.iter().any(|n| n == member)), || {
        bi(format!("`{member}` 不是本次会议的组成人员"), format!("`{member}` is not a member of this meeting"))
    })
}

/// Art. 30(2): each member states their own view. A member signed in records only their own stance (the roster
/// links them by account, not by a name anyone could share); the general office keeps the minutes for all.
pub(crate) fn stance_is_own(c: &GateCtx<'_>) -> Result<(), Detail> {
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
pub(crate) fn chief_not_yet_spoken(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.before.meeting.as_ref().is_none_or(|m| m.chief.is_none()), || {
        bi("行政首长已经发表意见", "the chief executive has already spoken")
    })
}

/// Art. 30(2): a decision departing from the majority needs its reasons
/// given at the meeting — so with the chief's opinion, before closing.
pub(crate) fn divergence_explained(c: &GateCtx<'_>) -> Result<(), Detail> {
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

pub(crate) fn chief_adopted(c: &GateCtx<'_>) -> Result<(), Detail> {
    let chief = c.after.meeting.as_ref().and_then(|m| m.chief.as_ref());
    ensure(chief.is_some_and(|s| s.stance == "adopt"), || {
        bi("行政首长未决定通过", "the chief executive has not decided to adopt")
    })
}

/// Art. 30(2): members present express their opinions fully before the
/// chief executive; speaking first needs the chief's explicit confirmation
/// (`"confirm_unheard": true`), and the minutes name who did not speak.
pub(crate) fn unheard_members_confirmed(c: &GateCtx<'_>) -> Result<(), Detail> {
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
pub(crate) fn all_members_heard(c: &GateCtx<'_>) -> Result<(), Detail> {
    let unheard = unheard(c);
    ensure(unheard.is_empty(), || {
        let names = unheard.join("、");
        bi(format!("未发言：{names}"), format!("did not speak: {names}"))
    })
}

fn unheard(c: &GateCtx<'_>) -> Vec<String> {
    c.after.meeting.as_ref().map(|m| m.unheard.clone()).unwrap_or_default()
}
