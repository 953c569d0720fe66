//! The OPEN lines: the same eight acts timed again with 1,000, 10,000, 100,000 … decisions open in the
//! database. An act touches one decision, so its cost should not grow with the others: what would make it grow
//! is a scan (a query without its index, a count, a sweep of deadlines) somewhere on the act's path.

use std::sync::Arc;

use juece_engine::orchestrator::Engine;

use crate::drive::{drive, ACTS};
use crate::stats::percentile;

/// Acts each seeded decision takes: its proposal and the start of the procedure, so it is open, in drafting, with
/// its record, state and deadlines as a live decision has them.
pub const SEED_ACTS: usize = 2;
/// Decisions seeded at once: the engine's group commit writes them in large transactions, which makes seeding
/// 100,000 decisions take under a minute on SQLite and under two on PostgreSQL (a busy 2-core machine), not hours,
/// through the same code as every act.
const SEED_CLIENTS: usize = 64;

/// One open count's latencies.
pub struct OpenLine {
    pub open: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub seed_secs: f64,
    /// Decisions in the database when the acts were timed: more than `open` when the W8 lines left more.
    pub decisions: u64,
}

/// Seed decisions up to `open` in the database at `url` (those already there count), let the database settle, then
/// drive `probes` decisions through the eight acts one at a time and time each act.
pub async fn measure(engine: &Arc<Engine>, url: &str, run: &str, open: u64, probes: u64) -> anyhow::Result<OpenLine> {
    let have = engine.store().versions().await?.len() as u64;
    let started = std::time::Instant::now();
    if open > have {
        drive(std::slice::from_ref(engine), &format!("open-{run}-{have}"), open - have, SEED_CLIENTS, SEED_ACTS)
            .await?;
        settle(url).await?;
    }
    let seed_secs = started.elapsed().as_secs_f64();
    let decisions = have.max(open);
    let mut timed =
        drive(std::slice::from_ref(engine), &format!("probe-{run}-{open}"), probes, 1, ACTS).await?.latencies_ms;
    Ok(OpenLine {
        open,
        p50_ms: percentile(&mut timed, 50.0),
        p99_ms: percentile(&mut timed, 99.0),
        seed_secs,
        decisions,
    })
}

/// After seeding, what the database does in the background for a while is the bulk load's, not the acts': on
/// PostgreSQL a checkpoint of the new pages and autovacuum's first pass over the new rows; on SQLite a write-ahead
/// log of the whole load, which the next checkpoint copies back. Measured straight after, the p99 swung 2.3x at
/// one count (5.0, 8.4 and, after a checkpoint and `vacuum analyze`, 3.7 ms). Done here, before the probes, each
/// count's acts run on a database in the state it keeps when decisions arrive one at a time.
async fn settle(url: &str) -> anyhow::Result<()> {
    use sqlx::Connection;
    if crate::baseline::sqlite_path(url).is_some() {
        let mut conn = sqlx::SqliteConnection::connect(url).await?;
        sqlx::query("pragma wal_checkpoint(truncate)").execute(&mut conn).await?;
        return Ok(());
    }
    let mut conn = sqlx::PgConnection::connect(url).await?;
    sqlx::query("vacuum analyze").execute(&mut conn).await?;
    // `checkpoint` needs a superuser (or pg_checkpoint): without one the server checkpoints on its own schedule.
    if let Err(e) = sqlx::query("checkpoint").execute(&mut conn).await {
        eprintln!("note: no checkpoint after seeding ({e})");
    }
    Ok(())
}
