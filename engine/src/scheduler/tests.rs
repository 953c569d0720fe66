//! The scheduler against real stores with an injected clock: never early,
//! exactly at midnight CST, catch-up in order after downtime, reminders on
//! working days only (2026 National Day with its make-up Saturday), and two
//! schedulers sharing one database firing 1,000 deadlines exactly once.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

use super::*;
use crate::calendar::WorkCalendar;
use crate::store::conformance::RawSql;
use crate::store::scheduler::SchedulerStore;
use crate::store::{DeadlineStatus, PgTestDb, SqliteStore, Store};

fn calendar() -> WorkCalendar {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../workflows/calendars");
    WorkCalendar::load_dir(&dir).expect("the shipped calendars load")
}

fn cst(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Shanghai.with_ymd_and_hms(y, m, d, h, min, 0).single().expect("a valid CST instant").with_timezone(&Utc)
}

async fn sqlite() -> Arc<SqliteStore> {
    let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
    store.migrate().await.expect("migrate");
    Arc::new(store)
}

fn engine<S: Store + 'static>(store: Arc<S>) -> Arc<Engine> {
    Arc::new(Engine::new(vec![], calendar(), store).expect("an engine with no workflows"))
}

fn scheduler(engine: Arc<Engine>, clock: Arc<ManualClock>, batch: i64) -> Scheduler {
    Scheduler::new(engine, clock).with_config(SchedulerConfig { batch, ..SchedulerConfig::default() })
}

/// A decision row to hang deadlines on (the scheduler never loads it: these
/// deadlines have no act).
async fn decision(store: &dyn RawSql, id: &str) {
    let sql = format!(
        "insert into decisions (id, workflow_key, workflow_version, stage, version, title, parent_id, state_json, \
         created_at, updated_at) values ('{id}', 'test', 1, 's', 1, 't', null, '{{}}', \
         '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')"
    );
    store.execute_raw(&sql).await.expect("insert a decision");
}

/// A pending deadline; `cron` makes it a reminder series.
async fn deadline(store: &dyn RawSql, decision: &str, name: &str, due: DateTime<Utc>, cron: Option<&str>) -> String {
    let id = format!("{decision}-{name}");
    let (kind, basis) = match cron {
        Some(c) => ("reminder", format!(r#"{{"cron":"{c}"}}"#)),
        None => ("due", "{}".to_string()),
    };
    let sql = format!(
        "insert into deadlines (id, decision_id, name, kind, due_at_us, act, notify, basis_json, status, fired_at, \
         created_at) values ('{id}', '{decision}', '{name}', '{kind}', {}, null, 'drafter', '{basis}', 'pending', \
         null, '2026-01-01T00:00:00.000000Z')",
        due.timestamp_micros()
    );
    store.execute_raw(&sql).await.expect("insert a deadline");
    id
}

fn names(fired: &[Firing]) -> Vec<String> {
    fired.iter().map(|f| f.fired.deadline.spec.name.clone()).collect()
}

#[tokio::test]
async fn never_early_and_exactly_at_midnight_cst() {
    let store = sqlite().await;
    decision(&*store, "m").await;
    // The comment period of a notice published 2026-01-30 ends at 24:00 on 2026-02-28 CST.
    let midnight = cst(2026, 3, 1, 0, 0);
    assert_eq!(midnight, Utc.with_ymd_and_hms(2026, 2, 28, 16, 0, 0).single().expect("utc"));
    deadline(&*store, "m", "comment_period_end", midnight, None).await;
    let clock = Arc::new(ManualClock::new(midnight - Duration::microseconds(1)));
    let s = scheduler(engine(store.clone()), clock.clone(), 10);

    assert!(s.tick().await.expect("tick").is_empty(), "one microsecond before midnight CST nothing fires");
    assert_eq!(store.next_due().await.expect("next_due"), Some(midnight));
    let nothing_due = store.due_backlog(midnight - Duration::microseconds(1)).await.expect("backlog");
    assert_eq!((nothing_due.count, nothing_due.oldest_due), (0, None));
    let due = store.due_backlog(midnight + Duration::hours(1)).await.expect("backlog");
    assert_eq!((due.count, due.oldest_due), (1, Some(midnight)));
    clock.set(midnight);
    let fired = s.tick().await.expect("tick");
    assert_eq!(names(&fired), ["comment_period_end"], "fires at 24:00 CST exactly");
    assert_eq!(fired[0].fired.occurrence, 1);
    assert!(fired[0].fired.rearmed_to.is_none(), "a due deadline is not re-armed");
    clock.advance(Duration::days(1));
    assert!(s.tick().await.expect("tick").is_empty(), "fired once, never again");

    let rows = store.deadlines("m").await.expect("deadlines");
    assert_eq!((rows[0].status, rows[0].fired_at), (DeadlineStatus::Fired, Some(midnight)));
    let notices = store.outbox("m").await.expect("outbox");
    assert_eq!(notices.len(), 1, "the firing wrote its notice in the same transaction");
    assert_eq!(notices[0].recipient_role, "drafter");
    assert!(notices[0].subject.contains("comment_period_end"), "{}", notices[0].subject);
    // This engine has no definitions to describe the deadline: the notice names its key (with one, it reads
    // "期限届满：公开征求意见期限届满…", see `tests/deadlines.rs`); the time reads as the law reads it, in China
    // Standard Time: midnight starting 1 March is 24:00 of 28 February.
    assert_eq!(
        notices[0].subject,
        "期限届满：comment_period_end（截至2026年2月28日24时） / deadline: comment_period_end \
         (`comment_period_end`, due 24:00 on 28 Feb 2026 (China Standard Time))"
    );
    // The backlog a monitor sees: nothing due and unfired once it fired.
    assert_eq!(store.due_backlog(midnight).await.expect("backlog"), Default::default());
    assert_eq!(store.next_due().await.expect("next_due"), None);
}

#[tokio::test]
async fn restart_catches_up_every_missed_deadline_once_in_due_order() {
    let store = sqlite().await;
    decision(&*store, "r").await;
    let start = cst(2026, 5, 11, 8, 0);
    // Inserted out of order; due over the 3 days the server was down.
    let mut expected = Vec::new();
    for i in [17u32, 3, 29, 11, 0, 23, 5, 41, 37, 13] {
        let name = format!("missed{i:02}");
        deadline(&*store, "r", &name, start + Duration::hours(i64::from(i)), None).await;
        expected.push((i, name));
    }
    expected.sort();
    let back_up = start + Duration::days(3);
    deadline(&*store, "r", "after_restart", back_up + Duration::seconds(1), None).await;

    let clock = Arc::new(ManualClock::new(back_up));
    // A batch smaller than the backlog: catch-up spans several claims.
    let s = scheduler(engine(store.clone()), clock.clone(), 3);
    let fired = s.tick().await.expect("tick");
    let want: Vec<String> = expected.into_iter().map(|(_, n)| n).collect();
    assert_eq!(names(&fired), want, "every missed deadline, once, in due order");
    assert!(s.tick().await.expect("tick").is_empty(), "nothing fires twice");
    let rows = store.deadlines("r").await.expect("deadlines");
    let pending: Vec<_> = rows.iter().filter(|d| d.status == DeadlineStatus::Pending).map(|d| &d.spec.name).collect();
    assert_eq!(pending, ["after_restart"], "a deadline due after the restart waits for its time");
    assert_eq!(store.outbox("r").await.expect("outbox").len(), 10);
}

#[tokio::test]
async fn reminders_fire_on_working_days_only_across_national_day_2026() {
    let store = sqlite().await;
    decision(&*store, "n").await;
    // Every day at 09:00 CST while the legality review is overdue.
    let first = cst(2026, 9, 30, 9, 0);
    let id = deadline(&*store, "n", "legality_review_due", first, Some("0 0 9 * * *")).await;
    let clock = Arc::new(ManualClock::new(cst(2026, 9, 29, 12, 0)));
    let s = scheduler(engine(store.clone()), clock.clone(), 10);

    let mut fired_on = Vec::new();
    let mut day = NaiveDate::from_ymd_opt(2026, 9, 29).expect("date");
    while day <= NaiveDate::from_ymd_opt(2026, 10, 13).expect("date") {
        for hour in [8, 9, 12, 23] {
            clock.set(cst(2026, day.month(), day.day(), hour, 0));
            for f in s.tick().await.expect("tick") {
                let due = f.fired.deadline.spec.due_at;
                assert!(due <= clock.now(), "fired early: due {due}, now {}", clock.now());
                fired_on.push(due.with_timezone(&Shanghai).format("%m-%d %H:%M").to_string());
            }
        }
        day = day.succ_opt().expect("next day");
    }
    // Oct 1–7 are rest days; Saturday Oct 10 is a make-up working day; Sunday Oct 11 rests.
    assert_eq!(fired_on, ["09-30 09:00", "10-08 09:00", "10-09 09:00", "10-10 09:00", "10-12 09:00", "10-13 09:00"]);
    let state = store.firing_state(&id).await.expect("state").expect("the row exists");
    assert_eq!(state.occurrences, 6);
    assert_eq!(store.outbox("n").await.expect("outbox").len(), 6, "one notice per occurrence");

    // The act that resolves the condition cancels the series by name.
    store
        .execute_raw(
            "update deadlines set status = 'cancelled' where name = 'legality_review_due' and status = 'pending'",
        )
        .await
        .expect("cancel");
    clock.advance(Duration::days(7));
    assert!(s.tick().await.expect("tick").is_empty(), "a cancelled series stays quiet");
}

#[tokio::test]
async fn a_reminder_missed_during_downtime_fires_once_and_re_arms_after_now() {
    let store = sqlite().await;
    decision(&*store, "g").await;
    let id = deadline(&*store, "g", "publication_alarm", cst(2026, 9, 28, 9, 0), Some("0 0 9 * * *")).await;
    // Down from Sep 28 08:00 to Oct 9 10:00: seven working-day occurrences missed.
    let clock = Arc::new(ManualClock::new(cst(2026, 10, 9, 10, 0)));
    let s = scheduler(engine(store.clone()), clock.clone(), 10);
    let fired = s.tick().await.expect("tick");
    assert_eq!(fired.len(), 1, "a missed series fires once, not once per missed occurrence");
    assert_eq!(fired[0].fired.rearmed_to, Some(cst(2026, 10, 10, 9, 0)), "next: the make-up Saturday");
    let row = &store.deadlines("g").await.expect("deadlines")[0];
    assert_eq!((row.id.as_str(), row.status), (id.as_str(), DeadlineStatus::Pending));
    assert_eq!(row.spec.due_at, cst(2026, 10, 10, 9, 0));
    assert_eq!(row.spec.basis["rearmed"]["previous_due"], "2026-09-28T01:00:00.000000Z", "the basis explains it");
}

#[tokio::test]
async fn run_sleeps_in_short_steps_fires_when_due_and_stops_on_cancel() {
    let store = sqlite().await;
    decision(&*store, "l").await;
    let t0 = cst(2026, 6, 1, 10, 0);
    // Far ahead: the loop must not hold one long sleep for it.
    deadline(&*store, "l", "far", t0 + Duration::days(400), None).await;
    deadline(&*store, "l", "soon", t0 + Duration::seconds(30), None).await;
    let clock = Arc::new(ManualClock::new(t0));
    let s = Arc::new(scheduler(engine(store.clone()), clock.clone(), 10));
    let stop = CancellationToken::new();
    let task = tokio::spawn({
        let (s, stop) = (s.clone(), stop.clone());
        async move { s.run(stop).await }
    });
    let status = |name: &'static str| {
        let store = store.clone();
        async move {
            let rows = store.deadlines("l").await.expect("deadlines");
            rows.into_iter().find(|d| d.spec.name == name).map(|d| d.status)
        }
    };
    clock.advance(Duration::seconds(29));
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(status("soon").await, Some(DeadlineStatus::Pending), "not before its time");
    clock.advance(Duration::seconds(1));
    let mut waited = 0;
    while status("soon").await != Some(DeadlineStatus::Fired) {
        assert!(waited < 200, "the loop did not fire a due deadline within 2 s");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        waited += 1;
    }
    assert_eq!(status("far").await, Some(DeadlineStatus::Pending));
    stop.cancel();
    tokio::time::timeout(std::time::Duration::from_secs(2), task)
        .await
        .expect("the loop stops promptly when cancelled")
        .expect("the loop did not panic");
}

/// Two schedulers, each with its own engine and connections, drain 1,000
/// deadlines on one database while the clock moves. Every other one is an
/// auto-act, claimed under a lease; its workflow is not loaded, so the engine
/// refuses the act and the lease's holder finishes the row with a notice.
async fn two_schedulers_fire_each_once(a: Arc<dyn Store>, b: Arc<dyn Store>, raw: &dyn RawSql) {
    let t0 = cst(2026, 7, 1, 9, 0);
    // A loadable decision, so the engine gets as far as looking for its workflow.
    let mut x = crate::decision::Decision::new("x", "test", 1, "s", t0);
    x.version = 1;
    let audit = crate::audit::AuditRecord::next(
        "x",
        1,
        "start",
        "s",
        "s",
        &crate::actor::Actor::system(),
        t0,
        &serde_json::json!({}),
        vec![],
        crate::audit::GENESIS,
    );
    let commit = crate::store::TransitionCommit::bare(x, 0, audit, Vec::new());
    raw.commit(vec![commit]).await.remove(0).expect("a decision");
    let mut values = Vec::new();
    for i in 0..1000i64 {
        let (kind, act) = if i % 2 == 0 { ("due", "null") } else { ("auto_act", "'expire'") };
        values.push(format!(
            "('x-{i}', 'x', 'd{i}', '{kind}', {}, {act}, 'drafter', '{{}}', 'pending', null, \
             '2026-01-01T00:00:00.000000Z')",
            (t0 + Duration::milliseconds(i * 7)).timestamp_micros()
        ));
    }
    let sql = format!(
        "insert into deadlines (id, decision_id, name, kind, due_at_us, act, notify, basis_json, status, fired_at, \
         created_at) values {}",
        values.join(", ")
    );
    raw.execute_raw(&sql).await.expect("insert 1,000 deadlines");

    let clock = Arc::new(ManualClock::new(t0 - Duration::seconds(1)));
    let stop = CancellationToken::new();
    let mut tasks = tokio::task::JoinSet::new();
    for store in [a, b] {
        let s = scheduler(Arc::new(Engine::new(vec![], calendar(), store).expect("engine")), clock.clone(), 25);
        let stop = stop.clone();
        tasks.spawn(async move {
            let mut mine = Vec::new();
            while !stop.is_cancelled() {
                let fired = s.tick().await.expect("tick");
                for f in &fired {
                    assert!(f.fired.deadline.spec.due_at <= s.clock.now(), "fired early");
                    let auto = f.fired.deadline.spec.act.is_some();
                    assert_eq!(f.fired.lease.is_some(), auto, "auto-acts, and only they, are leased");
                    if auto {
                        assert!(matches!(f.act, Some(Err(Error::UnknownWorkflow(_)))), "{:?}", f.act);
                    }
                }
                mine.extend(fired.into_iter().map(|f| f.fired.deadline.id));
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
            mine
        });
    }
    // Time moves while both claim: deadlines fall due a few at a time.
    for _ in 0..80 {
        clock.advance(Duration::milliseconds(100));
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let give_up = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let rows = raw.deadlines("x").await.expect("deadlines");
        if rows.iter().all(|d| d.status != DeadlineStatus::Pending) || tokio::time::Instant::now() > give_up {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stop.cancel();
    let mut fired: Vec<String> = Vec::new();
    let mut per_scheduler = Vec::new();
    for ids in tasks.join_all().await {
        per_scheduler.push(ids.len());
        fired.extend(ids);
    }
    let rows = raw.deadlines("x").await.expect("deadlines");
    assert!(rows.iter().all(|d| d.status == DeadlineStatus::Fired), "none missed: every deadline fired");
    assert_eq!(raw.outbox("x").await.expect("outbox").len(), 1000, "one notice per deadline: none fired twice");
    let unique: BTreeSet<&String> = fired.iter().collect();
    assert_eq!(unique.len(), fired.len(), "no deadline reported fired by both schedulers");
    println!("two schedulers fired {} deadlines, split {per_scheduler:?}", unique.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_schedulers_on_one_sqlite_file_fire_1000_deadlines_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("juece.db").display());
    let a = Arc::new(SqliteStore::connect(&url).await.expect("connect"));
    a.migrate().await.expect("migrate");
    let b = Arc::new(SqliteStore::connect(&url).await.expect("connect a second time"));
    two_schedulers_fire_each_once(a.clone(), b, &*a).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_schedulers_on_one_postgres_fire_1000_deadlines_once() {
    let Some(db) = PgTestDb::create().await else {
        println!("skipped: two schedulers on PostgreSQL need JUECE_TEST_POSTGRES_URL");
        return;
    };
    let second = Arc::new(db.store().await);
    db.run(|first| async move { two_schedulers_fire_each_once(first.clone(), second, &*first).await }).await;
}
