//! [`ReportStore`]: the document number (发文字号) of a report the engine
//! computes outside any act — the annual work report — claimed once per
//! organ, kind and year when the report is issued, from the same counters as
//! the acts' numbers (`numbering`), so a series has no gap and no duplicate
//! whichever documents share it.
//!
//! Issuing stores the report's figures as issued, with its number: the
//! issued report is rendered from them ever after, so the number always
//! stands on the same text, and asking again returns it without a new
//! number. A preview before issue takes no number.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{rows, StoreError};

/// A report as issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedReport {
    pub organ: String,
    /// `annual`.
    pub kind: String,
    /// The year the report covers.
    pub report_year: i32,
    /// e.g. 示政报
    pub series: String,
    /// The numbering year: the year it was issued (CST).
    pub year: i32,
    pub number: i64,
    /// Canonical JSON of the report as issued (its figures and number).
    pub data: String,
    pub issued_at: DateTime<Utc>,
    pub issued_by: String,
}

/// What issuing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueOutcome {
    /// Numbered and stored now.
    Issued(IssuedReport),
    /// Issued before: the stored report, unchanged; no number taken.
    AlreadyIssued(IssuedReport),
}

/// Builds the report's stored data once its number is known.
pub type ReportBuilder<'a> = &'a (dyn Fn(i64) -> String + Send + Sync);

#[async_trait]
pub trait ReportStore: Send + Sync {
    /// The report of `kind` an organ issued for a year, if it was issued.
    async fn issued_report(
        &self,
        organ: &str,
        kind: &str,
        report_year: i32,
    ) -> Result<Option<IssuedReport>, StoreError>;
    /// Issue a report in one write transaction: when it was issued before, that one; else the next number of
    /// `series` in `year` (the counter moved by compare-and-set, as an act's claim) and the data `build` gives
    /// for it. `report.number` and `report.data` are ignored. A claim lost to a concurrent writer fails with
    /// [`StoreError::NumberTaken`] and writes nothing: the caller asks again.
    async fn issue_report(&self, report: &IssuedReport, build: ReportBuilder<'_>) -> Result<IssueOutcome, StoreError>;
}

// ---- SQL shared by both stores ------------------------------------------------

pub(super) const FIND: &str = "select organ, kind, report_year, series, year, number, data, issued_at, issued_by \
     from issued_reports where organ = $1 and kind = $2 and report_year = $3";
pub(super) const INSERT: &str = "insert into issued_reports \
     (organ, kind, report_year, series, year, number, data, issued_at, issued_by) \
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

pub(super) fn issued(row: &impl rows::Cols) -> Result<IssuedReport, StoreError> {
    let at = row.text("issued_at")?;
    let issued_at = DateTime::parse_from_rfc3339(&at)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rows::corrupt(format!("issued report issued_at {at:?}: {e}")))?;
    let int = |c: &str| -> Result<i32, StoreError> {
        i32::try_from(row.int(c)?).map_err(|e| rows::corrupt(format!("issued report {c}: {e}")))
    };
    Ok(IssuedReport {
        organ: row.text("organ")?,
        kind: row.text("kind")?,
        report_year: int("report_year")?,
        series: row.text("series")?,
        year: int("year")?,
        number: row.int("number")?,
        data: row.text("data")?,
        issued_at,
        issued_by: row.text("issued_by")?,
    })
}
