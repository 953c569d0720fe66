//! One year of the holiday calendar: the data of one notice, how it is read from TOML, and the checks it must pass.
//!
//! The file format is documented in `workflows/calendars/README.md`. Dates may be written as quoted strings
//! (`"2026-02-15"`) or as bare TOML dates (`2026-02-15`); both are read here rather than through chrono's serde
//! support, so that a mistyped date yields an error naming the field instead of a generic type mismatch.

use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::error::CalendarError;

/// Years a calendar file may describe, and for which provisional lunar holidays are computed. The bound keeps the
/// lunar-calendar crate inside the range where its tables are known to be sound; decisions outside it do not occur.
pub const SUPPORTED_YEARS: RangeInclusive<i32> = 1900..=2100;

/// Whether a year's calendar comes from a published notice.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum CalendarStatus {
    /// Transcribed from the State Council General Office's notice (or a local government's, for an overlay).
    Official,
    /// Computed from the statutory holidays alone; deadlines computed on it are provisional.
    Provisional,
}

/// Where a year's data comes from.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarSource {
    /// The notice's title, e.g. 国务院办公厅关于2026年部分节假日安排的通知.
    pub title: String,
    /// The document number, e.g. 国办发明电〔2024〕12号, when known.
    pub number: Option<String>,
    /// The publication date, when known.
    pub published: Option<NaiveDate>,
}

/// An inclusive range of rest days.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DateRange {
    /// Every day of the range, in order (none if the range runs backwards).
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> {
        let to = self.to;
        self.from.iter_days().take_while(move |d| *d <= to)
    }
}

/// One holiday of a notice: its rest days and the weekend days worked to make up for them.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// Chinese name as in the notice, e.g. 国庆节、中秋节.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// Rest days (放假).
    pub rest: Vec<DateRange>,
    /// Make-up working days (调休上班); always Saturdays or Sundays.
    pub makeup: Vec<NaiveDate>,
}

/// The calendar of one year: national (no jurisdiction) or a jurisdiction's overlay.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct CalendarYear {
    pub year: i32,
    pub status: CalendarStatus,
    /// Set for an overlay (local extra rest days); `None` for the national calendar.
    pub jurisdiction: Option<String>,
    pub source: CalendarSource,
    pub holidays: Vec<Holiday>,
}

// The on-disk shape. Dates stay `toml::Value` until `parse_date` so both quoted and bare dates are accepted and
// errors can name the field. `deny_unknown_fields` stops a misspelt key from silently dropping make-up days.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: i32,
    status: CalendarStatus,
    jurisdiction: Option<String>,
    source: RawSource,
    #[serde(default)]
    holidays: Vec<RawHoliday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: String,
    number: Option<String>,
    published: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name: String,
    name_en: String,
    #[serde(default)]
    rest: Vec<RawRange>,
    #[serde(default)]
    makeup: Vec<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    from: toml::Value,
    to: toml::Value,
}

impl CalendarYear {
    /// Parses and validates a year file. `file` names the source in error messages.
    pub fn from_toml_str(text: &str, file: &str) -> Result<CalendarYear, CalendarError> {
        let raw: RawYear = toml::from_str(text).map_err(|e| CalendarError::Malformed {
            file: file.to_string(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let published = match &raw.source.published {
            Some(v) => Some(parse_date(file, "source.published", v)?),
            None => None,
        };
        let mut holidays = Vec::with_capacity(raw.holidays.len());
        for (i, h) in raw.holidays.iter().enumerate() {
            let mut rest = Vec::with_capacity(h.rest.len());
            for (j, r) in h.rest.iter().enumerate() {
                rest.push(DateRange {
                    from: parse_date(file, &format!("holidays[{i}].rest[{j}].from"), &r.from)?,
                    to: parse_date(file, &format!("holidays[{i}].rest[{j}].to"), &r.to)?,
                });
            }
            let mut makeup = Vec::with_capacity(h.makeup.len());
            for (j, m) in h.makeup.iter().enumerate() {
                makeup.push(parse_date(file, &format!("holidays[{i}].makeup[{j}]"), m)?);
            }
            holidays.push(Holiday {
                name: h.name.trim().to_string(),
                name_en: h.name_en.trim().to_string(),
                rest,
                makeup,
            });
        }
        let year = CalendarYear {
            year: raw.year,
            status: raw.status,
            jurisdiction: raw.jurisdiction.map(|j| j.trim().to_string()).filter(|j| !j.is_empty()),
            source: CalendarSource { title: raw.source.title, number: raw.source.number, published },
            holidays,
        };
        year.validate(file)?;
        Ok(year)
    }

    /// Reads, parses and validates a year file from disk.
    pub fn from_file(path: &std::path::Path) -> Result<CalendarYear, CalendarError> {
        let file = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|source| CalendarError::Read { file: file.clone(), source })?;
        Self::from_toml_str(&text, &file)
    }

    /// Checks the rules listed in `workflows/calendars/README.md`. Parsing calls this; call it yourself for a
    /// `CalendarYear` built in code.
    pub fn validate(&self, file: &str) -> Result<(), CalendarError> {
        if !SUPPORTED_YEARS.contains(&self.year) {
            return Err(CalendarError::UnsupportedYear {
                file: file.to_string(),
                year: self.year,
                min: *SUPPORTED_YEARS.start(),
                max: *SUPPORTED_YEARS.end(),
            });
        }
        if self.holidays.is_empty() {
            return Err(CalendarError::NoHolidays { file: file.to_string() });
        }
        let in_window = |d: NaiveDate| d.year() == self.year || (d.year() == self.year - 1 && d.month() == 12);
        let outside = |field: String, date: NaiveDate| CalendarError::DateOutsideYear {
            file: file.to_string(),
            field,
            date,
            year: self.year,
        };
        for (i, h) in self.holidays.iter().enumerate() {
            if h.name.trim().is_empty() {
                return Err(CalendarError::EmptyName { file: file.to_string(), index: i });
            }
            for (j, r) in h.rest.iter().enumerate() {
                if !in_window(r.from) {
                    return Err(outside(format!("holidays[{i}].rest[{j}].from"), r.from));
                }
                if !in_window(r.to) {
                    return Err(outside(format!("holidays[{i}].rest[{j}].to"), r.to));
                }
                if r.from > r.to {
                    return Err(CalendarError::ReversedRange {
                        file: file.to_string(),
                        holiday: h.name.clone(),
                        from: r.from,
                        to: r.to,
                    });
                }
            }
            for (j, m) in h.makeup.iter().enumerate() {
                if !in_window(*m) {
                    return Err(outside(format!("holidays[{i}].makeup[{j}]"), *m));
                }
                if !is_weekend(*m) {
                    return Err(CalendarError::MakeupNotWeekend {
                        file: file.to_string(),
                        holiday: h.name.clone(),
                        date: *m,
                    });
                }
            }
        }
        // Checked across holidays: one holiday's make-up day may not be another's rest day either.
        for (day, _) in self.rest_days() {
            if self.makeup_days().any(|(m, _)| m == day) {
                return Err(CalendarError::RestAndMakeup { file: file.to_string(), date: day });
            }
        }
        Ok(())
    }

    /// Every rest day with the holiday it belongs to.
    pub fn rest_days(&self) -> impl Iterator<Item = (NaiveDate, &Holiday)> {
        self.holidays.iter().flat_map(|h| h.rest.iter().flat_map(move |r| r.days().map(move |d| (d, h))))
    }

    /// Every make-up working day with the holiday it belongs to.
    pub fn makeup_days(&self) -> impl Iterator<Item = (NaiveDate, &Holiday)> {
        self.holidays.iter().flat_map(|h| h.makeup.iter().map(move |d| (*d, h)))
    }

    /// A text form that depends only on the data (not on comments, key order or date spelling in the file), hashed
    /// into the calendar version. Strings are length-prefixed so no value can imitate a separator.
    pub(crate) fn canonical(&self) -> String {
        fn s(out: &mut String, key: &str, v: &str) {
            out.push_str(&format!("{key}={}:{v}\n", v.len()));
        }
        let mut out = String::new();
        out.push_str(&format!("year={}\n", self.year));
        out.push_str(match self.status {
            CalendarStatus::Official => "status=official\n",
            CalendarStatus::Provisional => "status=provisional\n",
        });
        s(&mut out, "jurisdiction", self.jurisdiction.as_deref().unwrap_or(""));
        s(&mut out, "source.title", &self.source.title);
        s(&mut out, "source.number", self.source.number.as_deref().unwrap_or(""));
        out.push_str(&format!(
            "source.published={}\n",
            self.source.published.map(|d| d.to_string()).unwrap_or_default()
        ));
        for h in &self.holidays {
            s(&mut out, "holiday.name", &h.name);
            s(&mut out, "holiday.name_en", &h.name_en);
            for r in &h.rest {
                out.push_str(&format!("rest={}..{}\n", r.from, r.to));
            }
            for m in &h.makeup {
                out.push_str(&format!("makeup={m}\n"));
            }
        }
        out
    }
}

/// Saturday or Sunday.
pub(crate) fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Accepts a quoted `YYYY-MM-DD` string or a bare TOML local date; refuses times and offsets, which would make the
/// day ambiguous.
fn parse_date(file: &str, field: &str, value: &toml::Value) -> Result<NaiveDate, CalendarError> {
    let bad = |value: String, reason: &str| CalendarError::BadDate {
        file: file.to_string(),
        field: field.to_string(),
        value,
        reason: reason.to_string(),
    };
    match value {
        toml::Value::String(s) => {
            let t = s.trim();
            if t.len() != 10 {
                return Err(bad(s.clone(), "expected YYYY-MM-DD"));
            }
            NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|e| bad(s.clone(), &format!("expected YYYY-MM-DD ({e})")))
        }
        toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .ok_or_else(|| bad(dt.to_string(), "no such day")),
            _ => Err(bad(dt.to_string(), "expected a date without time or offset")),
        },
        other => Err(bad(other.to_string(), "expected a date")),
    }
}
