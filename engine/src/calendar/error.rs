//! Errors raised while loading calendar year files and overlays.
//!
//! Every variant names the file (or the origin given for text loaded at run time), so an administrator who loads a
//! mistyped notice learns which file to fix.

use chrono::NaiveDate;

/// A calendar file could not be read, parsed or accepted.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    /// The directory of year files could not be listed.
    #[error("{dir}: cannot list calendar directory: {source}")]
    ReadDir { dir: String, source: std::io::Error },
    /// A year file could not be read.
    #[error("{file}: cannot read calendar file: {source}")]
    Read { file: String, source: std::io::Error },
    /// The file is not valid TOML or does not have the expected keys.
    #[error("{file}: malformed calendar file: {message}")]
    Malformed { file: String, message: String },
    /// A date value is not a plain `YYYY-MM-DD` date.
    #[error("{file}: bad date {value:?} in {field}: {reason}")]
    BadDate { file: String, field: String, value: String, reason: String },
    /// The year is outside the range the engine supports.
    #[error("{file}: year {year} is outside the supported range {min}..={max}")]
    UnsupportedYear { file: String, year: i32, min: i32, max: i32 },
    /// A date does not belong to the file's year.
    #[error("{file}: date {date} ({field}) is not in year {year} (nor in December of the year before)")]
    DateOutsideYear { file: String, field: String, date: NaiveDate, year: i32 },
    /// A rest range ends before it starts.
    #[error("{file}: rest range of {holiday} runs backwards ({from} to {to})")]
    ReversedRange { file: String, holiday: String, from: NaiveDate, to: NaiveDate },
    /// The same day is listed as a rest day and as a make-up working day.
    #[error("{file}: {date} is both a rest day and a make-up working day")]
    RestAndMakeup { file: String, date: NaiveDate },
    /// A make-up working day falls on a weekday, where it would change nothing (and is almost certainly a typo).
    #[error("{file}: make-up working day {date} of {holiday} is not a Saturday or Sunday")]
    MakeupNotWeekend { file: String, holiday: String, date: NaiveDate },
    /// The file lists no holiday; a notice always has some, so the file is most likely truncated.
    #[error("{file}: lists no holidays")]
    NoHolidays { file: String },
    /// A holiday has an empty name.
    #[error("{file}: holiday #{index} has an empty name")]
    EmptyName { file: String, index: usize },
    /// Two files give the same year with different contents.
    #[error("{file}: year {year} is already loaded from {other}")]
    DuplicateYear { file: String, year: i32, other: String },
    /// A national year file carries a `jurisdiction` key; it belongs with the overlays.
    #[error("{file}: has jurisdiction {jurisdiction:?}; load it as an overlay, not as a national year file")]
    UnexpectedJurisdiction { file: String, jurisdiction: String },
    /// An overlay lacks its `jurisdiction` key.
    #[error("{file}: an overlay needs a non-empty `jurisdiction` key")]
    MissingJurisdiction { file: String },
    /// An overlay for another jurisdiction was added to a calendar that already has overlays.
    #[error("{file}: overlay for {found:?} cannot be added to a calendar for {expected:?}")]
    JurisdictionMismatch { file: String, expected: String, found: String },
}
