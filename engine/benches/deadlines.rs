//! Deadline benchmark: firing lag and the claim query's cost with many
//! pending deadlines, on SQLite and (when reachable) PostgreSQL. It prints
//! numbers and asserts nothing about time.
//!
//! ```sh
//! cargo bench -p juece-engine --bench deadlines                       # 100,000 pending (quick)
//! cargo bench -p juece-engine --bench deadlines -- --pending 1000000  # the 1M case
//! ```
//!
//! Options: `--pending N` (largest pending count; claim cost is measured at
//! 1k, 100k and 1M up to N), `--stream N` (deadlines falling due while the
//! scheduler runs, default 2000), `--postgres URL` (default
//! `JUECE_TEST_POSTGRES_URL`; a throw-away database is created and dropped),
//! `--no-postgres`.
//!
//! * **Firing lag** = the claim instant recorded on the row (`fired_at`)
//!   minus its due instant, for deadlines inserted live, each due 0–300 ms
//!   after its insertion (10 every 20 ms), while the real `Scheduler::run` loop works.
//! * **Claim cost** = one `fire_due_planned` call (select due rows, mark one
//!   fired, commit) with one row due among N pending; and with none due.
//! * **Baseline** = `select 1` on the same connection pool, same run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use juece_engine::calendar::WorkCalendar;
use juece_engine::orchestrator::Engine;
use juece_engine::scheduler::{Scheduler, SystemClock};
use juece_engine::store::scheduler::{AfterClaim, FirePlan};
use juece_engine::store::{DeadlineStatus, PgStore, SqliteStore, Store, StoreError};
use rand::Rng;
use sqlx::Connection;
use tokio_util::sync::CancellationToken;

const CREATED: &str = "'2026-01-01T00:00:00.000000Z'";
/// Far-future pending rows are due from here on (year 2100), one microsecond apart.
const FAR_US: i64 = 4_102_444_800_000_000;

struct Args {
    pending: u64,
    stream: u64,
    postgres: Option<String>,
}

fn args() -> Args {
    let mut a = Args { pending: 100_000, stream: 2_000, postgres: std::env::var("JUECE_TEST_POSTGRES_URL").ok() };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--pending" => a.pending = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.pending),
            "--stream" => a.stream = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.stream),
            "--postgres" => a.postgres = it.next(),
            "--no-postgres" => a.postgres = None,
            _ => {} // `cargo bench` adds `--bench`
        }
    }
    a
}

/// The raw SQL a backend needs for setting up the benchmark.
trait Bench: Store {
    async fn raw(&self, sql: &str) -> Result<u64, StoreError>;
    /// Insert `count` pending rows for decision `bench`, ids `p{from}`…, far in the future.
    fn bulk_sql(&self, from: u64, count: u64) -> String;
}

impl Bench for SqliteStore {
    async fn raw(&self, sql: &str) -> Result<u64, StoreError> {
        self.execute_raw(sql).await
    }
    fn bulk_sql(&self, from: u64, count: u64) -> String {
        format!(
            "with recursive n(i) as (select {from} union all select i + 1 from n where i < {last}) \
             insert into deadlines (id, decision_id, name, kind, due_at_us, basis_json, status, created_at) \
             select 'p' || i, 'bench', 'p' || i, 'due', {FAR_US} + i, '{{}}', 'pending', {CREATED} from n",
            last = from + count - 1
        )
    }
}

impl Bench for PgStore {
    async fn raw(&self, sql: &str) -> Result<u64, StoreError> {
        self.execute_raw(sql).await
    }
    fn bulk_sql(&self, from: u64, count: u64) -> String {
        format!(
            "insert into deadlines (id, decision_id, name, kind, due_at_us, basis_json, status, created_at) \
             select 'p' || i, 'bench', 'p' || i, 'due', {FAR_US} + i, '{{}}', 'pending', {CREATED} \
             from generate_series({from}::bigint, {last}::bigint) i",
            last = from + count - 1
        )
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn time<F, Fut>(runs: usize, mut f: F) -> Result<Vec<f64>, StoreError>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Result<(), StoreError>>,
{
    let mut out = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        f(i).await?;
        out.push(ms(t.elapsed()));
    }
    out.sort_by(f64::total_cmp);
    Ok(out)
}

async fn decision(store: &impl Bench, id: &str) -> Result<(), StoreError> {
    store
        .raw(&format!(
            "insert into decisions (id, workflow_key, workflow_version, stage, version, title, parent_id, state_json, \
             created_at, updated_at) values ('{id}', 'bench', 1, 'bench', 1, 'bench', null, '{{}}', {CREATED}, {CREATED})"
        ))
        .await
        .map(|_| ())
}

async fn run<S: Bench + 'static>(label: &str, store: Arc<S>, a: &Args) -> Result<(), StoreError> {
    println!("== {label}");
    store.migrate().await?;
    decision(&*store, "bench").await?;
    decision(&*store, "stream").await?;

    let baseline = time(500, |_| async { store.raw("select 1").await.map(|_| ()) }).await?;
    println!(
        "baseline `select 1`: median {:.3} ms, p99 {:.3} ms",
        percentile(&baseline, 0.5),
        percentile(&baseline, 0.99)
    );

    let noop = |_: &juece_engine::store::DeadlineRow, _: DateTime<Utc>| FirePlan {
        then: AfterClaim::Finish,
        outbox: Vec::new(),
    };
    let mut have = 0u64;
    let mut due_seq = 0u64;
    for size in [1_000u64, 100_000, 1_000_000].into_iter().filter(|s| *s <= a.pending) {
        let t = Instant::now();
        while have < size {
            let chunk = (size - have).min(100_000);
            store.raw(&store.bulk_sql(have, chunk)).await?;
            have += chunk;
        }
        store.raw("analyze").await?;
        let filled = t.elapsed();
        let empty = time(200, |_| async { store.fire_due_planned(Utc::now(), 100, &noop).await.map(|_| ()) }).await?;
        let mut claim = Vec::with_capacity(200);
        for _ in 0..200 {
            due_seq += 1;
            store
                .raw(&format!(
                    "insert into deadlines (id, decision_id, name, kind, due_at_us, basis_json, status, created_at) \
                     values ('due{due_seq}', 'bench', 'due', 'due', 0, '{{}}', 'pending', {CREATED})"
                ))
                .await?;
            let t = Instant::now();
            let fired = store.fire_due_planned(Utc::now(), 100, &noop).await?;
            claim.push(ms(t.elapsed()));
            if fired.len() != 1 {
                println!("  unexpected: a claim fired {} rows", fired.len());
            }
        }
        claim.sort_by(f64::total_cmp);
        let next = time(200, |_| async { store.next_due().await.map(|_| ()) }).await?;
        println!(
            "pending {size:>9}: claim of 1 due {:.3} ms median ({:.3} p99) | claim, none due {:.3} ms | \
             next_due {:.3} ms | (filled in {:.1} s)",
            percentile(&claim, 0.5),
            percentile(&claim, 0.99),
            percentile(&empty, 0.5),
            percentile(&next, 0.5),
            filled.as_secs_f64()
        );
    }

    // Firing lag: the real loop, deadlines inserted live and due shortly after.
    let engine = Arc::new(
        Engine::new(vec![], WorkCalendar::default(), store.clone())
            .map_err(|e| StoreError::Corrupt(format!("engine: {e}")))?,
    );
    let scheduler = Scheduler::new(engine, Arc::new(SystemClock));
    let stop = CancellationToken::new();
    let task = tokio::spawn({
        let stop = stop.clone();
        async move { scheduler.run(stop).await }
    });
    let started = Instant::now();
    let mut rng = rand::thread_rng();
    let mut inserted = 0u64;
    while inserted < a.stream {
        let mut values = Vec::new();
        for _ in 0..10.min(a.stream - inserted) {
            let due = Utc::now() + chrono::Duration::milliseconds(rng.gen_range(0..300));
            values.push(format!(
                "('s{inserted}', 'stream', 's', 'due', {}, '{{}}', 'pending', {CREATED})",
                due.timestamp_micros()
            ));
            inserted += 1;
        }
        store
            .raw(&format!(
                "insert into deadlines (id, decision_id, name, kind, due_at_us, basis_json, status, created_at) \
                 values {}",
                values.join(", ")
            ))
            .await?;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let span = started.elapsed();
    let give_up = Instant::now() + Duration::from_secs(30);
    let rows = loop {
        let rows = store.deadlines("stream").await?;
        if rows.iter().all(|d| d.status == DeadlineStatus::Fired) || Instant::now() > give_up {
            break rows;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    stop.cancel();
    let _ = task.await;
    let mut lag: Vec<f64> = rows
        .iter()
        .filter_map(|d| d.fired_at.map(|f| (f - d.spec.due_at).num_microseconds().unwrap_or(i64::MAX) as f64 / 1e3))
        .collect();
    lag.sort_by(f64::total_cmp);
    let missed = rows.len() - lag.len();
    println!(
        "firing lag over {} deadlines streamed in {:.1} s with {have} pending: p50 {:.1} ms, p99 {:.1} ms, \
         max {:.1} ms, min {:.3} ms (never negative: {}){}",
        lag.len(),
        span.as_secs_f64(),
        percentile(&lag, 0.5),
        percentile(&lag, 0.99),
        lag.last().copied().unwrap_or(f64::NAN),
        lag.first().copied().unwrap_or(f64::NAN),
        lag.first().is_none_or(|l| *l >= 0.0),
        if missed > 0 { format!(", {missed} NOT FIRED within 30 s") } else { String::new() },
    );
    Ok(())
}

#[tokio::main]
async fn main() {
    let a = args();
    println!("deadline benchmark: up to {} pending, {} streamed", a.pending, a.stream);
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => return println!("no temp dir: {e}"),
    };
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    match SqliteStore::connect(&url).await {
        Ok(s) => {
            if let Err(e) = run("SQLite (file, WAL, synchronous=FULL)", Arc::new(s), &a).await {
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
    match PgStore::connect(&with_database(&admin, &name)).await {
        Ok(s) => {
            if let Err(e) = run("PostgreSQL", Arc::new(s), &a).await {
                println!("PostgreSQL run failed: {e}");
            }
        }
        Err(e) => println!("PostgreSQL unavailable: {e}"),
    }
    if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
        let _ = sqlx::raw_sql(&format!("drop database if exists {name} with (force)")).execute(&mut c).await;
    }
}

/// `url` naming database `db` instead of its own.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let host_at = base.find("://").map_or(0, |i| i + 3);
    match base[host_at..].find('/') {
        Some(i) => format!("{}/{db}{query}", &base[..host_at + i]),
        None => format!("{base}/{db}{query}"),
    }
}
