//! `Idempotency-Key` on state-changing requests. The first request with a
//! key reserves it for a short lease, under a random claim, with the
//! fingerprint of the request (method, path, credential, body); its answer
//! is stored and replayed to every retry with the same fingerprint
//! (`idempotency-replayed: true`), which changes nothing; the same key with
//! a different request is refused (422 `idempotency_key_reused`); a retry
//! while the first is still running gets 409 `idempotency_key_in_flight`.
//!
//! An accepted act stores its answer in the act's own transaction (the
//! handler passes the request's [`KeyClaim`] to the engine): an act that
//! committed always replays, even if the process died before answering. A
//! reservation whose request died before its act committed is taken over
//! by a retry of the same request once the lease has ended; the overtaken
//! request can no longer commit under the key. Answers that write nothing
//! else (refusals, non-act endpoints) are stored after the handler; a
//! server error (5xx) releases the key so the client may retry.
//!
//! Sign-in and token creation are not replayed: their answers carry a
//! session cookie or a token secret that must never be stored.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use juece_engine::orchestrator::{Answering, Applied};
use juece_engine::store::idempotency::{KeyClaim, StoredResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::problem::Problem;
use crate::server::AppState;

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED: &str = "idempotency-replayed";

/// How long an unanswered reservation holds its key against a retry of the same request.
pub const LEASE: chrono::Duration = chrono::Duration::seconds(30);

/// Marks a response whose answer the act stored with its own commit.
#[derive(Debug, Clone, Copy)]
struct AnsweredInCommit;

/// Paths whose answers hold secrets.
const NOT_REPLAYED: [&str; 2] = ["/api/v1/auth/", "/api/v1/tokens"];

pub async fn idempotent(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let changes = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    let path = req.uri().path().to_string();
    let Some(key) = req.headers().get(HEADER).cloned() else {
        return next.run(req).await;
    };
    if !changes || NOT_REPLAYED.iter().any(|p| path.starts_with(p)) {
        return next.run(req).await;
    }
    let key = match key.to_str() {
        Ok(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => k.to_string(),
        _ => {
            return Problem::bad_request(
                "invalid_idempotency_key",
                "Idempotency-Key is 1 to 255 visible ASCII characters",
            )
            .into_response()
        }
    };
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) if too_large(&e) => return Problem::for_status(StatusCode::PAYLOAD_TOO_LARGE).into_response(),
        Err(e) => return Problem::bad_request("unreadable_body", e.to_string()).into_response(),
    };
    let fingerprint = fingerprint(&parts, &bytes);
    let now = state.clock.now();
    let held = KeyClaim { key, claim: uuid::Uuid::new_v4().to_string() };
    match state.store.reserve_key(&held, &fingerprint, now, now + LEASE).await {
        Err(e) => return Problem::internal(&e).into_response(),
        Ok(Some(found)) if found.fingerprint != fingerprint => {
            return Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "该幂等键已用于另一请求",
                "this Idempotency-Key was used for a different request",
                "use a new key for a new request",
            )
            .into_response()
        }
        Ok(Some(found)) => {
            return match found.response {
                Some(r) => replay(r),
                None => in_flight().into_response(),
            }
        }
        Ok(None) => {}
    }
    let mut req = Request::from_parts(parts, Body::from(bytes));
    req.extensions_mut().insert(held.clone());
    let resp = next.run(req).await;
    if resp.extensions().get::<AnsweredInCommit>().is_some() {
        return resp;
    }
    let (rparts, rbody) = resp.into_parts();
    let rbytes = match to_bytes(rbody, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            let _ = state.store.release_key(&held).await;
            return Problem::internal(&e).into_response();
        }
    };
    if rparts.status.is_server_error() {
        if let Err(e) = state.store.release_key(&held).await {
            tracing::error!(error = %e, "releasing an idempotency key");
        }
    } else {
        let stored = StoredResponse {
            status: rparts.status.as_u16(),
            content_type: rparts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("application/json")
                .to_string(),
            body: String::from_utf8_lossy(&rbytes).into_owned(),
        };
        match state.store.complete_key(&held, &stored).await {
            Ok(true) => {}
            Ok(false) => tracing::warn!("an idempotency key was taken over before its answer was stored"),
            Err(e) => tracing::error!(error = %e, "storing an idempotent response"),
        }
    }
    Response::from_parts(rparts, Body::from(rbytes))
}

/// 409: the key is held by a request that has not answered.
pub fn in_flight() -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "idempotency_key_in_flight",
        "相同请求正在处理",
        "the first request with this key has not finished",
        "retry later, or read the decision to learn the outcome",
    )
}

/// A JSON answer as stored for replay: the bytes `Json(body)` would send.
pub fn stored_json<T: Serialize>(status: StatusCode, body: &T) -> StoredResponse {
    StoredResponse {
        status: status.as_u16(),
        content_type: "application/json".into(),
        body: serde_json::to_string(body).unwrap_or_default(),
    }
}

/// What an act handler hands the engine when its request holds a key.
pub fn answering<'a>(
    held: &Option<axum::Extension<KeyClaim>>,
    answer: &'a (dyn Fn(&Applied) -> StoredResponse + Send + Sync),
) -> Option<Answering<'a>> {
    held.as_ref().map(|axum::Extension(h)| Answering { held: h.clone(), answer })
}

/// Send the answer the act stored with its commit; the layer stores nothing more.
pub fn answered(r: StoredResponse) -> Response {
    let mut resp = (StatusCode::from_u16(r.status).unwrap_or(StatusCode::OK), r.body).into_response();
    if let Ok(v) = HeaderValue::from_str(&r.content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp.extensions_mut().insert(AnsweredInCommit);
    resp
}

fn replay(r: StoredResponse) -> Response {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::OK);
    let mut resp = (status, r.body).into_response();
    if let Ok(v) = HeaderValue::from_str(&r.content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp.headers_mut().insert(REPLAYED, HeaderValue::from_static("true"));
    resp
}

/// The request as far as "the same request" goes; the credential is hashed
/// in, so one client's key cannot replay another's answer.
pub fn fingerprint(parts: &axum::http::request::Parts, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(parts.method.as_str().as_bytes());
    h.update(b" ");
    h.update(parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("").as_bytes());
    h.update(b"\n");
    for name in [header::AUTHORIZATION, header::COOKIE, header::IF_MATCH] {
        if let Some(v) = parts.headers.get(&name) {
            h.update(v.as_bytes());
        }
        h.update(b"\n");
    }
    h.update(body);
    hex::encode(h.finalize())
}

fn too_large(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = s.source();
    }
    false
}
