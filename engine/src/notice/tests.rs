//! A provisional 2027 calendar replaced by a (fixture) official 2027 notice: pending deadlines recomputed as the
//! rules say, a public date never earlier, the load audited and stored, on SQLite and on PostgreSQL.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};

use super::*;
use crate::audit::verify_chain;
use crate::calendar::period::china_midnight_after;
use crate::store::calendar::CalendarStore;
use crate::store::conformance::RawSql;
use crate::store::{PgTestDb, SqliteStore};

/// A fixture notice for 2027: National Day rest from 1 to 7 October, made up on Sunday 26 September and Saturday
/// 9 October. The provisional calendar knows only the three statutory days (1–3 October).
const NOTICE_2027: &str = include_str!("../../../tests/fixtures/calendar-notice-2027.toml");

fn calendar() -> WorkCalendar {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../workflows/calendars");
    WorkCalendar::load_dir(&dir).expect("the shipped calendars load")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn now() -> DateTime<Utc> {
    china_midnight_after(day(2026, 11, 20))
}

/// A pending deadline computed on `cal` as `deadline::compute` would: its instant and its basis.
async fn pending<S: Store + RawSql + ?Sized>(store: &S, cal: &WorkCalendar, name: &str, anchor: &str, r: PeriodResult) {
    let mut basis = serde_json::to_value(&r).expect("a period serialises");
    basis["anchor"] = serde_json::json!(anchor);
    if anchor == "comment_period_end" {
        basis = serde_json::json!({
            "rule": "calendar_days", "start": r.start, "days": r.count, "last_day": r.last_day,
            "calendar_version": cal.version(), "provisional": r.provisional, "anchor": anchor,
        });
    }
    let sql = format!(
        "insert into deadlines (id, decision_id, name, kind, due_at_us, act, notify, basis_json, status, fired_at, \
         created_at) values ('{name}', 'd', '{name}', 'due', {}, null, 'drafter', '{}', 'pending', null, \
         '2026-11-01T00:00:00.000000Z')",
        r.ends_at.timestamp_micros(),
        serde_json::to_string(&basis).expect("json"),
    );
    store.execute_raw(&sql).await.expect("insert a deadline");
}

const DAILY_9AM: &str = "0 0 9 * * *";

/// `y-m-d h:00` China Standard Time.
fn cst(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    let t = day(y, m, d).and_hms_opt(h, 0, 0).expect("a valid time");
    t.and_local_timezone(chrono_tz::Asia::Shanghai).single().expect("CST has no gaps").with_timezone(&Utc)
}

/// A pending reminder series (every working day at 09:00) anchored at `anchor_at`, its first occurrence chosen on
/// `cal` as `deadline::schedule` does; returns that occurrence.
async fn series<S: Store + RawSql + ?Sized>(
    store: &S,
    cal: &WorkCalendar,
    name: &str,
    anchor_at: DateTime<Utc>,
) -> DateTime<Utc> {
    let schedule: cron::Schedule = DAILY_9AM.parse().expect("a schedule");
    let due = crate::procedure::deadline::next_working_occurrence(&schedule, cal, anchor_at).expect("an occurrence");
    let basis = serde_json::json!({
        "rule": "requested_due", "anchor": "legality_review_due", "cron": DAILY_9AM,
        "anchor_at": audit::format_instant(&anchor_at),
    });
    let sql = format!(
        "insert into deadlines (id, decision_id, name, kind, due_at_us, act, notify, basis_json, status, fired_at, \
         created_at) values ('{name}', 'd', '{name}', 'reminder', {}, null, 'drafter', '{basis}', 'pending', null, \
         '2026-11-01T00:00:00.000000Z')",
        due.timestamp_micros(),
    );
    store.execute_raw(&sql).await.expect("insert a series");
    due
}

async fn scenario<S: Store + RawSql>(store: &S) {
    store
        .execute_raw(
            "insert into decisions (id, workflow_key, workflow_version, stage, version, title, parent_id, \
             state_json, created_at, updated_at) values ('d', 'test', 1, 's', 1, 't', null, '{}', \
             '2026-11-01T00:00:00.000000Z', '2026-11-01T00:00:00.000000Z')",
        )
        .await
        .expect("a decision");
    let mut cal = calendar();
    // A: 30 days from 5 Sep: provisionally ends Tue 5 Oct; officially a rest day, so it runs to Fri 8 Oct (later).
    let a = calendar_day_period(&cal, day(2027, 9, 5), 30);
    assert_eq!((a.last_day, a.provisional), (day(2027, 10, 5), true));
    pending(store, &cal, "comment_later", "comment_period_end", a).await;
    // B: 30 days from 9 Sep: provisionally Sat 9 Oct rolls to Mon 11 Oct; officially 9 Oct is a make-up working
    // day, which would end it earlier — but the date was announced, so it stays.
    let b = calendar_day_period(&cal, day(2027, 9, 9), 30);
    assert_eq!(b.last_day, day(2027, 10, 11));
    pending(store, &cal, "comment_held", "comment_period_end", b).await;
    // C: 3 working days from Thu 30 Sep: provisionally 4–6 Oct; officially 8, 9 (make-up) and 11 Oct.
    let c = add_working_days(&cal, day(2027, 9, 30), 3);
    assert_eq!(c.last_day, day(2027, 10, 6));
    pending(store, &cal, "review_later", "publication_alarm", c).await;
    // D: 1 working day from Fri 24 Sep: provisionally Mon 27 Sep; officially Sun 26 Sep is worked, so earlier.
    let d = add_working_days(&cal, day(2027, 9, 24), 1);
    assert_eq!(d.last_day, day(2027, 9, 27));
    pending(store, &cal, "review_earlier", "publication_alarm", d).await;
    // E: a 2026 deadline rests on an official year and is not touched.
    let e = add_working_days(&cal, day(2026, 9, 30), 3);
    assert!(!e.provisional);
    pending(store, &cal, "official_2026", "publication_alarm", e.clone()).await;

    // F: a daily 09:00 reminder series whose first occurrence follows an anchor at noon on Sun 3 Oct: provisionally
    // Mon 4 Oct, officially a rest day, so Fri 8 Oct. G: one anchored on Sat 25 Sep: provisionally Mon 27 Sep, but
    // officially Sun 26 Sep is a make-up working day, so it reminds then. H: a series in 2026 stays.
    let f = series(store, &cal, "series_rest", cst(2027, 10, 3, 12)).await;
    assert_eq!(f, cst(2027, 10, 4, 9));
    let g = series(store, &cal, "series_makeup", cst(2027, 9, 25, 12)).await;
    assert_eq!(g, cst(2027, 9, 27, 9));
    let h = series(store, &cal, "series_2026", cst(2026, 12, 4, 12)).await;
    assert_eq!(h, cst(2026, 12, 7, 9));

    let before = cal.version();
    let report = load_notice(store, &mut cal, NOTICE_2027, &Actor::system(), now()).await.expect("the notice loads");
    assert!(report.newly_loaded);
    assert_ne!(report.calendar_version_after, before);
    assert!(!cal.is_provisional(day(2027, 10, 5)), "the engine's calendar now has the notice");

    let rows = store.deadlines("d").await.expect("deadlines");
    let due = |name: &str| rows.iter().find(|r| r.spec.name == name).expect("the row").clone();
    assert_eq!(due("comment_later").spec.due_at, china_midnight_after(day(2027, 10, 8)));
    assert_eq!(due("comment_held").spec.due_at, china_midnight_after(day(2027, 10, 11)), "never earlier");
    assert_eq!(due("review_later").spec.due_at, china_midnight_after(day(2027, 10, 11)));
    assert_eq!(due("review_earlier").spec.due_at, china_midnight_after(day(2027, 9, 26)));
    assert_eq!(due("official_2026").spec.due_at, e.ends_at);
    assert_eq!(due("series_rest").spec.due_at, cst(2027, 10, 8, 9), "never on a rest day of the notice");
    assert_eq!(due("series_makeup").spec.due_at, cst(2027, 9, 26, 9), "on the make-up working Sunday");
    assert_eq!(due("series_2026").spec.due_at, h);
    let rest = due("series_rest").spec.basis;
    assert_eq!(rest["cron"], DAILY_9AM, "the series keeps its schedule");
    assert_eq!(rest["recomputed"][0]["old_due_at"], audit::format_instant(&f));
    assert_eq!(rest["recomputed"][0]["provisional"], false);
    let held = due("comment_held").spec.basis;
    assert_eq!(held["provisional"], false);
    assert_eq!(held["recomputed"][0]["old_due_at"], audit::format_instant(&china_midnight_after(day(2027, 10, 11))));
    assert_eq!(
        held["recomputed"][0]["computed_due_at"],
        audit::format_instant(&china_midnight_after(day(2027, 10, 9)))
    );
    let later = due("review_later").spec.basis;
    assert_eq!(later["last_day"], "2027-10-11");
    assert_eq!(later["recomputed"][0]["new_due_at"], audit::format_instant(&china_midnight_after(day(2027, 10, 11))));
    let mut moved: Vec<&str> = report.changes.iter().map(|c| c.name.as_str()).collect();
    moved.sort();
    // `comment_held` keeps its instant but its basis changes (no longer provisional, the recount recorded).
    assert_eq!(
        moved,
        ["comment_held", "comment_later", "review_earlier", "review_later", "series_makeup", "series_rest"]
    );

    // Stored, audited, verifiable; loading the same text again writes nothing; a different 2027 notice is refused.
    let notices = store.calendar_notices().await.expect("notices");
    assert_eq!(notices.iter().map(|n| n.year).collect::<Vec<_>>(), [2027]);
    let chain = store.calendar_audit().await.expect("chain");
    assert_eq!(chain.len(), 1);
    verify_chain(CALENDAR_CHAIN, &chain, notices.len() as i64).expect("the calendar chain verifies");
    assert!(chain[0].payload.contains("comment_held"));
    let again = load_notice(store, &mut cal, NOTICE_2027, &Actor::system(), now()).await.expect("idempotent");
    assert!(!again.newly_loaded && again.changes.is_empty());
    assert_eq!(store.calendar_audit().await.expect("chain").len(), 1);
    let other = NOTICE_2027.replace("2027-10-07", "2027-10-06");
    let mut fresh = calendar();
    let refused = load_notice(store, &mut fresh, &other, &Actor::system(), now()).await;
    assert!(matches!(refused, Err(NoticeError::Conflicting { year: 2027, .. })), "{refused:?}");

    // The engine's calendar already has the 2027 notice: a different one is refused before the store is asked.
    let refused = load_notice(store, &mut cal, &other, &Actor::system(), now()).await;
    assert!(matches!(refused, Err(NoticeError::Conflicting { year: 2027, .. })), "{refused:?}");
    assert_eq!(store.calendar_audit().await.expect("chain").len(), 1, "a refusal writes nothing");

    // `juece audit verify` covers the calendar chain: intact now, broken by an altered record.
    // (The fixture decision has no chain of its own, so only the calendar chain's verdict matters here.)
    let calendar_breaks = |r: &crate::orchestrator::VerifyReport| {
        r.breaks.iter().filter(|b| b.decision_id == CALENDAR_CHAIN).cloned().collect::<Vec<_>>()
    };
    let report = crate::orchestrator::verify_store(store).await.expect("verify");
    assert!(calendar_breaks(&report).is_empty(), "{:?}", report.breaks);
    assert_eq!(report.records, 1);
    let tampered = chain[0].payload.replace("comment_held", "comment_gone");
    let json = serde_json::to_string(&AuditRecord { payload: tampered, ..chain[0].clone() }).expect("json");
    tamper(store, &json).await;
    let report = crate::orchestrator::verify_store(store).await.expect("verify");
    assert_eq!(calendar_breaks(&report).len(), 1, "the altered record is found");

    // A replica starting afresh merges the stored notice over the files and sees the same calendar.
    let mut replica = calendar();
    assert_eq!(merge_stored(store, &mut replica).await.expect("merge"), 1);
    assert_eq!(replica.version(), cal.version());
}

/// Rewrites the calendar chain's first record past its append-only trigger (a tamper drill). Each database
/// understands one of the two `drop trigger` forms; the other one's error is expected and ignored.
async fn tamper<S: RawSql + ?Sized>(store: &S, json: &str) {
    let _ = store.execute_raw("drop trigger if exists calendar_audit_no_update").await;
    let _ = store.execute_raw("drop trigger if exists calendar_audit_append_only on calendar_audit").await;
    let sql = format!("update calendar_audit set record_json = '{}' where seq = 1", json.replace('\'', "''"));
    assert_eq!(store.execute_raw(&sql).await.expect("tamper"), 1);
}

#[tokio::test]
async fn official_notice_recomputes_provisional_deadlines_on_sqlite() {
    let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
    store.migrate().await.expect("migrate");
    scenario(&store).await;
}

#[tokio::test]
async fn official_notice_recomputes_provisional_deadlines_on_postgres() {
    let Some(db) = PgTestDb::create().await else { return };
    db.run(|store| async move { scenario(&*store).await }).await;
}

#[tokio::test]
async fn refuses_provisional_and_overlay_files() {
    let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
    store.migrate().await.expect("migrate");
    let mut cal = calendar();
    let provisional = NOTICE_2027.replace("status = \"official\"", "status = \"provisional\"");
    let r = load_notice(&store, &mut cal, &provisional, &Actor::system(), now()).await;
    assert_eq!(r.as_ref().map_err(|e| e.reason_code()).err(), Some("calendar_not_official"));
    let r = load_notice(&store, &mut cal, "year = 2027\nstatus = \"official\"\n", &Actor::system(), now()).await;
    assert_eq!(r.as_ref().map_err(|e| e.reason_code()).err(), Some("calendar_file_invalid"));
    assert!(store.calendar_notices().await.expect("notices").is_empty(), "a refused file writes nothing");
    assert!(store.calendar_audit().await.expect("chain").is_empty());
}
