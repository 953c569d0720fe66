//! Tests of the work calendar against the official 2025 and 2026 notices (`workflows/calendars/`), the provisional
//! rules, and fixture notices. Expected dates are worked out by hand in the comments.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc, Weekday};

use super::period::{
    add_working_days, calendar_day_period, china_midnight_after, latest_day_before, PeriodResult, PeriodRule,
};
use super::provisional::provisional_year;
use super::{CalendarError, CalendarStatus, CalendarYear, DayKind, WorkCalendar};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().expect("valid test instant")
}

fn calendars_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../workflows/calendars")
}

fn official() -> WorkCalendar {
    WorkCalendar::load_dir(&calendars_dir()).expect("official calendars load")
}

/// The rest days of a holiday in a (provisional) year, as (first, last).
fn rest_of(year: &CalendarYear, name: &str) -> (NaiveDate, NaiveDate) {
    let h = year.holidays.iter().find(|h| h.name == name).unwrap_or_else(|| panic!("{name} missing in {}", year.year));
    assert_eq!(h.rest.len(), 1, "{name}");
    (h.rest[0].from, h.rest[0].to)
}

/// A made-up 2027 notice; its dates are invented for the test and differ from the provisional calendar on purpose.
const FIXTURE_2027: &str = r#"
year = 2027
status = "official"

[source]
title = "国务院办公厅关于2027年部分节假日安排的通知（测试用虚构通知）"
number = "测试〔2026〕1号"
published = 2026-11-20  # a bare TOML date, which is accepted too

[[holidays]]
name = "春节"
name_en = "Spring Festival"
rest = [{ from = "2027-02-06", to = "2027-02-14" }]
makeup = ["2027-02-20"]
"#;

// ---------------------------------------------------------------- official files

#[test]
fn calendar_official_files_load_and_match_the_notices() {
    let cal = official();
    // README.md and overlays/ are ignored.
    assert_eq!(cal.loaded_years(), vec![2025, 2026]);
    assert_eq!(cal.jurisdiction(), None);
    for y in [2025, 2026] {
        let info = cal.year_info(y);
        assert_eq!(info.status, CalendarStatus::Official);
        assert!(!cal.is_provisional(d(y, 6, 1)));
    }
    assert_eq!(cal.year_info(2025).source.number.as_deref(), Some("国办发明电〔2024〕12号"));
    assert_eq!(cal.year_info(2026).source.published, Some(d(2025, 11, 4)));
    // Rest days per the notices: 2025 = 1+8+3+5+3+8, 2026 = 3+9+3+5+3+3+7.
    assert_eq!(cal.year_info(2025).rest_days().count(), 28);
    assert_eq!(cal.year_info(2026).rest_days().count(), 33);

    // Make-up working days are working days although they fall on weekends.
    for m in [
        d(2025, 1, 26),
        d(2025, 2, 8),
        d(2025, 4, 27),
        d(2025, 9, 28),
        d(2025, 10, 11),
        d(2026, 1, 4),
        d(2026, 2, 14),
        d(2026, 2, 28),
        d(2026, 5, 9),
        d(2026, 9, 20),
        d(2026, 10, 10),
    ] {
        assert!(matches!(m.weekday(), Weekday::Sat | Weekday::Sun), "{m}");
        assert!(cal.is_working_day(m), "{m} is a make-up working day");
    }
    // Rest days, including weekdays inside the breaks.
    for r in [
        d(2025, 1, 1),
        d(2025, 1, 28),
        d(2025, 2, 4),
        d(2025, 4, 4),
        d(2025, 5, 5),
        d(2025, 6, 2),
        d(2025, 10, 6),
        d(2025, 10, 8),
        d(2026, 1, 2),
        d(2026, 2, 23),
        d(2026, 4, 6),
        d(2026, 5, 5),
        d(2026, 6, 19),
        d(2026, 9, 25),
        d(2026, 10, 7),
    ] {
        assert!(!cal.is_working_day(r), "{r} is a rest day");
    }
    // Ordinary days follow the weekday.
    assert_eq!(cal.day_kind(d(2026, 3, 7)), DayKind::Weekend); // Saturday
    assert_eq!(cal.day_kind(d(2026, 3, 9)), DayKind::Working); // Monday
    assert_eq!(cal.day_kind(d(2026, 10, 11)), DayKind::Weekend); // Sunday after the make-up Saturday
    assert_eq!(cal.day_kind(d(2025, 10, 1)), DayKind::Rest { holiday: "国庆节、中秋节".to_string() });
}

#[test]
fn calendar_official_notices_contain_every_statutory_holiday() {
    // The provisional rules must agree with what the State Council actually granted: every statutory rest day of
    // 2025 and 2026 (computed, lunar dates included) is a rest day in the official notice.
    let cal = official();
    for y in [2025, 2026] {
        for (day, h) in provisional_year(y).rest_days() {
            assert!(!cal.is_working_day(day), "{y}: {} on {day}", h.name);
        }
    }
}

#[test]
fn calendar_version_is_stable_and_content_based() {
    let a = official();
    let b = official();
    assert_eq!(a.version(), b.version());
    assert_eq!(a.version().len(), 16);
    assert!(a.version().chars().all(|c| c.is_ascii_hexdigit()));
    // The same years built in code give the same version: it hashes the data, not the files.
    let rebuilt = WorkCalendar::from_years(vec![a.year_info(2026), a.year_info(2025)]);
    assert_eq!(rebuilt.version(), a.version());
    assert!(!rebuilt.is_provisional(d(2025, 3, 3)));
    // Fewer years, another version.
    let fewer = WorkCalendar::from_years(vec![a.year_info(2025)]);
    assert_ne!(fewer.version(), a.version());
}

// ---------------------------------------------------------------- calendar-day periods

#[test]
fn calendar_days_across_month_end() {
    let cal = official();
    // 2026-01-31 + 30 days: Feb 2026 has 28 days, so Jan 31 + 29 = Mar 1 and + 30 = Mar 2, a Monday.
    let r = calendar_day_period(&cal, d(2026, 1, 31), 30);
    assert_eq!(r.rule, PeriodRule::CalendarDays);
    assert_eq!(r.start, d(2026, 1, 31));
    assert_eq!(r.count, 30);
    assert_eq!(r.last_day, d(2026, 3, 2));
    assert_eq!(r.ends_at, utc("2026-03-02T16:00:00Z"));
    assert!(!r.provisional);
    assert_eq!(r.calendar_version, cal.version());
    assert_eq!(r.days.len(), 2);
    assert!(!r.days[0].counted);
    assert!(r.days[1].counted);
    assert!(r.days[1].note.starts_with("counted 30/30"), "{}", r.days[1].note);

    // + 29 days = 2026-03-01, a Sunday: rolls to Monday 03-02.
    let r = calendar_day_period(&cal, d(2026, 1, 31), 29);
    assert_eq!(r.last_day, d(2026, 3, 2));
    assert_eq!(r.days.len(), 3);
    assert!(r.days[1].note.contains("weekend"), "{}", r.days[1].note);

    // + 28 days = 2026-02-28, a Saturday but a make-up working day (春节): no roll.
    let r = calendar_day_period(&cal, d(2026, 1, 31), 28);
    assert_eq!(r.last_day, d(2026, 2, 28));
    assert_eq!(r.ends_at, utc("2026-02-28T16:00:00Z"));
}

#[test]
fn calendar_days_ending_on_new_years_eve() {
    let cal = official();
    // 2025-12-01 + 30 = 2025-12-31, a Wednesday and a working day: ends 2026-01-01 00:00 CST.
    let r = calendar_day_period(&cal, d(2025, 12, 1), 30);
    assert_eq!(r.last_day, d(2025, 12, 31));
    assert_eq!(r.last_day.weekday(), Weekday::Wed);
    assert_eq!(r.ends_at, utc("2025-12-31T16:00:00Z"));
    assert!(!r.provisional);
}

#[test]
fn calendar_days_across_year_end_roll_onto_sunday_makeup_day() {
    let cal = official();
    // 2025-12-02 + 30 = 2026-01-01 (Thu), 元旦 rest 01-01..01-03; 01-04 is a Sunday make-up working day, so the
    // period ends there.
    let r = calendar_day_period(&cal, d(2025, 12, 2), 30);
    assert_eq!(r.last_day, d(2026, 1, 4));
    assert_eq!(r.last_day.weekday(), Weekday::Sun);
    assert_eq!(r.ends_at, utc("2026-01-04T16:00:00Z"));
    let dates: Vec<NaiveDate> = r.days.iter().map(|c| c.date).collect();
    assert_eq!(dates, vec![d(2025, 12, 2), d(2026, 1, 1), d(2026, 1, 2), d(2026, 1, 3), d(2026, 1, 4)]);
    assert!(r.days[2].note.contains("rest day (元旦)"), "{}", r.days[2].note);
    assert!(r.days[4].note.contains("make-up working day (元旦)"), "{}", r.days[4].note);
}

#[test]
fn calendar_days_ending_in_national_day_break_roll_to_october_8() {
    let cal = official();
    assert_eq!(d(2026, 10, 8).weekday(), Weekday::Thu);
    assert!(cal.is_working_day(d(2026, 10, 8)));
    // Nominal ends 2026-10-01..10-07 (rest days of 国庆节) all roll to Thursday 10-08.
    for day in 1..=7 {
        let nominal = d(2026, 10, day);
        let start = latest_day_before(nominal, 30);
        let r = calendar_day_period(&cal, start, 30);
        assert_eq!(r.last_day, d(2026, 10, 8), "nominal end {nominal}");
        assert_eq!(r.ends_at, utc("2026-10-08T16:00:00Z"));
        assert!(r.days.iter().any(|c| c.note.contains("rest day (国庆节)")));
    }
}

#[test]
fn calendar_days_ending_on_makeup_saturday_do_not_roll() {
    let cal = official();
    // 2026-09-10 + 30 = 2026-10-10, a Saturday that is a make-up working day.
    let r = calendar_day_period(&cal, d(2026, 9, 10), 30);
    assert_eq!(r.last_day, d(2026, 10, 10));
    assert_eq!(r.last_day.weekday(), Weekday::Sat);
    assert_eq!(r.ends_at, utc("2026-10-10T16:00:00Z"));
    assert_eq!(r.days.len(), 2);
}

#[test]
fn calendar_days_ending_on_plain_saturday_roll_to_monday() {
    let cal = official();
    // 2026-09-17 + 30 = 2026-10-17 (Sat) → Sun 10-18 → Mon 10-19.
    let r = calendar_day_period(&cal, d(2026, 9, 17), 30);
    assert_eq!(r.last_day, d(2026, 10, 19));
    assert_eq!(r.days.len(), 4);
}

#[test]
fn calendar_zero_day_period_ends_with_its_start_or_next_working_day() {
    let cal = official();
    let r = calendar_day_period(&cal, d(2026, 3, 4), 0); // Wednesday
    assert_eq!(r.last_day, d(2026, 3, 4));
    let r = calendar_day_period(&cal, d(2026, 3, 7), 0); // Saturday
    assert_eq!(r.last_day, d(2026, 3, 9));
}

// ---------------------------------------------------------------- working days

#[test]
fn calendar_working_days_across_2025_national_day() {
    let cal = official();
    // From Fri 2025-09-26, 7 working days:
    //   09-27 Sat weekend      – not counted
    //   09-28 Sun make-up day  – 1
    //   09-29 Mon              – 2
    //   09-30 Tue              – 3
    //   10-01 Wed .. 10-08 Wed – rest (国庆节、中秋节), not counted
    //   10-09 Thu              – 4
    //   10-10 Fri              – 5
    //   10-11 Sat make-up day  – 6
    //   10-12 Sun weekend      – not counted
    //   10-13 Mon              – 7  → last day 2025-10-13
    assert_eq!(d(2025, 9, 26).weekday(), Weekday::Fri);
    let r = add_working_days(&cal, d(2025, 9, 26), 7);
    assert_eq!(r.rule, PeriodRule::WorkingDays);
    assert_eq!(r.last_day, d(2025, 10, 13));
    assert_eq!(r.ends_at, utc("2025-10-13T16:00:00Z"));
    assert!(!r.provisional);
    // Start day + 17 days examined.
    assert_eq!(r.days.len(), 18);
    let counted: Vec<NaiveDate> = r.days.iter().filter(|c| c.counted).map(|c| c.date).collect();
    assert_eq!(
        counted,
        vec![
            d(2025, 9, 28),
            d(2025, 9, 29),
            d(2025, 9, 30),
            d(2025, 10, 9),
            d(2025, 10, 10),
            d(2025, 10, 11),
            d(2025, 10, 13)
        ]
    );
    let day = |date: NaiveDate| r.days.iter().find(|c| c.date == date).expect("examined");
    assert_eq!(day(d(2025, 9, 28)).note, "counted 1/7: make-up working day (国庆节、中秋节)");
    assert_eq!(day(d(2025, 9, 27)).note, "not counted: weekend");
    assert_eq!(day(d(2025, 10, 5)).note, "not counted: rest day (国庆节、中秋节)");
    assert_eq!(day(d(2025, 10, 13)).note, "counted 7/7: working day");
}

#[test]
fn calendar_working_days_across_2026_spring_festival() {
    let cal = official();
    // From Thu 2026-02-12, 7 working days:
    //   02-13 Fri              – 1
    //   02-14 Sat make-up day  – 2
    //   02-15 Sun .. 02-23 Mon – rest (春节), not counted
    //   02-24 Tue – 3, 02-25 Wed – 4, 02-26 Thu – 5, 02-27 Fri – 6
    //   02-28 Sat make-up day  – 7  → last day 2026-02-28
    assert_eq!(d(2026, 2, 12).weekday(), Weekday::Thu);
    let r = add_working_days(&cal, d(2026, 2, 12), 7);
    assert_eq!(r.last_day, d(2026, 2, 28));
    assert_eq!(r.ends_at, utc("2026-02-28T16:00:00Z"));
    let not_counted = r.days.iter().skip(1).filter(|c| !c.counted).count();
    assert_eq!(not_counted, 9);
    assert!(!r.provisional);
}

#[test]
fn calendar_working_days_zero_is_the_start_day() {
    let cal = official();
    let r = add_working_days(&cal, d(2026, 3, 4), 0);
    assert_eq!(r.last_day, d(2026, 3, 4));
    assert_eq!(r.days.len(), 1);
}

// ---------------------------------------------------------------- provisional years

#[test]
fn calendar_provisional_rules_give_the_known_festival_dates() {
    // Lunar dates from the crate, checked against the published dates of the festivals.
    struct Known {
        year: i32,
        eve: NaiveDate,
        qingming: NaiveDate,
        dragon_boat: NaiveDate,
        mid_autumn: NaiveDate,
    }
    let known = [
        Known {
            year: 2024,
            eve: d(2024, 2, 9),
            qingming: d(2024, 4, 4),
            dragon_boat: d(2024, 6, 10),
            mid_autumn: d(2024, 9, 17),
        },
        Known {
            year: 2025,
            eve: d(2025, 1, 28),
            qingming: d(2025, 4, 4),
            dragon_boat: d(2025, 5, 31),
            mid_autumn: d(2025, 10, 6),
        },
        Known {
            year: 2026,
            eve: d(2026, 2, 16),
            qingming: d(2026, 4, 5),
            dragon_boat: d(2026, 6, 19),
            mid_autumn: d(2026, 9, 25),
        },
        Known {
            year: 2027,
            eve: d(2027, 2, 5),
            qingming: d(2027, 4, 5),
            dragon_boat: d(2027, 6, 9),
            mid_autumn: d(2027, 9, 15),
        },
    ];
    for k in known {
        let y = provisional_year(k.year);
        assert_eq!(y.status, CalendarStatus::Provisional);
        assert_eq!(y.holidays.len(), 7, "{}", k.year);
        assert_eq!(y.makeup_days().count(), 0, "no make-up days are guessed");
        let eve_plus_3 = k.eve + chrono::Days::new(3);
        assert_eq!(rest_of(&y, "春节"), (k.eve, eve_plus_3), "{}", k.year);
        assert_eq!(rest_of(&y, "清明节"), (k.qingming, k.qingming));
        assert_eq!(rest_of(&y, "端午节"), (k.dragon_boat, k.dragon_boat));
        assert_eq!(rest_of(&y, "中秋节"), (k.mid_autumn, k.mid_autumn));
        assert_eq!(rest_of(&y, "元旦"), (d(k.year, 1, 1), d(k.year, 1, 1)));
        assert_eq!(rest_of(&y, "劳动节"), (d(k.year, 5, 1), d(k.year, 5, 2)));
        assert_eq!(rest_of(&y, "国庆节"), (d(k.year, 10, 1), d(k.year, 10, 3)));
    }
    // 春节 2027 (正月初一) is 2027-02-06.
    assert_eq!(provisional_year(2027).rest_days().nth(2).map(|(day, _)| day), Some(d(2027, 2, 6)));
}

#[test]
fn calendar_provisional_2027_until_its_notice_is_loaded() {
    let mut cal = official();
    let before = cal.version();
    assert!(cal.is_provisional(d(2027, 3, 1)));
    assert_eq!(cal.year_info(2027).status, CalendarStatus::Provisional);
    // Provisional 春节 2027: 除夕 Fri 02-05 to 初三 Mon 02-08.
    assert!(cal.is_working_day(d(2027, 2, 4)));
    for day in 5..=8 {
        assert!(!cal.is_working_day(d(2027, 2, day)), "2027-02-{day:02}");
    }
    assert!(cal.is_working_day(d(2027, 2, 9)));
    assert_eq!(cal.day_kind(d(2027, 2, 8)), DayKind::Rest { holiday: "春节".to_string() });
    // From Thu 02-04, 3 working days: 02-05..02-08 rest, 02-09 Tue 1, 02-10 2, 02-11 3.
    let r = add_working_days(&cal, d(2027, 2, 4), 3);
    assert_eq!(r.last_day, d(2027, 2, 11));
    assert!(r.provisional);
    // A period starting in an official year that reaches into 2027 is provisional too.
    assert!(calendar_day_period(&cal, d(2026, 12, 20), 30).provisional);
    assert!(!calendar_day_period(&cal, d(2026, 11, 20), 30).provisional);

    cal.add_year_file(FIXTURE_2027).expect("fixture notice loads");
    let after = cal.version();
    assert_ne!(before, after);
    assert!(!cal.is_provisional(d(2027, 3, 1)));
    let info = cal.year_info(2027);
    assert_eq!(info.status, CalendarStatus::Official);
    assert_eq!(info.source.published, Some(d(2026, 11, 20)));
    // The fixture's 春节 runs Sat 02-06 to Sun 02-14, with Sat 02-20 worked.
    assert!(cal.is_working_day(d(2027, 2, 5)));
    assert!(!cal.is_working_day(d(2027, 2, 8)));
    assert!(!cal.is_working_day(d(2027, 2, 14)));
    assert!(cal.is_working_day(d(2027, 2, 20)));
    // From Thu 02-04, 3 working days: Fri 02-05 1, 02-06..02-14 rest, Mon 02-15 2, Tue 02-16 3.
    let r = add_working_days(&cal, d(2027, 2, 4), 3);
    assert_eq!(r.last_day, d(2027, 2, 16));
    assert!(!r.provisional);
    assert_eq!(r.calendar_version, after);

    // Loading the same notice again changes nothing; a different 2027 notice is refused.
    cal.add_year_file(FIXTURE_2027).expect("same notice again is a no-op");
    assert_eq!(cal.version(), after);
    let altered = FIXTURE_2027.replace("2027-02-20", "2027-02-21");
    match cal.add_year_file(&altered) {
        Err(CalendarError::DuplicateYear { year: 2027, .. }) => {}
        other => panic!("expected DuplicateYear, got {other:?}"),
    }
}

// ---------------------------------------------------------------- instants and "before" days

#[test]
fn calendar_period_ends_exactly_at_midnight_cst() {
    let day = d(2026, 3, 2);
    let end = china_midnight_after(day);
    assert_eq!(end, utc("2026-03-02T16:00:00Z"));
    // The same instant as 2026-03-03 00:00 in Asia/Shanghai.
    let shanghai = chrono_tz::Asia::Shanghai.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).single().expect("unambiguous");
    assert_eq!(end, shanghai.with_timezone(&Utc));
    let r = add_working_days(&official(), d(2026, 2, 27), 1); // Fri → Sat 02-28 (make-up day)
    assert_eq!(r.last_day, d(2026, 2, 28));
    assert_eq!(r.ends_at, utc("2026-02-28T16:00:00Z"));
}

#[test]
fn calendar_latest_day_before_counts_back_calendar_days() {
    // Materials for a hearing on 2026-03-10 due "at least 7 days before": on or before 2026-03-03.
    assert_eq!(latest_day_before(d(2026, 3, 10), 7), d(2026, 3, 3));
    assert_eq!(latest_day_before(d(2026, 3, 1), 7), d(2026, 2, 22));
    assert_eq!(latest_day_before(d(2026, 1, 3), 7), d(2025, 12, 27));
    assert_eq!(latest_day_before(d(2026, 3, 10), 0), d(2026, 3, 10));
}

#[test]
fn calendar_period_result_serializes_with_snake_case_rule() {
    let r = add_working_days(&official(), d(2026, 2, 12), 2);
    let json = serde_json::to_value(&r).expect("serializes");
    assert_eq!(json["rule"], "working_days");
    assert_eq!(json["last_day"], "2026-02-14");
    let back: PeriodResult = serde_json::from_value(json).expect("deserializes");
    assert_eq!(back, r);
}

// ---------------------------------------------------------------- overlays

#[test]
fn calendar_overlay_adds_local_rest_days() {
    let base = official();
    assert!(base.is_working_day(d(2026, 8, 6)));
    let path = calendars_dir().join("overlays/example-prefecture-2026.toml");
    let cal = base.clone().with_overlay_file(&path).expect("example overlay loads");
    assert!(cal.jurisdiction().is_some_and(|j| j.contains("fictional")));
    for day in 6..=8 {
        assert!(!cal.is_working_day(d(2026, 8, day)), "2026-08-{day:02}");
    }
    assert!(cal.is_working_day(d(2026, 8, 10)));
    assert_ne!(cal.version(), base.version());
    assert_eq!(cal.overlays_for(2026).len(), 1);
    // Thu 08-06 .. Sat 08-08 rest, Sun 08-09 weekend: 2 working days from Wed 08-05 end on Tue 08-11.
    assert_eq!(add_working_days(&cal, d(2026, 8, 5), 2).last_day, d(2026, 8, 11));

    let overlay = cal.overlays_for(2026).remove(0);
    let mut anonymous = overlay.clone();
    anonymous.jurisdiction = None;
    assert!(matches!(base.clone().with_overlay(anonymous), Err(CalendarError::MissingJurisdiction { .. })));
    let mut other = overlay.clone();
    other.jurisdiction = Some("另一自治县".to_string());
    other.year = 2025;
    other.holidays[0].rest[0].from = d(2025, 8, 6);
    other.holidays[0].rest[0].to = d(2025, 8, 6);
    assert!(matches!(cal.with_overlay(other), Err(CalendarError::JurisdictionMismatch { .. })));
}

// ---------------------------------------------------------------- loading errors

fn year_text(body: &str) -> String {
    format!(
        "year = 2030\nstatus = \"official\"\n[source]\ntitle = \"test notice\"\n\n[[holidays]]\n\
         name = \"春节\"\nname_en = \"Spring Festival\"\n{body}\n"
    )
}

fn parse_err(body: &str) -> CalendarError {
    match CalendarYear::from_toml_str(&year_text(body), "fixtures/2030.toml") {
        Err(e) => {
            assert!(e.to_string().contains("fixtures/2030.toml"), "{e}");
            e
        }
        Ok(y) => panic!("expected an error, parsed {y:?}"),
    }
}

#[test]
fn calendar_load_errors_name_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("2030.toml"), "year = 2030\nstatus = ").expect("write");
    std::fs::write(dir.path().join("README.md"), "not a calendar").expect("write");
    let err = WorkCalendar::load_dir(dir.path()).expect_err("malformed file");
    assert!(matches!(err, CalendarError::Malformed { .. }), "{err:?}");
    assert!(err.to_string().contains("2030.toml"), "{err}");

    let err = WorkCalendar::load_dir(&dir.path().join("missing")).expect_err("no dir");
    assert!(matches!(err, CalendarError::ReadDir { .. }), "{err:?}");
}

#[test]
fn calendar_load_errors_for_bad_contents() {
    // The base text is valid.
    CalendarYear::from_toml_str(
        &year_text("rest = [{ from = \"2030-02-02\", to = \"2030-02-08\" }]\nmakeup = [\"2030-01-26\"]"),
        "ok.toml",
    )
    .expect("valid fixture");

    let e = parse_err("rest = [{ from = \"2030-02-30\", to = \"2030-03-01\" }]");
    assert!(matches!(e, CalendarError::BadDate { .. }), "{e:?}");
    assert!(e.to_string().contains("holidays[0].rest[0].from"), "{e}");

    let e = parse_err("rest = [{ from = \"2030-2-3\", to = \"2030-02-04\" }]");
    assert!(matches!(e, CalendarError::BadDate { .. }), "{e:?}");

    let e = parse_err("rest = [{ from = 2030-02-03T08:00:00, to = 2030-02-04 }]");
    assert!(matches!(e, CalendarError::BadDate { .. }), "{e:?}");

    let e = parse_err("rest = [{ from = \"2031-01-01\", to = \"2031-01-02\" }]");
    assert!(matches!(e, CalendarError::DateOutsideYear { .. }), "{e:?}");
    let e = parse_err("makeup = [\"2029-11-24\"]");
    assert!(matches!(e, CalendarError::DateOutsideYear { .. }), "{e:?}");
    // Late December of the year before is allowed (notices have placed 元旦 days there); 2029-12-29 is a Saturday.
    CalendarYear::from_toml_str(
        &year_text("rest = [{ from = \"2029-12-30\", to = \"2030-01-01\" }]\nmakeup = [\"2029-12-29\"]"),
        "ok.toml",
    )
    .expect("December of the year before");

    let e = parse_err("rest = [{ from = \"2030-02-08\", to = \"2030-02-02\" }]");
    assert!(matches!(e, CalendarError::ReversedRange { .. }), "{e:?}");

    // 2030-02-02 is a Saturday.
    let e = parse_err("rest = [{ from = \"2030-02-02\", to = \"2030-02-08\" }]\nmakeup = [\"2030-02-02\"]");
    assert!(matches!(e, CalendarError::RestAndMakeup { .. }), "{e:?}");

    // 2030-02-11 is a Monday.
    let e = parse_err("makeup = [\"2030-02-11\"]");
    assert!(matches!(e, CalendarError::MakeupNotWeekend { .. }), "{e:?}");

    let e = parse_err("make_up = [\"2030-01-26\"]");
    assert!(matches!(e, CalendarError::Malformed { .. }), "{e:?}");

    let text = year_text("").replace("year = 2030", "year = 1800");
    assert!(matches!(CalendarYear::from_toml_str(&text, "old.toml"), Err(CalendarError::UnsupportedYear { .. })));

    let text = "year = 2030\nstatus = \"official\"\n[source]\ntitle = \"empty\"\n";
    assert!(matches!(CalendarYear::from_toml_str(text, "empty.toml"), Err(CalendarError::NoHolidays { .. })));

    let text = year_text("").replace("name = \"春节\"", "name = \" \"");
    assert!(matches!(CalendarYear::from_toml_str(&text, "blank.toml"), Err(CalendarError::EmptyName { .. })));
}

#[test]
fn calendar_load_dir_refuses_duplicate_years_and_overlays() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = year_text("rest = [{ from = \"2030-02-02\", to = \"2030-02-08\" }]");
    let b = year_text("rest = [{ from = \"2030-02-03\", to = \"2030-02-08\" }]");
    std::fs::write(dir.path().join("2030.toml"), &a).expect("write");
    std::fs::write(dir.path().join("2030-copy.toml"), &b).expect("write");
    let err = WorkCalendar::load_dir(dir.path()).expect_err("duplicate year");
    assert!(matches!(err, CalendarError::DuplicateYear { year: 2030, .. }), "{err:?}");

    std::fs::write(dir.path().join("2030-copy.toml"), &a).expect("write");
    let cal = WorkCalendar::load_dir(dir.path()).expect("identical copies are harmless");
    assert_eq!(cal.loaded_years(), vec![2030]);

    let overlay = a.replace("status = \"official\"", "status = \"official\"\njurisdiction = \"某县\"");
    std::fs::write(dir.path().join("2030-copy.toml"), overlay).expect("write");
    let err = WorkCalendar::load_dir(dir.path()).expect_err("overlay in the national folder");
    assert!(matches!(err, CalendarError::UnexpectedJurisdiction { .. }), "{err:?}");
}
