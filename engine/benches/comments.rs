//! Comment-ingestion benchmark: public comments on one decision open for comment, through `Engine::apply`
//! (`receive_comment`, as the public endpoint takes them), on SQLite. It prints how the cost of one comment grows
//! with the comments already stored and what 16 concurrent commenters get, beside a bare single-row insert
//! transaction from the same run. It asserts nothing about time.
//!
//! ```sh
//! cargo bench -p juece-engine --bench comments                    # 4,000 comments
//! cargo bench -p juece-engine --bench comments -- --comments 20000
//! ```
//!
//! The product target is 5,000 comments/s sustained over HTTP (`shared/spec/product.md`); this measures the
//! engine path the endpoint calls, so it bounds what HTTP can reach.

use juece_engine::orchestrator::ActRequest;
use juece_engine::sample as script;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use juece_engine::act::Act;
use juece_engine::actor::Role;
use juece_engine::bind;
use juece_engine::calendar::WorkCalendar;
use juece_engine::orchestrator::{Engine, EngineError};
use juece_engine::store::{SqliteStore, Store};
use serde_json::json;

/// Open a decision and bring it to its comment period: the transition script's first acts, then the notice.
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

/// One comment, retried on a version conflict (another comment committed first); the conflicts it met.
async fn comment(engine: &Engine, id: &str, n: u64) -> u64 {
    let public = script::who("anonymous", "", Role::Public);
    let act = Act::new("receive_comment", json!({ "content": format!("第{n}条意见：建议分时段管控。") }));
    let mut conflicts = 0;
    loop {
        match engine.apply(ActRequest::new(id, &act, &public, Utc::now())).await {
            Ok(_) => return conflicts,
            Err(EngineError::Conflict { .. }) => conflicts += 1,
            Err(e) => panic!("comment {n}: {e}"),
        }
    }
}

#[tokio::main]
async fn main() {
    let mut total: u64 = 4_000;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--comments" {
            total = args.next().and_then(|v| v.parse().ok()).unwrap_or(total);
        }
    }
    let dir = tempfile::tempdir().expect("a temp dir");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Arc::new(SqliteStore::connect(&url).await.expect("SQLite"));
    store.migrate().await.expect("migrate");
    let workflows = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../workflows");
    let defs = bind::load_dir(&workflows).expect("definitions");
    let calendar = WorkCalendar::load_dir(&workflows.join("calendars")).expect("calendars");
    let engine = Arc::new(Engine::new(defs, calendar, store.clone()).expect("engine"));
    println!("comment benchmark: {total} comments on one decision, SQLite (file, WAL, synchronous=FULL)");

    // Baseline: a bare insert transaction of a comment-sized row.
    store
        .execute_raw("create table bench_comments (id integer primary key, content text not null)")
        .await
        .expect("table");
    let started = Instant::now();
    for n in 0..total.min(2_000) {
        let sql = format!(
            "begin immediate; insert into bench_comments (content) values ('第{n}条意见：建议分时段管控。'); commit"
        );
        store.execute_raw(&sql).await.expect("insert");
    }
    let base = total.min(2_000) as f64 / started.elapsed().as_secs_f64();
    println!("  baseline: bare single-row insert transaction, 1 client: {base:>8.0} tx/s");

    // One commenter: the rate per block shows how one comment's cost grows with those stored before it.
    open_for_comment(&engine, "one").await;
    let block = (total / 4).max(1);
    let mut n = 0;
    while n < total {
        let started = Instant::now();
        for _ in 0..block {
            comment(&engine, "one", n).await;
            n += 1;
        }
        let rate = block as f64 / started.elapsed().as_secs_f64();
        let size = engine.load("one").await.map(|d| serde_json::to_string(&d).map_or(0, |s| s.len())).unwrap_or(0);
        println!(
            "  1 client, comments {:>6}–{:<6}: {rate:>7.0} comments/s = {:.2} × baseline; state now {:.1} KB",
            n - block + 1,
            n,
            rate / base,
            size as f64 / 1024.0
        );
    }

    // Sixteen commenters on one decision: every comment is an act on the same record, so they queue on its
    // version; conflicts are retried.
    open_for_comment(&engine, "many").await;
    let (done, conflicts) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let started = Instant::now();
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let (engine, done, conflicts) = (engine.clone(), done.clone(), conflicts.clone());
            tokio::spawn(async move {
                loop {
                    let n = done.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        return;
                    }
                    conflicts.fetch_add(comment(&engine, "many", n).await, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("a commenter");
    }
    let rate = total as f64 / started.elapsed().as_secs_f64();
    println!(
        "  16 clients: {rate:>7.0} comments/s = {:.2} × baseline; {} version conflicts retried; target 5,000/s: {}",
        rate / base,
        conflicts.load(Ordering::Relaxed),
        if rate >= 5_000.0 { "met" } else { "NOT met" }
    );
}
