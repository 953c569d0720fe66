//! Prometheus metrics, served at `/metrics` in the text format: requests
//! by route and status, request latency, and acts accepted and refused by
//! reason code. Routes are labelled by their pattern (`/api/v1/decisions/{id}`),
//! never by the raw path, so ids cannot explode the label space.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use juece_engine::orchestrator::EngineError;
use prometheus::{Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder};

use crate::server::AppState;

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    acts: IntCounterVec,
}

impl Metrics {
    pub fn new() -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("juece_http_requests_total", "HTTP requests by method, route and status"),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new("juece_http_request_duration_seconds", "HTTP request latency by method and route")
                .buckets(vec![0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5]),
            &["method", "route"],
        )?;
        let acts = IntCounterVec::new(
            Opts::new("juece_acts_total", "acts by name and outcome (accepted, refused) and reason code"),
            &["act", "outcome", "reason_code"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(acts.clone()))?;
        Ok(Metrics { registry, requests, latency, acts })
    }

    /// Count one act's outcome (conflicts and server errors are not acts the law judged).
    pub fn act<T>(&self, act: &str, result: &Result<T, EngineError>) {
        let (outcome, code) = match result {
            Ok(_) => ("accepted", ""),
            Err(EngineError::Refused(r)) => ("refused", r.reason_code()),
            Err(_) => return,
        };
        self.acts.with_label_values(&[act, outcome, code]).inc();
    }

    pub fn render(&self) -> Result<String, prometheus::Error> {
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out)?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

/// Middleware: time and count every request.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let route = route.unwrap_or_else(|| "unmatched".into());
    let method = req.method().as_str().to_string();
    let started = Instant::now();
    let resp = next.run(req).await;
    let m = &state.metrics;
    m.latency.with_label_values(&[&method, &route]).observe(started.elapsed().as_secs_f64());
    m.requests.with_label_values(&[&method, &route, resp.status().as_str()]).inc();
    resp
}

/// `GET /metrics`.
pub async fn serve(State(state): State<AppState>) -> Response {
    match state.metrics.render() {
        Ok(text) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendering metrics");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
