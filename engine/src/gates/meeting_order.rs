//! The meeting's order of events (Art. 30): one meeting at a time, kept whole
//! once held; a meeting date after the package and the legality opinion; the
//! decision taken at the open meeting, the minutes produced by closing it.

use chrono::{DateTime, NaiveDate, Utc};

use super::{ensure, GateCtx};

fn china_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
}

/// A meeting on record is never replaced: convening again would drop its
/// roster and stances (CD-5). A second meeting comes only after the first
/// sent the matter back, which keeps it among the earlier meetings.
pub(super) fn meeting_not_held(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(m) = &c.before.meeting else { return Ok(()) };
    let state = if m.closed_at.is_some() { "was held and closed" } else { "is in session" };
    Err(format!("meeting no. {} of {} {state}; its record stays whole", m.number, m.date))
}

/// The meeting discusses the package with its legality opinion (Arts. 25(2),
/// 29, 30(1)): its date is on or after both, on the China calendar.
pub(super) fn meeting_date_in_order(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(m) = &c.after.meeting else { return Ok(()) };
    let mut before = Vec::new();
    if let Some(p) = &c.after.package {
        before.push(("the package was submitted", china_day(p.submitted_at)));
    }
    if let Some(o) = &c.after.legality_opinion {
        before.push(("the legality opinion was issued", china_day(o.issued_at)));
    }
    let late: Vec<String> =
        before.iter().filter(|(_, d)| m.date < *d).map(|(what, d)| format!("{what} on {d}")).collect();
    ensure(late.is_empty(), || format!("the meeting date {} is before: {}", m.date, late.join("; ")))
}

/// The decision is taken at the meeting (Art. 30(1)): the meeting is open.
pub(super) fn meeting_in_session(c: &GateCtx<'_>) -> Result<(), String> {
    match &c.before.meeting {
        None => Err("no meeting has been convened".into()),
        Some(m) => ensure(m.closed_at.is_none(), || {
            format!("meeting no. {} was closed; a decision is taken at an open meeting", m.number)
        }),
    }
}

/// The decision bears the meeting's date, so the meeting must have come:
/// a decision recorded before its meeting's date is refused.
pub(super) fn meeting_date_reached(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(m) = &c.before.meeting else { return Ok(()) };
    let today = china_day(c.now);
    ensure(m.date <= today, || format!("the meeting is dated {}, today is {today}", m.date))
}

/// The minutes (纪要, Art. 30(3)) exist: the meeting was closed.
pub(super) fn minutes_recorded(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(c.before.meeting.as_ref().is_some_and(|m| m.closed_at.is_some()), || {
        "the meeting has not been closed; its minutes are not recorded".into()
    })
}
