//! Comments over HTTP: `juece serve` (the release binary) takes public comments on one consultation from 1, 16
//! and 64 clients at once, on SQLite and PostgreSQL, beside a bare one-row insert transaction on the same
//! database in the same run. The public rate limits are raised with `serve`'s flags so that they do not count.
//! It prints, and asserts nothing about time:
//!
//! `HTTP store=… clients=… comments_per_s=… baseline_tps=… ratio=… p50_ms=… p99_ms=… stored=… acknowledged=…`
//!
//! ```sh
//! cargo bench -p juece-api --bench comments_http                    # SQLite, and PostgreSQL when configured
//! cargo bench -p juece-api --bench comments_http -- --per 5000 --clients 1,16,64 --no-postgres
//! ```
//!
//! Options: `--per N` comments per measurement (default 3,000), `--clients 1,16,64`, `--postgres URL` (default
//! `JUECE_TEST_POSTGRES_URL`; a throw-away database is created and dropped), `--no-postgres`. Targets (issue 17):
//! at 16 clients at least the bare insert's rate; p99 under 50 ms; 5,000 comments/s on PostgreSQL at 64 clients.

#[path = "../../engine/benches/common/load.rs"]
mod load;
// Each benchmark uses only part of what the servers' helpers offer.
#[allow(dead_code)]
#[path = "common/server.rs"]
mod server;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use juece_engine::act::Act;
use juece_engine::actor::Role;
use juece_engine::orchestrator::{ActRequest, Engine};
use juece_engine::sample as script;
use juece_engine::store::conformance::RawSql;
use juece_engine::store::{PgStore, SqliteStore, Store};
use serde_json::json;
use sqlx::Connection;

struct Args {
    per: u64,
    clients: Vec<usize>,
    postgres: Option<String>,
}

fn args() -> Args {
    let mut a = Args { per: 3_000, clients: vec![1, 16, 64], postgres: std::env::var("JUECE_TEST_POSTGRES_URL").ok() };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--per" => a.per = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.per),
            "--clients" => {
                let list = it.next().unwrap_or_default();
                a.clients = list.split(',').filter_map(|c| c.trim().parse().ok()).collect();
            }
            "--postgres" => a.postgres = it.next(),
            "--no-postgres" => a.postgres = None,
            _ => {} // `cargo bench` adds `--bench`
        }
    }
    a
}

/// Consultations `rate-<clients>` opened for comment, through the engine on the database the server will serve.
async fn prepare(url: &str, clients: &[usize]) -> Arc<dyn RawSql> {
    let raw: Arc<dyn RawSql> = if url.starts_with("postgres") {
        Arc::new(PgStore::connect(url).await.expect("PostgreSQL"))
    } else {
        Arc::new(SqliteStore::connect(url).await.expect("SQLite"))
    };
    raw.migrate().await.expect("migrate");
    let workflows = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../workflows");
    let defs = juece_engine::bind::load_dir(&workflows).expect("definitions");
    let calendar = juece_engine::calendar::WorkCalendar::load_dir(&workflows.join("calendars")).expect("calendars");
    let store: Arc<dyn Store> = raw.clone();
    let engine = Engine::new(defs, calendar, store).expect("engine");
    for c in clients {
        let id = format!("rate-{c}");
        for (n, step) in script::script().iter().take(script::TO_PARTICIPATION).enumerate() {
            script::take(&engine, &id, n, step, Utc::now()).await.unwrap_or_else(|e| panic!("{}: {e}", step.1));
        }
        let drafter = script::who("drafter", "生态环境局", Role::Drafter);
        let today = Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
        let notice = json!({ "channels": ["website"], "submission_methods": ["网站"], "start": today, "days": 30 });
        let act = Act::new("publish_comment_notice", notice);
        engine.apply(ActRequest::new(&id, &act, &drafter, Utc::now())).await.expect("publish_comment_notice");
    }
    raw
}

/// `total` comments on `id` from `clients` at once: comments/s, latencies (ms, sorted), acknowledged.
async fn post(http: &reqwest::Client, base: &str, id: &str, clients: usize, total: u64) -> (f64, Vec<f64>, u64) {
    let (http, url) = (http.clone(), format!("{base}/api/v1/public/consultations/{id}/comments"));
    let (rate, l) = load::clients(clients, total, move |n| {
        let (http, url) = (http.clone(), url.clone());
        async move {
            let text = format!("我是第{n}位居民，建议增加夜间公交班次，方便加班人员回家。编号{}", n * 7919 % 100_003);
            let r = http.post(&url).json(&json!({ "content": text })).send().await.expect("a request");
            assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap_or_default());
        }
    })
    .await;
    let acks = l.len() as u64;
    (rate, l, acks)
}

async fn run(label: &str, url: &str, begin: &str, a: &Args) {
    let raw = prepare(url, &a.clients).await;
    let http = reqwest::Client::builder().pool_max_idle_per_host(128).build().expect("client");
    let unlimited = ["--public-per-minute", "100000000", "--public-burst", "100000000"];
    let (srv, _) =
        server::start_with(url, &http, &[&unlimited[..], &["--consultation-per-second", "1000000"]].concat()).await;
    for &clients in &a.clients {
        let base = load::bare_inserts(&raw, begin, clients, a.per).await;
        let id = format!("rate-{clients}");
        let (rate, l, acks) = post(&http, &srv.base, &id, clients, a.per).await;
        let stored: i64 = raw.opinion_heads(&id).await.expect("heads").iter().map(|(_, n, _)| *n).sum();
        println!(
            "HTTP store={label} clients={clients} comments_per_s={rate:.0} baseline_tps={base:.0} ratio={:.2} p50_ms={:.2} p99_ms={:.2} stored={stored} acknowledged={acks}",
            rate / base,
            load::pct(&l, 0.50),
            load::pct(&l, 0.99)
        );
    }
    let peak = server::status_mb(srv.child.id(), "VmHWM:");
    println!("HTTP store={label} server_peak_rss_mb={peak:.0}");
}

#[tokio::main]
async fn main() {
    let a = args();
    let dir = std::env::temp_dir().join(format!("juece-comments-http-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    run("sqlite", &format!("sqlite://{}/bench.db", dir.display()), "begin immediate", &a).await;
    let _ = std::fs::remove_dir_all(&dir);
    if let Some(admin) = a.postgres.clone() {
        let name = format!("juece_bench_{}", uuid::Uuid::new_v4().simple());
        let mut c = sqlx::PgConnection::connect(&admin).await.expect("PostgreSQL");
        sqlx::raw_sql(&format!("create database {name}")).execute(&mut c).await.expect("create database");
        let url = format!("{}/{name}", admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base));
        run("postgres", &url, "begin", &a).await;
        let _ = sqlx::raw_sql(&format!("drop database if exists {name} with (force)")).execute(&mut c).await;
    }
}
