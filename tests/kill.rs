//! The real `juece serve`, as separate processes: killed with `SIGKILL` under
//! load (no acknowledged act lost, none applied twice or half, the record
//! verifies with its seals and anchors), and three replicas on one
//! PostgreSQL taking acts and firing deadlines at once (no 5xx, each act and
//! each deadline once).
//!
//! The server processes are this test binary itself, re-run on the ignored
//! test [`child_server`] with the `juece` command line in an environment
//! variable. CI runs a short mode; `JUECE_KILL_ROUNDS=20` runs the long one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use juece_engine::anchor::{self, PublicKey};
use juece_engine::verify::{verify_with, Trust};
use juece_tests::databases::databases;
use juece_tests::workflows;

const ARGV: &str = "JUECE_CHILD_ARGV";

/// A `juece` process for the tests below; does nothing when run otherwise.
#[tokio::test]
#[ignore = "the server process of the SIGKILL and replica tests, started by them"]
async fn child_server() {
    let Ok(argv) = std::env::var(ARGV) else { return };
    let argv: Vec<String> = serde_json::from_str(&argv).expect("argv");
    let cli = <juece_api::cli::Cli as clap::Parser>::try_parse_from(argv).expect("arguments parse");
    juece_api::cli::run(cli).await.expect("serves");
}

struct Server {
    child: tokio::process::Child,
    base: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// Start `juece serve` on `url`, with the key and an anchor log in `dir`, and wait until it answers.
async fn start(url: &str, dir: &Path, log: &str, scheduler: bool) -> Server {
    let port = free_port();
    let s = |p: PathBuf| p.to_string_lossy().into_owned();
    let mut argv = vec![
        "juece".to_string(),
        "--database-url".into(),
        url.into(),
        "--workflows".into(),
        s(workflows()),
        "--anchor-key".into(),
        s(dir.join("juece-anchor.key")),
        "--anchor-log".into(),
        s(dir.join(log)),
        "serve".into(),
        "--bind".into(),
        format!("127.0.0.1:{port}"),
        "--public-per-minute".into(),
        "1000000".into(),
        "--public-burst".into(),
        "100000".into(),
        "--anchor-every-secs".into(),
        "1".into(),
    ];
    if !scheduler {
        argv.push("--no-scheduler".into());
    }
    let child = tokio::process::Command::new(std::env::current_exe().expect("this test binary"))
        .args(["kill::child_server", "--exact", "--ignored", "--nocapture", "--test-threads", "1"])
        .env(ARGV, serde_json::to_string(&argv).expect("json"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn the server");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..600 {
        if client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return Server { child, base };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("juece serve did not come up on {base}");
}

/// What the clients saw.
#[derive(Default)]
struct Tally {
    /// Comments answered 201.
    acked: Vec<String>,
    five_xx: usize,
}

/// Comment on `c` through `bases` (round robin) from `clients` tasks until a request fails to connect or `stop`.
async fn load(
    bases: Vec<String>,
    clients: usize,
    tag: String,
    tally: Arc<Mutex<Tally>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) {
    let tasks: Vec<_> = (0..clients)
        .map(|k| {
            let (bases, tag, tally, stop) = (bases.clone(), tag.clone(), tally.clone(), stop.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("client");
                for n in 0.. {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        return;
                    }
                    let content = format!("{tag}-{k}-{n}");
                    let url = format!("{}/api/v1/public/consultations/c/comments", bases[(k + n) % bases.len()]);
                    let sent = client.post(url).json(&serde_json::json!({ "content": content })).send().await;
                    let Ok(resp) = sent else { return };
                    let status = resp.status().as_u16();
                    let mut t = tally.lock().expect("tally");
                    match status {
                        201 => t.acked.push(content),
                        s if s >= 500 => t.five_xx += 1,
                        s => panic!("comment {content}: unexpected {s}"),
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("a client");
    }
}

/// Each acknowledged comment is stored exactly once, none is stored twice, and the record verifies.
async fn check(url: &str, dir: &Path, logs: &[&str], tally: &Tally) -> usize {
    let engine = juece_tests::engine(url).await;
    let taken = juece_tests::opinions(&engine, "c", juece_engine::ledger::Kind::Comment).await;
    let mut stored: BTreeMap<&str, usize> = BTreeMap::new();
    for o in &taken {
        *stored.entry(o.content.as_str()).or_default() += 1;
    }
    let twice: Vec<_> = stored.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "comments stored twice: {twice:?}");
    let lost: Vec<_> = tally.acked.iter().filter(|c| !stored.contains_key(c.as_str())).collect();
    assert!(lost.is_empty(), "{} acknowledged comments lost: {lost:?}", lost.len());
    let key = PublicKey::load(&dir.join("juece-anchor.key.pub").to_string_lossy()).expect("public key");
    for log in logs {
        let anchors = anchor::log::read_verified(&dir.join(log), &key).expect("anchor log verifies");
        let report = verify_with(engine.store().as_ref(), &Trust { key: Some(key), anchors }).await.expect("verify");
        assert!(report.breaks.is_empty(), "{:?}", report.breaks);
        assert!(report.opinions >= tally.acked.len(), "every acknowledged comment is in the verified chain");
    }
    taken.len()
}

/// A pseudo-random pause in `ms` milliseconds, different each round (no rand in this crate's dependencies).
fn pause(round: usize, ms: std::ops::Range<u64>) -> Duration {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let x = (u64::from(nanos) ^ (round as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)) % (ms.end - ms.start);
    Duration::from_millis(ms.start + x)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_under_load_loses_no_acknowledged_act() {
    let rounds: usize = std::env::var("JUECE_KILL_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    for db in databases().await {
        let dir = tempfile::tempdir().expect("dir");
        crate::concurrency::open_for_comment(&juece_tests::engine(&db.url).await, "c").await;
        let tally = Arc::new(Mutex::new(Tally::default()));
        for round in 0..rounds {
            let mut server = start(&db.url, dir.path(), "anchors.jsonl", true).await;
            let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let clients = tokio::spawn(load(vec![server.base.clone()], 8, format!("r{round}"), tally.clone(), stop));
            tokio::time::sleep(pause(round, 300..1200)).await;
            server.child.start_kill().expect("SIGKILL");
            server.child.wait().await.expect("killed");
            clients.await.expect("the clients");
        }
        let tally = Arc::try_unwrap(tally).ok().expect("one owner").into_inner().expect("tally");
        let stored = check(&db.url, dir.path(), &["anchors.jsonl"], &tally).await;
        println!(
            "{}: {rounds} kills survived, {} acknowledged acts checked ({stored} stored), {} 5xx",
            db.kind,
            tally.acked.len(),
            tally.five_xx
        );
        assert!(tally.acked.len() >= rounds, "{}: the load got through between kills", db.kind);
        assert_eq!(tally.five_xx, 0, "{}: no server error", db.kind);
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_replicas_on_postgres_take_acts_and_fire_deadlines_once_each() {
    let Some(db) = databases().await.into_iter().find(|d| d.kind == "postgres") else {
        eprintln!("skipped: JUECE_TEST_POSTGRES_URL not set");
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let engine = juece_tests::engine(&db.url).await;
    crate::concurrency::open_for_comment(&engine, "c").await;
    // Deadlines due now on another decision, fired by whichever replica claims each first.
    crate::concurrency::open_for_comment(&engine, "dl").await;
    let before = engine.store().outbox("dl").await.expect("outbox").len();
    let due = 60;
    let raw = juece_engine::store::PgStore::connect(&db.url).await.expect("connect");
    let past = (Utc::now() - chrono::Duration::minutes(1)).timestamp_micros();
    let created = juece_engine::audit::format_instant(&Utc::now());
    for i in 0..due {
        raw.execute_raw(&format!(
            "insert into deadlines (id, decision_id, name, kind, due_at_us, act, notify, basis_json, status, \
             fired_at, created_at) values ('replica-{i}', 'dl', 'replica_test_{i}', 'due', {past}, null, 'drafter', \
             '{{}}', 'pending', null, '{created}')"
        ))
        .await
        .expect("a deadline");
    }
    let logs = ["anchors-0.jsonl", "anchors-1.jsonl", "anchors-2.jsonl"];
    let mut replicas = Vec::new();
    for log in logs {
        replicas.push(start(&db.url, dir.path(), log, true).await);
    }
    let bases: Vec<String> = replicas.iter().map(|r| r.base.clone()).collect();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    // 16 clients, as the outside probe that found the batch deadlock ran them; JUECE_REPLICA_CLIENTS changes it.
    let n: usize = std::env::var("JUECE_REPLICA_CLIENTS").ok().and_then(|n| n.parse().ok()).unwrap_or(16);
    let clients = tokio::spawn(load(bases, n, "replica".into(), tally.clone(), stop.clone()));
    // `audit verify` while the three serve and anchor (every second): one snapshot, no false alarm.
    let started = std::time::Instant::now();
    let key = PublicKey::load(&dir.path().join("juece-anchor.key.pub").to_string_lossy()).expect("public key");
    let store = juece_engine::store::connect(&db.url).await.expect("store");
    let mut runs = 0;
    while runs < 6 || started.elapsed() < Duration::from_secs(4) {
        let log = dir.path().join(logs[runs % logs.len()]);
        let anchors = anchor::log::read_verified(&log, &key).expect("the log reads while it is appended to");
        let report = verify_with(store.as_ref(), &Trust { key: Some(key), anchors }).await.expect("verify");
        assert!(report.breaks.is_empty(), "run {runs} while serving: {:?}", report.breaks);
        runs += 1;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    clients.await.expect("the clients");
    // Every deadline fired, each once: one notice each, whichever replica fired it.
    let mut fired = 0;
    for _ in 0..100 {
        let rows = engine.store().deadlines("dl").await.expect("deadlines");
        fired = rows.iter().filter(|d| d.id.starts_with("replica-") && d.fired_at.is_some()).count();
        if fired == due {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for mut r in replicas {
        r.child.start_kill().expect("stop");
        r.child.wait().await.expect("stopped");
    }
    let notices = engine.store().outbox("dl").await.expect("outbox").len() - before;
    let tally = Arc::try_unwrap(tally).ok().expect("one owner").into_inner().expect("tally");
    let stored = check(&db.url, dir.path(), &logs, &tally).await;
    println!(
        "postgres, 3 replicas: {} acknowledged acts ({stored} stored), {} 5xx, {fired} of {due} deadlines fired, \
         {notices} notices, {runs} verifications while serving",
        tally.acked.len(),
        tally.five_xx
    );
    assert_eq!(tally.five_xx, 0, "no server error under the replica load");
    assert_eq!(fired, due, "every due deadline fired");
    assert_eq!(notices, due, "each deadline fired once: one notice each");
    assert!(tally.acked.len() > 10, "the load got through");
    db.finish().await;
}
