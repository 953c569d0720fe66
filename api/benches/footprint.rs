//! Footprint benchmark: how fast `juece serve` is ready (cold start) and how much memory it holds, idle and under
//! load, as the product targets state them (idle < 50 MB, under load < 200 MB, cold start < 1 s). It runs the real
//! binary on a fresh SQLite database and prints numbers; it asserts nothing about time.
//!
//! ```sh
//! cargo bench -p juece-api --bench footprint                 # 2,000 decisions opened, 2,000 more opened and started
//! cargo bench -p juece-api --bench footprint -- --acts 10000
//! ```
//!
//! Baseline, measured in the same run: the same binary printing its version (process start, no runtime, no
//! database), so the cold start is read as what the server adds to starting a process. Memory is read from
//! `/proc/<pid>/status` (VmRSS now, VmHWM the peak), so this benchmark runs on Linux.

// Each benchmark uses only part of what the servers' helpers offer.
#[allow(dead_code)]
#[path = "common/server.rs"]
mod server;

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use server::{juece, office_token, start, status_mb, BIN};

const ROUNDS: usize = 5;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Open `total` decisions through the API with `clients` concurrent clients, and with `start` also start each
/// (its second act: the record the server keeps as last committed, see `orchestrator/recent.rs`); decisions per
/// second.
async fn load(base: &str, token: &str, http: &reqwest::Client, clients: usize, total: usize, start: bool) -> f64 {
    let started = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (http, next) = (http.clone(), next.clone());
            let (base, token) = (base.to_string(), token.to_string());
            tokio::spawn(async move {
                while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < total {
                    let body = json!({ "workflow": "national", "act": { "name": "submit_proposal", "payload": {
                        "title": "负载测试事项", "organ": "示范市人民政府", "proposer_type": "department",
                        "proposer": "示范市生态环境局", "summary": "s", "main_problem": "p", "reasons_and_basis": "b",
                        "preliminary_solution": "x", "necessity": "n", "feasibility": "f" } } });
                    let url = format!("{base}/api/v1/decisions");
                    let r = http.post(&url).bearer_auth(&token).json(&body).send().await.expect("a request");
                    let status = r.status().as_u16();
                    let text = r.text().await.unwrap_or_default();
                    assert_eq!(status, 201, "{text}");
                    if start {
                        let opened: serde_json::Value = serde_json::from_str(&text).expect("JSON");
                        let id = opened["decision_id"].as_str().expect("the id");
                        let url = format!("{base}/api/v1/decisions/{id}/acts/start_decision");
                        let body = json!({ "category": 1, "undertaking_units": [UNIT] });
                        let r = http.post(&url).bearer_auth(&token).json(&body).send().await.expect("a request");
                        assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap_or_default());
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("a client");
    }
    total as f64 / started.elapsed().as_secs_f64()
}

/// The undertaking unit the started decisions name.
const UNIT: &str = "示范市生态环境局";

#[tokio::main]
async fn main() {
    let mut acts = 2_000;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--acts" {
            acts = args.next().and_then(|v| v.parse().ok()).unwrap_or(acts);
        }
    }
    let http = reqwest::Client::new();
    println!("footprint benchmark: {BIN}");

    let mut version = Vec::new();
    let mut fresh = Vec::new();
    let mut restart = Vec::new();
    let dir = tempfile_dir();
    for round in 0..ROUNDS {
        let t = Instant::now();
        assert!(Command::new(BIN).arg("--version").output().expect("juece --version").status.success());
        version.push(t.elapsed().as_secs_f64());
        // A fresh database: created and migrated on start.
        let db = format!("sqlite://{}/cold-{round}.db", dir.display());
        let (server, secs) = start(&db, &http).await;
        fresh.push(secs);
        drop(server);
        // The same database again: what a restart costs.
        let (server, secs) = start(&db, &http).await;
        restart.push(secs);
        drop(server);
    }
    let ms = |s: f64| s * 1000.0;
    println!("  baseline: `juece --version` {:>7.1} ms (process start)", ms(median(version.clone())));
    let verdict = |s: f64| if s < 1.0 { "met" } else { "NOT met" };
    let (f, r) = (median(fresh), median(restart));
    println!("  cold start to /readyz, new database (migrations): {:>7.1} ms; target < 1 s: {}", ms(f), verdict(f));
    println!("  cold start to /readyz, existing database:         {:>7.1} ms; target < 1 s: {}", ms(r), verdict(r));

    let db = format!("sqlite://{}/load.db", dir.display());
    let token = {
        // Migrate first so the CLI finds the schema, as `juece serve` would leave it.
        assert!(juece(&db).arg("migrate").output().expect("juece migrate").status.success());
        let unit = juece(&db).args(["unit", "add", UNIT]).output().expect("juece unit add");
        assert!(unit.status.success(), "{}", String::from_utf8_lossy(&unit.stderr));
        office_token(&db)
    };
    let (server, _) = start(&db, &http).await;
    let pid = server.child.id();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = status_mb(pid, "VmRSS:");
    println!("  idle memory (RSS after 2 s):                      {idle:>7.1} MB; target < 50 MB: {}", mb(idle, 50.0));
    let rate = load(&server.base, &token, &http, 16, acts, false).await;
    let (now, peak) = (status_mb(pid, "VmRSS:"), status_mb(pid, "VmHWM:"));
    println!("  under load ({acts} decisions opened by 16 clients, {rate:.0}/s): RSS {now:.1} MB, peak {peak:.1} MB; target < 200 MB: {}", mb(peak, 200.0));
    // Then decisions opened and started, so that the server keeps the records it last committed (up to 1,024).
    let rate = load(&server.base, &token, &http, 16, acts, true).await;
    let (now, peak) = (status_mb(pid, "VmRSS:"), status_mb(pid, "VmHWM:"));
    println!("  then {acts} more opened and started by 16 clients ({rate:.0}/s, records kept): RSS {now:.1} MB, peak {peak:.1} MB; target < 200 MB: {}", mb(peak, 200.0));
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

fn mb(value: f64, target: f64) -> &'static str {
    if value < target {
        "met"
    } else {
        "NOT met"
    }
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juece-footprint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}
