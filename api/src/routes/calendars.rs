//! The working calendar the engine counts periods on: a year's rest days
//! and make-up working days, and periods counted from a date (民法典
//! Arts. 201, 203). Open to anyone, rate limited like the public endpoints;
//! every answer says whether it rests on a provisional year. Administrators
//! load a year's official notice here too, as `juece calendar load` does.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use juece_engine::audit::format_instant;
use juece_engine::calendar::period;
use juece_engine::calendar::period::PeriodResult;
use juece_engine::calendar::{CalendarSource, CalendarStatus, Holiday, WorkCalendar, SUPPORTED_YEARS};
use juece_engine::notice::NoticeError;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Params;
use crate::extract::Caller;
use juece_engine::refusal::Detail;

use crate::problem::Problem;
use crate::server::AppState;

/// Longest period counted on request: ten years of days bounds the work.
const MAX_DAYS: u32 = 3660;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(year)).routes(routes!(working_days)).routes(routes!(calendar_period))
}

/// Administration, outside the public rate limit: loading a year's official notice.
pub fn admin_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(load_notice))
}

#[derive(Serialize, ToSchema)]
pub struct Day {
    date: NaiveDate,
    holiday: String,
    holiday_en: String,
}

/// A year of the working calendar.
#[derive(Serialize, ToSchema)]
pub struct YearOut {
    year: i32,
    /// No official notice is loaded for the year: computed from the statutory holidays alone.
    provisional: bool,
    calendar_version: String,
    source: CalendarSource,
    rest_days: Vec<Day>,
    makeup_days: Vec<Day>,
}

/// A year's rest days (放假) and make-up working days (调休上班).
#[utoipa::path(get, path = "/api/v1/calendars/{year}", tag = "calendars",
    params(("year" = i32, Path, description = "e.g. 2026", minimum = 1900, maximum = 2100)),
    responses((status = 200, body = YearOut),
        (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn year(State(s): State<AppState>, Path(year): Path<String>) -> Response {
    let Some(year) = year.parse::<i32>().ok().filter(|y| SUPPORTED_YEARS.contains(y)) else {
        return Problem::bad_request("invalid_year", supported_years()).into_response();
    };
    let cal = match current(&s).await {
        Ok(cal) => cal,
        Err(resp) => return resp,
    };
    let info = cal.year_info(year);
    let day = |(date, h): (NaiveDate, &Holiday)| Day { date, holiday: h.name.clone(), holiday_en: h.name_en.clone() };
    Json(YearOut {
        year,
        provisional: info.status == CalendarStatus::Provisional,
        calendar_version: cal.version(),
        rest_days: info.rest_days().map(day).collect(),
        makeup_days: info.makeup_days().map(day).collect(),
        source: info.source.clone(),
    })
    .into_response()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WorkingDaysParams {
    /// The start date (not counted), `YYYY-MM-DD`, from 1900 to 2079 (the count must end by 2100).
    #[param(pattern = r"^(19[0-9]{2}|20[0-7][0-9])-[0-9]{2}-[0-9]{2}$")]
    pub from: NaiveDate,
    /// Working days to count (at most 3660).
    #[param(maximum = 3660)]
    pub n: u32,
}

// A Problem is built at most once per failed request: its size costs nothing worth boxing.
#[allow(clippy::result_large_err)]
fn bounded(from: NaiveDate, days: u32) -> Result<(), Problem> {
    let years_ok = |d: NaiveDate| SUPPORTED_YEARS.contains(&chrono::Datelike::year(&d));
    if days > MAX_DAYS || !years_ok(from) || !years_ok(from + chrono::Days::new(u64::from(days) * 2)) {
        let (first, last) = (SUPPORTED_YEARS.start(), SUPPORTED_YEARS.end());
        return Err(Problem::bad_request(
            "invalid_query",
            Detail::new(
                format!("最多{MAX_DAYS}日，且在{first}至{last}年之内"),
                format!("at most {MAX_DAYS} days, within supported years ({first} to {last})"),
            ),
        ));
    }
    Ok(())
}

/// The day `n` working days after `from`, with every day examined and why.
#[utoipa::path(get, path = "/api/v1/calendars/working-days", tag = "calendars", params(WorkingDaysParams),
    responses((status = 200, description = "the period: last_day, ends_at, provisional, days", body = PeriodResult),
        (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn working_days(State(s): State<AppState>, Params(p): Params<WorkingDaysParams>) -> Response {
    if let Err(problem) = bounded(p.from, p.n) {
        return problem.into_response();
    }
    match current(&s).await {
        Ok(cal) => Json(period::add_working_days(&cal, p.from, p.n)).into_response(),
        Err(resp) => resp,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PeriodParams {
    /// The start date (not counted), `YYYY-MM-DD`, from 1900 to 2079 (the period must end by 2100).
    #[param(pattern = r"^(19[0-9]{2}|20[0-7][0-9])-[0-9]{2}-[0-9]{2}$")]
    pub from: NaiveDate,
    /// Calendar days ("日", at most 3660); a last day on a rest day rolls to the next working day.
    #[param(maximum = 3660)]
    pub days: u32,
}

/// A period of calendar days from `from`, as the Decree's "日" periods are counted.
#[utoipa::path(get, path = "/api/v1/calendars/period", tag = "calendars", params(PeriodParams),
    responses((status = 200, description = "the period: last_day, ends_at, provisional, days", body = PeriodResult),
        (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn calendar_period(State(s): State<AppState>, Params(p): Params<PeriodParams>) -> Response {
    if let Err(problem) = bounded(p.from, p.days) {
        return problem.into_response();
    }
    match current(&s).await {
        Ok(cal) => Json(period::calendar_day_period(&cal, p.from, p.days)).into_response(),
        Err(resp) => resp,
    }
}

/// The engine's calendar with every stored notice, one another replica loaded included.
async fn current(s: &AppState) -> Result<Arc<WorkCalendar>, Response> {
    s.engine.fresh_calendar().await.map_err(|e| Problem::from(e).into_response())
}

/// The media type of a year file.
const TOML: &str = "application/toml";

#[derive(Serialize, ToSchema)]
struct MovedOut {
    deadline_id: String,
    decision_id: String,
    name: String,
    old_due_at: String,
    new_due_at: String,
}

#[derive(Serialize, ToSchema)]
struct NoticeOut {
    year: i32,
    sha256: String,
    /// False when this exact notice had been loaded before: nothing changed.
    newly_loaded: bool,
    calendar_version_before: String,
    calendar_version_after: String,
    /// The pending deadlines the official calendar moved.
    moved: Vec<MovedOut>,
}

/// Load a year's official holiday notice (administrators only): the year file as `juece calendar load` takes it
/// (`workflows/calendars/README.md`), sent as `application/toml`. Validated, stored for every replica, audited in
/// the calendar chain with who loaded it, and the pending provisional deadlines recomputed; a notice already loaded
/// is never replaced.
#[utoipa::path(post, path = "/api/v1/calendars/{year}/notice", tag = "calendars",
    params(("year" = i32, Path, description = "the notice's year, e.g. 2027"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first answer")),
    request_body(content = String, content_type = "application/toml", description = "the year file"),
    responses((status = 201, description = "loaded", body = NoticeOut),
        (status = 200, description = "this notice was loaded before: nothing changed", body = NoticeOut),
        (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn load_notice(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(year): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(year) = year.parse::<i32>().ok().filter(|y| SUPPORTED_YEARS.contains(y)) else {
        return Problem::bad_request("invalid_year", supported_years()).into_response();
    };
    let media = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next());
    if !media.is_some_and(|m| m.trim().eq_ignore_ascii_case(TOML)) {
        return Problem::for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE).into_response();
    }
    let Ok(text) = std::str::from_utf8(&body) else {
        let detail = Detail::new("年度文件应为 UTF-8 文本", "a year file is UTF-8 text");
        return Problem::bad_request("malformed_toml", detail).into_response();
    };
    match s.engine.load_calendar_notice(text, Some(year), &actor, s.clock.now()).await {
        Ok(r) => {
            let status = if r.newly_loaded { StatusCode::CREATED } else { StatusCode::OK };
            let moved = r
                .changes
                .iter()
                .map(|c| MovedOut {
                    deadline_id: c.deadline_id.clone(),
                    decision_id: c.decision_id.clone(),
                    name: c.name.clone(),
                    old_due_at: format_instant(&c.old_due),
                    new_due_at: format_instant(&c.new_due),
                })
                .collect();
            let out = NoticeOut {
                year: r.year,
                sha256: r.sha256,
                newly_loaded: r.newly_loaded,
                calendar_version_before: r.calendar_version_before,
                calendar_version_after: r.calendar_version_after,
                moved,
            };
            (status, Json(out)).into_response()
        }
        Err(e) => notice_problem(&e).into_response(),
    }
}

/// The years a calendar answers for, as a malformed year's detail.
fn supported_years() -> Detail {
    let (first, last) = (SUPPORTED_YEARS.start(), SUPPORTED_YEARS.end());
    Detail::new(format!("年份应在{first}至{last}之间"), format!("a year from {first} to {last}"))
}

/// A refused notice as problem+json: who may is a 403, a conflicting notice a 409, a bad file 422.
fn notice_problem(e: &NoticeError) -> Problem {
    let status = match e {
        NoticeError::Refused(r) => return Problem::refused(r),
        NoticeError::Store(cause) => return Problem::internal(cause),
        NoticeError::Conflicting { .. } => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let (zh, en) = e.messages();
    Problem::new(status, e.reason_code(), zh, en, e.detail())
}
