//! The engine's side of the W8 line: decisions taken through the sample script's first acts
//! (`juece_engine::sample`: the first by `Engine::open`, the others by `Engine::apply`, as the server takes
//! them), `c` decisions in flight, each act timed. With several engines on one database (replicas), each act goes
//! to the next replica after the one that took the decision's act before: a load balancer that does not route by
//! record, the worst case for the records each replica keeps.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::Instant;

use anyhow::anyhow;
use chrono::Utc;
use juece_engine::orchestrator::Engine;
use juece_engine::sample::{self, Step};
use tokio::task::JoinSet;

/// Acts per decision in the W8 line: proposal, start, draft, end of drafting, the cost-benefit determination
/// and its pass-over, a participation activity and its adoption summary. Four of them render a memo (proposal,
/// start, draft, adoption summary), each stored in Chinese and English as Markdown (their HTML pages are laid out
/// when read): 8 documents per decision, and the decision's state is about 2 KB after the eighth act.
pub const ACTS: usize = 8;

/// What driving decisions took; runs add up (`merge`).
#[derive(Default)]
pub struct Driven {
    /// Wall time, in seconds.
    pub secs: f64,
    /// Each act's time in `Engine::open`/`Engine::apply`, in ms.
    pub latencies_ms: Vec<f64>,
    /// Transactions group commit wrote, and the acts they held (`Engine::group_commit_counts` over the run).
    pub batches: u64,
    pub grouped: u64,
    /// Of `grouped`, the acts written by their own caller, the store's writer having nothing else to write.
    pub by_caller: u64,
    /// Acts that took their record as their replica last committed it, and how many of those had moved on
    /// (`Engine::kept_record_counts` over the run, all replicas).
    pub kept: (u64, u64),
}

impl Driven {
    /// Acts per second.
    pub fn tps(&self) -> f64 {
        self.latencies_ms.len() as f64 / self.secs
    }

    pub fn acts_per_commit(&self) -> f64 {
        self.grouped as f64 / self.batches.max(1) as f64
    }

    pub fn merge(&mut self, other: Driven) {
        self.secs += other.secs;
        self.latencies_ms.extend(other.latencies_ms);
        self.batches += other.batches;
        self.grouped += other.grouped;
        self.by_caller += other.by_caller;
        self.kept = (self.kept.0 + other.kept.0, self.kept.1 + other.kept.1);
    }
}

/// What the engines counted so far: batches and acts group commit wrote, records kept taken and found stale, and
/// acts written by their caller.
fn counted(engines: &[Arc<Engine>]) -> [u64; 5] {
    engines.iter().fold([0; 5], |sum, e| {
        let (counts, kept) = (e.group_commit_counts(), e.kept_record_counts());
        let now =
            [counts.batches.load(Relaxed), counts.acts.load(Relaxed), kept.0, kept.1, counts.by_caller.load(Relaxed)];
        std::array::from_fn(|i| sum[i] + now[i])
    })
}

/// Take decisions `{prefix}-0` … `{prefix}-{n-1}` through the script's first `acts` acts, `c` at a time, each act
/// on the replica after the one that took the act before it.
pub async fn drive(engines: &[Arc<Engine>], prefix: &str, n: u64, c: usize, acts: usize) -> anyhow::Result<Driven> {
    let script: Arc<Vec<Step>> = Arc::new(sample::script().into_iter().take(acts).collect());
    let c = c.max(1);
    let before = counted(engines);
    let started = Instant::now();
    let mut clients = JoinSet::new();
    for client in 0..c as u64 {
        let (engines, script, prefix) = (engines.to_vec(), script.clone(), prefix.to_string());
        clients.spawn(async move {
            let mut latencies = Vec::new();
            for i in (client..n).step_by(c) {
                let id = format!("{prefix}-{i}");
                for (k, step) in script.iter().enumerate() {
                    let engine = &engines[(i as usize + k) % engines.len()];
                    let t = Instant::now();
                    sample::take(engine, &id, k, step, Utc::now())
                        .await
                        .map_err(|e| anyhow!("{} on {id}: {e}", step.1))?;
                    latencies.push(t.elapsed().as_secs_f64() * 1e3);
                }
            }
            Ok::<_, anyhow::Error>(latencies)
        });
    }
    let mut latencies_ms = Vec::new();
    while let Some(joined) = clients.join_next().await {
        latencies_ms.extend(joined??);
    }
    let after = counted(engines);
    Ok(Driven {
        secs: started.elapsed().as_secs_f64(),
        latencies_ms,
        batches: after[0] - before[0],
        grouped: after[1] - before[1],
        kept: (after[2] - before[2], after[3] - before[3]),
        by_caller: after[4] - before[4],
    })
}
