//! The administrator's calendar page: each year of the working calendar with
//! whether it rests on the State Council's official holiday notice or is
//! provisional, and the form that loads a year's notice (the year file that
//! `juece calendar load` takes). The engine validates, stores and audits the
//! notice and moves the pending provisional deadlines; the page lists them.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use juece_engine::actor::Role;
use juece_engine::calendar::{CalendarStatus, SUPPORTED_YEARS};
use juece_engine::notice::NoticeError;
use serde_json::{json, Value};

use super::form::Submitted;
use super::tasks::china;
use super::viewer::Viewer;
use super::{engine_error, error_page, reason_json, render, seg, sign_in_first, Page};
use crate::server::AppState;

/// Largest year file accepted from the form (a year file is a few kilobytes).
const MAX_FILE: usize = 64 * 1024;

async fn show(
    s: &AppState,
    v: &Viewer,
    form: &Submitted,
    result: Option<Value>,
    errors: Vec<Value>,
    status: StatusCode,
) -> Response {
    let l = v.lang;
    if !v.has_role(Role::Administrator) {
        return error_page(s, v, StatusCode::FORBIDDEN, l.t("error-title"), l.t("error-forbidden"), Vec::new());
    }
    let cal = match s.engine.fresh_calendar().await {
        Ok(c) => c,
        Err(e) => return engine_error(s, v, &e),
    };
    // The loaded years, and always this year and the next in China: the next year's notice is the one to watch for.
    let this_year = s.clock.now().with_timezone(&chrono_tz::Asia::Shanghai).year();
    let mut shown = cal.loaded_years();
    shown.extend([this_year, this_year + 1]);
    shown.sort_unstable();
    shown.dedup();
    let years: Vec<Value> = shown
        .into_iter()
        .filter(|y| SUPPORTED_YEARS.contains(y))
        .map(|y| {
            let info = cal.year_info(y);
            let official = info.status == CalendarStatus::Official;
            json!({"year": y, "official": official, "title": info.source.title, "number": info.source.number})
        })
        .collect();
    let data = json!({"years": years, "version": cal.version(), "result": result, "errors": errors,
        "year": form.get("year").unwrap_or(""), "text": form.get("text").unwrap_or("")});
    render(s, v, Page::new("calendar", l.t("calendar-title"), data).status(status))
}

pub async fn page(State(s): State<AppState>, v: Viewer) -> Response {
    if v.actor.is_none() {
        return sign_in_first(&v);
    }
    show(&s, &v, &Submitted::default(), None, Vec::new(), StatusCode::OK).await
}

pub async fn load(State(s): State<AppState>, v: Viewer, body: Bytes) -> Response {
    let (actor, form) = match super::signed_form(&s, &v, &body) {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let l = v.lang;
    let text = form.get("text").unwrap_or("");
    let year = form.get("year").and_then(|y| y.trim().parse::<i32>().ok());
    if text.trim().is_empty() || text.len() > MAX_FILE || year.is_none() {
        let (zh, en) = (
            "请填写年份并粘贴年度节假日安排文件（不超过64KB）",
            "give the year and paste the year file (at most 64 KB)",
        );
        let e = reason_json(l, "invalid_form", zh, en, "", None, Some("text".into()));
        return show(&s, &v, &form, None, vec![e], StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match s.engine.load_calendar_notice(text, year, &actor, s.clock.now()).await {
        Ok(r) => {
            let moved: Vec<Value> = r
                .changes
                .iter()
                .map(|c| {
                    json!({"name": c.name, "decision": c.decision_id,
                        "href": format!("/decisions/{}", seg(&c.decision_id)),
                        "old": china(l, c.old_due), "new": china(l, c.new_due)})
                })
                .collect();
            let heading = if r.newly_loaded { "calendar-loaded" } else { "calendar-already" };
            let result = json!({"heading": l.t_args(heading, &[("year", r.year.to_string())]), "sha256": r.sha256,
                "moved": moved});
            show(&s, &v, &Submitted::default(), Some(result), Vec::new(), StatusCode::OK).await
        }
        Err(e) => {
            let (status, errors) = refused(l, &e);
            show(&s, &v, &form, None, errors, status).await
        }
    }
}

fn refused(l: super::i18n::Lang, e: &NoticeError) -> (StatusCode, Vec<Value>) {
    match e {
        NoticeError::Refused(r) => (StatusCode::FORBIDDEN, r.reasons.iter().map(|x| super::reason_of(l, x)).collect()),
        NoticeError::Store(cause) => {
            tracing::error!(error = %cause, "loading a calendar notice");
            let m = l.t("error-internal");
            (StatusCode::INTERNAL_SERVER_ERROR, vec![reason_json(l, "internal_error", &m, &m, "", None, None)])
        }
        other => {
            let status = if matches!(other, NoticeError::Conflicting { .. }) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let (zh, en) = other.messages();
            let detail = other.to_string();
            (status, vec![reason_json(l, other.reason_code(), zh, en, "", Some(&detail), Some("text".into()))])
        }
    }
}
