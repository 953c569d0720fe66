//! Checks of public participation and hearings (Arts. 14–18).

use chrono::{DateTime, Utc};

use crate::calendar::cst;
use crate::calendar::period::{calendar_day_period, latest_day_before};
use crate::definition::StageKind;
use crate::ledger::Kind;
use crate::procedure::facts::CommentNotice;
use crate::procedure::gates::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

fn no_notice() -> Detail {
    bi("没有征求意见公告", "no notice")
}

fn no_hearing_date() -> Detail {
    bi("没有听证日期", "no hearing date")
}

pub(crate) fn comment_period_min(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(n) = c.after.comment_notices.last() else { return Err(no_notice()) };
    ensure(n.days >= c.params.comment_min_days || n.shortening_reason.is_some(), || {
        let (days, min) = (n.days, c.params.comment_min_days);
        bi(
            format!("征求意见期限{days}日，少于{min}日，公告中未说明缩短的理由"),
            format!("{days} days < {min} and no shortening reason stated in the notice"),
        )
    })
}

/// regulation.md §6: a notice below the floor needs, besides its reason, the general office's approval given
/// before it is published (`approve_comment_shortening`).
pub(crate) fn comment_shortening_approved(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(n) = c.after.comment_notices.last() else { return Err(no_notice()) };
    let approved = c.after.shortening_approvals.iter().any(|a| a.notice == Some(n.id));
    ensure(n.days >= c.params.comment_min_days || approved, || {
        let (days, min) = (n.days, c.params.comment_min_days);
        bi(
            format!("征求意见期限{days}日，少于{min}日：缩短期限未经办公厅（室）同意"),
            format!("{days} days < {min}: no approval of the general office for a period this short"),
        )
    })
}

/// Art. 15: the period runs from the notice's publication; a start before the day it went out (China time) is a
/// backdated period.
pub(crate) fn comment_start_not_backdated(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(n) = c.after.comment_notices.last() else { return Err(no_notice()) };
    let published = n.published_at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    ensure(n.start >= published, || {
        bi(
            format!("期限自{}起算，但公告于{}发布", cst::day_zh(n.start), cst::day_zh(published)),
            format!(
                "the period starts {} but the notice is published {}",
                cst::day_en(n.start),
                cst::day_en(published)
            ),
        )
    })
}

pub(crate) fn comment_notice_fields(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(n) = c.after.comment_notices.last() else { return Err(no_notice()) };
    let mut missing = Vec::new();
    if n.submission_methods.iter().all(|m| m.trim().is_empty()) {
        missing.push(("提交意见的方式 submission_methods", "submission_methods"));
    }
    if !n.channels.iter().any(|ch| ch == "website") {
        missing.push(("政府网站 `website`", "channel `website`"));
    }
    ensure(missing.is_empty(), || {
        let zh: Vec<&str> = missing.iter().map(|m| m.0).collect();
        let en: Vec<&str> = missing.iter().map(|m| m.1).collect();
        bi(format!("缺少：{}", zh.join("、")), format!("missing: {}", en.join(", ")))
    })
}

/// When a notice's period ends on the calendar the engine holds now. A year's official notice loaded after
/// publication may lengthen the period (a last day that became a rest day rolls forward), never shorten it: the
/// public was told the published end, so the later of the two counts — as when its deadline is recomputed
/// (`crate::notice`).
fn period_end(c: &GateCtx<'_>, n: &CommentNotice) -> DateTime<Utc> {
    n.ends_at.max(calendar_day_period(c.calendar, n.start, n.days).ends_at)
}

/// The stage cannot close before the latest notice's period has ended (or the scheduler closed it at its end).
pub(crate) fn comment_period_ended(c: &GateCtx<'_>) -> Result<(), Detail> {
    match c.after.comment_notices.last() {
        Some(n) if n.closed_at.is_none() => {
            let end = period_end(c, n);
            ensure(c.now >= end, || cst::both("征求意见期限截至", end, "the period runs until"))
        }
        _ => Ok(()),
    }
}

pub(crate) fn comment_period_open(c: &GateCtx<'_>) -> Result<(), Detail> {
    match c.before.comment_notices.last() {
        // Closed is closed: a clock set back, or a calendar loaded later, does not reopen it.
        Some(CommentNotice { closed_at: Some(at), .. }) => {
            Err(bi(format!("征求意见已于{}结束", cst::zh(*at)), format!("the period was closed at {}", cst::en(*at))))
        }
        Some(n) => {
            let end = period_end(c, n);
            ensure(c.now < end, || {
                bi(format!("征求意见期限已于{}届满", cst::zh(end)), format!("the period ended at {}", cst::en(end)))
            })
        }
        None => Err(bi("尚未发布征求意见公告", "no comment notice has been published")),
    }
}

/// The scheduler closes a period once: there must be a notice whose period is not closed yet.
pub(crate) fn comment_period_not_closed(c: &GateCtx<'_>) -> Result<(), Detail> {
    match c.before.comment_notices.last() {
        Some(CommentNotice { closed_at: Some(at), .. }) => {
            Err(bi(format!("征求意见已于{}结束", cst::zh(*at)), format!("already closed at {}", cst::en(*at))))
        }
        Some(_) => Ok(()),
        None => Err(bi("尚未发布征求意见公告", "no comment notice has been published")),
    }
}

pub(crate) fn participation_activity(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(!c.after.activities.is_empty() || !c.after.comment_notices.is_empty(), || {
        bi("没有记录公众参与活动", "no participation activity recorded")
    })
}

/// Art. 18: every distinct opinion (a campaign counts once: disposing of it disposes of its members) has its
/// disposition. A hidden text needs none: hiding it, with its reason, is what was done with it.
pub(crate) fn opinions_disposed(c: &GateCtx<'_>) -> Result<(), Detail> {
    let tally = c.ledger.tally(crate::ledger::Kind::Comment);
    ensure(tally.open == 0, || {
        let n = tally.open;
        let ids: Vec<String> = tally.open_sample.iter().map(|id| format!("#{id}")).collect();
        let more = if n > ids.len() as i64 { "…" } else { "" };
        let ids = ids.join(", ");
        bi(
            format!("{n}条（组）意见尚未处理：{ids}{more}"),
            format!("{n} opinion(s) or campaign(s) without disposition: {ids}{more}"),
        )
    })
}

pub(crate) fn disposition_reason(c: &GateCtx<'_>) -> Result<(), Detail> {
    let reasoned = c.str("reason").is_some();
    ensure(reasoned || c.str("outcome") == Some("adopted"), || {
        bi("未采纳或者部分采纳的意见应当说明理由", "an opinion not (fully) adopted needs a reason")
    })
}

pub(crate) fn specific_group_consulted(c: &GateCtx<'_>) -> Result<(), Detail> {
    if !c.after.flags.specific_group_interest {
        return Ok(());
    }
    let ok = c
        .after
        .activities
        .iter()
        .any(|a| a.participant_types.iter().any(|t| ["人民团体", "社会组织", "群众代表"].contains(&t.as_str())));
    ensure(ok, || bi("没有人民团体、社会组织或者群众代表参加的活动", "no activity with 人民团体, 社会组织 or 群众代表"))
}

/// Art. 16(2), a precondition: the hearing's participants, selection method, list and record all belong to a
/// hearing whose notice has been published.
pub(crate) fn hearing_notice_published(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.before.hearing.is_some(), || bi("尚未发布听证公告", "no hearing notice published"))
}

pub(crate) fn hearing_notice_on_time(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(h) = &c.after.hearing else { return Err(bi("没有听证会公告", "no hearing notice")) };
    let (Some(date), Some(published)) = (h.date, h.notice_published_at) else { return Err(no_hearing_date()) };
    let published = published.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let latest = latest_day_before(date, c.params.hearing_notice_min_days);
    ensure(published <= latest, || {
        bi(
            format!("公告于{}发布，应当不晚于{}", cst::day_zh(published), cst::day_zh(latest)),
            format!("notice published {}, must be on or before {}", cst::day_en(published), cst::day_en(latest)),
        )
    })
}

pub(crate) fn hearing_sides_represented(c: &GateCtx<'_>) -> Result<(), Detail> {
    if !c.applies(StageKind::Hearing.as_str()) {
        return Ok(());
    }
    let Some(h) = &c.after.hearing else { return Err(bi("没有听证记录", "no hearing")) };
    let missing: Vec<&str> =
        h.sides.iter().filter(|s| !h.participants.iter().any(|p| &p.side == *s)).map(String::as_str).collect();
    ensure(missing.is_empty(), || {
        let sides = missing.join(", ");
        bi(format!("以下各方没有参加人：{sides}"), format!("sides without a participant: {sides}"))
    })?;
    let n = h.participants.len() as u32;
    ensure(n >= c.params.hearing_min_participants, || {
        let min = c.params.hearing_min_participants;
        bi(
            format!("听证参加人{n}名，本地区要求至少{min}名"),
            format!("{n} participants, the jurisdiction requires {min}"),
        )
    })
}

pub(crate) fn hearing_materials_on_time(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(h) = &c.after.hearing else { return Ok(()) };
    let Some(date) = h.date else { return Err(no_hearing_date()) };
    let latest = latest_day_before(date, c.params.hearing_materials_min_days);
    let late: Vec<String> = h
        .participants
        .iter()
        .filter(|p| p.materials_delivered_on.is_none_or(|d| d > latest))
        .map(|p| p.name.clone())
        .collect();
    ensure(late.is_empty(), || {
        let names = late.join(", ");
        bi(
            format!("未在{}前送达材料：{names}", cst::day_zh(latest)),
            format!("materials not delivered by {}: {names}", cst::day_en(latest)),
        )
    })
}

pub(crate) fn hearing_record_confirmed(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(h) = &c.after.hearing else { return Ok(()) };
    let open: Vec<&str> =
        h.participants.iter().filter(|p| !p.signed && p.refusal_reason.is_none()).map(|p| p.name.as_str()).collect();
    ensure(open.is_empty(), || {
        let names = open.join(", ");
        bi(format!("既未签字也未说明拒签理由：{names}"), format!("neither signed nor refused with a reason: {names}"))
    })
}

/// Art. 16(3): "需要遴选听证参加人的" — the method is published first only where participants are selected.
pub(crate) fn hearing_selection_method_published(c: &GateCtx<'_>) -> Result<(), Detail> {
    if c.before.hearing.as_ref().is_some_and(|h| h.no_selection) {
        return Ok(());
    }
    let published = c.before.hearing.as_ref().is_some_and(|h| h.selection_method.is_some());
    ensure(published, || bi("听证参加人遴选办法尚未公布", "the participant-selection method has not been published"))
}

pub(crate) fn hearing_list_before_hearing(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(h) = &c.after.hearing else { return Ok(()) };
    let (Some(at), Some(date)) = (h.list_published_at, h.date) else {
        return Err(bi("听证参加人名单尚未公布", "the participant list has not been published"));
    };
    let day = at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    ensure(day < date, || {
        bi(
            format!("名单于{}公布，不早于{}的听证会", cst::day_zh(day), cst::day_zh(date)),
            format!("the list was published {}, not before the hearing on {}", cst::day_en(day), cst::day_en(date)),
        )
    })
}

pub(crate) fn hearing_record_segments(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(h) = &c.after.hearing else { return Ok(()) };
    let ok = h.record.as_ref().is_some_and(|r| !r.presentation.trim().is_empty() && !r.statements.trim().is_empty());
    ensure(ok, || {
        bi("听证笔录缺少情况说明或者参加人陈述", "the record lacks the presentation or the participants' statements")
    })
}

/// A5 variant: the latest notice was shortened below the floor after it went out.
pub(crate) fn notice_not_shortened_late(c: &GateCtx<'_>) -> Result<(), Detail> {
    match c.after.comment_notices.last() {
        Some(n) if n.non_compliant_shortening => {
            let (id, days) = (n.id, n.days);
            Err(bi(
                format!("第{id}号公告发布后被缩短为{days}日"),
                format!("notice #{id} was shortened to {days} days after publication"),
            ))
        }
        _ => Ok(()),
    }
}

/// A notice shortened below the floor after publication is not cured by its
/// late reason: a later, compliant notice must have been published and have run.
pub(crate) fn late_shortening_cured(c: &GateCtx<'_>) -> Result<(), Detail> {
    let notices = &c.after.comment_notices;
    let Some(flagged) = notices.iter().rposition(|n| n.non_compliant_shortening) else { return Ok(()) };
    let ran = |n: &CommentNotice| n.closed_at.is_some() || c.now >= period_end(c, n);
    let cured = notices[flagged + 1..].iter().any(|n| !n.non_compliant_shortening && ran(n));
    ensure(cured, || {
        let (id, min) = (notices[flagged].id, c.params.comment_min_days);
        bi(
            format!("第{id}号公告发布后被缩短至少于{min}日；应当重新发布符合规定的公告并期满"),
            format!(
                "notice #{id} was shortened below {min} days after publication; a new compliant notice must be published \
                 and run"
            ),
        )
    })
}

/// Art. 17: a hearing is held on the day it was announced; nothing of it is recorded before that day (China
/// time, by the server's clock).
pub(crate) fn hearing_day_reached(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(date) = c.before.hearing.as_ref().and_then(|h| h.date) else { return Ok(()) };
    let today = c.now.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    ensure(today >= date, || {
        bi(
            format!("听证会定于{}举行；今天是{}", cst::day_zh(date), cst::day_zh(today)),
            format!("the hearing is announced for {}; today is {}", cst::day_en(date), cst::day_en(today)),
        )
    })
}

/// Art. 16(3): the list is published in advance and is the list heard; nobody joins it afterwards.
pub(crate) fn hearing_list_open(c: &GateCtx<'_>) -> Result<(), Detail> {
    match c.before.hearing.as_ref().and_then(|h| h.list_published_at) {
        Some(at) => Err(bi(
            format!("听证参加人名单已于{}公布", cst::zh(at)),
            format!("the participant list was published at {}", cst::en(at)),
        )),
        None => Ok(()),
    }
}

/// Non-disclosable matters (Art. 14(1)) take no suggestions.
pub(crate) fn matter_disclosable(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.after.non_disclosure.is_none(), || bi("该事项依法不予公开", "the matter is not to be disclosed by law"))
}

/// Each suggestion is decided once; the decision stays on record.
pub(crate) fn hearing_suggestion_undecided(c: &GateCtx<'_>) -> Result<(), Detail> {
    let id = c.payload.get("suggestion_id").and_then(|v| v.as_i64()).unwrap_or(0);
    let before = c.ledger.named(Kind::HearingSuggestion, id);
    ensure(before.is_none_or(|s| s.settled.is_none()), || {
        bi(format!("第{id}号建议已作出决定"), format!("suggestion #{id} is already decided"))
    })
}

/// A hearing the unit decided to hold, on a suggestion from the public, is held: the decision was its answer to
/// the people who asked, so the stage cannot be passed over.
pub(crate) fn no_hearing_promised(c: &GateCtx<'_>) -> Result<(), Detail> {
    let promised: Vec<String> =
        c.ledger.tally(Kind::HearingSuggestion).promised.iter().map(|id| format!("#{id}")).collect();
    ensure(promised.is_empty(), || {
        let ids = promised.join(", ");
        bi(format!("已就建议 {ids} 决定举行听证"), format!("a hearing was decided on suggestion(s) {ids}"))
    })
}

/// Where the profile says so, the stage closes only when every suggestion
/// has the unit's decision.
pub(crate) fn hearing_suggestions_decided(c: &GateCtx<'_>) -> Result<(), Detail> {
    if !c.params.hearing_suggestions_must_be_decided {
        return Ok(());
    }
    let tally = c.ledger.tally(Kind::HearingSuggestion);
    ensure(tally.open == 0, || {
        let (n, ids) = (tally.open, tally.open_sample.iter().map(|id| format!("#{id}")).collect::<Vec<_>>().join(", "));
        bi(format!("{n}条建议尚未作出决定：{ids}"), format!("{n} suggestion(s) without a decision: {ids}"))
    })
}
