//! Comment-intake benchmark: public comments on one consultation through `Engine::receive` (what the public
//! endpoint calls), on SQLite and PostgreSQL, beside a bare one-row insert transaction on the same database in the
//! same run. It prints, and asserts nothing about time:
//!
//! * `RATE store=… clients=… comments_per_s=… baseline_tps=… ratio=… p50_ms=… p99_ms=… stored=… acknowledged=…`
//!   for 1, 16 and 64 clients (`--clients`);
//! * `FLAT store=… first_per_s=… later_per_s=… stored_before=…`: the rate of comments 1–1,000 and of the 1,000 after
//!   `--flat` stored (default 100,000), one client each — cost flat in the number stored;
//! * `BURST store=… comments=… seconds=… acknowledged=… stored=…`: `--burst` comments (default 75,000) from 64
//!   clients on one consultation at once;
//! * `READS store=… stored=… list_p95_ms=… search_p95_ms=… campaigns_p95_ms=… export_s=… export_rows=…` over
//!   what is stored by then, and `BENCH peak_rss_mb=…`.
//!
//! The comments are realistic Chinese text: most unique, a few large campaigns (the same letter, signed).
//!
//! ```sh
//! cargo bench -p juece-engine --bench comments                       # SQLite, and PostgreSQL when configured
//! cargo bench -p juece-engine --bench comments -- --per 5000 --flat 100000 --burst 75000 --no-postgres
//! ```
//!
//! Options: `--per N` comments per rate measurement (default 4,000), `--clients 1,16,64`, `--flat N`, `--burst N`,
//! `--postgres URL` (default `JUECE_TEST_POSTGRES_URL`; a throw-away database is created and dropped),
//! `--no-postgres`, `--no-sqlite`, `--no-text-index` (drop the full-text index first: what indexing each comment costs).

#[path = "common/load.rs"]
mod load;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use juece_engine::act::Act;
use juece_engine::actor::Role;
use juece_engine::bind;
use juece_engine::calendar::WorkCalendar;
use juece_engine::ledger::{Kind, OpinionQuery};
use juece_engine::orchestrator::{ActRequest, Engine, OpinionRequest};
use juece_engine::sample as script;
use juece_engine::store::conformance::RawSql;
use juece_engine::store::{PgStore, SqliteStore, Store};
use serde_json::json;
use sqlx::Connection;

struct Args {
    per: u64,
    clients: Vec<usize>,
    flat: u64,
    burst: u64,
    postgres: Option<String>,
    /// Leave SQLite out (PostgreSQL only).
    no_sqlite: bool,
    /// Measure without the full-text index (what indexing each comment for search costs).
    no_text_index: bool,
}

fn args() -> Args {
    let mut a = Args {
        per: 4_000,
        clients: vec![1, 16, 64],
        flat: 100_000,
        burst: 75_000,
        postgres: std::env::var("JUECE_TEST_POSTGRES_URL").ok(),
        no_sqlite: false,
        no_text_index: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut num = |d: u64| it.next().and_then(|v| v.parse().ok()).unwrap_or(d);
        match arg.as_str() {
            "--per" => a.per = num(a.per),
            "--flat" => a.flat = num(a.flat),
            "--burst" => a.burst = num(a.burst),
            "--clients" => {
                let list = it.next().unwrap_or_default();
                a.clients = list.split(',').filter_map(|c| c.trim().parse().ok()).collect();
            }
            "--postgres" => a.postgres = it.next(),
            "--no-postgres" => a.postgres = None,
            "--no-sqlite" => a.no_sqlite = true,
            "--no-text-index" => a.no_text_index = true,
            _ => {} // `cargo bench` adds `--bench`
        }
    }
    a
}

const PLACES: [&str; 8] = ["东城区", "西湖街道", "滨江新区", "高新园区", "老城片区", "北站周边", "南湖社区", "开发区"];
const ASKS: [&str; 8] = [
    "建议增加夜间公交班次，方便加班人员回家",
    "建议公开项目环评报告全文并组织听证",
    "建议对施工扬尘加强在线监测并公布数据",
    "建议延长征求意见期限，便于居民充分表达",
    "建议在学校周边设置限速和减速带",
    "建议明确补偿标准并公示资金使用情况",
    "建议增设停车泊位，缓解老旧小区停车难",
    "建议保留现有绿地，不得改作商业用途",
];
const LETTER: &str = "我们坚决反对在居民区附近新建垃圾焚烧厂，该项目将严重影响周边居民的身体健康和生活质量，请政府重新选址并公开环评报告。";

/// The n-th comment: one in ten a campaign letter (signed), the rest individual opinions.
fn text(n: u64) -> String {
    let h = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    if n.is_multiple_of(10) {
        return format!("{LETTER}居民{}", h % 997);
    }
    let (place, ask) = (PLACES[(h >> 8) as usize % PLACES.len()], ASKS[(h >> 16) as usize % ASKS.len()]);
    format!(
        "我是{place}的居民，{ask}。另外，第{n}号意见人认为{}方面还需细化，具体意见编号{}。",
        ASKS[(h >> 24) as usize % 8],
        h % 100_000
    )
}

async fn open_for_comment(engine: &Engine, id: &str) {
    for (n, step) in script::script().iter().take(script::TO_PARTICIPATION).enumerate() {
        script::take(engine, id, n, step, Utc::now()).await.unwrap_or_else(|e| panic!("{}: {e}", step.1));
    }
    let drafter = script::who("drafter", "生态环境局", Role::Drafter);
    let today = Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let notice = json!({ "channels": ["website"], "submission_methods": ["网站"], "start": today, "days": 30 });
    let act = Act::new("publish_comment_notice", notice);
    engine.apply(ActRequest::new(id, &act, &drafter, Utc::now())).await.expect("publish_comment_notice");
}

/// `total` comments from `clients` at once on `id`, numbered from `from`: (comments/s, latencies in ms, acks).
async fn comments(engine: &Arc<Engine>, id: &str, clients: usize, from: u64, total: u64) -> (f64, Vec<f64>, u64) {
    let (engine, id) = (engine.clone(), id.to_string());
    let (rate, l) = load::clients(clients, total, move |n| {
        let (engine, id) = (engine.clone(), id.clone());
        async move {
            let public = script::who("anonymous", "", Role::Public);
            let act = Act::new("receive_comment", json!({ "content": text(from + n) }));
            let request = OpinionRequest { decision_id: &id, act: &act, actor: &public, now: Utc::now(), answer: None };
            engine.receive(request).await.unwrap_or_else(|e| panic!("comment {n}: {e}"));
        }
    })
    .await;
    let acks = l.len() as u64;
    (rate, l, acks)
}

async fn stored(engine: &Engine, id: &str) -> i64 {
    engine.store().opinion_heads(id).await.expect("heads").iter().map(|(_, n, _)| *n).sum()
}

async fn run(label: &str, raw: Arc<dyn RawSql>, begin: &str, a: &Args) {
    raw.migrate().await.expect("migrate");
    if a.no_text_index {
        let drop = if label == "postgres" {
            "drop index if exists opinions_text"
        } else {
            "drop trigger opinions_text_insert"
        };
        raw.execute_raw(drop).await.expect("drop the text index");
    }
    let workflows = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../workflows");
    let defs = bind::load_dir(&workflows).expect("definitions");
    let calendar = WorkCalendar::load_dir(&workflows.join("calendars")).expect("calendars");
    let store: Arc<dyn Store> = raw.clone();
    let engine = Arc::new(Engine::new(defs, calendar, store).expect("engine"));
    for &clients in &a.clients {
        let id = format!("rate-{clients}");
        open_for_comment(&engine, &id).await;
        let base = load::bare_inserts(&raw, begin, clients, a.per.min(4_000)).await;
        let (rate, l, acks) = comments(&engine, &id, clients, 0, a.per).await;
        let kept = stored(&engine, &id).await;
        println!(
            "RATE store={label} clients={clients} comments_per_s={rate:.0} baseline_tps={base:.0} ratio={:.2} p50_ms={:.2} p99_ms={:.2} stored={kept} acknowledged={acks}",
            rate / base,
            load::pct(&l, 0.50),
            load::pct(&l, 0.99)
        );
    }
    // Flat cost: the first thousand, then the thousand after `flat` stored (filled by 64 clients).
    open_for_comment(&engine, "flat").await;
    let (first, ..) = comments(&engine, "flat", 1, 0, 1_000).await;
    let fill = a.flat.saturating_sub(1_000);
    comments(&engine, "flat", 64, 1_000, fill).await;
    let before = stored(&engine, "flat").await;
    let (later, ..) = comments(&engine, "flat", 1, a.flat, 1_000).await;
    println!(
        "FLAT store={label} first_per_s={first:.0} later_per_s={later:.0} ratio={:.2} stored_before={before}",
        later / first
    );
    // The burst.
    open_for_comment(&engine, "burst").await;
    let started = Instant::now();
    let (_, l, acks) = comments(&engine, "burst", 64, 0, a.burst).await;
    let seconds = started.elapsed().as_secs_f64();
    let kept = stored(&engine, "burst").await;
    println!(
        "BURST store={label} comments={} seconds={seconds:.1} per_s={:.0} p99_ms={:.1} acknowledged={acks} stored={kept}",
        a.burst,
        a.burst as f64 / seconds,
        load::pct(&l, 0.99)
    );
    reads(&engine, label, "flat").await;
}

/// The ledger's reads over the largest consultation: a list page (open, one row per campaign), a search, a page
/// of campaigns, each 50 times at spread cursors; then the whole CSV export.
async fn reads(engine: &Arc<Engine>, label: &str, id: &str) {
    let drafter = script::who("drafter", "生态环境局", Role::Drafter);
    let total = stored(engine, id).await;
    let now = Utc::now();
    let mut list = Vec::new();
    let mut search = Vec::new();
    let mut campaigns = Vec::new();
    for i in 0..50 {
        let after = (total / 50) * i;
        let q = OpinionQuery {
            decision_id: id.into(),
            kind: Some(Kind::Comment),
            leaders_only: true,
            disposition: Some("open".into()),
            after: Some((Kind::Comment, after)),
            limit: 50,
            ..OpinionQuery::default()
        };
        let t = Instant::now();
        engine.read_opinions(&drafter, &q, now).await.expect("list");
        list.push(t.elapsed().as_secs_f64() * 1000.0);
        let words: String = ASKS[i as usize % 8].chars().skip(2).take(4).collect();
        let q = OpinionQuery { text: Some(words), leaders_only: false, disposition: None, ..q };
        let t = Instant::now();
        engine.read_opinions(&drafter, &q, now).await.expect("search");
        search.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        engine.read_campaigns(&drafter, id, Kind::Comment, after, 50, now).await.expect("campaigns");
        campaigns.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    for v in [&mut list, &mut search, &mut campaigns] {
        v.sort_by(f64::total_cmp);
    }
    let t = Instant::now();
    let mut rows = 0;
    let mut q = OpinionQuery { decision_id: id.into(), limit: 200, ..OpinionQuery::default() };
    loop {
        let page = engine.read_opinions(&drafter, &q, now).await.expect("export page");
        rows += page.items.len();
        let _csv = juece_engine::queries::csv_rows(&page.items, rows == page.items.len());
        match page.next.as_deref().and_then(juece_engine::queries::parse_cursor) {
            Some(after) => q.after = Some(after),
            None => break,
        }
    }
    println!(
        "READS store={label} stored={total} list_p95_ms={:.1} search_p95_ms={:.1} campaigns_p95_ms={:.1} export_s={:.1} export_rows={rows}",
        load::pct(&list, 0.95),
        load::pct(&search, 0.95),
        load::pct(&campaigns, 0.95),
        t.elapsed().as_secs_f64()
    );
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok());
    kb.unwrap_or(0.0) / 1024.0
}

#[tokio::main]
async fn main() {
    let a = args();
    let dir = tempfile::tempdir().expect("a temp dir");
    if !a.no_sqlite {
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        let sqlite = SqliteStore::connect(&url).await.expect("SQLite");
        run("sqlite", Arc::new(sqlite), "begin immediate", &a).await;
    }
    if let Some(admin) = a.postgres.clone() {
        // A throw-away database, dropped at the end.
        let name = format!("juece_bench_{}", uuid::Uuid::new_v4().simple());
        let mut c = sqlx::PgConnection::connect(&admin).await.expect("PostgreSQL");
        sqlx::raw_sql(&format!("create database {name}")).execute(&mut c).await.expect("create database");
        let url = format!("{}/{name}", admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base));
        let pg = PgStore::connect(&url).await.expect("PostgreSQL");
        run("postgres", Arc::new(pg), "begin", &a).await;
        let _ = sqlx::raw_sql(&format!("drop database if exists {name} with (force)")).execute(&mut c).await;
    }
    println!("BENCH peak_rss_mb={:.0}", peak_rss_mb());
}
