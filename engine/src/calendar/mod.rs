//! The work calendar: which days are working days in China, and the periods counted on them.
//!
//! Statutory periods are counted in calendar days (民法典 Arts. 201, 203) or in working days (工作日). Neither can be
//! computed from the weekday alone: each year the State Council General Office's notice moves rest days and turns
//! some Saturdays and Sundays into working days (调休上班). So the engine never assumes Monday–Friday; it asks a
//! [`WorkCalendar`] loaded from one TOML file per notice (`workflows/calendars/`).
//!
//! A year with no notice loaded falls back on a provisional calendar (see `provisional.rs`); anything computed on
//! it says so ([`WorkCalendar::is_provisional`], [`period::PeriodResult::provisional`]). Every computation also
//! names the calendar it used by [`WorkCalendar::version`], so it can be audited after a notice is added.
//!
//! Local governments may add rest days (e.g. an ethnic-minority holiday); such an overlay is added with
//! [`WorkCalendar::with_overlay`] and wins over the national calendar for the days it lists.

pub mod cst;
mod error;
pub mod period;
mod provisional;
mod year;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use error::CalendarError;
pub use year::{CalendarSource, CalendarStatus, CalendarYear, DateRange, Holiday, SUPPORTED_YEARS};

/// Hex digits of the SHA-256 kept in [`WorkCalendar::version`]: 64 bits, ample to tell calendar versions apart.
const VERSION_HEX_LEN: usize = 16;

/// Origin recorded for a year file added at run time by [`WorkCalendar::add_year_file`].
const ADDED_ORIGIN: &str = "(year file added at run time)";

/// What a day is on the calendar, and why.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayKind {
    /// A Monday–Friday that no notice makes a rest day.
    Working,
    /// A Saturday or Sunday that no notice makes a working day.
    Weekend,
    /// A rest day of the named holiday.
    Rest { holiday: String },
    /// A Saturday or Sunday worked to make up for the named holiday.
    MakeupWorking { holiday: String },
}

impl DayKind {
    /// Whether the day is a working day.
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Working | DayKind::MakeupWorking { .. })
    }

    /// A short explanation, e.g. "rest day (国庆节)" or "make-up working day (春节)".
    pub fn describe(&self) -> String {
        match self {
            DayKind::Working => "working day".to_string(),
            DayKind::Weekend => "weekend".to_string(),
            DayKind::Rest { holiday } => format!("rest day ({holiday})"),
            DayKind::MakeupWorking { holiday } => format!("make-up working day ({holiday})"),
        }
    }
}

/// Marks from files: only the days a notice changes. Other days follow the weekday.
type Marks = BTreeMap<NaiveDate, DayKind>;

/// A loaded file and where it came from (for error messages).
#[derive(Debug, Clone)]
struct Loaded {
    year: CalendarYear,
    origin: String,
}

/// The working-day calendar: official years loaded from notices, optional jurisdiction overlays, and provisional
/// years computed on demand for the rest.
#[derive(Debug)]
pub struct WorkCalendar {
    /// National year files, by year.
    years: BTreeMap<i32, Loaded>,
    /// Overlays of one jurisdiction.
    overlays: Vec<Loaded>,
    /// Days marked by the national files (a notice may mark late-December days of the year before).
    national: Marks,
    /// Days marked by the overlays.
    local: Marks,
    /// Provisional marks by year. Computing lunar dates for every query would be wasteful, so they are cached; the
    /// mutex keeps `WorkCalendar` shareable across threads behind `&self`.
    provisional: Mutex<BTreeMap<i32, Arc<Marks>>>,
}

impl Clone for WorkCalendar {
    fn clone(&self) -> Self {
        WorkCalendar {
            years: self.years.clone(),
            overlays: self.overlays.clone(),
            national: self.national.clone(),
            local: self.local.clone(),
            // The cache is derived data; a clone rebuilds it as needed.
            provisional: Mutex::new(BTreeMap::new()),
        }
    }
}

impl Default for WorkCalendar {
    fn default() -> Self {
        Self::from_years(Vec::new())
    }
}

impl WorkCalendar {
    /// Loads every `*.toml` file directly in `dir` as a national year file. Other files (README.md) and
    /// subdirectories (`overlays/`) are ignored. Files are read in name order so errors are reproducible.
    pub fn load_dir(dir: &Path) -> Result<WorkCalendar, CalendarError> {
        let entries = std::fs::read_dir(dir)
            .map_err(|source| CalendarError::ReadDir { dir: dir.display().to_string(), source })?;
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| CalendarError::ReadDir { dir: dir.display().to_string(), source })?;
            let path = entry.path();
            if path.is_file() && path.extension().is_some_and(|e| e == "toml") {
                paths.push(path);
            }
        }
        paths.sort();
        let mut cal = WorkCalendar::default();
        for path in paths {
            let origin = path.display().to_string();
            let year = CalendarYear::from_file(&path)?;
            cal.insert_national(year, origin)?;
        }
        Ok(cal)
    }

    /// Builds a calendar from years already parsed (and validated, see [`CalendarYear::validate`]). Years carrying a
    /// jurisdiction become overlays; if a year repeats, the later one wins.
    pub fn from_years(years: Vec<CalendarYear>) -> Self {
        let mut cal = WorkCalendar {
            years: BTreeMap::new(),
            overlays: Vec::new(),
            national: Marks::new(),
            local: Marks::new(),
            provisional: Mutex::new(BTreeMap::new()),
        };
        for (i, year) in years.into_iter().enumerate() {
            let origin = format!("(year #{i} given in code)");
            if year.jurisdiction.is_some() {
                cal.overlays.push(Loaded { year, origin });
            } else {
                cal.years.insert(year.year, Loaded { year, origin });
            }
        }
        cal.rebuild_marks();
        cal
    }

    /// Adds a jurisdiction overlay. It must name a jurisdiction, the same as any overlay already added.
    pub fn with_overlay(mut self, overlay: CalendarYear) -> Result<Self, CalendarError> {
        self.add_overlay(overlay, "(overlay given in code)")?;
        Ok(self)
    }

    /// Reads an overlay file and adds it, as [`WorkCalendar::with_overlay`].
    pub fn with_overlay_file(mut self, path: &Path) -> Result<Self, CalendarError> {
        let overlay = CalendarYear::from_file(path)?;
        self.add_overlay(overlay, &path.display().to_string())?;
        Ok(self)
    }

    /// Loads the year file of a newly published notice (its TOML text). If that year is already loaded as an
    /// official year with different contents, the file is refused: silently replacing a notice would change
    /// deadlines already computed; a corrected notice needs a new calendar built from the corrected files. Loading
    /// identical contents again is a no-op. An official file replaces a provisional one.
    pub fn add_year_file(&mut self, toml_text: &str) -> Result<(), CalendarError> {
        let year = CalendarYear::from_toml_str(toml_text, ADDED_ORIGIN)?;
        self.insert_national(year, ADDED_ORIGIN.to_string())
    }

    /// Whether `d` is a working day: overlays first, then the national files, then (for a year with no file) the
    /// provisional statutory holidays, then the weekday.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        self.day_kind(d).is_working()
    }

    /// What `d` is on the calendar, and why.
    pub fn day_kind(&self, d: NaiveDate) -> DayKind {
        if let Some(kind) = self.local.get(&d).or_else(|| self.national.get(&d)) {
            return kind.clone();
        }
        // A provisional-status file replaces the computed provisional calendar rather than adding to it.
        if !self.years.contains_key(&d.year()) {
            if let Some(kind) = self.provisional_marks(d.year()).get(&d) {
                return kind.clone();
            }
        }
        if year::is_weekend(d) {
            DayKind::Weekend
        } else {
            DayKind::Working
        }
    }

    /// True when `d`'s year has no official notice loaded, so its status may change when one is.
    pub fn is_provisional(&self, d: NaiveDate) -> bool {
        !self.years.get(&d.year()).is_some_and(|l| l.year.status == CalendarStatus::Official)
    }

    /// A short hex SHA-256 of the canonical contents of every loaded year and overlay (and of the rules used for
    /// provisional years), so a stored computation can name the calendar it was made with.
    pub fn version(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(b"juece-calendar/1\n");
        hasher.update(provisional::PROVISIONAL_RULES_ID.as_bytes());
        hasher.update(b"\n");
        for loaded in self.years.values() {
            hasher.update(b"[national]\n");
            hasher.update(loaded.year.canonical().as_bytes());
        }
        let mut overlays: Vec<String> = self.overlays.iter().map(|l| l.year.canonical()).collect();
        // Overlays added in a different order give the same calendar.
        overlays.sort();
        for text in overlays {
            hasher.update(b"[overlay]\n");
            hasher.update(text.as_bytes());
        }
        let digest = hex::encode(hasher.finalize());
        digest[..VERSION_HEX_LEN].to_string()
    }

    /// The national calendar of `year`: the loaded file if there is one, else the provisional calendar.
    pub fn year_info(&self, year: i32) -> CalendarYear {
        match self.years.get(&year) {
            Some(loaded) => loaded.year.clone(),
            None => provisional::provisional_year(year),
        }
    }

    /// The overlays loaded for `year`.
    pub fn overlays_for(&self, year: i32) -> Vec<CalendarYear> {
        self.overlays.iter().filter(|l| l.year.year == year).map(|l| l.year.clone()).collect()
    }

    /// The jurisdiction of the overlays, if any.
    pub fn jurisdiction(&self) -> Option<&str> {
        self.overlays.first().and_then(|l| l.year.jurisdiction.as_deref())
    }

    /// The years loaded from national files (official or provisional files).
    pub fn loaded_years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    fn insert_national(&mut self, year: CalendarYear, origin: String) -> Result<(), CalendarError> {
        if let Some(jurisdiction) = &year.jurisdiction {
            return Err(CalendarError::UnexpectedJurisdiction { file: origin, jurisdiction: jurisdiction.clone() });
        }
        if let Some(existing) = self.years.get(&year.year) {
            if existing.year == year {
                return Ok(());
            }
            if existing.year.status == CalendarStatus::Official {
                return Err(CalendarError::DuplicateYear {
                    file: origin,
                    year: year.year,
                    other: existing.origin.clone(),
                });
            }
        }
        self.years.insert(year.year, Loaded { year, origin });
        self.rebuild_marks();
        Ok(())
    }

    fn add_overlay(&mut self, overlay: CalendarYear, origin: &str) -> Result<(), CalendarError> {
        overlay.validate(origin)?;
        let Some(found) = overlay.jurisdiction.clone() else {
            return Err(CalendarError::MissingJurisdiction { file: origin.to_string() });
        };
        if let Some(expected) = self.jurisdiction() {
            if expected != found {
                return Err(CalendarError::JurisdictionMismatch {
                    file: origin.to_string(),
                    expected: expected.to_string(),
                    found,
                });
            }
        }
        if let Some(existing) = self.overlays.iter().find(|l| l.year.year == overlay.year) {
            if existing.year == overlay {
                return Ok(());
            }
            return Err(CalendarError::DuplicateYear {
                file: origin.to_string(),
                year: overlay.year,
                other: existing.origin.clone(),
            });
        }
        self.overlays.push(Loaded { year: overlay, origin: origin.to_string() });
        self.rebuild_marks();
        Ok(())
    }

    /// Recomputes the day marks after a change. Files apply in year order, so a notice's late-December days
    /// override the year before's file; within a file, make-up days are applied after rest days (validation
    /// guarantees they never coincide).
    fn rebuild_marks(&mut self) {
        self.national = marks_of(self.years.values().map(|l| &l.year));
        let mut overlays: Vec<&CalendarYear> = self.overlays.iter().map(|l| &l.year).collect();
        overlays.sort_by_key(|y| y.year);
        self.local = marks_of(overlays);
        // A newly official year no longer needs its provisional marks; dropping the whole cache is simplest.
        self.provisional.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    fn provisional_marks(&self, year: i32) -> Arc<Marks> {
        // A poisoned lock only means another thread panicked mid-insert of derived data; the map is still usable.
        let mut cache = self.provisional.lock().unwrap_or_else(PoisonError::into_inner);
        cache.entry(year).or_insert_with(|| Arc::new(marks_of([&provisional::provisional_year(year)]))).clone()
    }
}

fn marks_of<'a>(years: impl IntoIterator<Item = &'a CalendarYear>) -> Marks {
    let mut marks = Marks::new();
    for y in years {
        for (d, h) in y.rest_days() {
            marks.insert(d, DayKind::Rest { holiday: h.name.clone() });
        }
        for (d, h) in y.makeup_days() {
            marks.insert(d, DayKind::MakeupWorking { holiday: h.name.clone() });
        }
    }
    marks
}
