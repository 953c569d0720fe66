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
//!
//! Only what can be held to account is stored: a key is looked at only for
//! a request the router hands to a handler (404 and 405 never cost a row),
//! and only a request with valid credentials reserves one — an anonymous or forged
//! one is answered without (a malformed key is refused all the same). Keys
//! expire after `ServerConfig::idempotency_ttl` (24 h by default); expired
//! rows are purged now and then by whichever request comes along.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use juece_engine::orchestrator::{Answering, Applied};
use juece_engine::store::idempotency::{KeyClaim, StoredResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

use juece_engine::refusal::Detail;

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
    if !changes || NOT_REPLAYED.iter().any(|p| path.starts_with(p)) || !routed(&state, &req) {
        return next.run(req).await;
    }
    let key = match key.to_str() {
        Ok(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => k.to_string(),
        _ => {
            return Problem::bad_request(
                "invalid_idempotency_key",
                Detail::new(
                    "Idempotency-Key 应为1至255个可见 ASCII 字符",
                    "Idempotency-Key is 1 to 255 visible ASCII characters",
                ),
            )
            .into_response()
        }
    };
    let (mut parts, body) = req.into_parts();
    if !authenticated(&mut parts, &state).await {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) if too_large(&e) => return Problem::for_status(StatusCode::PAYLOAD_TOO_LARGE).into_response(),
        Err(e) => return Problem::bad_request("unreadable_body", crate::extract::unreadable(e)).into_response(),
    };
    let fingerprint = fingerprint(&parts, &bytes);
    let now = state.clock.now();
    let held = KeyClaim { key, claim: uuid::Uuid::new_v4().to_string() };
    let expired_before = now - state.config.idempotency_ttl;
    purge_now_and_then(&state, expired_before);
    match state.engine.reserve_key_expiring(&held, &fingerprint, now, now + LEASE, expired_before).await {
        Err(e) => return Problem::internal(&e).into_response(),
        Ok(Some(found)) if found.fingerprint != fingerprint => {
            return Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "该幂等键已用于另一请求",
                "this Idempotency-Key was used for a different request",
                Detail::new("新的请求请使用新的幂等键", "use a new key for a new request"),
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
            let _ = state.engine.release_key(&held).await;
            return Problem::internal(&e).into_response();
        }
    };
    if rparts.status.is_server_error() {
        if let Err(e) = state.engine.release_key(&held).await {
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
        match state.engine.complete_key(&held, &stored).await {
            Ok(true) => {}
            Ok(false) => tracing::warn!("an idempotency key was taken over before its answer was stored"),
            Err(e) => tracing::error!(error = %e, "storing an idempotent response"),
        }
    }
    Response::from_parts(rparts, Body::from(rbytes))
}

/// Whether the router hands this request to a handler: its path matched a
/// route and the document lists the method there (a 405 is answered by the
/// router, after this layer, and must not cost a stored key).
fn routed(state: &AppState, req: &Request) -> bool {
    let Some(matched) = req.extensions().get::<axum::extract::MatchedPath>() else { return false };
    let op = (req.method().as_str().to_string(), matched.as_str().to_string());
    state.operations.get().is_some_and(|ops| ops.contains(&op))
}

/// Whether the request carries credentials of a live session or token. The
/// handler authenticates again; a request that fails here gets its 401 (or,
/// on a public endpoint, its anonymous answer) from the handler.
async fn authenticated(parts: &mut axum::http::request::Parts, state: &AppState) -> bool {
    use axum::extract::FromRequestParts;
    matches!(
        crate::extract::MaybeCaller::from_request_parts(parts, state).await,
        Ok(crate::extract::MaybeCaller(Some(_)))
    )
}

/// How often one process purges expired keys.
const PURGE_EVERY: chrono::Duration = chrono::Duration::minutes(10);

/// Purge expired keys in the background, at most every [`PURGE_EVERY`] per process.
fn purge_now_and_then(state: &AppState, expired_before: chrono::DateTime<chrono::Utc>) {
    use std::sync::atomic::Ordering;
    let now = state.clock.now().timestamp_micros();
    let last = state.keys_purged_at.load(Ordering::Relaxed);
    let due = now.saturating_sub(last) >= PURGE_EVERY.num_microseconds().unwrap_or(i64::MAX);
    if !due || state.keys_purged_at.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_err() {
        return;
    }
    let engine = state.engine.clone();
    tokio::spawn(async move {
        match engine.purge_keys(expired_before).await {
            Ok(n) if n > 0 => tracing::info!(purged = n, "expired idempotency keys purged"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "purging expired idempotency keys"),
        }
    });
}

/// 409: the key is held by a request that has not answered.
pub fn in_flight() -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "idempotency_key_in_flight",
        "相同请求正在处理",
        "the first request with this key has not finished",
        Detail::new("请稍后重试，或者查阅决策事项了解结果", "retry later, or read the decision to learn the outcome"),
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
