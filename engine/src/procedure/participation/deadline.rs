//! The comment period's end (Art. 15), the anchor `comment_period_end`.

use crate::calendar::period::calendar_day_period;
use crate::calendar::WorkCalendar;
use crate::procedure::deadline::Anchored;
use crate::procedure::facts::Facts;

/// The end of the latest comment notice's period.
pub(crate) fn comment_period_end(f: &Facts, cal: &WorkCalendar) -> Option<Anchored> {
    let n = f.comment_notices.last()?;
    Some((
        n.ends_at,
        serde_json::json!({
            "rule": "calendar_days", "start": n.start, "days": n.days, "last_day": n.last_day,
            "calendar_version": cal.version(),
            "provisional": calendar_day_period(cal, n.start, n.days).provisional,
        }),
    ))
}
