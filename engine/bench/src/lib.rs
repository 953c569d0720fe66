//! `juece-bench`: the W8 line, a contract (issue 19). It drives N decisions through eight accepted acts each by
//! `Engine::apply` — the server's own path: gates, memos, the sealed audit chain, deadlines, group commit — and,
//! in the same run on the same database, the bare baseline (`baseline`): the same N×8 writes as plain
//! transactions through the fastest plain client. It prints, for a test or a script to read:
//!
//! ```text
//! W8 store=<sqlite|postgres> c=<C> engine_tps=<x> baseline_tps=<y> ratio=<x/y> p50_ms=<a> p99_ms=<b> [key=value…]
//! OPEN store=<…> open=<decisions> p50_ms=<a> p99_ms=<b> [key=value…]      (with --open)
//! READS store=<…> open=<decisions> view_p95_ms=… record_p95_ms=… memos_p95_ms=… tasks_p95_ms=… reviewer_tasks_p95_ms=… tasks_partial=<0|1> other_unit_tasks_p95_ms=…
//! BENCH peak_rss_mb=<m>
//! ```
//!
//! tps counts acts (eight per decision); p50 and p99 are per act, in ms. Nothing here judges a number: the
//! targets are the issue's, and the test suite only checks that the lines parse and the acts were stored.
//!
//! * `args` — the flags; `w8` — one W8 line, its sides interleaved; `drive` — the engine's side; `baseline` — the bare clients; `open` — latency against
//!   the number of open decisions; `reads` — the decision page's reads; `stats` — percentiles, peak memory.

pub mod args;
pub mod baseline;
pub mod drive;
pub mod open;
pub mod reads;
pub mod stats;
pub mod w8;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context};
use juece_engine::anchor::ServerKey;
use juece_engine::bind;
use juece_engine::calendar::WorkCalendar;
use juece_engine::orchestrator::Engine;

pub use args::{Args, StoreKind};

/// Run the benchmark `args` asks for, writing its lines to `out`.
pub async fn run(args: &Args, out: &mut (dyn Write + Send)) -> anyhow::Result<()> {
    let temp = tempfile::tempdir().context("a temp folder for the SQLite database")?;
    let url = match (&args.database_url, args.store) {
        (Some(url), _) => url.clone(),
        (None, StoreKind::Sqlite) => format!("sqlite://{}", temp.path().join("bench.db").display()),
        (None, StoreKind::Postgres) => {
            bail!("--store postgres needs --database-url postgres://… (a throw-away database)")
        }
    };
    let is_sqlite = baseline::sqlite_path(&url).is_some();
    if is_sqlite != (args.store == StoreKind::Sqlite) {
        bail!("--database-url does not name a {} database", args.store.name());
    }
    // One key for the run, as replicas of a server share theirs.
    let key = Arc::new(ServerKey::generate());
    let engine = Arc::new(open_engine(&url, args, &key).await?);
    let mut engines = vec![engine.clone()];
    for _ in 1..args.replicas {
        engines.push(Arc::new(open_engine(&url, args, &key).await?));
    }
    let store = args.store.name();
    // Ids unique to this run, so that runs can share a database.
    let run = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    let durability = match args.store {
        StoreKind::Sqlite => String::new(),
        StoreKind::Postgres => format!(" synchronous_commit={}", synchronous_commit(&url).await?),
    };
    // One short unreported round of each side first: the first writes into a new file or a cold cache cost more,
    // and would be charged to whichever side happened to run first.
    w8::warm_up(&engines, &url, &run).await?;
    for &c in &args.c {
        let line = w8::measure(&engines, &url, &run, args.n, c.max(1)).await?;
        writeln!(out, "W8 store={store} {line} n={}{durability}", args.n)?;
    }
    // The rest on one engine, as without replicas: the replicas' turns leave the first engine's kept records
    // resting (most were stale), which would make the probes below read every record.
    drop(engines);
    let engine = if args.replicas > 1 { Arc::new(open_engine(&url, args, &key).await?) } else { engine };
    let mut levels = args.open.clone();
    levels.sort_unstable();
    for &level in &levels {
        let line = open::measure(&engine, &url, &run, level, args.probes).await?;
        writeln!(
            out,
            "OPEN store={store} open={} p50_ms={:.3} p99_ms={:.3} decisions={} probes={} seed_s={:.1}",
            line.open, line.p50_ms, line.p99_ms, line.decisions, args.probes, line.seed_secs
        )?;
    }
    if let Some(&largest) = levels.last() {
        let ids: Vec<String> = (0..args.probes).map(|i| format!("probe-{run}-{largest}-{i}")).collect();
        let r = reads::measure(&engine, &ids).await?;
        writeln!(
            out,
            "READS store={store} open={largest} view_p95_ms={:.3} record_p95_ms={:.3} memos_p95_ms={:.3} tasks_p95_ms={:.3} \
             reviewer_tasks_p95_ms={:.3} tasks_partial={} other_unit_tasks_p95_ms={:.3}",
            r.view, r.record, r.memos, r.tasks, r.reviewer_tasks, u8::from(r.tasks_partial), r.other_unit_tasks
        )?;
    }
    writeln!(out, "BENCH peak_rss_mb={:.1}", stats::peak_rss_mb())?;
    Ok(())
}

/// The engine as `juece serve` builds it: the definitions proved on load, and every audit record sealed (by
/// `key`, made for this run: the seal's cost is part of an act).
async fn open_engine(url: &str, args: &Args, key: &Arc<ServerKey>) -> anyhow::Result<Engine> {
    let workflows =
        args.workflows.clone().unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../workflows"));
    let store = juece_engine::store::connect_sealed(url, Some(key.clone())).await.context("opening the database")?;
    let defs = bind::load_dir(&workflows)
        .map_err(|errs| anyhow!(errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")))?;
    let calendar = WorkCalendar::load_dir(&workflows.join("calendars")).context("loading calendars")?;
    Ok(Engine::new(defs, calendar, store)?)
}

/// The server's `synchronous_commit`, printed beside the numbers: the durability both sides ran with.
async fn synchronous_commit(url: &str) -> anyhow::Result<String> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await?;
    Ok(sqlx::query_scalar("show synchronous_commit").fetch_one(&mut conn).await?)
}
