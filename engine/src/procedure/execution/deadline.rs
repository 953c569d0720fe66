//! Periodic execution reports (IM-1), the anchor `execution_report_due`.

use chrono_tz::Asia::Shanghai;

use crate::calendar::period::calendar_day_period;
use crate::calendar::WorkCalendar;
use crate::definition::Parameters;
use crate::procedure::deadline::Anchored;
use crate::procedure::facts::Facts;

/// One interval after execution began or resumed, or after the latest report since.
pub(crate) fn execution_report_due(f: &Facts, p: &Parameters, cal: &WorkCalendar) -> Option<Anchored> {
    let since = f.execution_since?;
    let last = f.execution_reports.iter().map(|r| r.at).filter(|at| *at >= since).max().unwrap_or(since);
    let start = last.with_timezone(&Shanghai).date_naive();
    let r = calendar_day_period(cal, start, p.execution_report_interval_days);
    Some((
        r.ends_at,
        serde_json::json!({
            "rule": "calendar_days", "start": start, "days": p.execution_report_interval_days,
            "last_day": r.last_day, "calendar_version": cal.version(), "provisional": r.provisional,
        }),
    ))
}
