//! Counting statutory periods on a [`WorkCalendar`].
//!
//! Decree 713 does not say how to count its periods, so the engine uses the 民法典 rules as a conservative default
//! (spec §1.2):
//! - the day on which the period starts is not counted (Art. 201);
//! - if the last day is a rest day, the period ends on the first working day after it (Art. 203);
//! - the last day ends at 24:00 (Art. 203), China Standard Time.
//!
//! Every result lists the days examined and why each counted or not, the calendar version used, and whether any
//! examined day fell in a provisional year, so a stored deadline can be explained and re-checked.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::WorkCalendar;

/// How a period is counted.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PeriodRule {
    /// "日": calendar days, rolled forward off a rest day at the end (民法典 Arts. 201, 203).
    CalendarDays,
    /// "工作日": working days on the calendar, counting make-up working days and skipping rest days.
    WorkingDays,
}

/// One day looked at while counting, and what it meant.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountedDay {
    pub date: NaiveDate,
    /// Whether the day counts toward the period's `count`.
    pub counted: bool,
    /// Why, e.g. "counted 3/7: working day", "not counted: rest day (国庆节)".
    pub note: String,
}

/// The outcome of counting a period, with everything needed to audit it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodResult {
    pub rule: PeriodRule,
    /// The day the period starts from (not counted).
    pub start: NaiveDate,
    /// The number of days (calendar or working) in the period.
    pub count: u32,
    /// The day on which the period ends.
    pub last_day: NaiveDate,
    /// The end of `last_day`: 24:00 China Standard Time, as a UTC instant.
    pub ends_at: DateTime<Utc>,
    /// True if any day whose status mattered fell in a year with no official notice loaded.
    pub provisional: bool,
    /// [`WorkCalendar::version`] of the calendar used.
    pub calendar_version: String,
    /// The days examined, in order, starting with the (uncounted) start day.
    pub days: Vec<CountedDay>,
}

/// 16:00 UTC is 24:00 (the next day's 00:00) in China Standard Time, UTC+8.
const CST_MIDNIGHT_IN_UTC: NaiveTime = match NaiveTime::from_hms_opt(16, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

/// The instant 24:00 China Standard Time of `day`, i.e. 00:00 CST of the next day, in UTC (16:00 UTC of `day`).
///
/// CST is a fixed UTC+8: Asia/Shanghai has observed no daylight saving since 1991, so the fixed offset equals the
/// zone for every date the engine deals with, and needs no fallible time-zone lookup.
pub fn china_midnight_after(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(CST_MIDNIGHT_IN_UTC).and_utc()
}

/// A period of `days` calendar days starting from `start` (民法典 Arts. 201, 203).
///
/// The start day is not counted, so the nominal last day is `start + days`. If that day is a rest day on `cal`
/// (a weekend or holiday; a make-up working day is a working day), the period ends on the next working day. It ends
/// at 24:00 CST of the last day. A period of 0 days ends at the end of `start` (rolled forward the same way).
pub fn calendar_day_period(cal: &WorkCalendar, start: NaiveDate, days: u32) -> PeriodResult {
    let mut list = Vec::new();
    if days > 0 {
        list.push(start_day(start));
    }
    let nominal = add_days_saturating(start, days);
    let kind = cal.day_kind(nominal);
    let mut provisional = cal.is_provisional(nominal);
    let mut last = nominal;
    if kind.is_working() {
        list.push(CountedDay {
            date: nominal,
            counted: days > 0,
            note: format!("counted {days}/{days}: {}; the period ends at 24:00 CST", kind.describe()),
        });
    } else {
        list.push(CountedDay {
            date: nominal,
            counted: days > 0,
            note: format!(
                "counted {days}/{days}: {}, so the period runs to the next working day (民法典 Art. 203)",
                kind.describe()
            ),
        });
        // Ends because the years beyond any loaded file have working days; `succ_opt` only fails at the end of
        // chrono's range, where the period is cut short rather than panicking.
        while let Some(next) = last.succ_opt() {
            last = next;
            let kind = cal.day_kind(last);
            provisional |= cal.is_provisional(last);
            if kind.is_working() {
                list.push(CountedDay {
                    date: last,
                    counted: false,
                    note: format!(
                        "{}: first working day after the rest days; the period ends at 24:00 CST",
                        kind.describe()
                    ),
                });
                break;
            }
            list.push(CountedDay { date: last, counted: false, note: format!("not counted: {}", kind.describe()) });
        }
    }
    PeriodResult {
        rule: PeriodRule::CalendarDays,
        start,
        count: days,
        last_day: last,
        ends_at: china_midnight_after(last),
        provisional,
        calendar_version: cal.version(),
        days: list,
    }
}

/// The day that is `n` working days after `from` (`from` itself is not counted, whatever it is); the period ends at
/// 24:00 CST of that day. With `n = 0` the period ends at the end of `from`.
pub fn add_working_days(cal: &WorkCalendar, from: NaiveDate, n: u32) -> PeriodResult {
    let mut list = vec![start_day(from)];
    let mut provisional = false;
    let mut day = from;
    let mut counted = 0u32;
    while counted < n {
        let Some(next) = day.succ_opt() else {
            // The end of chrono's date range: nothing sensible lies beyond, so stop instead of panicking.
            break;
        };
        day = next;
        let kind = cal.day_kind(day);
        provisional |= cal.is_provisional(day);
        if kind.is_working() {
            counted += 1;
            list.push(CountedDay {
                date: day,
                counted: true,
                note: format!("counted {counted}/{n}: {}", kind.describe()),
            });
        } else {
            list.push(CountedDay { date: day, counted: false, note: format!("not counted: {}", kind.describe()) });
        }
    }
    PeriodResult {
        rule: PeriodRule::WorkingDays,
        start: from,
        count: n,
        last_day: day,
        ends_at: china_midnight_after(day),
        provisional,
        calendar_version: cal.version(),
        days: list,
    }
}

/// The latest day on which something may happen if it must happen "at least `days` calendar days before" `date`:
/// `date − days`.
///
/// Counting as the 民法典 does (the day of the act is not counted, Art. 201), an act on `date − days` leaves exactly
/// `days` days up to and including `date`; any later day leaves fewer. So hearing materials due "at least 7 days
/// before" a hearing on 2026-03-10 must be delivered on or before 2026-03-03. The result is not moved for rest
/// days: Art. 203's roll-forward extends periods that run out on a rest day and says nothing of this case; moving
/// the day later would shorten the notice the public gets, and moving it earlier would reject a delivery made in
/// time. Saturates at the start of chrono's date range.
pub fn latest_day_before(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_sub_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MIN)
}

fn start_day(date: NaiveDate) -> CountedDay {
    CountedDay { date, counted: false, note: "start day, not counted (民法典 Art. 201)".to_string() }
}

fn add_days_saturating(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX)
}
