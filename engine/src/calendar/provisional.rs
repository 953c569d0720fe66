//! The provisional calendar of a year whose official notice has not been loaded.
//!
//! It holds the statutory holidays of 《全国年节及纪念日放假办法》 (2024 revision, Art. 2) and nothing else:
//! 元旦 1 day (1 Jan); 春节 4 days (除夕 to 正月初三); 清明 1 day (the day of the Qingming solar term); 劳动节 2 days
//! (1–2 May); 端午 1 day (lunar 5/5); 中秋 1 day (lunar 8/15); 国庆 3 days (1–3 Oct). Weekends are rest days as usual.
//!
//! Deliberately left out, because only the annual notice fixes them:
//! - make-up working days (调休上班);
//! - the substitute rest day owed when a holiday falls on a weekend (Art. 6 says it is given "on a working day" but
//!   not which one).
//!
//! Lunar dates and the Qingming solar term come from the `tyme4rs` crate, whose solar-term and new-moon algorithms
//! are those of 寿星天文历 (sxwnl). Dates are those of China Standard Time. The tests check them against the dates
//! of the 2024–2027 festivals and against the official 2025 and 2026 notices.

use chrono::{Days, NaiveDate};
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::SolarTerm;

use super::year::{CalendarSource, CalendarStatus, CalendarYear, DateRange, Holiday, SUPPORTED_YEARS};

/// Names the rules (and the algorithm) that produce provisional calendars; part of the calendar version, so a change
/// of rules changes the version of every calendar that may fall back on them.
pub(crate) const PROVISIONAL_RULES_ID: &str =
    "provisional: 全国年节及纪念日放假办法 (2024 revision) Art. 2, weekends; lunar dates: tyme4rs 1.5";

/// Builds the provisional calendar of `year`. Outside [`SUPPORTED_YEARS`] (or if the lunar computation fails) the
/// lunar holidays are omitted, leaving the fixed-date ones; such years never occur in practice.
pub(crate) fn provisional_year(year: i32) -> CalendarYear {
    let mut holidays = Vec::new();
    let mut push = |name: &str, name_en: &str, from: Option<NaiveDate>, to: Option<NaiveDate>| {
        if let (Some(from), Some(to)) = (from, to) {
            holidays.push(Holiday {
                name: name.to_string(),
                name_en: name_en.to_string(),
                rest: vec![DateRange { from, to }],
                makeup: Vec::new(),
            });
        }
    };
    let ymd = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d);
    let lunar = SUPPORTED_YEARS.contains(&year);

    push("元旦", "New Year's Day", ymd(1, 1), ymd(1, 1));
    if lunar {
        // 除夕 is the last day of the twelfth lunar month, i.e. the day before 正月初一 (month 12 may have 29 or
        // 30 days, so it is found from the new year rather than as "12/30").
        let new_year = lunar_date(year, 1, 1);
        let eve = new_year.and_then(|d| d.checked_sub_days(Days::new(1)));
        push("春节", "Spring Festival", eve, lunar_date(year, 1, 3));
        let qingming = qingming_day(year);
        push("清明节", "Qingming Festival", qingming, qingming);
    }
    push("劳动节", "Labour Day", ymd(5, 1), ymd(5, 2));
    if lunar {
        let dragon_boat = lunar_date(year, 5, 5);
        push("端午节", "Dragon Boat Festival", dragon_boat, dragon_boat);
        let mid_autumn = lunar_date(year, 8, 15);
        push("中秋节", "Mid-Autumn Festival", mid_autumn, mid_autumn);
    }
    push("国庆节", "National Day", ymd(10, 1), ymd(10, 3));

    CalendarYear {
        year,
        status: CalendarStatus::Provisional,
        jurisdiction: None,
        source: CalendarSource {
            title: format!(
                "provisional: no official notice for {year} loaded; statutory holidays of \
                 《全国年节及纪念日放假办法》 (2024 revision) and weekends only"
            ),
            number: None,
            published: None,
        },
        holidays,
    }
}

/// The Gregorian date of a (non-leap) lunar month and day of lunar year `year`.
fn lunar_date(year: i32, month: i32, day: usize) -> Option<NaiveDate> {
    // `LunarDay::new` validates and returns an error instead of panicking; the year is range-checked by the caller
    // because the crate's month lookup panics outside its own range.
    let solar = LunarDay::new(year as isize, month as isize, day).ok()?.get_solar_day();
    to_naive(solar.get_year(), solar.get_month(), solar.get_day())
}

/// The day (China Standard Time) on which the Qingming solar term begins in `year`.
fn qingming_day(year: i32) -> Option<NaiveDate> {
    let solar = SolarTerm::new(year as isize, "清明").ok()?.get_solar_day();
    to_naive(solar.get_year(), solar.get_month(), solar.get_day())
}

fn to_naive(year: isize, month: usize, day: usize) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}
