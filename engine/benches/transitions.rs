//! Transition benchmark: durable stage transitions per second through
//! [`Engine::apply`] (load, the pure step, memos rendered, one commit with
//! its audit record) at 1 and 16 concurrent clients, beside a baseline from
//! the same run on the same database: a bare single-row-update transaction.
//! It prints numbers and asserts nothing about time.
//!
//! ```sh
//! cargo bench -p juece-engine --bench transitions                 # SQLite, and PostgreSQL when configured
//! cargo bench -p juece-engine --bench transitions -- --acts 5000  # more acts per measurement
//! ```
//!
//! Options: `--acts N` (transitions per measurement, default 2000),
//! `--postgres URL` (default `JUECE_TEST_POSTGRES_URL`; a throw-away
//! database is created and dropped), `--no-postgres`.
//!
//! The product target: at concurrency 1 at least half the baseline's rate
//! at concurrency 1; at concurrency 16 at least the baseline's rate at
//! concurrency 1 (group commit).

use juece_engine::orchestrator::ActRequest;
use juece_engine::sample as script;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use juece_engine::act::Act;
use juece_engine::bind;
use juece_engine::calendar::WorkCalendar;
use juece_engine::orchestrator::Engine;
use juece_engine::store::conformance::RawSql;
use juece_engine::store::{PgStore, SqliteStore, StoreError};
use sqlx::Connection;

/// Each measurement is taken this many times; the median is printed.
const ROUNDS: usize = 3;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

struct Args {
    acts: u64,
    postgres: Option<String>,
}

fn args() -> Args {
    let mut a = Args { acts: 2_000, postgres: std::env::var("JUECE_TEST_POSTGRES_URL").ok() };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--acts" => a.acts = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.acts),
            "--postgres" => a.postgres = it.next(),
            "--no-postgres" => a.postgres = None,
            _ => {} // `cargo bench` adds `--bench`
        }
    }
    a
}

/// Bare single-row-update transactions per second, `clients` at once, each on its own row.
async fn baseline(store: &Arc<dyn RawSql>, begin: &str, clients: usize, total: u64) -> Result<f64, StoreError> {
    store.execute_raw("create table if not exists bench_counter (id bigint primary key, n bigint not null)").await?;
    for c in 0..clients {
        store.execute_raw(&format!("insert into bench_counter values ({c}, 0) on conflict (id) do nothing")).await?;
    }
    let per = total / clients as u64;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let store = store.clone();
        let sql = format!("{begin}; update bench_counter set n = n + 1 where id = {c}; commit");
        tasks.push(tokio::spawn(async move {
            for _ in 0..per {
                store.execute_raw(&sql).await?;
            }
            Ok::<_, StoreError>(())
        }));
    }
    for t in tasks {
        t.await.expect("baseline task")?;
    }
    Ok((per * clients as u64) as f64 / started.elapsed().as_secs_f64())
}

/// Engine transitions per second, `clients` at once, each driving its own decisions.
async fn transitions(engine: &Arc<Engine>, label: &str, clients: usize, total: u64) -> f64 {
    let script = Arc::new(script::script());
    let per = total / clients as u64;
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (engine, script, done, label) = (engine.clone(), script.clone(), done.clone(), label.to_string());
        tasks.push(tokio::spawn(async move {
            let mut n = 0;
            for d in 0.. {
                let id = format!("{label}-{clients}-{c}-{d}");
                for (actor, name, payload) in script.iter() {
                    if n == per {
                        return;
                    }
                    let act = Act::new(name, payload.clone());
                    let applied = if n % script.len() as u64 == 0 {
                        engine.open("national", ActRequest::new(&id, &act, actor, Utc::now())).await
                    } else {
                        engine.apply(ActRequest::new(&id, &act, actor, Utc::now())).await
                    };
                    applied.unwrap_or_else(|e| panic!("{name} on {id}: {e}"));
                    n += 1;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for t in tasks {
        t.await.expect("client task");
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

/// `begin` is how the backend opens a write transaction (the engine's own way).
async fn run(label: &str, store: Arc<dyn RawSql>, begin: &str, a: &Args) -> Result<(), Box<dyn std::error::Error>> {
    store.migrate().await?;
    let workflows = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../workflows");
    let defs = bind::load_dir(&workflows).map_err(|e| format!("{e:?}"))?;
    let calendar = WorkCalendar::load_dir(&workflows.join("calendars"))?;
    let engine = Arc::new(Engine::new(defs, calendar, store.clone() as Arc<dyn juece_engine::store::Store>)?);
    println!("\n{label}");
    // Rounds interleave the baseline with the engine, so a burst of load
    // from elsewhere on the machine hits both; the medians are compared.
    let prefix = label.split_whitespace().next().unwrap_or("db");
    let mut rates: [Vec<f64>; 4] = Default::default();
    // Group commit is counted over the 16-client measurements only: at 1
    // client every act is a transaction of its own.
    let (mut batches, mut grouped) = (0, 0);
    let counts = engine.group_commit_counts();
    let now = || (counts.batches.load(Ordering::Relaxed), counts.acts.load(Ordering::Relaxed));
    for round in 0..ROUNDS {
        rates[0].push(baseline(&store, begin, 1, a.acts).await?);
        rates[1].push(transitions(&engine, &format!("{prefix}{round}"), 1, a.acts).await);
        rates[2].push(baseline(&store, begin, 16, a.acts).await?);
        let before = now();
        rates[3].push(transitions(&engine, &format!("{prefix}{round}"), 16, a.acts).await);
        let after = now();
        (batches, grouped) = (batches + after.0 - before.0, grouped + after.1 - before.1);
    }
    let [base1, eng1, base16, eng16] = rates.map(median);
    println!("  baseline: bare single-row-update transaction, 1 client:   {base1:>8.0} tx/s");
    println!("  baseline: bare single-row-update transaction, 16 clients: {base16:>8.0} tx/s");
    for (clients, rate, target, wanted) in
        [(1, eng1, 0.5 * base1, "≥ ½ baseline(1)"), (16, eng16, base1, "≥ baseline(1)")]
    {
        println!(
            "  engine transitions, {clients:>2} client(s): {rate:>8.0} acts/s = {:.2} × baseline(1); target {wanted}: {}",
            rate / base1,
            if rate >= target { "met" } else { "NOT met" }
        );
    }
    println!(
        "  group commit at 16 clients: {grouped} acts in {batches} transactions ({:.1} acts per transaction)",
        grouped as f64 / batches.max(1) as f64
    );
    Ok(())
}

#[tokio::main]
async fn main() {
    let a = args();
    println!("transition benchmark: {} transitions per measurement", a.acts);
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => return println!("no temp dir: {e}"),
    };
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    match SqliteStore::connect(&url).await {
        Ok(s) => {
            if let Err(e) = run("SQLite (file, WAL, synchronous=FULL)", Arc::new(s), "begin immediate", &a).await {
                println!("SQLite run failed: {e}");
            }
        }
        Err(e) => println!("SQLite unavailable: {e}"),
    }
    let Some(admin) = a.postgres.clone() else {
        return println!("PostgreSQL skipped: set JUECE_TEST_POSTGRES_URL or pass --postgres URL");
    };
    let name = format!("juece_bench_{}", uuid::Uuid::new_v4().simple());
    let created = async {
        let mut c = sqlx::PgConnection::connect(&admin).await?;
        sqlx::raw_sql(&format!("create database {name}")).execute(&mut c).await
    }
    .await;
    if let Err(e) = created {
        return println!("PostgreSQL skipped: {e}");
    }
    let url = match admin.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => return println!("PostgreSQL skipped: cannot read the database from {admin}"),
    };
    match PgStore::connect(&url).await {
        Ok(s) => {
            if let Err(e) = run("PostgreSQL (synchronous_commit=on)", Arc::new(s), "begin", &a).await {
                println!("PostgreSQL run failed: {e}");
            }
        }
        Err(e) => println!("PostgreSQL unavailable: {e}"),
    }
    if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
        let _ = sqlx::raw_sql(&format!("drop database if exists {name} with (force)")).execute(&mut c).await;
    }
}
