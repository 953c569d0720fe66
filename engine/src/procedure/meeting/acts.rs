//! Collective discussion and decision (Art. 30).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::codes;
use crate::procedure::acts::{non_blank, HandlerCtx};
use crate::procedure::facts::{DecisionOutcome, Meeting, Stance, Tally};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConveneIn {
    #[cfg_attr(feature = "openapi", schema(schema_with = codes::schemas::meeting_type))]
    meeting_type: String,
    date: NaiveDate,
    members: Vec<MemberIn>,
}

/// A member of the roster: a name, or a name with the account they sign in with to record their own stance.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum MemberIn {
    Name(String),
    Account(AccountIn),
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountIn {
    name: String,
    user: String,
}

pub(crate) fn convene_meeting(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let c: ConveneIn = ctx.parse()?;
    if c.members.is_empty() {
        return Err(
            ctx.invalid("会议需要列明本机关的组成人员", "the meeting needs its members from the organ's roster")
        );
    }
    let mut members = Vec::with_capacity(c.members.len());
    let mut accounts = BTreeMap::new();
    for m in c.members {
        let (name, user) = match m {
            MemberIn::Name(name) => (name, None),
            MemberIn::Account(a) => (a.name, Some(a.user)),
        };
        non_blank(ctx, "members[].name", &name)?;
        if members.contains(&name) {
            return Err(ctx.invalid(format!("`{name}` 被列了两次"), format!("`{name}` is listed twice")));
        }
        if let Some(user) = user {
            non_blank(ctx, "members[].user", &user)?;
            if accounts.values().any(|u| *u == user) {
                return Err(ctx.invalid(
                    format!("账户 `{user}` 被分配给了两名组成人员"),
                    format!("account `{user}` is given to two members"),
                ));
            }
            accounts.insert(name.clone(), user);
        }
        members.push(name);
    }
    // The gates refuse a second convening while a meeting is on record;
    // after a sending back the earlier meeting is kept whole and numbered.
    let number = ctx.facts.earlier_meetings.len() as u32 + 1;
    ctx.facts.meeting = Some(Meeting {
        number,
        meeting_type: c.meeting_type,
        date: c.date,
        members,
        accounts,
        stances: Vec::new(),
        chief: None,
        unheard: Vec::new(),
        divergence_reason: None,
        closed_at: None,
        tally: Tally::of(&[]),
    });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StanceIn {
    member: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = codes::schemas::stance))]
    stance: String,
    words: String,
}

/// The convened meeting; the gate `art30_meeting_not_convened` (a precondition) refuses the act before it runs
/// otherwise.
fn meeting_mut<'a>(ctx: &'a mut HandlerCtx<'_>) -> Result<&'a mut Meeting, Reason> {
    let ungated = ctx.ungated();
    ctx.facts.meeting.as_mut().ok_or(ungated)
}

pub(crate) fn record_stance(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let s: StanceIn = ctx.parse()?;
    if !codes::allows(codes::STANCES, &s.stance) {
        return Err(ctx.invalid(
            format!("意见应为其中之一：{}", codes::list(codes::STANCES)),
            format!("stance must be one of {}", codes::list(codes::STANCES)),
        ));
    }
    non_blank(ctx, "words", &s.words)?;
    let now = ctx.now;
    let m = meeting_mut(ctx)?;
    // Minutes are append-only: a member's later stance is a new entry, the
    // earlier one stays in the record marked superseded and is no longer
    // counted, so each member present counts once, with their latest stance.
    for earlier in m.stances.iter_mut().filter(|e| e.member == s.member) {
        earlier.superseded = true;
    }
    m.stances.push(Stance { member: s.member, stance: s.stance, words: s.words, at: now, superseded: false });
    m.tally = Tally::of(&m.stances);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChiefIn {
    #[cfg_attr(feature = "openapi", schema(schema_with = codes::schemas::chief_decision))]
    decision: String,
    words: String,
    divergence_reason: Option<String>,
    /// The chief executive goes ahead although members present have not
    /// spoken (Art. 30(2); the gate asks for it, the minutes name them).
    #[serde(default)]
    #[allow(dead_code)]
    confirm_unheard: bool,
}

pub(crate) fn record_chief_opinion(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let c: ChiefIn = ctx.parse()?;
    if !codes::allows(codes::CHIEF_DECISIONS, &c.decision) {
        return Err(ctx.invalid("决定应为 adopt 或 reject", "decision must be adopt or reject"));
    }
    non_blank(ctx, "words", &c.words)?;
    let (now, name, user) = (ctx.now, ctx.who(), ctx.actor.user_id.clone());
    let display = ctx.actor.name.clone();
    let m = meeting_mut(ctx)?;
    // The chief executive, when on the roster: by account when given one, else by name.
    let chief = m.member_of(&user).map_or(display, str::to_string);
    // Who of those present has not spoken yet; the chief executive, when on
    // the roster, speaks now.
    m.unheard =
        m.members.iter().filter(|n| **n != chief && !m.stances.iter().any(|s| &s.member == *n)).cloned().collect();
    m.chief = Some(Stance { member: name, stance: c.decision, words: c.words, at: now, superseded: false });
    m.divergence_reason = c.divergence_reason.filter(|r| !r.trim().is_empty());
    Ok(())
}

/// The minutes (纪要, Art. 30(3)) are produced by closing the meeting: they
/// follow the decision taken at it, or record that it ended without one.
pub(crate) fn close_meeting(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    crate::procedure::acts::advance(ctx)?;
    let now = ctx.now;
    let m = meeting_mut(ctx)?;
    m.closed_at.get_or_insert(now);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SendBackIn {
    reason: String,
}

/// The meeting sent the matter back (退回修改) instead of deciding: its
/// record is kept whole among the earlier meetings, and the matter returns
/// to the package, to be discussed again at a new meeting.
pub(crate) fn send_back(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let s: SendBackIn = ctx.parse()?;
    non_blank(ctx, "reason", &s.reason)?;
    if let Some(m) = ctx.facts.meeting.take() {
        ctx.facts.earlier_meetings.push(m);
    }
    ctx.facts.sent_back.push(crate::procedure::facts::SentBack { reason: s.reason, by: ctx.who(), at: ctx.now });
    Ok(())
}

pub(crate) fn decide(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    crate::procedure::acts::advance(ctx)?;
    let draft_hash = ctx.current_draft_hash()?;
    let now = ctx.now;
    let m = meeting_mut(ctx)?.clone();
    // Taken at the open meeting (the gates see to it): the decision bears
    // the meeting's date, and the minutes follow when the meeting closes.
    let outcome = DecisionOutcome {
        outcome: m.chief.as_ref().map(|c| c.stance.clone()).unwrap_or_default(),
        majority: m.majority().to_string(),
        draft_hash,
        date: Some(m.date),
        meeting: Some(m.number),
        decided_at: now,
    };
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "meeting": m, "outcome": outcome,
        "draft": ctx.facts.current_draft(), "legality_opinion": ctx.facts.legality_opinion,
        "executing_unit": ctx.facts.executing_unit,
    }));
    // An adjustment decided (Art. 37): the decision it adjusts is superseded, in the same transaction.
    if let Some(parent) = ctx.facts.origin.as_ref().map(|o| o.parent.clone()) {
        let superseded = serde_json::json!({ "child_id": ctx.decision_id, "decided_on": outcome.date });
        ctx.link(&parent, crate::act::Act::new("record_superseded", superseded));
    }
    ctx.facts.outcome = Some(outcome);
    // AC-2: the catalogue item this decision takes up is decided; its delay escalation ends.
    let listed = ctx.facts.start.as_ref().and_then(|s| s.catalogue.clone().zip(s.catalogue_item.clone()));
    if let Some((catalogue, item)) = listed {
        let decided = serde_json::json!({ "item": item, "decision_id": ctx.decision_id });
        ctx.link(&catalogue, crate::act::Act::new("record_item_decided", decided));
    }
    Ok(())
}
