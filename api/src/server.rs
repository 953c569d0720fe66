//! The HTTP server: liveness, readiness and metrics at the root, the JSON
//! API under `/api/v1` (`routes/`), the web UI's pages (`pages/`), and the
//! layers every request passes:
//! a request id (`x-request-id`, generated unless sent, echoed back and on
//! every log line of the request), tracing, metrics, panics turned into a
//! 500, a body size limit, `Connection: close` on answers given before the
//! body was read, idempotency keys, and problem+json for every error —
//! including those of the layers and of unknown routes. Connections are
//! accepted by `crate::listen` (timeouts, a cap).

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use juece_engine::auth::Auth;
use juece_engine::orchestrator::Engine;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::clock::Clock;
use crate::metrics::Metrics;
use crate::problem::{self, Problem};
use crate::ratelimit::Limiter;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What the server is told at start.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Drop `Secure` from the session cookie, for plain-HTTP local development only.
    pub insecure_cookies: bool,
    /// Largest request body anywhere, in bytes.
    pub body_limit: usize,
    /// Per-client requests a minute on the public endpoints and sign-in, and the burst allowed.
    pub public_per_minute: u32,
    pub public_burst: u32,
    /// Opinions a second one consultation (decision) takes, from everyone together.
    pub consultation_per_second: u32,
    /// How long an `Idempotency-Key` and its answer are kept.
    pub idempotency_ttl: chrono::Duration,
    /// Header-read and idle timeouts, and the connection cap.
    pub connections: crate::listen::ConnLimits,
    /// Where the server key and the anchor log are, for verifying the record from the web UI.
    pub anchoring: Option<crate::setup::Anchoring>,
    /// Headless Chromium for memos as PDF (`--browser`); `None`: PDF is answered 503.
    pub browser: Option<crate::pdf::Browser>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            insecure_cookies: false,
            body_limit: 1024 * 1024,
            public_per_minute: 120,
            public_burst: 30,
            consultation_per_second: 10_000,
            idempotency_ttl: juece_engine::store::idempotency::KEY_TTL,
            connections: crate::listen::ConnLimits::default(),
            anchoring: None,
            browser: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub engine: Arc<Engine>,
    pub auth: Auth,
    /// The unit directory, with the memo templates' 机关代字.
    pub units: juece_engine::units::Units,
    pub clock: Clock,
    pub config: Arc<ServerConfig>,
    pub metrics: Arc<Metrics>,
    pub limiter: Arc<Limiter>,
    /// Opinions a second per consultation.
    pub consultations: Arc<Limiter<String>>,
    /// The OpenAPI document, rendered once when the router is built.
    pub openapi: Arc<OnceLock<String>>,
    /// Every operation the router serves, `(METHOD, /path/{template})`, from the document: the idempotency
    /// layer looks at a key only for a request the router will hand to a handler.
    pub operations: Arc<OnceLock<std::collections::HashSet<(String, String)>>>,
    /// When this process last purged expired idempotency keys (Unix microseconds).
    pub keys_purged_at: Arc<std::sync::atomic::AtomicI64>,
    /// The web UI's templates and catalogues.
    pub ui: Arc<crate::pages::Ui>,
}

impl AppState {
    pub fn new(engine: Arc<Engine>, config: ServerConfig, clock: Clock) -> anyhow::Result<AppState> {
        Ok(AppState {
            auth: engine.auth(),
            units: engine.units(),
            engine,
            clock,
            limiter: Arc::new(Limiter::new(config.public_per_minute, config.public_burst)),
            consultations: Arc::new(Limiter::per_second(config.consultation_per_second)),
            config: Arc::new(config),
            metrics: Arc::new(Metrics::new()?),
            openapi: Arc::new(OnceLock::new()),
            operations: Arc::new(OnceLock::new()),
            keys_purged_at: Arc::default(),
            ui: Arc::new(crate::pages::Ui::new()),
        })
    }
}

pub fn router(state: AppState) -> Router {
    let (api, mut doc) = crate::routes::api(state.clone()).split_for_parts();
    crate::routes::complete(&mut doc, &state.engine);
    let _ = state.openapi.set(doc.to_pretty_json().unwrap_or_default());
    let _ = state.operations.set(operations(&doc));
    let body_limit = state.config.body_limit;
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(crate::metrics::serve))
        .merge(api.layer(middleware::from_fn_with_state(state.clone(), crate::idempotency::idempotent)))
        .merge(crate::pages::router(state.clone()))
        .fallback(|| async { Problem::for_status(StatusCode::NOT_FOUND) })
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(middleware::from_fn(crate::listen::close_unread))
        .layer(middleware::from_fn(as_problem))
        .layer(CatchPanicLayer::custom(|_| Problem::internal(&"a handler panicked").into_response()))
        .layer(middleware::from_fn_with_state(state.clone(), crate::metrics::track))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// The `(METHOD, template)` of every operation in the document.
fn operations(doc: &utoipa::openapi::OpenApi) -> std::collections::HashSet<(String, String)> {
    let mut out = std::collections::HashSet::new();
    for (path, item) in &doc.paths.paths {
        let ops = [("GET", &item.get), ("POST", &item.post), ("PUT", &item.put), ("PATCH", &item.patch)];
        for (method, op) in ops.into_iter().chain([("DELETE", &item.delete)]) {
            if op.is_some() {
                out.insert((method.to_string(), path.clone()));
            }
        }
    }
    out
}

/// Every error answer is problem+json, whoever produced it (a layer, the
/// router's 405, a rejection); server errors carry the request id.
async fn as_problem(req: Request, next: Next) -> Response {
    let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::to_string);
    let resp = next.run(req).await;
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let is_problem = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(problem::CONTENT_TYPE.as_bytes()));
    // A page answers a refusal with the page itself (its error summary, the form as typed).
    let is_page = resp.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if (is_problem || is_page) && !status.is_server_error() {
        return resp;
    }
    // A handler's own 503 problem names a capability this server lacks (`pdf_unavailable`): nothing to hide.
    if is_problem && status == StatusCode::SERVICE_UNAVAILABLE {
        return resp;
    }
    // Keep headers such as Retry-After and Allow; replace the body.
    let (mut parts, _) = resp.into_parts();
    let mut p = Problem::for_status(status);
    p.request_id = id;
    parts.headers.remove(header::CONTENT_LENGTH);
    let fresh = p.into_response();
    parts.headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static(problem::CONTENT_TYPE));
    let (_, body) = fresh.into_parts();
    Response::from_parts(parts, body)
}

async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Ready when the database answers and every migration is applied.
async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    match state.engine.ready().await {
        Ok(true) => (StatusCode::OK, Json(serde_json::json!({ "status": "ready" }))),
        Ok(false) => (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "migrations pending" }))),
        Err(e) => {
            tracing::error!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "database unavailable" })))
        }
    }
}

/// Serve until ctrl-c or SIGTERM, finishing requests in flight. The peer
/// address reaches the handlers (the public rate limit is keyed by it).
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    serve_until(listener, state, shutdown_signal()).await;
    Ok(())
}

/// Serve until `stop` completes, under the connection limits of the configuration (`crate::listen`).
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    state: AppState,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) {
    let token = tokio_util::sync::CancellationToken::new();
    let cancel = token.clone();
    tokio::spawn(async move {
        stop.await;
        cancel.cancel();
    });
    let limits = state.config.connections;
    crate::listen::serve(listener, router(state), limits, token).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
