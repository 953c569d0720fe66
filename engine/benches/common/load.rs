//! What the intake benchmarks share (`engine/benches/comments.rs`, `api/benches/comments_http.rs`): many clients
//! sending at once with each send timed, percentiles, and the bare one-row insert transaction beside them.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use juece_engine::store::conformance::RawSql;

/// `total` sends, numbered from 0, shared out to `clients` tasks: sends a second, and each send's time in ms, sorted.
pub async fn clients<F, Fut>(clients: usize, total: u64, send: F) -> (f64, Vec<f64>)
where
    F: Fn(u64) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send,
{
    let next = Arc::new(AtomicU64::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(total as usize)));
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (next, latencies, send) = (next.clone(), latencies.clone(), send.clone());
            tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        break;
                    }
                    let t = Instant::now();
                    send(n).await;
                    mine.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                latencies.lock().expect("latencies").extend(mine);
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("a client");
    }
    let rate = total as f64 / started.elapsed().as_secs_f64();
    let mut l = std::mem::take(&mut *latencies.lock().expect("latencies"));
    l.sort_by(f64::total_cmp);
    (rate, l)
}

/// The `p` quantile of sorted values (0 for none).
pub fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted.get(((sorted.len() as f64 * p) as usize).min(sorted.len().saturating_sub(1))).copied().unwrap_or(0.0)
}

/// Bare one-row insert transactions a second, `clients` at once, on the database behind `raw`; `begin` opens a
/// write transaction as the store does. Each call writes keys of its own.
pub async fn bare_inserts(raw: &Arc<dyn RawSql>, begin: &str, clients: usize, total: u64) -> f64 {
    static RUNS: AtomicU64 = AtomicU64::new(0);
    let offset = RUNS.fetch_add(1, Ordering::Relaxed) * 100_000_000;
    raw.execute_raw("create table if not exists bench_comments (id bigint primary key, content text not null)")
        .await
        .expect("table");
    let (raw, begin) = (raw.clone(), begin.to_string());
    let (rate, _) = self::clients(clients, total, move |n| {
        let (raw, begin) = (raw.clone(), begin.clone());
        async move {
            let sql = format!(
                "{begin}; insert into bench_comments values ({}, '我是第{n}位居民，建议增加夜间公交班次。'); commit",
                offset + n
            );
            raw.execute_raw(&sql).await.expect("insert");
        }
    })
    .await;
    rate
}
