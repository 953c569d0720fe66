//! The deadline scheduler in `/metrics`: what is due and not yet fired (read from the store at each scrape), what
//! fired by kind and how late, and the group-commit totals. The scheduler reports to the server's metrics as
//! `juece serve` wires it.

use std::sync::Arc;

use juece_engine::scheduler::{ManualClock, Scheduler};
use serde_json::json;

use super::{api, Api};

async fn metrics(a: &Api) -> String {
    a.http.get(a.url("/metrics")).send().await.expect("metrics").text().await.expect("text")
}

/// The value of the sample line that starts with `series ` (none when absent).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_backlog_firings_and_their_lag_are_in_the_metrics() {
    let a = api().await;
    let id = a.at_stage("停车收费调整方案", "public_participation").await;
    let notice = json!({ "channels": ["website"], "submission_methods": ["电子邮件"], "start": a.today(), "days": 30 });
    a.ok("drafter", &id, "publish_comment_notice", notice).await;

    let before = metrics(&a).await;
    assert_eq!(sample(&before, "juece_deadlines_due_unfired"), Some(0.0), "{before}");
    assert!(sample(&before, "juece_group_commit_acts_total").unwrap_or(0.0) >= 1.0, "{before}");
    // The acts that brought the decision here followed one another on one replica: all but the first two took the
    // record as the last one committed it, and none found it moved on.
    assert!(sample(&before, "juece_kept_records_taken_total").unwrap_or(0.0) >= 1.0, "{before}");
    assert_eq!(sample(&before, "juece_kept_records_stale_total"), Some(0.0), "{before}");

    // Two days past the period's end, with no scheduler running: the auto-act is due and waits.
    a.wait_days(33);
    let waiting = metrics(&a).await;
    assert_eq!(sample(&waiting, "juece_deadlines_due_unfired"), Some(1.0), "{waiting}");
    let oldest = sample(&waiting, "juece_deadlines_oldest_unfired_seconds").unwrap_or(0.0);
    assert!(oldest > 86_400.0 && oldest < 3.0 * 86_400.0, "{oldest}");

    // A scheduler catches up: it fires the auto-act once, late by those two days, and the backlog is empty.
    let clock = Arc::new(ManualClock::new(a.app.clock.now()));
    let scheduler = Scheduler::new(a.app.state.engine.clone(), clock).with_observer(a.app.state.metrics.clone());
    let fired = scheduler.tick().await.expect("tick");
    assert_eq!(fired.len(), 1);
    let after = metrics(&a).await;
    assert_eq!(sample(&after, r#"juece_deadlines_fired_total{kind="auto_act"}"#), Some(1.0), "{after}");
    assert_eq!(sample(&after, r#"juece_deadline_fire_lag_seconds_count{kind="auto_act"}"#), Some(1.0));
    assert_eq!(sample(&after, r#"juece_deadline_fire_lag_seconds_bucket{kind="auto_act",le="3600"}"#), Some(0.0));
    assert_eq!(sample(&after, r#"juece_deadline_fire_lag_seconds_bucket{kind="auto_act",le="+Inf"}"#), Some(1.0));
    assert_eq!(sample(&after, "juece_deadlines_due_unfired"), Some(0.0), "{after}");
    assert_eq!(sample(&after, "juece_deadlines_oldest_unfired_seconds"), Some(0.0));
    assert_eq!(sample(&after, "juece_scheduler_claim_errors_total"), Some(0.0));
    let (state, _) = a.state_of(&id).await;
    let closed = &state["facts"]["comment_notices"][0]["closed_at"];
    assert!(closed.is_string(), "the auto-act closed the period: {state}");
}
