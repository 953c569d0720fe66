//! The annual work report of a decision organ, for the general office and
//! oversight (the engine decides, `juece_engine::oversight`): read it (an
//! unnumbered draft counted now, until it is issued), and issue it — the
//! general office numbers it once per organ and year and its figures are
//! frozen under that number.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use juece_engine::refusal::Detail;
use juece_engine::report::AnnualReport;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Params;
use crate::annual_report::ReportFormat;
use crate::extract::{Caller, JsonBody};
use crate::problem::Problem;
use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(annual)).routes(routes!(issue_annual))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AnnualParams {
    /// The decision organ, e.g. 示范市人民政府.
    pub organ: String,
    pub year: i32,
    /// The document (`md`, `html`: the same bytes as `juece report annual`; `pdf`: that page printed) or the
    /// counts as `csv`; without it, JSON, or CSV when the request accepts `text/csv`.
    #[param(inline)]
    pub format: Option<ReportFormat>,
    /// The document's language: `zh` (default) or `en`.
    pub lang: Option<String>,
}

/// The annual report in the genre of a county's annual summary: decisions and their status, the catalogue,
/// the expert pool, participation, risk assessments by level, legality and lawyers' opinions, shortened
/// periods, divergences, overdue items, stages not applied, suspensions, adjustments, post-evaluations and
/// responsibility-tracing cases. As JSON, as the document (Markdown, A4 HTML, or that page as PDF when the server
/// has a browser configured: 503 `pdf_unavailable` when not), or its counts as CSV.
#[utoipa::path(get, path = "/api/v1/reports/annual", tag = "reports", params(AnnualParams),
    responses((status = 200, content((AnnualReport = "application/json"), (String = "text/markdown"), (String = "text/html"), (String = "text/csv"), (String = "application/pdf"))),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "PDF asked for and no browser configured", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn annual(
    State(s): State<AppState>,
    Caller(actor): Caller,
    headers: HeaderMap,
    Params(p): Params<AnnualParams>,
) -> Response {
    let lang = p.lang.as_deref().unwrap_or("zh");
    if !matches!(lang, "zh" | "en") {
        let detail = Detail::new("lang 须为 zh 或 en", "lang must be zh or en");
        return Problem::bad_request("invalid_query", detail).into_response();
    }
    let accepts_csv = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().starts_with("text/csv")));
    let format = p.format.or(accepts_csv.then_some(ReportFormat::Csv));
    let r = match s.engine.annual_report(&actor, &p.organ, p.year, s.clock.now()).await {
        Ok(r) => r,
        Err(e) => return Problem::from(e).into_response(),
    };
    let Some(format) = format else { return Json(r).into_response() };
    if format != ReportFormat::Csv && r.addressee.is_empty() {
        // Never a placeholder addressee: the configuration must name the superior first.
        let detail = Detail::new(
            format!("单位名录（manifest.toml 的 [organs]）未载明{}的 superior", p.organ),
            format!("the unit directory ([organs] in manifest.toml) has no `superior` for {}", p.organ),
        );
        return Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unit_directory_incomplete",
            "单位名录缺少该机关的上一级人民政府，报告无主送机关",
            "the unit directory names no superior for this organ: the report has no addressee",
            detail,
        )
        .into_response();
    }
    let anchor = match s.config.anchoring.as_ref().map(crate::documents::anchor_note).transpose() {
        Ok(note) => note.flatten(),
        Err(e) => return Problem::internal(&e).into_response(),
    };
    match crate::annual_report::render(&s.engine, &r, lang, format, anchor) {
        Ok(page) if format == ReportFormat::Pdf => {
            let file = format!("annual-report-{}.{lang}.pdf", p.year);
            super::memos::print(s.config.browser.as_ref(), &page, &file).await
        }
        Ok(text) => ([(header::CONTENT_TYPE, format.content_type())], text).into_response(),
        Err(e) => Problem::internal(&e).into_response(),
    }
}

/// Which report to issue.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueBody {
    /// The decision organ, e.g. 示范市人民政府.
    pub organ: String,
    /// The calendar year the report covers.
    pub year: i32,
}

/// Issue the organ's annual report (the general office): number it in the organ's report series (示政报〔2027〕1号)
/// and freeze its figures as counted now. Once per organ and year: asking again answers 200 with the report
/// issued before, its number and figures unchanged; `GET /api/v1/reports/annual` then serves the issued report.
#[utoipa::path(post, path = "/api/v1/reports/annual/issue", tag = "reports", request_body = IssueBody,
    responses((status = 201, description = "issued now, with its number", body = AnnualReport),
        (status = 200, description = "issued before: nothing changed", body = AnnualReport),
        (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn issue_annual(State(s): State<AppState>, Caller(actor): Caller, JsonBody(b): JsonBody<IssueBody>) -> Response {
    let anchor = match s.config.anchoring.as_ref().map(crate::documents::anchor_note).transpose() {
        Ok(note) => note.flatten(),
        Err(e) => return Problem::internal(&e).into_response(),
    };
    match s.engine.issue_annual_report(&actor, &b.organ, b.year, s.clock.now(), anchor).await {
        Ok(issued) => {
            let status = if issued.newly { StatusCode::CREATED } else { StatusCode::OK };
            (status, Json(issued.report)).into_response()
        }
        Err(e) => Problem::from(e).into_response(),
    }
}
