//! Checks of public participation and hearings (Arts. 14–18).

use chrono::{DateTime, Utc};

use super::{ensure, GateCtx};
use crate::calendar::cst;
use crate::calendar::period::{calendar_day_period, latest_day_before};
use crate::definition::StageKind;
use crate::facts::CommentNotice;

pub(super) fn comment_period_min(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(n) = c.after.comment_notices.last() else { return Err("no notice".into()) };
    ensure(n.days >= c.params.comment_min_days || n.shortening_reason.is_some(), || {
        format!("{} days < {} and no shortening reason stated in the notice", n.days, c.params.comment_min_days)
    })
}

/// regulation.md §6: a notice below the floor needs, besides its reason, the general office's approval given
/// before it is published (`approve_comment_shortening`).
pub(super) fn comment_shortening_approved(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(n) = c.after.comment_notices.last() else { return Err("no notice".into()) };
    let approved = c.after.shortening_approvals.iter().any(|a| a.notice == Some(n.id));
    ensure(n.days >= c.params.comment_min_days || approved, || {
        format!(
            "{} days < {}: no approval of the general office for a period this short",
            n.days, c.params.comment_min_days
        )
    })
}

/// Art. 15: the period runs from the notice's publication; a start before the day it went out (China time) is a
/// backdated period.
pub(super) fn comment_start_not_backdated(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(n) = c.after.comment_notices.last() else { return Err("no notice".into()) };
    let published = n.published_at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    ensure(n.start >= published, || format!("the period starts {} but the notice is published {published}", n.start))
}

pub(super) fn comment_notice_fields(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(n) = c.after.comment_notices.last() else { return Err("no notice".into()) };
    let mut missing = Vec::new();
    if n.submission_methods.iter().all(|m| m.trim().is_empty()) {
        missing.push("submission_methods");
    }
    if !n.channels.iter().any(|ch| ch == "website") {
        missing.push("channel `website`");
    }
    ensure(missing.is_empty(), || format!("missing: {}", missing.join(", ")))
}

/// When a notice's period ends on the calendar the engine holds now. A year's official notice loaded after
/// publication may lengthen the period (a last day that became a rest day rolls forward), never shorten it: the
/// public was told the published end, so the later of the two counts — as when its deadline is recomputed
/// (`crate::notice`).
fn period_end(c: &GateCtx<'_>, n: &CommentNotice) -> DateTime<Utc> {
    n.ends_at.max(calendar_day_period(c.calendar, n.start, n.days).ends_at)
}

/// The stage cannot close before the latest notice's period has ended (or the scheduler closed it at its end).
pub(super) fn comment_period_ended(c: &GateCtx<'_>) -> Result<(), String> {
    match c.after.comment_notices.last() {
        Some(n) if n.closed_at.is_none() => {
            let end = period_end(c, n);
            ensure(c.now >= end, || cst::both("征求意见期限截至", end, "the period runs until"))
        }
        _ => Ok(()),
    }
}

pub(super) fn comment_period_open(c: &GateCtx<'_>) -> Result<(), String> {
    match c.before.comment_notices.last() {
        // Closed is closed: a clock set back, or a calendar loaded later, does not reopen it.
        Some(CommentNotice { closed_at: Some(at), .. }) => {
            Err(format!("征求意见已于{}结束 / the period was closed at {}", cst::zh(*at), cst::en(*at)))
        }
        Some(n) => {
            let end = period_end(c, n);
            ensure(c.now < end, || {
                format!("征求意见期限已于{}届满 / the period ended at {}", cst::zh(end), cst::en(end))
            })
        }
        None => Err("no comment notice has been published".into()),
    }
}

/// The scheduler closes a period once: there must be a notice whose period is not closed yet.
pub(super) fn comment_period_not_closed(c: &GateCtx<'_>) -> Result<(), String> {
    match c.before.comment_notices.last() {
        Some(CommentNotice { closed_at: Some(at), .. }) => {
            Err(format!("征求意见已于{}结束 / already closed at {}", cst::zh(*at), cst::en(*at)))
        }
        Some(_) => Ok(()),
        None => Err("no comment notice has been published".into()),
    }
}

pub(super) fn participation_activity(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(!c.after.activities.is_empty() || !c.after.comment_notices.is_empty(), || {
        "no participation activity recorded".into()
    })
}

pub(super) fn opinions_disposed(c: &GateCtx<'_>) -> Result<(), String> {
    let open: Vec<String> =
        c.after.opinions.iter().filter(|o| o.disposition.is_none()).map(|o| format!("#{}", o.id)).collect();
    ensure(open.is_empty(), || format!("{} opinion(s) without disposition: {}", open.len(), open.join(", ")))
}

pub(super) fn disposition_reason(c: &GateCtx<'_>) -> Result<(), String> {
    let reasoned = c.str("reason").is_some();
    ensure(reasoned || c.str("outcome") == Some("adopted"), || "an opinion not (fully) adopted needs a reason".into())
}

pub(super) fn specific_group_consulted(c: &GateCtx<'_>) -> Result<(), String> {
    if !c.after.flags.specific_group_interest {
        return Ok(());
    }
    let ok = c
        .after
        .activities
        .iter()
        .any(|a| a.participant_types.iter().any(|t| ["人民团体", "社会组织", "群众代表"].contains(&t.as_str())));
    ensure(ok, || "no activity with 人民团体, 社会组织 or 群众代表".into())
}

pub(super) fn hearing_notice_on_time(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(h) = &c.after.hearing else { return Err("no hearing notice".into()) };
    let (Some(date), Some(published)) = (h.date, h.notice_published_at) else { return Err("no hearing date".into()) };
    let published = published.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let latest = latest_day_before(date, c.params.hearing_notice_min_days);
    ensure(published <= latest, || format!("notice published {published}, must be on or before {latest}"))
}

pub(super) fn hearing_sides_represented(c: &GateCtx<'_>) -> Result<(), String> {
    if !c.applies(StageKind::Hearing.as_str()) {
        return Ok(());
    }
    let Some(h) = &c.after.hearing else { return Err("no hearing".into()) };
    let missing: Vec<&str> =
        h.sides.iter().filter(|s| !h.participants.iter().any(|p| &p.side == *s)).map(String::as_str).collect();
    ensure(missing.is_empty(), || format!("sides without a participant: {}", missing.join(", ")))?;
    let n = h.participants.len() as u32;
    ensure(n >= c.params.hearing_min_participants, || {
        format!("{n} participants, the jurisdiction requires {}", c.params.hearing_min_participants)
    })
}

pub(super) fn hearing_materials_on_time(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(h) = &c.after.hearing else { return Ok(()) };
    let Some(date) = h.date else { return Err("no hearing date".into()) };
    let latest = latest_day_before(date, c.params.hearing_materials_min_days);
    let late: Vec<String> = h
        .participants
        .iter()
        .filter(|p| p.materials_delivered_on.is_none_or(|d| d > latest))
        .map(|p| p.name.clone())
        .collect();
    ensure(late.is_empty(), || format!("materials not delivered by {latest}: {}", late.join(", ")))
}

pub(super) fn hearing_record_confirmed(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(h) = &c.after.hearing else { return Ok(()) };
    let open: Vec<&str> =
        h.participants.iter().filter(|p| !p.signed && p.refusal_reason.is_none()).map(|p| p.name.as_str()).collect();
    ensure(open.is_empty(), || format!("neither signed nor refused with a reason: {}", open.join(", ")))
}

/// Art. 16(3): "需要遴选听证参加人的" — the method is published first only where participants are selected.
pub(super) fn hearing_selection_method_published(c: &GateCtx<'_>) -> Result<(), String> {
    if c.before.hearing.as_ref().is_some_and(|h| h.no_selection) {
        return Ok(());
    }
    let published = c.before.hearing.as_ref().is_some_and(|h| h.selection_method.is_some());
    ensure(published, || "the participant-selection method has not been published".into())
}

pub(super) fn hearing_list_before_hearing(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(h) = &c.after.hearing else { return Ok(()) };
    let (Some(at), Some(date)) = (h.list_published_at, h.date) else {
        return Err("the participant list has not been published".into());
    };
    let day = at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    ensure(day < date, || format!("the list was published {day}, not before the hearing on {date}"))
}

pub(super) fn hearing_record_segments(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(h) = &c.after.hearing else { return Ok(()) };
    let ok = h.record.as_ref().is_some_and(|r| !r.presentation.trim().is_empty() && !r.statements.trim().is_empty());
    ensure(ok, || "the record lacks the presentation or the participants' statements".into())
}

/// A5 variant: the latest notice was shortened below the floor after it went out.
pub(super) fn notice_not_shortened_late(c: &GateCtx<'_>) -> Result<(), String> {
    match c.after.comment_notices.last() {
        Some(n) if n.non_compliant_shortening => {
            Err(format!("notice #{} was shortened to {} days after publication", n.id, n.days))
        }
        _ => Ok(()),
    }
}

/// A notice shortened below the floor after publication is not cured by its
/// late reason: a later, compliant notice must have been published and have run.
pub(super) fn late_shortening_cured(c: &GateCtx<'_>) -> Result<(), String> {
    let notices = &c.after.comment_notices;
    let Some(flagged) = notices.iter().rposition(|n| n.non_compliant_shortening) else { return Ok(()) };
    let ran = |n: &CommentNotice| n.closed_at.is_some() || c.now >= period_end(c, n);
    let cured = notices[flagged + 1..].iter().any(|n| !n.non_compliant_shortening && ran(n));
    ensure(cured, || {
        format!(
            "notice #{} was shortened below {} days after publication; a new compliant notice must be published and run",
            notices[flagged].id, c.params.comment_min_days
        )
    })
}

/// Art. 17: a hearing is held on the day it was announced; nothing of it is recorded before that day (China
/// time, by the server's clock).
pub(super) fn hearing_day_reached(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(date) = c.before.hearing.as_ref().and_then(|h| h.date) else { return Ok(()) };
    let today = c.now.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    ensure(today >= date, || format!("the hearing is announced for {date}; today is {today}"))
}

/// Art. 16(3): the list is published in advance and is the list heard; nobody joins it afterwards.
pub(super) fn hearing_list_open(c: &GateCtx<'_>) -> Result<(), String> {
    match c.before.hearing.as_ref().and_then(|h| h.list_published_at) {
        Some(at) => Err(format!(
            "听证参加人名单已于{}公布 / the participant list was published at {}",
            cst::zh(at),
            cst::en(at)
        )),
        None => Ok(()),
    }
}
