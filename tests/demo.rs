//! The complete sample decision, then tamper drills on its record.

use juece_engine::orchestrator::verify_store;
use juece_engine::store::{PgStore, SqliteStore};
use juece_tests::{assert_vouched_memo_file, engine, postgres_url, sqlite_url};

async fn run_demo(url: &str, out: Option<&std::path::Path>) -> String {
    let engine = engine(url).await;
    let mut buf = Vec::new();
    juece_api::demo::run(&engine, out, &mut buf).await.expect("demo completes");
    String::from_utf8(buf).unwrap()
}

#[tokio::test]
async fn demo_runs_to_the_archive_with_refusals_and_a_verified_record() {
    let (dir, url) = sqlite_url();
    let out_dir = dir.path().join("memos");
    let story = run_demo(&url, Some(&out_dir)).await;
    let refusals = story.lines().filter(|l| l.contains("✗ REFUSED")).count();
    assert!(refusals >= 5, "{story}");
    for code in [
        "art11_lead_unit_required",
        "art15_min_30_days",
        "art25_no_legality_review",
        "art30_chief_speaks_last",
        "art31_party_report_missing",
    ] {
        assert!(story.contains(code), "{code} not shown");
    }
    assert!(story.contains("→ stage `closed`"), "{story}");
    assert!(story.contains("audit verify: OK 1 decisions"), "{story}");

    // Every memo file written is one the record vouches for, or the page of one.
    let engine = engine(&url).await;
    let id = engine.store().versions().await.unwrap()[0].0.clone();
    let records = engine.store().audit_records(&id).await.unwrap();
    let files: Vec<_> = std::fs::read_dir(&out_dir).unwrap().flatten().collect();
    assert!(files.len() >= 40, "{} memo files", files.len());
    for f in files {
        assert_vouched_memo_file(&f.path(), &records);
    }
    // User text is escaped in the memos and their pages: the comment's script tag never appears raw.
    for r in juece_engine::memo::pages::renditions(&engine.store().memos(&id).await.unwrap()) {
        assert!(!r.memo.body.contains("<script>"), "{} {}", r.memo.memo, r.memo.format);
    }
}

#[tokio::test]
async fn altering_one_byte_of_a_record_is_detected_and_named() {
    let (_dir, url) = sqlite_url();
    run_demo(&url, None).await;
    let store = SqliteStore::connect(&url).await.unwrap();
    // The database itself refuses edits of the record…
    let err = store.execute_raw("update audit_records set act = 'x' where seq = 3").await.unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    assert!(store.execute_raw("delete from audit_records where seq = 3").await.is_err());
    // …so an attacker must drop the trigger first; the chain still catches it.
    store.execute_raw("drop trigger audit_records_no_update").await.unwrap();
    store
        .execute_raw("update audit_records set payload = replace(payload, '第一条', '第二条') where seq = 3")
        .await
        .unwrap();
    let report = verify_store(&store).await.unwrap();
    let b = report.breaks.first().expect("tampering detected");
    assert_eq!(b.seq, 3, "{b}");
    assert!(b.problem.contains("payload altered"), "{b}");
}

#[tokio::test]
async fn deleting_or_reordering_records_is_detected() {
    let (_dir, url) = sqlite_url();
    run_demo(&url, None).await;
    let store = SqliteStore::connect(&url).await.unwrap();
    store.execute_raw("drop trigger audit_records_no_delete").await.unwrap();
    store.execute_raw("drop trigger audit_records_no_update").await.unwrap();
    // Swap the contents of records 5 and 6 by exchanging their seq numbers.
    store.execute_raw("update audit_records set seq = 100000 where seq = 5").await.unwrap();
    store.execute_raw("update audit_records set seq = 5 where seq = 6").await.unwrap();
    store.execute_raw("update audit_records set seq = 6 where seq = 100000").await.unwrap();
    let report = verify_store(&store).await.unwrap();
    assert_eq!(report.breaks.first().map(|b| b.seq), Some(5), "{:?}", report.breaks);
    store.execute_raw("update audit_records set seq = 100000 where seq = 5").await.unwrap();
    store.execute_raw("update audit_records set seq = 5 where seq = 6").await.unwrap();
    store.execute_raw("update audit_records set seq = 6 where seq = 100000").await.unwrap();
    assert!(verify_store(&store).await.unwrap().breaks.is_empty(), "restored chain verifies");
    // Deleting the last record leaves a chain shorter than the decision's version.
    store.execute_raw("delete from audit_records where seq = (select max(seq) from audit_records)").await.unwrap();
    let report = verify_store(&store).await.unwrap();
    assert!(report.breaks.first().is_some_and(|b| b.problem.contains("records deleted")), "{:?}", report.breaks);
}

#[tokio::test]
async fn demo_runs_on_postgres() {
    let Some(admin_url) = postgres_url() else {
        eprintln!("skipped: JUECE_TEST_POSTGRES_URL not set");
        return;
    };
    let admin = PgStore::connect(&admin_url).await.expect("postgres reachable");
    let name = format!("juece_it_{}", uuid_suffix());
    admin.execute_raw(&format!("create database {name}")).await.unwrap();
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    let url = format!("{base}/{name}");
    let story = run_demo(&url, None).await;
    assert!(story.contains("audit verify: OK 1 decisions"), "{story}");
    let store = PgStore::connect(&url).await.unwrap();
    let err = store.execute_raw("update audit_records set act = 'x' where seq = 3").await.unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    drop(store);
    let _ = admin.execute_raw(&format!("drop database {name} with (force)")).await;
}

fn uuid_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{}_{}", std::process::id(), nanos % 1_000_000_000)
}
