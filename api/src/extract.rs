//! Extractors that turn a request into what the engine needs, answering
//! problem+json when they cannot: the caller ([`Caller`], [`MaybeCaller`])
//! from a bearer token or the session cookie, and a JSON body ([`JsonBody`])
//! that insists on `application/json` — which is also the CSRF defence of
//! the API: a cross-site HTML form cannot send that content type, and the
//! session cookie is `SameSite=Strict` besides.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use juece_engine::actor::Actor;
use serde::de::DeserializeOwned;

use juece_engine::refusal::Detail;

use crate::problem::Problem;
use crate::server::AppState;

pub const SESSION_COOKIE: &str = "juece_session";

/// An authenticated caller (401 otherwise).
pub struct Caller(pub Actor);

/// The caller if credentials were sent; a forged or expired one is still 401.
pub struct MaybeCaller(pub Option<Actor>);

/// The session token of the cookie, if any.
pub fn session_token(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_string())
}

// A Problem is built at most once per failed request: its size costs nothing worth boxing.
#[allow(clippy::result_large_err)]
fn bearer(parts: &Parts) -> Result<Option<String>, Problem> {
    match parts.headers.get(header::AUTHORIZATION) {
        None => Ok(None),
        Some(v) => {
            let text = v.to_str().map_err(|_| Problem::unauthenticated())?;
            match text.strip_prefix("Bearer ") {
                Some(t) => Ok(Some(t.trim().to_string())),
                None => Err(Problem::unauthenticated()),
            }
        }
    }
}

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        if let Some(token) = bearer(parts)? {
            return match state.auth.token_actor(&token).await? {
                Some(actor) => Ok(MaybeCaller(Some(actor))),
                None => Err(Problem::unauthenticated()),
            };
        }
        if let Some(token) = session_token(&parts.headers) {
            return match state.auth.session_actor(&token, state.clock.now()).await? {
                Some(actor) => Ok(MaybeCaller(Some(actor))),
                None => Err(Problem::unauthenticated()),
            };
        }
        Ok(MaybeCaller(None))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        match MaybeCaller::from_request_parts(parts, state).await?.0 {
            Some(actor) => Ok(Caller(actor)),
            None => Err(Problem::unauthenticated()),
        }
    }
}

/// A JSON body: 415 unless `application/json`, 413 when over the limit,
/// 400 for malformed JSON (including invalid UTF-8) or a body that does not
/// fit the schema (wrong types, unknown or missing fields).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                let m = m.trim().to_ascii_lowercase();
                m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
            });
        if !is_json {
            return Err(Problem::for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|r| match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Problem::for_status(StatusCode::PAYLOAD_TOO_LARGE),
            _ => Problem::bad_request("unreadable_body", unreadable(r.body_text())),
        })?;
        parse(&bytes).map(JsonBody)
    }
}

/// A body that could not be read, in both languages (the transport's words quoted).
pub fn unreadable(why: impl std::fmt::Display) -> Detail {
    Detail::new(format!("无法读取请求体：{why}"), format!("the body could not be read: {why}"))
}

/// Parse JSON, naming the kind of error.
// A Problem is built at most once per failed request: its size costs nothing worth boxing.
#[allow(clippy::result_large_err)]
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    serde_json::from_slice(bytes).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Data => Problem::bad_request("invalid_body", Detail::new(format!("请求体不符合要求：{e}"), &e)),
            Category::Syntax | Category::Eof | Category::Io => {
                Problem::bad_request("malformed_json", Detail::new(format!("请求体不是有效的 JSON：{e}"), &e))
            }
        }
    })
}
