//! The SQL store, written once and compiled once per backend: `sqlite.rs` and
//! `postgres.rs` each include this module (`#[path]`) beside their own `Db`,
//! `Backend` (the store type), `dialect` constants and `begin_write`, so
//! every query, bind and row conversion exists in one place while each
//! backend keeps its concrete sqlx types (no generic bounds, no `Any`).
//!
//! Acts' commits on a SQLite file are the exception: `direct()` names a
//! writer thread (`store::sqlite_writer`) that runs the same statements
//! (`store::plan`) without sqlx's per-statement hand-offs; and so are their
//! loads (`direct_reads()`, `store::sqlite_reader`), the same query on the
//! calling thread.

mod calendar;
mod directory;
mod idempotency;
mod legacy_opinions;
mod notify;
mod numbering;
mod opinion_intake;
mod opinion_list;
mod opinions;
mod parties;
mod reports;
mod scheduler;
mod snapshot;
mod units;
mod users;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{dialect, Backend, Db};
use crate::anchor::ServerKey;
use crate::audit::{format_instant, AuditRecord};
use crate::store::plan::{self, Arg, Fail, Stmt};
use crate::store::rows::{self, Cols};
use crate::store::{
    BatchCounts, CommitAnswer, DeadlineRow, DecisionFilter, DecisionSummary, Loaded, OutboxMessage, Store, StoreError,
    StoredMemo, TransitionCommit,
};

impl Backend {
    /// One commit in its own transaction.
    async fn commit_alone(&self, c: &TransitionCommit) -> Result<(), StoreError> {
        rows::check_commit(c)?;
        if dialect::BUNDLE && plan::bundles(c) {
            match write_bundled(&self.writer, c, self.key.as_deref()).await {
                // Refused by the database, the one statement wrote nothing: written statement by statement in
                // a transaction, the commit then fails with its exact cause (or, after a lost race, succeeds).
                Err(StoreError::Database(sqlx::Error::Database(_))) => {}
                done => return done.map_err(|e| lost_race(e, c)),
            }
        }
        let written: Result<(), StoreError> = async {
            let mut tx = self.begin_write().await?;
            write(&mut tx, c, self.key.as_deref()).await?;
            tx.commit().await?;
            Ok(())
        }
        .await;
        written.map_err(|e| lost_race(e, c))
    }

    /// A batch in one transaction (one flush to disk). It is written straight
    /// through first: a commit of a batch rarely fails, and a savepoint around
    /// each would cost two more statements per act on the single writer. If
    /// one fails, that transaction is rolled back and the batch written again
    /// with each commit in a savepoint, so that the failure is its own.
    async fn commit_group(&self, batch: &[TransitionCommit]) -> Result<Vec<Result<(), StoreError>>, StoreError> {
        if self.commit_straight(batch).await? {
            return Ok(batch.iter().map(|_| Ok(())).collect());
        }
        self.commit_isolated(batch).await
    }

    /// Every commit of `batch` in one transaction, or (false) none of them when one fails.
    async fn commit_straight(&self, batch: &[TransitionCommit]) -> Result<bool, StoreError> {
        if batch.iter().any(|c| rows::check_commit(c).is_err()) {
            return Ok(false);
        }
        let mut tx = self.begin_write().await?;
        lock_in_order(&mut tx, batch).await?;
        for c in batch {
            let written = if dialect::BUNDLE && plan::bundles(c) {
                write_bundled(&mut *tx, c, self.key.as_deref()).await
            } else {
                write(&mut tx, c, self.key.as_deref()).await
            };
            if written.is_err() {
                tx.rollback().await?;
                return Ok(false);
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    /// A batch in one transaction, each commit in a savepoint: each succeeds or fails alone.
    async fn commit_isolated(&self, batch: &[TransitionCommit]) -> Result<Vec<Result<(), StoreError>>, StoreError> {
        let mut tx = self.begin_write().await?;
        lock_in_order(&mut tx, batch).await?;
        let mut results = Vec::with_capacity(batch.len());
        for c in batch {
            if let Err(e) = rows::check_commit(c) {
                results.push(Err(e));
                continue;
            }
            sqlx::query(rows::SAVEPOINT).execute(&mut *tx).await?;
            let outcome = write(&mut tx, c, self.key.as_deref()).await;
            if outcome.is_err() {
                // Undo this commit's partial rows; on PostgreSQL this also
                // lifts the aborted state the error left the transaction in.
                sqlx::query(rows::ROLLBACK_TO).execute(&mut *tx).await?;
            }
            sqlx::query(rows::RELEASE).execute(&mut *tx).await?;
            results.push(outcome.map_err(|e| lost_race(e, c)));
        }
        tx.commit().await?;
        Ok(results)
    }
}

/// Lock the stored decision rows a batch updates, in id order, before it
/// writes anything. Two replicas' batches touching the same decisions in
/// other orders then wait for each other instead of deadlocking
/// (PostgreSQL; SQLite's single writer excludes every other one).
async fn lock_in_order(
    conn: &mut <Db as sqlx::Database>::Connection,
    batch: &[TransitionCommit],
) -> Result<(), StoreError> {
    let Some(lock) = dialect::DECISION_LOCK else { return Ok(()) };
    let ids: std::collections::BTreeSet<&str> =
        batch.iter().filter(|c| c.expected_version > 0).map(|c| c.decision.id.as_str()).collect();
    // One row locks itself with its update: only a batch of several can wait in a cycle.
    if ids.len() < 2 {
        return Ok(());
    }
    let sql = format!("{lock}{} order by id for update", rows::in_list(1, ids.len()));
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(id);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// A deadlock or a serialization failure (PostgreSQL 40P01, 40001) that
/// still happens (on other rows than the decisions) lost a race, like a
/// version conflict: the engine steps the act again, the client sees no error.
fn lost_race(e: StoreError, c: &TransitionCommit) -> StoreError {
    match &e {
        StoreError::Database(sqlx::Error::Database(db)) if matches!(db.code().as_deref(), Some("40001" | "40P01")) => {
            tracing::info!(decision = %c.decision.id, code = ?db.code(), "a commit lost a race in the database");
            Fail::Conflict.error(c)
        }
        _ => e,
    }
}

/// Every row of one commit, on a connection inside a transaction.
async fn write(
    conn: &mut <Db as sqlx::Database>::Connection,
    c: &TransitionCommit,
    key: Option<&ServerKey>,
) -> Result<(), StoreError> {
    let statements = plan::commit(c, key)?;
    run(conn, &statements, |f| f.error(c)).await
}

/// One commit's rows in one statement (`plan::bundle`; PostgreSQL only), on a connection or the pool.
async fn write_bundled<'e, E>(on: E, c: &TransitionCommit, key: Option<&ServerKey>) -> Result<(), StoreError>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let statements = plan::commit(c, key)?;
    let (sql, args) = plan::bundle(&statements);
    let written: i64 = bound(&sql, args).fetch_one(on).await?.try_get(0)?;
    if written == 0 {
        return Err(Fail::Conflict.error(c));
    }
    Ok(())
}

/// A query with its arguments bound in order.
fn bound<'q>(
    sql: &'q str,
    args: impl IntoIterator<Item = &'q Arg<'q>>,
) -> sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>> {
    args.into_iter().fold(sqlx::query(sql), |q, a| match a {
        Arg::Text(t) => q.bind(t.as_ref()),
        Arg::Int(v) => q.bind(*v),
        Arg::Null => q.bind(None::<&str>),
    })
}

/// Run a plan's statements in order; the first that fails ends it, with the error its plan names (`fail`).
async fn run(
    conn: &mut <Db as sqlx::Database>::Connection,
    statements: &[Stmt<'_>],
    fail: impl Fn(Fail) -> StoreError,
) -> Result<(), StoreError> {
    for s in statements {
        match bound(&s.sql, &s.args).execute(&mut *conn).await {
            Err(e) if rows::is_unique_violation(&e) => return Err(s.if_taken.map_or_else(|| e.into(), &fail)),
            Err(e) => return Err(e.into()),
            Ok(done) if done.rows_affected() == 0 => {
                if let Some(f) = s.if_none {
                    return Err(fail(f));
                }
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

/// A statement that names no failure failed only as the database says.
fn unnamed(f: Fail) -> StoreError {
    rows::corrupt(format!("a statement without a named failure failed as {f:?}"))
}

/// Queue notifications inside the caller's transaction (an act's, or a deadline firing's).
async fn insert_outbox(
    conn: &mut <Db as sqlx::Database>::Connection,
    outbox: &[OutboxMessage],
) -> Result<(), StoreError> {
    let mut statements = Vec::new();
    plan::outbox(&mut statements, outbox);
    run(conn, &statements, unnamed).await
}

#[async_trait]
impl Store for Backend {
    async fn migrate(&self) -> Result<(), StoreError> {
        rows::migrator(dialect::MIGRATIONS).await?.run(&self.writer).await?;
        legacy_opinions::copy(self).await?;
        parties::fill(self).await
    }

    async fn ready(&self) -> Result<bool, StoreError> {
        sqlx::query(rows::SELECT_ONE).execute(&self.reader).await?;
        match sqlx::query_scalar::<_, i64>(rows::APPLIED_MIGRATIONS).fetch_all(&self.reader).await {
            Ok(applied) => Ok(rows::all_applied(dialect::MIGRATIONS, &applied)),
            // No migrations table yet: the database answers but is not migrated.
            Err(sqlx::Error::Database(_)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    fn seal(&self, c: &mut TransitionCommit) -> Result<(), StoreError> {
        c.sealed = Some(plan::seal(c, self.key.as_deref())?);
        Ok(())
    }

    async fn commit(&self, batch: Vec<TransitionCommit>) -> Vec<Result<(), StoreError>> {
        if let Some(direct) = self.direct() {
            return direct.commit(batch, self.key.clone()).await;
        }
        if batch.len() > 1 {
            match self.commit_group(&batch).await {
                Ok(results) => return results,
                Err(e) => tracing::warn!(error = %e, "group commit failed; committing one by one"),
            }
        }
        let mut results = Vec::with_capacity(batch.len());
        for c in &batch {
            results.push(self.commit_alone(c).await);
        }
        results
    }

    fn enqueue(
        &self,
        commit: Box<TransitionCommit>,
        answer: CommitAnswer,
        counts: &std::sync::Arc<BatchCounts>,
    ) -> Result<(), (Box<TransitionCommit>, CommitAnswer)> {
        match self.direct() {
            Some(direct) => {
                direct.enqueue(commit, self.key.clone(), answer, counts.clone());
                Ok(())
            }
            None => Err((commit, answer)),
        }
    }

    async fn commit_all(&self, batch: Vec<TransitionCommit>) -> Result<(), StoreError> {
        if let Some(direct) = self.direct() {
            return direct.commit_all(batch, self.key.clone()).await;
        }
        for c in &batch {
            rows::check_commit(c)?;
        }
        // Dropping the transaction on an error rolls back what the batch wrote so far.
        let written: Result<(), StoreError> = async {
            let mut tx = self.begin_write().await?;
            lock_in_order(&mut tx, &batch).await?;
            for c in &batch {
                write(&mut tx, c, self.key.as_deref()).await?;
            }
            tx.commit().await?;
            Ok(())
        }
        .await;
        match batch.first() {
            Some(c) => written.map_err(|e| lost_race(e, c)),
            None => written,
        }
    }

    async fn load(&self, decision_id: &str) -> Result<Option<Loaded>, StoreError> {
        if let Some(direct) = self.direct_reads() {
            return direct.load(decision_id);
        }
        let row = sqlx::query(rows::LOAD).bind(decision_id).fetch_optional(&self.reader).await?;
        row.map(|r| rows::loaded(&r, decision_id)).transpose()
    }

    async fn load_many(&self, ids: &[&str]) -> Result<Vec<Loaded>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(rows::LOADS_PER_STATEMENT) {
            let sql = rows::load_many(chunk.len());
            let found = chunk.iter().fold(sqlx::query(&sql), |q, id| q.bind(*id)).fetch_all(&self.reader).await?;
            for row in &found {
                out.push(rows::loaded_row(row)?);
            }
        }
        Ok(out)
    }

    async fn list(&self, filter: &DecisionFilter) -> Result<Vec<DecisionSummary>, StoreError> {
        let limit = if filter.limit <= 0 { 50 } else { filter.limit };
        let offset = filter.offset.max(0);
        if !filter.at.is_empty() {
            let stages: std::collections::BTreeSet<&str> = filter.at.iter().map(|a| a.stage.as_str()).collect();
            let parties = filter.parties.as_deref().unwrap_or_default();
            let sql = rows::list_at(
                filter.at.len(),
                stages.len(),
                filter.stage.is_some(),
                filter.parties.as_ref().map(Vec::len),
            );
            let mut query = sqlx::query(&sql);
            for at in &filter.at {
                query = query.bind(&at.workflow_key).bind(i64::from(at.workflow_version)).bind(&at.stage);
            }
            for stage in stages {
                query = query.bind(stage);
            }
            if let Some(stage) = &filter.stage {
                query = query.bind(stage);
            }
            for party in parties {
                query = query.bind(party);
            }
            query = query.bind(limit).bind(offset);
            if filter.parties.is_some() {
                query = query.bind(limit + offset);
            }
            let found = query.fetch_all(&self.reader).await?;
            return found.iter().map(rows::summary).collect();
        }
        let query = match &filter.stage {
            Some(stage) => sqlx::query(rows::LIST_BY_STAGE).bind(stage),
            None => sqlx::query(rows::LIST_ALL),
        };
        let found = query.bind(limit).bind(offset).fetch_all(&self.reader).await?;
        found.iter().map(rows::summary).collect()
    }

    async fn versions(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(rows::VERSIONS).fetch_all(&self.reader).await?)
    }

    async fn audit_records(&self, decision_id: &str) -> Result<Vec<AuditRecord>, StoreError> {
        let found = sqlx::query(rows::AUDIT_RECORDS).bind(decision_id).fetch_all(&self.reader).await?;
        found.iter().map(rows::audit).collect()
    }

    async fn memos(&self, decision_id: &str) -> Result<Vec<StoredMemo>, StoreError> {
        let found = sqlx::query(rows::MEMOS).bind(decision_id).fetch_all(&self.reader).await?;
        found.iter().map(rows::memo).collect()
    }

    async fn deadlines(&self, decision_id: &str) -> Result<Vec<DeadlineRow>, StoreError> {
        let found = sqlx::query(rows::DEADLINES).bind(decision_id).fetch_all(&self.reader).await?;
        found.iter().map(rows::deadline).collect()
    }

    fn writers(&self) -> usize {
        dialect::WRITERS
    }

    async fn pending_deadlines(&self, decision_ids: &[String]) -> Result<Vec<(DeadlineRow, i64)>, StoreError> {
        let mut out = Vec::new();
        // A page of ids a statement: well under either database's limit on parameters.
        for ids in decision_ids.chunks(500) {
            let sql = format!(
                "{}{} order by decision_id, due_at_us, id",
                rows::PENDING_DEADLINES,
                rows::in_list(1, ids.len())
            );
            let mut q = sqlx::query(&sql);
            for id in ids {
                q = q.bind(id);
            }
            for row in q.fetch_all(&self.reader).await? {
                out.push((rows::deadline(&row)?, row.int("occurrences")?));
            }
        }
        Ok(out)
    }

    async fn claim_due(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<DeadlineRow>, StoreError> {
        if limit <= 0 {
            // Nothing to claim; SQLite would read a negative limit as "no limit".
            return Ok(Vec::new());
        }
        let found = sqlx::query(dialect::CLAIM_DUE)
            .bind(format_instant(&now))
            .bind(now.timestamp_micros())
            .bind(limit)
            .fetch_all(&self.writer)
            .await?;
        let mut claimed = found.iter().map(rows::deadline).collect::<Result<Vec<_>, _>>()?;
        rows::sort_due(&mut claimed);
        Ok(claimed)
    }

    async fn outbox(&self, decision_id: &str) -> Result<Vec<OutboxMessage>, StoreError> {
        let found = sqlx::query(rows::OUTBOX).bind(decision_id).fetch_all(&self.reader).await?;
        found.iter().map(rows::outbox).collect()
    }
}

#[cfg(any(test, feature = "testing"))]
#[async_trait]
impl crate::store::conformance::RawSql for Backend {
    async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        Ok(sqlx::raw_sql(sql).execute(&self.writer).await?.rows_affected())
    }
}
