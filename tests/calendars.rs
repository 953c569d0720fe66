//! Official calendar notices across replicas, on SQLite and PostgreSQL: a notice loaded through one replica is
//! used by every other for its next computation, with no restart.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use juece_engine::actor::Role;
use juece_engine::calendar::period::calendar_day_period;
use juece_tests::{comment_notice_published, engine, notice_2027, on_each_database, person};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// 09:00 CST on Sunday 5 September 2027, a year with no official notice shipped.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 9, 5, 1, 0, 0).single().expect("a valid instant")
}

async fn a_notice_loaded_through_one_replica_is_used_by_the_other(url: String) {
    let first = engine(&url).await;
    let second = engine(&url).await;
    // Provisionally, 30 days from 5 September end on Tuesday 5 October (only 1–3 October rest).
    let before = second.fresh_calendar().await.expect("calendar");
    assert!(before.is_provisional(day(2027, 10, 5)));
    assert_eq!(calendar_day_period(&before, day(2027, 9, 5), 30).last_day, day(2027, 10, 5));

    // Loaded through the first replica, as `juece calendar load` and the API do.
    let loaded = first
        .load_calendar_notice(&notice_2027(), Some(2027), &person("admin", "办公厅", Role::Administrator), now())
        .await;
    let loaded = loaded.expect("the notice loads");

    // The second replica's next computation counts on the official calendar: 5 October is a rest day now, so
    // the period runs to Friday 8 October, and its deadline says so.
    let notice = comment_notice_published(&second, "after-the-notice", now()).await;
    assert_eq!(notice.last_day, day(2027, 10, 8));
    let rows = second.store().deadlines("after-the-notice").await.expect("deadlines");
    assert_eq!(rows[0].spec.due_at, notice.ends_at);
    assert_eq!(rows[0].spec.basis["provisional"], false);
    assert_eq!(rows[0].spec.basis["calendar_version"], loaded.calendar_version_after.as_str());
    assert_eq!(second.calendar().version(), loaded.calendar_version_after);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notice_loaded_through_one_replica_is_used_by_the_others_next_computation() {
    on_each_database(a_notice_loaded_through_one_replica_is_used_by_the_other).await;
}
