//! The meeting's order of events (Art. 30): one meeting at a time, kept whole
//! once held; a meeting date after the package and the legality opinion; the
//! decision taken at the open meeting, the minutes produced by closing it.

use chrono::{DateTime, NaiveDate, Utc};

use crate::calendar::cst;
use crate::procedure::gates::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

fn china_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
}

/// A meeting on record is never replaced: convening again would drop its
/// roster and stances (CD-5). A second meeting comes only after the first
/// sent the matter back, which keeps it among the earlier meetings.
pub(crate) fn meeting_not_held(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(m) = &c.before.meeting else { return Ok(()) };
    let (zh, en) = if m.closed_at.is_some() {
        ("已举行并结束", "was held and closed")
    } else {
        ("正在进行", "is in session")
    };
    let (n, zd, ed) = (m.number, cst::day_zh(m.date), cst::day_en(m.date));
    Err(bi(
        format!("{zd}第{n}次会议{zh}，其记录保持完整"),
        format!("meeting no. {n} of {ed} {en}; its record stays whole"),
    ))
}

/// The meeting discusses the package with its legality opinion (Arts. 25(2),
/// 29, 30(1)): its date is on or after both, on the China calendar.
pub(crate) fn meeting_date_in_order(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(m) = &c.after.meeting else { return Ok(()) };
    let mut before = Vec::new();
    if let Some(p) = &c.after.package {
        before.push(("报送材料", "the package was submitted", china_day(p.submitted_at)));
    }
    if let Some(o) = &c.after.legality_opinion {
        before.push(("出具合法性审查意见", "the legality opinion was issued", china_day(o.issued_at)));
    }
    let late: Vec<_> = before.iter().filter(|(_, _, d)| m.date < *d).collect();
    ensure(late.is_empty(), || {
        let zh: Vec<String> = late.iter().map(|(z, _, d)| format!("{}{z}", cst::day_zh(*d))).collect();
        let en: Vec<String> = late.iter().map(|(_, e, d)| format!("{e} on {}", cst::day_en(*d))).collect();
        bi(
            format!("会议日期{}早于：{}", cst::day_zh(m.date), zh.join("；")),
            format!("the meeting date {} is before: {}", cst::day_en(m.date), en.join("; ")),
        )
    })
}

/// The decision is taken at the meeting (Art. 30(1)): the meeting is open.
pub(crate) fn meeting_in_session(c: &GateCtx<'_>) -> Result<(), Detail> {
    match &c.before.meeting {
        None => Err(bi("尚未召开会议", "no meeting has been convened")),
        Some(m) => ensure(m.closed_at.is_none(), || {
            let n = m.number;
            bi(
                format!("第{n}次会议已结束；决定应当在会议进行中作出"),
                format!("meeting no. {n} was closed; a decision is taken at an open meeting"),
            )
        }),
    }
}

/// The decision bears the meeting's date, so the meeting must have come:
/// a decision recorded before its meeting's date is refused.
pub(crate) fn meeting_date_reached(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(m) = &c.before.meeting else { return Ok(()) };
    let today = china_day(c.now);
    ensure(m.date <= today, || {
        bi(
            format!("会议日期为{}，今天是{}", cst::day_zh(m.date), cst::day_zh(today)),
            format!("the meeting is dated {}, today is {}", cst::day_en(m.date), cst::day_en(today)),
        )
    })
}

/// The minutes (纪要, Art. 30(3)) exist: the meeting was closed.
pub(crate) fn minutes_recorded(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.before.meeting.as_ref().is_some_and(|m| m.closed_at.is_some()), || {
        bi("会议尚未结束，会议纪要尚未形成", "the meeting has not been closed; its minutes are not recorded")
    })
}
