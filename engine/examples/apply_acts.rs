//! Profiling harness for [`Engine::apply`]: one client drives decisions
//! through the national procedure's scripted acts (`juece_engine::sample`) on a temp-file SQLite
//! database and prints nothing but the count. Run it under callgrind twice
//! with different counts; the difference divided by the difference in acts
//! is the instruction cost of one act, start-up excluded:
//!
//! ```sh
//! CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build --release -p juece-engine --example apply_acts
//! valgrind --tool=callgrind target/release/examples/apply_acts 140
//! valgrind --tool=callgrind target/release/examples/apply_acts 420
//! perf stat -e task-clock,context-switches target/release/examples/apply_acts 2800 16   # 16 clients
//! ```

use juece_engine::sample as script;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use juece_engine::bind;
use juece_engine::calendar::WorkCalendar;
use juece_engine::orchestrator::Engine;
use juece_engine::store::{SqliteStore, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let acts = args.next().and_then(Result::ok).unwrap_or(140);
    let clients = args.next().and_then(Result::ok).unwrap_or(1).max(1);
    // One client runs on one thread, so that instruction counts repeat; more run as the benchmark's do.
    let runtime = match clients {
        1 => tokio::runtime::Builder::new_current_thread().enable_all().build()?,
        _ => tokio::runtime::Builder::new_multi_thread().enable_all().build()?,
    };
    runtime.block_on(run(acts, clients))
}

async fn run(acts: usize, clients: usize) -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::connect(&format!("sqlite://{}", dir.path().join("profile.db").display())).await?;
    store.migrate().await?;
    let workflows = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../workflows");
    let defs = bind::load_dir(&workflows).map_err(|e| format!("{e:?}"))?;
    let calendar = WorkCalendar::load_dir(&workflows.join("calendars"))?;
    let engine = Arc::new(Engine::new(defs, calendar, Arc::new(store) as Arc<dyn Store>)?);
    let script = Arc::new(script::script());
    let t0 = std::time::Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (engine, script) = (engine.clone(), script.clone());
        tasks.push(tokio::spawn(async move {
            for n in 0..acts / clients {
                let id = format!("c{c}-d{}", n / script.len());
                let index = n % script.len();
                script::take(&engine, &id, index, &script[index], Utc::now()).await.map_err(|e| e.to_string())?;
            }
            Ok::<_, String>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    let elapsed = t0.elapsed().as_secs_f64();
    let batches = engine.group_commit_counts().batches.load(std::sync::atomic::Ordering::Relaxed);
    println!(
        "{acts} acts by {clients} client(s) in {elapsed:.3} s: {:.0} acts/s, {batches} transactions",
        acts as f64 / elapsed
    );
    let state = serde_json::to_string(&engine.load("c0-d0").await?)?;
    println!("the state of a decision after the script: {} bytes of JSON", state.len());
    Ok(())
}
