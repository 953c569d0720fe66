//! The publication alarm (Art. 32), the anchor `publication_alarm`.

use chrono_tz::Asia::Shanghai;

use crate::calendar::period::add_working_days;
use crate::calendar::WorkCalendar;
use crate::definition::Parameters;
use crate::procedure::deadline::Anchored;
use crate::procedure::facts::Facts;

/// The working days the parameters allow for publication, counted from the day of the decision.
pub(crate) fn publication_alarm(f: &Facts, p: &Parameters, cal: &WorkCalendar) -> Option<Anchored> {
    let decided = f.outcome.as_ref()?.decided_at.with_timezone(&Shanghai).date_naive();
    let r = add_working_days(cal, decided, p.publication_alarm_working_days);
    Some((r.ends_at, serde_json::to_value(&r).ok()?))
}
