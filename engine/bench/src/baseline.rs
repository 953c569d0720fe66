//! The bare baseline of the W8 line: the same N×8 sequence of writes as one `UPDATE` of the decision's row and
//! one `INSERT` of a ~200-byte audit row per transaction, with the engine's durability (SQLite: WAL,
//! `synchronous = FULL`; PostgreSQL: `synchronous_commit = on`) and the same number of clients, each driving its
//! own decisions. For SQLite the fastest plain client is synchronous and in-process (rusqlite), on a connection
//! per thread or on one they share, whichever is faster: the async driver's thread hand-offs cost about a third;
//! sqlx is measured beside it. For PostgreSQL the client is sqlx.

use std::path::Path;
use std::str::FromStr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use rusqlite::TransactionBehavior;
use sqlx::pool::PoolOptions;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, Database, Encode, Executor, IntoArguments, Type};

use crate::drive::ACTS;

const DROP: [&str; 2] = ["drop table if exists bench_w8_audit", "drop table if exists bench_w8_decision"];
const CREATE: [&str; 2] = [
    "create table bench_w8_decision (id bigint primary key, version bigint not null, stage text not null)",
    "create table bench_w8_audit (decision_id bigint not null, seq bigint not null, body text not null, \
     primary key (decision_id, seq))",
];
const SEED: &str = "insert into bench_w8_decision (id, version, stage) values ($1, 0, 'start')";
const UPDATE: &str = "update bench_w8_decision set version = version + 1, stage = $2 where id = $1";
const INSERT: &str = "insert into bench_w8_audit (decision_id, seq, body) values ($1, $2, $3)";
/// The longest a client waits for SQLite's write lock. Longer than the engine's 5 s: its store has one writer
/// connection, while here `c` connections contend for the lock, and SQLite's busy wait is not fair (a client can
/// lose the race for seconds when commits are slow); waiting longer costs nothing when nobody waits.
const BUSY: Duration = Duration::from_secs(60);

/// The audit row's payload: about 200 bytes, as a small act's record is.
fn body(decision: i64, seq: i64) -> String {
    let head =
        format!("{{\"decision\":{decision},\"seq\":{seq},\"act\":\"record_draft\",\"by\":\"drafter\",\"pad\":\"");
    format!("{head}{}\"}}", "x".repeat(200usize.saturating_sub(head.len() + 2)))
}

fn stage(seq: i64) -> String {
    format!("stage-{seq}")
}

/// The file a `sqlite:` URL names.
pub fn sqlite_path(url: &str) -> Option<&Path> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    Some(Path::new(rest.split('?').next().unwrap_or(rest)))
}

fn rusqlite_open(path: &Path) -> rusqlite::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(BUSY)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(conn)
}

/// Transactions per second through rusqlite, `c` threads: each with its own connection, or (`shared`) all taking
/// turns on one. SQLite has one writer at a time, and connections that contend for it wait in its busy handler,
/// which sleeps (1 ms, 2 ms, … up to 100 ms) instead of queueing: with many connections the lock lies idle while
/// they sleep. One connection behind a mutex queues them instead, as the engine's single writer does; the W8
/// line takes whichever is faster as the baseline.
pub fn rusqlite_tps(path: &Path, n: u64, c: usize, shared: bool) -> anyhow::Result<f64> {
    let mut setup = rusqlite_open(path)?;
    let tx = setup.transaction()?;
    for sql in DROP.iter().chain(&CREATE) {
        tx.execute(sql, [])?;
    }
    for i in 0..n as i64 {
        tx.execute(SEED, [i])?;
    }
    tx.commit()?;
    let c = c.max(1);
    let conns = (0..if shared { 1 } else { c })
        .map(|_| rusqlite_open(path).map(Mutex::new))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let started = Instant::now();
    std::thread::scope(|s| {
        let clients: Vec<_> = (0..c)
            .map(|client| {
                let conn = &conns[client % conns.len()];
                s.spawn(move || -> rusqlite::Result<()> {
                    for i in (client as u64..n).step_by(c) {
                        for seq in 0..ACTS as i64 {
                            let mut conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
                            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                            tx.prepare_cached(UPDATE)?.execute(rusqlite::params![i as i64, stage(seq)])?;
                            tx.prepare_cached(INSERT)?.execute(rusqlite::params![
                                i as i64,
                                seq,
                                body(i as i64, seq)
                            ])?;
                            tx.commit()?;
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        clients.into_iter().try_for_each(|t| {
            t.join().map_err(|_| anyhow::anyhow!("a baseline thread panicked"))?.map_err(anyhow::Error::from)
        })
    })?;
    Ok((n * ACTS as u64) as f64 / started.elapsed().as_secs_f64())
}

/// Transactions per second through sqlx on the database at `url`, `c` connections each driving its own rows.
pub async fn sqlx_tps(url: &str, n: u64, c: usize) -> anyhow::Result<f64> {
    let c = c.max(1);
    match sqlite_path(url) {
        Some(_) => {
            let options = SqliteConnectOptions::from_str(url)?
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(BUSY);
            let pool = PoolOptions::<sqlx::Sqlite>::new().max_connections(c as u32).connect_with(options).await?;
            // `begin immediate`: take the write lock first, as the engine's SQLite writer does.
            sqlx_run(pool, "begin immediate", n, c).await
        }
        None => {
            let options = PgConnectOptions::from_str(url)?.options([("synchronous_commit", "on")]);
            let pool = PoolOptions::<sqlx::Postgres>::new().max_connections(c as u32).connect_with(options).await?;
            sqlx_run(pool, "begin", n, c).await
        }
    }
}

async fn sqlx_run<DB: Database>(pool: sqlx::Pool<DB>, begin: &'static str, n: u64, c: usize) -> anyhow::Result<f64>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    i64: for<'q> Encode<'q, DB> + Type<DB>,
    String: for<'q> Encode<'q, DB> + Type<DB>,
{
    let mut setup = pool.acquire().await?;
    for sql in DROP.iter().chain(&CREATE) {
        sqlx::query(sql).execute(&mut *setup).await?;
    }
    let mut tx = setup.begin().await?;
    for i in 0..n as i64 {
        sqlx::query(SEED).bind(i).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    drop(setup);
    let mut conns = Vec::new();
    for _ in 0..c {
        conns.push(pool.acquire().await?);
    }
    let started = Instant::now();
    let mut clients = tokio::task::JoinSet::new();
    for (client, mut conn) in conns.into_iter().enumerate() {
        clients.spawn(async move {
            for i in (client as u64..n).step_by(c) {
                for seq in 0..ACTS as i64 {
                    sqlx::query(begin).execute(&mut *conn).await?;
                    sqlx::query(UPDATE).bind(i as i64).bind(stage(seq)).execute(&mut *conn).await?;
                    sqlx::query(INSERT).bind(i as i64).bind(seq).bind(body(i as i64, seq)).execute(&mut *conn).await?;
                    sqlx::query("commit").execute(&mut *conn).await?;
                }
            }
            Ok::<_, sqlx::Error>(())
        });
    }
    while let Some(joined) = clients.join_next().await {
        joined??;
    }
    Ok((n * ACTS as u64) as f64 / started.elapsed().as_secs_f64())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_audit_row_is_about_200_bytes() {
        assert_eq!(super::body(123_456, 7).len(), 200);
    }
}
