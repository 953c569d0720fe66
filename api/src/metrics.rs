//! Prometheus metrics, served at `/metrics` in the text format: requests
//! by route and status, request latency, and acts accepted and refused by
//! reason code. Routes are labelled by their pattern (`/api/v1/decisions/{id}`),
//! never by the raw path, so ids cannot explode the label space.
//!
//! The deadline scheduler reports through [`SchedulerObserver`]: occurrences
//! fired by kind, how late each fired, auto-acts not applied, failed claims.
//! What is due and not fired is read from the store at each scrape, as are the
//! group-commit counts, so a replica without a scheduler still shows a backlog
//! that another replica should be firing. So are the counts of acts that took their record as the replica last
//! committed it, and of those records found stale.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use juece_engine::definition::DeadlineKind;
use juece_engine::scheduler::SchedulerObserver;
use juece_engine::Error;
use prometheus::core::Collector;
use prometheus::{
    Encoder, Gauge, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

use crate::server::AppState;

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    acts: IntCounterVec,
    fired: IntCounterVec,
    lag: HistogramVec,
    not_applied: IntCounterVec,
    claim_errors: IntCounter,
    due_unfired: IntGauge,
    oldest_unfired: Gauge,
    batches: IntCounter,
    batched_acts: IntCounter,
    caller_acts: IntCounter,
    kept_taken: IntCounter,
    kept_stale: IntCounter,
}

/// `metric`, registered: every metric is created and registered the same way.
fn registered<M: Collector + Clone + 'static>(registry: &Registry, metric: M) -> Result<M, prometheus::Error> {
    registry.register(Box::new(metric.clone()))?;
    Ok(metric)
}

impl Metrics {
    pub fn new() -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new();
        let requests = registered(
            &registry,
            IntCounterVec::new(
                Opts::new("juece_http_requests_total", "HTTP requests by method, route and status"),
                &["method", "route", "status"],
            )?,
        )?;
        let latency = registered(
            &registry,
            HistogramVec::new(
                HistogramOpts::new("juece_http_request_duration_seconds", "HTTP request latency by method and route")
                    .buckets(vec![0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5]),
                &["method", "route"],
            )?,
        )?;
        let acts = registered(
            &registry,
            IntCounterVec::new(
                Opts::new("juece_acts_total", "acts by name and outcome (accepted, refused) and reason code"),
                &["act", "outcome", "reason_code"],
            )?,
        )?;
        let fired = registered(
            &registry,
            IntCounterVec::new(
                Opts::new("juece_deadlines_fired_total", "deadline occurrences fired, by kind"),
                &["kind"],
            )?,
        )?;
        // From the scheduler's pace (well under a second) to a catch-up after a day's downtime.
        let lag = registered(
            &registry,
            HistogramVec::new(
                HistogramOpts::new(
                    "juece_deadline_fire_lag_seconds",
                    "how long after its due instant an occurrence fired",
                )
                .buckets(vec![0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 30.0, 300.0, 3600.0, 86400.0]),
                &["kind"],
            )?,
        )?;
        let not_applied = registered(
            &registry,
            IntCounterVec::new(
                Opts::new("juece_auto_acts_not_applied_total", "auto-acts fired but not applied, by reason code"),
                &["reason_code"],
            )?,
        )?;
        let claim_errors = registered(
            &registry,
            IntCounter::new("juece_scheduler_claim_errors_total", "claims of due deadlines that failed")?,
        )?;
        let due_unfired = registered(
            &registry,
            IntGauge::new("juece_deadlines_due_unfired", "pending deadlines due now and not yet fired")?,
        )?;
        let oldest_unfired = registered(
            &registry,
            Gauge::new(
                "juece_deadlines_oldest_unfired_seconds",
                "how long the earliest due and unfired deadline has been due (0 when none)",
            )?,
        )?;
        let batches = registered(
            &registry,
            IntCounter::new("juece_group_commit_batches_total", "transactions that wrote acts")?,
        )?;
        let batched_acts = registered(
            &registry,
            IntCounter::new("juece_group_commit_acts_total", "acts written by those transactions")?,
        )?;
        let caller_acts = registered(
            &registry,
            IntCounter::new(
                "juece_group_commit_caller_acts_total",
                "of those acts, written by their own request, the store's writer having nothing else to write (SQLite)",
            )?,
        )?;
        let kept_taken = registered(
            &registry,
            IntCounter::new(
                "juece_kept_records_taken_total",
                "acts that took their record as this replica last committed it, instead of reading it",
            )?,
        )?;
        let kept_stale = registered(
            &registry,
            IntCounter::new("juece_kept_records_stale_total", "of those, records another writer had moved on")?,
        )?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            acts,
            fired,
            lag,
            not_applied,
            claim_errors,
            due_unfired,
            oldest_unfired,
            batches,
            batched_acts,
            caller_acts,
            kept_taken,
            kept_stale,
        })
    }

    /// Read what the store and the engine count (scrape time): the due backlog and the group-commit totals.
    async fn refresh(&self, state: &AppState) -> Result<(), Error> {
        let now = state.clock.now();
        let backlog = state.engine.due_backlog(now).await?;
        self.due_unfired.set(backlog.count);
        let oldest = backlog.oldest_due.map_or(0.0, |t| (now - t).to_std().map_or(0.0, |d| d.as_secs_f64()));
        self.oldest_unfired.set(oldest);
        let counts = state.engine.group_commit_counts();
        // The engine's counts only grow: add what they grew by since the last scrape.
        let advance = |c: &IntCounter, to: u64| c.inc_by(to.saturating_sub(c.get()));
        advance(&self.batches, counts.batches.load(std::sync::atomic::Ordering::Relaxed));
        advance(&self.batched_acts, counts.acts.load(std::sync::atomic::Ordering::Relaxed));
        advance(&self.caller_acts, counts.by_caller.load(std::sync::atomic::Ordering::Relaxed));
        let (taken, stale) = state.engine.kept_record_counts();
        advance(&self.kept_taken, taken);
        advance(&self.kept_stale, stale);
        Ok(())
    }

    /// Count one act's outcome (conflicts and server errors are not acts the law judged).
    pub fn act<T>(&self, act: &str, result: &Result<T, Error>) {
        let (outcome, code) = match result {
            Ok(_) => ("accepted", ""),
            Err(Error::Refused(r)) => ("refused", r.reason_code()),
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

impl SchedulerObserver for Metrics {
    fn fired(&self, kind: DeadlineKind, lag: std::time::Duration) {
        self.fired.with_label_values(&[kind.as_str()]).inc();
        self.lag.with_label_values(&[kind.as_str()]).observe(lag.as_secs_f64());
    }

    fn act_not_applied(&self, reason: &str) {
        self.not_applied.with_label_values(&[reason]).inc();
    }

    fn claim_failed(&self) {
        self.claim_errors.inc();
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
    if let Err(e) = state.metrics.refresh(&state).await {
        // The request metrics are still worth serving; the stale gauges say the database could not be read.
        tracing::warn!(error = %e, "reading the deadline backlog for metrics");
    }
    match state.metrics.render() {
        Ok(text) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendering metrics");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
