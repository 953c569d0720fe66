//! The annual report as a document, one rendering for `juece report annual`
//! and `GET /api/v1/reports/annual`, so both give the same bytes: Markdown or
//! the A4 HTML page (the `annual_report` template, then the record's last
//! anchor), or the CSV of its counts.

use anyhow::{bail, Context};
use juece_engine::memo::check_layout;
use juece_engine::orchestrator::Engine;
use juece_engine::report::{self, AnnualReport};

/// How the report is wanted.
#[derive(clap::ValueEnum, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    Md,
    Html,
    Csv,
    /// The A4 page printed by the configured browser (`crate::pdf`).
    Pdf,
}

impl ReportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            ReportFormat::Md => "text/markdown; charset=utf-8",
            ReportFormat::Html => "text/html; charset=utf-8",
            ReportFormat::Csv => "text/csv; charset=utf-8",
            ReportFormat::Pdf => "application/pdf",
        }
    }
}

/// The report rendered; `anchor` is the record's last anchor as the document prints it (None before the first).
/// For `Pdf`, the HTML page the caller prints.
pub fn render(
    engine: &Engine,
    r: &AnnualReport,
    lang: &str,
    format: ReportFormat,
    anchor: Option<String>,
) -> anyhow::Result<String> {
    if format == ReportFormat::Csv {
        return Ok(report::csv::counts(r));
    }
    // Never a placeholder addressee: the report goes to the superior the unit directory names.
    if r.addressee.is_empty() {
        bail!(
            "the unit directory ([organs] in workflows/national/memos/manifest.toml) has no `superior` for {}: \
             the report has no addressee",
            r.organ
        );
    }
    let set = engine.memos("national").context("the national procedure is not loaded")?;
    let md = set.render_markdown("annual_report", lang, &serde_json::to_value(r)?)?;
    check_layout(&md).map_err(anyhow::Error::msg)?;
    // An issued report prints the anchor it was issued with: the same bytes whenever it is asked for.
    let anchor = if r.number.is_some() { r.anchor.clone() } else { anchor };
    let md = md + &anchor.unwrap_or_default();
    Ok(match format {
        ReportFormat::Html | ReportFormat::Pdf => juece_engine::render::html::page(&md, lang),
        _ => md,
    })
}
