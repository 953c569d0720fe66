//! Signing in and out of the pages, and the language switch. Sign-in uses
//! the same sessions as the API (`HttpOnly`, `SameSite=Strict` cookie) and
//! is rate limited per client with it.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cookie::{Cookie, SameSite};
use serde::Deserialize;
use serde_json::json;

use super::form::Submitted;
use super::i18n::{Lang, LANG_COOKIE};
use super::viewer::{safe_back, Viewer};
use super::{csrf_refused, render, see_other, Page};
use crate::extract::session_token;
use crate::server::AppState;

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_page(State(s): State<AppState>, v: Viewer, Query(q): Query<NextQuery>) -> Response {
    let next = safe_back(q.next.as_deref());
    if v.actor.is_some() {
        return see_other(&next);
    }
    let data = json!({"next": next, "errors": []});
    render(&s, &v, Page::new("login", v.lang.t("login-title"), data))
}

pub async fn login(State(s): State<AppState>, v: Viewer, body: Bytes) -> Response {
    let form = Submitted::parse(&body);
    if !v.csrf_ok(form.get("_csrf")) {
        return csrf_refused(&s, &v);
    }
    let next = safe_back(form.get("next"));
    let name = form.get("name").unwrap_or("").trim().to_string();
    let now = s.clock.now();
    match s.auth.login(&name, form.get("password").unwrap_or(""), now).await {
        Ok(session) => {
            let secs = (session.expires_at - now).num_seconds();
            let mut resp = see_other(&next);
            if let Some(c) = crate::routes::auth::session_cookie(session.token, secs, !s.config.insecure_cookies) {
                resp.headers_mut().append(header::SET_COOKIE, c);
            }
            resp
        }
        Err(e) => {
            // The same words whether the name exists or not.
            tracing::info!(error = %e, "a page sign-in failed");
            let l = v.lang;
            let errors = vec![json!({"code": "invalid_credentials", "message": l.t("login-failed"), "field": "name"})];
            let data = json!({"next": next, "errors": errors, "name": name});
            render(&s, &v, Page::new("login", l.t("login-title"), data).status(StatusCode::UNAUTHORIZED))
        }
    }
}

pub async fn logout(State(s): State<AppState>, v: Viewer, headers: HeaderMap, body: Bytes) -> Response {
    let form = Submitted::parse(&body);
    if !v.csrf_ok(form.get("_csrf")) {
        return csrf_refused(&s, &v);
    }
    if let Some(token) = session_token(&headers) {
        if let Err(e) = s.auth.logout(&token).await {
            tracing::error!(error = %e, "ending a session");
        }
    }
    let mut resp = see_other("/login");
    if let Some(c) = crate::routes::auth::session_cookie(String::new(), 0, !s.config.insecure_cookies) {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    resp
}

/// Remember the reader's language and go back to the page they were on.
pub async fn switch_language(State(s): State<AppState>, v: Viewer, body: Bytes) -> Response {
    let form = Submitted::parse(&body);
    if !v.csrf_ok(form.get("_csrf")) {
        return csrf_refused(&s, &v);
    }
    let lang = Lang::parse(form.get("to").unwrap_or("zh"));
    let c = Cookie::build((LANG_COOKIE, lang.code()))
        .http_only(true)
        .secure(!s.config.insecure_cookies)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(cookie::time::Duration::days(365))
        .build();
    let mut resp = see_other(&safe_back(form.get("back")));
    if let Ok(h) = HeaderValue::from_str(&c.to_string()) {
        resp.headers_mut().append(header::SET_COOKIE, h);
    }
    if let Some(c) = &v.new_csrf_cookie {
        resp.headers_mut().append(header::SET_COOKIE, c.clone());
    }
    resp.into_response()
}
