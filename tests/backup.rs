//! `juece backup` while acts commit, `juece restore` of the copy: the
//! restored database verifies against the seals and anchors and holds the
//! same decisions; a copy that does not verify is not restored.

use juece_engine::orchestrator::ActRequest;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::Utc;
use clap::Parser;
use juece_api::cli::{run, Cli};
use juece_engine::act::Act;
use juece_engine::actor::Role;
use juece_tests::{person, sqlite_url, workflows};
use serde_json::json;

/// `juece` with the server key and anchor log of `dir`, whatever the database.
async fn juece(dir: &std::path::Path, args: &[&str]) -> u8 {
    let w = workflows();
    let (key, log) = (dir.join("juece-anchor.key"), dir.join("juece-anchors.jsonl"));
    let mut argv = vec!["juece", "--workflows", w.to_str().unwrap()];
    argv.extend(["--anchor-key", key.to_str().unwrap(), "--anchor-log", log.to_str().unwrap()]);
    argv.extend_from_slice(args);
    run(Cli::try_parse_from(argv).expect("arguments parse")).await.expect("command runs")
}

async fn chains(url: &str) -> Vec<(String, i64, Vec<String>)> {
    let store = juece_engine::store::connect(url).await.expect("store");
    let mut out = Vec::new();
    for (id, version) in store.versions().await.expect("versions") {
        let hashes = store.audit_records(&id).await.expect("records").into_iter().map(|r| r.hash).collect();
        out.push((id, version, hashes));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_acts_commit_restores_verifies_and_serves_the_same_decisions() {
    let (dir, url) = sqlite_url();
    let d = dir.path();
    assert_eq!(juece(d, &["--database-url", &url, "demo"]).await, 0);
    let key = juece_engine::anchor::ServerKey::load_or_create(&d.join("juece-anchor.key")).expect("key");
    let engine =
        Arc::new(juece_api::setup::open_sealed_engine(&url, &workflows(), Some(Arc::new(key))).await.expect("engine"));
    crate::concurrency::open_for_comment(&engine, "c").await;
    assert_eq!(juece(d, &["--database-url", &url, "audit", "anchor"]).await, 0);

    // Comments commit while the backup is taken.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (engine, stop) = (engine.clone(), stop.clone());
        tokio::spawn(async move {
            let drafter = person("drafter", "生态环境局", Role::Drafter);
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                // An act on the record, and a comment beside it.
                let act =
                    Act::new("record_activity", json!({ "method": "symposium", "summary": format!("第{n}次座谈") }));
                engine.apply(ActRequest::new("c", &act, &drafter, Utc::now())).await.expect("an act");
                juece_tests::comment(&engine, "c", &format!("第{n}条")).await.expect("a comment");
                n += 1;
            }
            n
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let during = d.join("during.db");
    assert_eq!(juece(d, &["--database-url", &url, "backup", "--out", during.to_str().unwrap()]).await, 0);
    stop.store(true, Ordering::Relaxed);
    assert!(writer.await.expect("writer") > 0);
    assert_eq!(
        juece(d, &["--database-url", &url, "backup", "--out", during.to_str().unwrap()]).await,
        1,
        "never overwrites"
    );

    // The copy taken under load restores and verifies; its chains are a prefix of the source's.
    let restored = format!("sqlite://{}", d.join("restored.db").display());
    assert_eq!(juece(d, &["--database-url", &restored, "restore", "--from", during.to_str().unwrap()]).await, 0);
    assert_eq!(juece(d, &["--database-url", &restored, "audit", "verify"]).await, 0);
    let (source, copy) = (chains(&url).await, chains(&restored).await);
    assert_eq!(source.len(), copy.len());
    for ((id, v, hashes), (cid, cv, chashes)) in source.iter().zip(&copy) {
        assert_eq!((id, &hashes[..*cv as usize]), (cid, &chashes[..]), "a prefix of {id}");
        assert!(cv <= v);
    }

    // Once the writes stop, a backup restored over it holds exactly the source's decisions, and serves them.
    let after = d.join("after.db");
    assert_eq!(juece(d, &["--database-url", &url, "backup", "--out", after.to_str().unwrap()]).await, 0);
    let from_after = ["--database-url", &restored, "restore", "--from", after.to_str().unwrap()];
    assert_eq!(juece(d, &from_after).await, 1, "an existing database is replaced only with --force");
    assert_eq!(juece(d, &[&from_after[..], &["--force"]].concat()).await, 0);
    assert_eq!(chains(&restored).await, chains(&url).await);
    let served = juece_tests::engine(&restored).await;
    let json = |d: juece_engine::decision::Decision| serde_json::to_value(d).expect("json");
    assert_eq!(json(served.load("c").await.expect("c")), json(engine.load("c").await.expect("c")));

    // A tampered copy is not restored.
    let tampered = juece_engine::store::SqliteStore::connect(&format!("sqlite://{}", after.display())).await.unwrap();
    tampered.execute_raw("drop trigger audit_records_no_update").await.unwrap();
    tampered.execute_raw("update audit_records set payload = replace(payload, '第1次', '第2次')").await.unwrap();
    drop(tampered);
    let elsewhere = format!("sqlite://{}", d.join("elsewhere.db").display());
    assert_eq!(juece(d, &["--database-url", &elsewhere, "restore", "--from", after.to_str().unwrap()]).await, 1);
    assert!(!d.join("elsewhere.db").exists(), "nothing restored");
}

/// The documented PostgreSQL procedure: `pg_dump --format=custom` of a sealed and anchored database,
/// `pg_restore` into an empty one, then `juece audit verify` there: it verifies and holds the same chains.
#[tokio::test]
async fn a_postgres_dump_restores_and_verifies() {
    let dbs = juece_tests::databases::databases().await;
    let Some(db) = dbs.iter().find(|d| d.kind == "postgres") else {
        eprintln!("skipped: JUECE_TEST_POSTGRES_URL not set");
        return;
    };
    if std::process::Command::new("pg_dump").arg("--version").output().is_err() {
        eprintln!("skipped: pg_dump is not installed");
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    assert_eq!(juece(d, &["--database-url", &db.url, "demo"]).await, 0);
    assert_eq!(juece(d, &["--database-url", &db.url, "audit", "anchor"]).await, 0);
    assert_eq!(juece(d, &["--database-url", &db.url, "backup", "--out", "x"]).await, 1, "says to use pg_dump");
    let dump = d.join("juece.dump");
    let dumped = std::process::Command::new("pg_dump")
        .args(["--format=custom", "--file", dump.to_str().unwrap(), &db.url])
        .status()
        .expect("pg_dump runs");
    assert!(dumped.success());
    let admin = juece_engine::store::PgStore::connect(&juece_tests::postgres_url().unwrap()).await.unwrap();
    let name = format!("juece_restored_{}", uuid::Uuid::new_v4().simple());
    admin.execute_raw(&format!("create database {name}")).await.unwrap();
    let restored = format!("{}/{name}", db.url.rsplit_once('/').unwrap().0);
    let status = std::process::Command::new("pg_restore")
        .args(["--no-owner", "--dbname", &restored, dump.to_str().unwrap()])
        .status()
        .expect("pg_restore runs");
    assert!(status.success());
    assert_eq!(juece(d, &["--database-url", &restored, "audit", "verify"]).await, 0);
    assert_eq!(chains(&restored).await, chains(&db.url).await);
    let _ = admin.execute_raw(&format!("drop database if exists {name} with (force)")).await;
    for db in dbs {
        db.finish().await;
    }
}
