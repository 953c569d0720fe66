//! Deadlines on the national procedure with an injected clock, on SQLite and PostgreSQL: the comment period's
//! auto-act (PP-5, Art. 15: the period closes when it ends, and no comment is taken after) and the crash-safety of
//! auto-acts (a claim whose act never happened is fired once by another scheduler after its lease, never twice).

use juece_engine::orchestrator::ActRequest;
use juece_engine::orchestrator::OpinionRequest;
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use juece_engine::act::Act;
use juece_engine::actor::{Actor, Role};
use juece_engine::auth::anonymous;
use juece_engine::orchestrator::Engine;
use juece_engine::scheduler::{ManualClock, Scheduler, SchedulerConfig};
use juece_engine::store::scheduler::{AfterClaim, FirePlan, Lease, LeasedFiring};
use juece_engine::store::{DeadlineRow, DeadlineStatus, StoreError};
use juece_engine::Error;
use juece_tests::{comment_notice_published, engine, on_each_database, person, refusal_code};
use serde_json::json;

const LEASE_SECONDS: i64 = 60;

fn drafter() -> Actor {
    person("drafter", "生态环境局", Role::Drafter)
}

/// 09:00 CST on Monday 2 March 2026.
fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).single().expect("a valid instant")
}

fn scheduler(engine: Arc<Engine>, clock: Arc<ManualClock>) -> Scheduler {
    let lease = std::time::Duration::from_secs(LEASE_SECONDS as u64);
    Scheduler::new(engine, clock).with_config(SchedulerConfig { lease, ..SchedulerConfig::default() })
}

async fn comment(engine: &Engine, id: &str, at: DateTime<Utc>) -> Result<(), Error> {
    let act = Act::new("receive_comment", json!({ "content": "意见" }));
    let request = OpinionRequest { decision_id: id, act: &act, actor: &anonymous(), now: at, answer: None };
    engine.receive(request).await.map(|_| ())
}

/// The acts of a decision's record, in order.
async fn acts(engine: &Engine, id: &str) -> Vec<(String, String)> {
    let records = engine.store().audit_records(id).await.expect("records");
    records.into_iter().map(|r| (r.act, r.actor.user_id)).collect()
}

async fn the_comment_period_closes_itself(url: String) {
    let engine = Arc::new(engine(&url).await);
    let id = "pp5-auto";
    let notice = comment_notice_published(&engine, id, start()).await;
    let end = notice.ends_at;
    comment(&engine, id, start() + Duration::days(1)).await.expect("a comment within the period");
    let rows = engine.store().deadlines(id).await.expect("deadlines");
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].spec.name.as_str(), rows[0].spec.act.as_deref()),
        ("comment_period_end", Some("end_comment_period"))
    );
    assert_eq!(rows[0].spec.due_at, end, "due when the period ends, at 24:00 CST of its last day");

    let clock = Arc::new(ManualClock::new(end - Duration::microseconds(1)));
    let s = scheduler(engine.clone(), clock.clone());
    assert!(s.tick().await.expect("tick").is_empty(), "never early");
    clock.set(end);
    let fired = s.tick().await.expect("tick");
    assert_eq!(fired.len(), 1);
    assert!(matches!(fired[0].act, Some(Ok(()))), "the auto-act was applied: {:?}", fired[0].act);
    assert!(s.tick().await.expect("tick").is_empty(), "once");

    // Through the one transition function, by the system, audited; the stage stays open for dispositions.
    let record = acts(&engine, id).await;
    assert_eq!(record.last().map(|(a, u)| (a.as_str(), u.as_str())), Some(("end_comment_period", "system")));
    let d = engine.load(id).await.expect("load");
    assert_eq!(d.stage, "public_participation");
    assert_eq!(d.facts.comment_notices.last().and_then(|n| n.closed_at), Some(end));
    let row = &engine.store().deadlines(id).await.expect("deadlines")[0];
    assert_eq!((row.status, row.fired_at), (DeadlineStatus::Fired, Some(end)));
    let told = engine.store().outbox(id).await.expect("outbox");
    assert!(told.iter().any(|o| o.recipient_role == "drafter" && o.subject.contains("end_comment_period")));
    // The drafter reads what fell due, not only its key.
    assert!(told.iter().any(|o| o.subject.starts_with("期限届满：公开征求意见期限届满（截至")
        && o.subject.contains(" / deadline: the public comment")));

    // The public can no longer comment — not even through a server whose clock runs behind.
    let version = d.version;
    assert_eq!(refusal_code(comment(&engine, id, end + Duration::hours(1)).await), "art15_comment_period_closed");
    assert_eq!(refusal_code(comment(&engine, id, end - Duration::days(1)).await), "art15_comment_period_closed");
    assert_eq!(engine.load(id).await.expect("load").version, version, "a refused comment writes nothing");
    // Nobody else performs the auto-act, and the system performs it once.
    let again = engine.apply(ActRequest::new(id, &Act::new("end_comment_period", json!({})), &drafter(), end)).await;
    assert_eq!(refusal_code(again), "role_not_permitted");
    let again =
        engine.apply(ActRequest::new(id, &Act::new("end_comment_period", json!({})), &Actor::system(), end)).await;
    assert_eq!(refusal_code(again), "art15_no_open_comment_period");

    // The stage closes once every opinion is disposed (Art. 18).
    let close = Act::new("close_participation", json!({}));
    assert_eq!(
        refusal_code(engine.apply(ActRequest::new(id, &close, &drafter(), end)).await),
        "art18_opinions_undisposed"
    );
    let dispose = json!({ "opinion_id": 1, "outcome": "not_adopted", "reason": "上位法已规定" });
    engine.apply(ActRequest::new(id, &Act::new("dispose_opinion", dispose), &drafter(), end)).await.expect("dispose");
    engine.apply(ActRequest::new(id, &close, &drafter(), end)).await.expect("close");
    assert_eq!(engine.load(id).await.expect("load").stage, "hearing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pp5_the_comment_period_closes_itself_when_it_ends() {
    on_each_database(the_comment_period_closes_itself).await;
}

/// Claim what is due at `now` by hand as a scheduler `holder` would, leasing it for [`LEASE_SECONDS`].
async fn claim(engine: &Engine, now: DateTime<Utc>, holder: &str) -> Vec<DeadlineRow> {
    let lease = |_: &DeadlineRow, now: DateTime<Utc>| FirePlan {
        then: AfterClaim::Lease(Lease { holder: holder.into(), until: now + Duration::seconds(LEASE_SECONDS) }),
        outbox: Vec::new(),
    };
    let claimed = engine.store().fire_due_planned(now, 10, &lease).await.expect("claim");
    claimed.into_iter().map(|f| f.deadline).collect()
}

fn end_comment_period() -> Act {
    Act::new("end_comment_period", json!({}))
}

async fn a_crashed_claim_fires_once_after_its_lease(url: String) {
    let first = Arc::new(engine(&url).await);
    let id = "lease";
    let end = comment_notice_published(&first, id, start()).await.ends_at;

    // The first scheduler claims the auto-act and dies before applying it: only its lease is written.
    let claimed = claim(&first, end, "crashed").await;
    assert_eq!(claimed.len(), 1);
    let row = &first.store().deadlines(id).await.expect("deadlines")[0];
    assert_eq!(row.status, DeadlineStatus::Pending, "a claimed auto-act is not lost: it is still pending");
    let version = first.load(id).await.expect("load").version;

    // Another replica, with its own engine and connections, runs the real scheduler.
    let second = Arc::new(engine(&url).await);
    let clock = Arc::new(ManualClock::new(end + Duration::seconds(LEASE_SECONDS - 1)));
    let s = scheduler(second.clone(), clock.clone());
    assert!(s.tick().await.expect("tick").is_empty(), "not while the lease holds");
    clock.set(end + Duration::seconds(LEASE_SECONDS));
    let fired = s.tick().await.expect("tick");
    assert_eq!(fired.len(), 1, "claimable again once the lease expired");
    assert!(matches!(fired[0].act, Some(Ok(()))), "{:?}", fired[0].act);

    // The first scheduler comes back and applies its act late: refused, nothing written.
    let late = LeasedFiring { deadline_id: row.id.clone(), holder: "crashed".into(), at: end };
    assert!(first.apply_due(id, &end_comment_period(), &late, &[]).await.is_err());
    clock.advance(Duration::days(1));
    assert!(s.tick().await.expect("tick").is_empty(), "never twice");
    let record = acts(&second, id).await;
    assert_eq!(record.iter().filter(|(a, _)| a == "end_comment_period").count(), 1, "applied exactly once");
    assert_eq!(second.load(id).await.expect("load").version, version + 1);
    let state = second.store().firing_state(&row.id).await.expect("state").expect("row");
    assert_eq!(state.occurrences, 1);

    // The race itself: the old holder's act is one the engine would accept, but the lease is another's by now.
    let id = "lease-race";
    let end = comment_notice_published(&first, id, start() + Duration::days(1)).await.ends_at;
    let row = claim(&first, end, "a").await.pop().expect("claimed by a");
    let later = end + Duration::seconds(LEASE_SECONDS);
    assert_eq!(claim(&second, later, "b").await.len(), 1, "taken over by b");
    let firing = |holder: &str, at| LeasedFiring { deadline_id: row.id.clone(), holder: holder.into(), at };
    let r = first.apply_due(id, &end_comment_period(), &firing("a", end), &[]).await;
    assert!(matches!(r, Err(Error::Store(StoreError::LeaseLost { .. }))), "{r:?}");
    assert_eq!(acts(&first, id).await.len(), 7, "the refused commit wrote nothing");
    second.apply_due(id, &end_comment_period(), &firing("b", later), &[]).await.expect("b applies it");
    assert!(claim(&first, later + Duration::days(1), "c").await.is_empty(), "fired, never claimed again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_auto_act_claimed_by_a_crashed_scheduler_fires_once_after_the_lease() {
    on_each_database(a_crashed_claim_fires_once_after_its_lease).await;
}
