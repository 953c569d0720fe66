//! One W8 line: the engine and the bare clients on the same database at the same concurrency, interleaved in
//! slices (bare, engine, sqlx; three times), so that a burst of load from elsewhere on the machine, or a slow
//! stretch of the disk, hits every side and not only the one that happened to run then. Rates are all the acts
//! of a side over all its time.

use std::fmt;
use std::sync::Arc;

use juece_engine::orchestrator::Engine;

use crate::baseline;
use crate::drive::{drive, Driven, ACTS};
use crate::stats::percentile;

/// Slices the N decisions are driven in, each side's slice after the other's.
const SLICES: u64 = 3;
/// Decisions in the unreported warm-up of the baseline (a tenth of them for the engine).
const WARM_UP: u64 = 100;

/// The fields of a W8 line after `store=`.
pub struct W8 {
    c: usize,
    /// Engines on the database, taking a decision's acts in turn.
    replicas: usize,
    sqlite: bool,
    engine: Driven,
    /// Seconds the bare client took: the sqlx client on PostgreSQL, rusqlite with a connection per client on
    /// SQLite; and rusqlite on one connection shared by the clients (zero with one client, where the two are one).
    bare_secs: f64,
    shared_secs: f64,
    sqlx_secs: f64,
}

impl fmt::Display for W8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let acts = self.engine.latencies_ms.len() as f64;
        let rate = |secs: f64| if secs > 0.0 { acts / secs } else { 0.0 };
        let (conns, shared, sqlx) = (rate(self.bare_secs), rate(self.shared_secs), rate(self.sqlx_secs));
        let (base, client) = match (self.sqlite, shared > conns) {
            (false, _) => (conns, "sqlx"),
            (true, true) => (shared, "rusqlite-shared"),
            (true, false) => (conns, "rusqlite"),
        };
        let engine = self.engine.tps();
        let mut ms = self.engine.latencies_ms.clone();
        let (p50, p99) = (percentile(&mut ms, 50.0), percentile(&mut ms, 99.0));
        write!(
            f,
            "c={} engine_tps={engine:.0} baseline_tps={base:.0} ratio={:.3} p50_ms={p50:.3} p99_ms={p99:.3} \
             sqlx_baseline_tps={sqlx:.0} baseline_client={client} acts_per_commit={:.2} replicas={} kept_taken={} \
             kept_stale={}",
            self.c,
            engine / base,
            self.engine.acts_per_commit(),
            self.replicas,
            self.engine.kept.0,
            self.engine.kept.1,
        )?;
        if self.sqlite {
            write!(f, " rusqlite_conns_tps={conns:.0}")?;
            // Acts written by their own caller, the writer thread having nothing else to write.
            write!(f, " by_caller={}", self.engine.by_caller)?;
        }
        if self.shared_secs > 0.0 {
            write!(f, " rusqlite_shared_tps={shared:.0}")?;
        }
        Ok(())
    }
}

/// One short unreported round of each side: the first writes into a new file or a cold cache cost more, and would
/// be charged to whichever side happened to run first.
pub async fn warm_up(engines: &[Arc<Engine>], url: &str, run: &str) -> anyhow::Result<()> {
    bare(url, WARM_UP, 1, false).await?;
    drive(engines, &format!("warm-{run}"), WARM_UP / 10, 1, ACTS).await?;
    Ok(())
}

/// Drive `n` decisions through the engines (`w8-{run}-c{c}-s{slice}-{i}`) and the same writes through the bare
/// clients, `c` at a time.
pub async fn measure(engines: &[Arc<Engine>], url: &str, run: &str, n: u64, c: usize) -> anyhow::Result<W8> {
    let is_sqlite = baseline::sqlite_path(url).is_some();
    let mut line = W8 {
        c,
        replicas: engines.len(),
        sqlite: is_sqlite,
        engine: Driven::default(),
        bare_secs: 0.0,
        shared_secs: 0.0,
        sqlx_secs: 0.0,
    };
    for slice in 0..SLICES {
        let size = n / SLICES + u64::from(slice < n % SLICES);
        if size == 0 {
            continue;
        }
        let acts = (size * ACTS as u64) as f64;
        let bare_secs = acts / bare(url, size, c, false).await?;
        line.bare_secs += bare_secs;
        if is_sqlite && c > 1 {
            line.shared_secs += acts / bare(url, size, c, true).await?;
        }
        line.engine.merge(drive(engines, &format!("w8-{run}-c{c}-s{slice}"), size, c, ACTS).await?);
        line.sqlx_secs += if is_sqlite { acts / baseline::sqlx_tps(url, size, c).await? } else { bare_secs };
    }
    Ok(line)
}

/// The bare client's transactions per second on `url`: rusqlite on SQLite (one connection per client, or one
/// `shared`), sqlx on PostgreSQL.
async fn bare(url: &str, n: u64, c: usize, shared: bool) -> anyhow::Result<f64> {
    match baseline::sqlite_path(url) {
        Some(path) => {
            let path = path.to_path_buf();
            tokio::task::spawn_blocking(move || baseline::rusqlite_tps(&path, n, c, shared)).await?
        }
        None => baseline::sqlx_tps(url, n, c).await,
    }
}
