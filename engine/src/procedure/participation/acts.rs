//! Public participation and hearings (Arts. 14–18).

use chrono::NaiveDate;
use serde::Deserialize;

use crate::calendar::period::calendar_day_period;
use crate::ledger::Kind;
use crate::procedure::acts::{non_blank, HandlerCtx};
use crate::procedure::facts::{
    Activity, ChainSeal, CommentNotice, Hearing, HearingParticipant, HearingRecord, SelectionMethod,
};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoticeIn {
    channels: Vec<String>,
    submission_methods: Vec<String>,
    /// The publication day; the period counts from the day after (Civil Code Art. 201).
    start: NaiveDate,
    days: u32,
    shortening_reason: Option<String>,
}

pub(crate) fn publish_comment_notice(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let n: NoticeIn = ctx.parse()?;
    if n.days == 0 || n.days > 366 {
        return Err(ctx.invalid("`days` 应在1至366之间", "`days` must be between 1 and 366"));
    }
    let draft_hash = ctx.current_draft_hash()?;
    let period = calendar_day_period(ctx.calendar, n.start, n.days);
    let notice = CommentNotice {
        id: ctx.facts.comment_notices.len() as u32 + 1,
        draft_hash,
        channels: n.channels,
        submission_methods: n.submission_methods,
        start: n.start,
        days: n.days,
        last_day: period.last_day,
        ends_at: period.ends_at,
        shortening_reason: n.shortening_reason.filter(|r| !r.trim().is_empty()),
        published_at: ctx.now,
        closed_at: None,
        late_shortening: None,
        non_compliant_shortening: false,
        comments_at_close: None,
    };
    // A period below the floor relies on the general office's approval given for it (gate `art15_min_30_days`).
    if notice.days < ctx.params.comment_min_days {
        let id = notice.id;
        let days = notice.days;
        if let Some(a) = ctx.facts.shortening_approvals.iter_mut().rev().find(|a| a.notice.is_none() && a.days <= days)
        {
            a.notice = Some(id);
        }
    }
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "notice": notice, "period": period,
        "draft": ctx.facts.current_draft(),
    }));
    ctx.facts.comment_notices.push(notice);
    Ok(())
}

/// The scheduler's auto-act when the period ends: the latest notice is closed (its gates say when it may be).
/// The comments' count and chain head go on the decision's record with it, so that no comment can be added,
/// dropped or changed afterwards without the record showing it.
pub(crate) fn end_comment_period(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    crate::procedure::acts::advance(ctx)?;
    let now = ctx.now;
    let tally = ctx.ledger.tally(Kind::Comment);
    if let Some(n) = ctx.facts.comment_notices.last_mut() {
        n.closed_at.get_or_insert(now);
        n.comments_at_close = Some(ChainSeal { count: tally.count, head: tally.head });
    }
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActivityIn {
    method: String,
    #[serde(default)]
    participant_types: Vec<String>,
    summary: String,
}

const METHODS: [&str; 8] =
    ["symposium", "hearing", "field_visit", "written", "public_comment", "questionnaire", "poll", "other"];

pub(crate) fn record_activity(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let a: ActivityIn = ctx.parse()?;
    if !METHODS.contains(&a.method.as_str()) {
        return Err(ctx.invalid(
            format!("方式应为其中之一：{}", METHODS.join(", ")),
            format!("method must be one of {}", METHODS.join(", ")),
        ));
    }
    ctx.facts.activities.push(Activity {
        method: a.method,
        participant_types: a.participant_types,
        summary: a.summary,
    });
    Ok(())
}

/// A comment on the draft of the notice running now; written apart from the decision (see [`crate::ledger`]).
pub(crate) fn receive_comment(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let c = crate::procedure::acts::PublicText::read(ctx)?;
    let notice = ctx.facts.comment_notices.last().map(|n| n.id);
    ctx.receive(Kind::Comment, c, notice);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SummaryIn {
    text: String,
}

/// The report lists each distinct opinion once — a campaign as its first text and how many sent it — with what
/// was done with it (Art. 18); hidden text is not repeated in it.
pub(crate) fn record_public_adoption_summary(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let s: SummaryIn = ctx.parse()?;
    non_blank(ctx, "text", &s.text)?;
    ctx.facts.public_adoption_summary = Some(s.text);
    let opinions: Vec<serde_json::Value> = ctx
        .ledger
        .campaigns
        .iter()
        .map(|c| {
            let o = &c.leader;
            let content = if o.hidden.is_some() { "（已屏蔽）".to_string() } else { o.content.clone() };
            let disposition =
                o.settled.as_ref().map(|d| serde_json::json!({ "outcome": d.outcome, "reason": d.reason }));
            serde_json::json!({ "id": o.seq, "count": c.size, "content": content, "disposition": disposition })
        })
        .collect();
    let mut data = serde_json::to_value(&*ctx.facts).map_err(|e| ctx.invalid(e.to_string(), e))?;
    data["opinions"] = serde_json::Value::Array(opinions);
    *ctx.memo_data = Some(data);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HearingNoticeIn {
    date: NaiveDate,
    place: String,
    sides: Vec<String>,
    /// Whether participants are selected (default yes); if not, no selection method is published (Art. 16(3)).
    participants_selected: Option<bool>,
}

pub(crate) fn publish_hearing_notice(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let h: HearingNoticeIn = ctx.parse()?;
    non_blank(ctx, "place", &h.place)?;
    let hearing = ctx.facts.hearing.get_or_insert_with(Hearing::default);
    hearing.notice_published_at = Some(ctx.now);
    hearing.date = Some(h.date);
    hearing.place = h.place;
    hearing.sides = h.sides;
    hearing.no_selection = h.participants_selected == Some(false);
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "hearing": ctx.facts.hearing,
        "draft": ctx.facts.current_draft(),
    }));
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ParticipantIn {
    name: String,
    side: String,
    materials_delivered_on: Option<NaiveDate>,
}

pub(crate) fn add_hearing_participant(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let p: ParticipantIn = ctx.parse()?;
    non_blank(ctx, "name", &p.name)?;
    let hearing = hearing(ctx)?;
    hearing.participants.retain(|x| x.name != p.name);
    hearing.participants.push(HearingParticipant {
        name: p.name,
        side: p.side,
        materials_delivered_on: p.materials_delivered_on,
        signed: false,
        refusal_reason: None,
    });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfirmIn {
    participant: String,
    signed: bool,
    refusal_reason: Option<String>,
}

pub(crate) fn confirm_hearing_record(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let c: ConfirmIn = ctx.parse()?;
    if !c.signed && c.refusal_reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(ctx.invalid(
            "未签字的参加人应当记录拒签理由",
            "a participant who does not sign needs a recorded refusal reason",
        ));
    }
    let invalid = ctx
        .invalid(format!("没有听证参加人 `{}`", c.participant), format!("no hearing participant `{}`", c.participant));
    let p = ctx
        .facts
        .hearing
        .as_mut()
        .and_then(|h| h.participants.iter_mut().find(|p| p.name == c.participant))
        .ok_or(invalid)?;
    p.signed = c.signed;
    p.refusal_reason = c.refusal_reason;
    Ok(())
}

/// The published hearing; the gate `art16_notice_first` (a precondition) refuses the act before it runs otherwise.
fn hearing<'a>(ctx: &'a mut HandlerCtx<'_>) -> Result<&'a mut Hearing, Reason> {
    let ungated = ctx.ungated();
    ctx.facts.hearing.as_mut().ok_or(ungated)
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SelectionIn {
    criteria: String,
    quota_per_side: u32,
}

/// Art. 16(3): the selection method is published before anyone is selected.
pub(crate) fn publish_hearing_selection_method(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let m: SelectionIn = ctx.parse()?;
    non_blank(ctx, "criteria", &m.criteria)?;
    let now = ctx.now;
    hearing(ctx)?.selection_method =
        Some(SelectionMethod { criteria: m.criteria, quota_per_side: m.quota_per_side, published_at: now });
    Ok(())
}

/// Art. 16(3): the participant list is published before the hearing.
pub(crate) fn publish_hearing_participant_list(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    crate::procedure::acts::advance(ctx)?;
    let now = ctx.now;
    hearing(ctx)?.list_published_at = Some(now);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SegmentsIn {
    presentation: String,
    statements: String,
    explanations: Option<String>,
}

/// Art. 17: the record keeps the hearing's order — the unit's presentation,
/// then the participants' statements and debate — before it is signed.
pub(crate) fn record_hearing_segments(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let r: SegmentsIn = ctx.parse()?;
    let record = HearingRecord {
        presentation: r.presentation,
        statements: r.statements,
        explanations: r.explanations.filter(|e| !e.trim().is_empty()),
    };
    hearing(ctx)?.record = Some(record);
    Ok(())
}
