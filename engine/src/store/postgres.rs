//! [`Store`] on PostgreSQL, for scale-out: any number of stateless replicas
//! share one database. Concurrent acts on a decision are serialised by the
//! row's version (read committed re-checks it after waiting for the row
//! lock); concurrent schedulers claim deadlines with `for update skip locked`.

mod calendar;
mod directory;
mod idempotency;
mod notify;
mod numbering;
mod scheduler;
mod users;

use std::str::FromStr;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool};

use super::rows::{self, POSTGRES_MIGRATIONS};
use super::{
    DeadlineRow, DecisionFilter, DecisionSummary, Loaded, OutboxMessage, Store, StoreError, StoredMemo,
    TransitionCommit,
};
use crate::audit::{format_instant, AuditRecord};

#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connect to the database a `postgres://` URL names. Does not migrate.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        PgStore::connect_with(PgConnectOptions::from_str(url)?).await
    }

    async fn connect_with(options: PgConnectOptions) -> Result<Self, StoreError> {
        Ok(PgStore { pool: PgPoolOptions::new().connect_with(options).await? })
    }

    /// Run raw SQL and return the rows affected. For tests and tamper drills
    /// only (e.g. showing that the audit trail refuses `update`); the engine
    /// never calls it.
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        Ok(sqlx::raw_sql(sql).execute(&self.pool).await?.rows_affected())
    }

    /// One commit in its own transaction.
    async fn commit_alone(&self, c: &TransitionCommit) -> Result<(), StoreError> {
        rows::check_commit(c)?;
        let mut tx = self.pool.begin().await?;
        write(&mut tx, c).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A batch in one transaction (one WAL flush), each commit in a savepoint.
    async fn commit_group(&self, batch: &[TransitionCommit]) -> Result<Vec<Result<(), StoreError>>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut results = Vec::with_capacity(batch.len());
        for c in batch {
            if let Err(e) = rows::check_commit(c) {
                results.push(Err(e));
                continue;
            }
            sqlx::query(rows::SAVEPOINT).execute(&mut *tx).await?;
            let outcome = write(&mut tx, c).await;
            if outcome.is_err() {
                // An error aborts the whole transaction until rolled back to the savepoint.
                sqlx::query(rows::ROLLBACK_TO).execute(&mut *tx).await?;
            }
            sqlx::query(rows::RELEASE).execute(&mut *tx).await?;
            results.push(outcome);
        }
        tx.commit().await?;
        Ok(results)
    }
}

/// Every row of one commit, on a connection inside a transaction.
async fn write(conn: &mut PgConnection, c: &TransitionCommit) -> Result<(), StoreError> {
    let d = &c.decision;
    let state = rows::to_json(d)?;
    if c.expected_version == 0 {
        let inserted = sqlx::query(rows::INSERT_DECISION)
            .bind(&d.id)
            .bind(&d.workflow_key)
            .bind(i64::from(d.workflow_version))
            .bind(&d.stage)
            .bind(d.version)
            .bind(d.title())
            .bind(&d.parent)
            .bind(&state)
            .bind(format_instant(&d.created_at))
            .bind(format_instant(&d.updated_at))
            .execute(&mut *conn)
            .await;
        match inserted {
            Err(e) if rows::is_unique_violation(&e) => return Err(StoreError::AlreadyExists(d.id.clone())),
            other => other?,
        };
    } else {
        let updated = sqlx::query(rows::UPDATE_DECISION)
            .bind(&d.id)
            .bind(&d.workflow_key)
            .bind(i64::from(d.workflow_version))
            .bind(&d.stage)
            .bind(d.version)
            .bind(d.title())
            .bind(&d.parent)
            .bind(&state)
            .bind(format_instant(&d.updated_at))
            .bind(c.expected_version)
            .execute(&mut *conn)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(conflict(c));
        }
    }
    let a = &c.audit;
    let inserted = sqlx::query(rows::INSERT_AUDIT)
        .bind(&a.decision_id)
        .bind(a.seq)
        .bind(&a.act)
        .bind(&a.stage_from)
        .bind(&a.stage_to)
        .bind(rows::to_json(&a.actor)?)
        .bind(format_instant(&a.at))
        .bind(&a.payload)
        .bind(&a.payload_hash)
        .bind(rows::to_json(&a.memo_hashes)?)
        .bind(&a.prev_hash)
        .bind(&a.hash)
        .execute(&mut *conn)
        .await;
    match inserted {
        // Another writer holds this chain position: it won the race.
        Err(e) if rows::is_unique_violation(&e) => return Err(conflict(c)),
        other => other?,
    };
    numbering::claim(&mut *conn, &c.numbers).await?;
    for m in &c.memos {
        sqlx::query(rows::INSERT_MEMO)
            .bind(&m.decision_id)
            .bind(m.seq)
            .bind(&m.memo)
            .bind(&m.lang)
            .bind(&m.format)
            .bind(&m.body)
            .bind(&m.sha256)
            .bind(&m.template_sha256)
            .bind(&m.data)
            .bind(format_instant(&m.created_at))
            .execute(&mut *conn)
            .await?;
    }
    // Cancel before setting, so an act that replaces a deadline keeps the new one.
    for name in &c.cancel_deadlines {
        sqlx::query(rows::CANCEL_DEADLINE).bind(&d.id).bind(name).execute(&mut *conn).await?;
    }
    for x in &c.set_deadlines {
        sqlx::query(rows::INSERT_DEADLINE)
            .bind(&x.id)
            .bind(&x.decision_id)
            .bind(&x.spec.name)
            .bind(rows::kind_text(x.spec.kind)?)
            .bind(x.spec.due_at.timestamp_micros())
            .bind(&x.spec.act)
            .bind(x.spec.notify.map(|r| r.as_str()))
            .bind(rows::to_json(&x.spec.basis)?)
            .bind(x.status.as_str())
            .bind(x.fired_at.as_ref().map(format_instant))
            .bind(rows::act_instant(c))
            .execute(&mut *conn)
            .await?;
    }
    for o in &c.outbox {
        sqlx::query(rows::INSERT_OUTBOX)
            .bind(&o.id)
            .bind(&o.decision_id)
            .bind(&o.recipient_role)
            .bind(&o.subject)
            .bind(format_instant(&o.created_at))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn conflict(c: &TransitionCommit) -> StoreError {
    StoreError::Conflict { decision_id: c.decision.id.clone(), expected: c.expected_version }
}

#[async_trait]
impl Store for PgStore {
    async fn migrate(&self) -> Result<(), StoreError> {
        // sqlx takes an advisory lock, so replicas starting together migrate once.
        rows::migrator(POSTGRES_MIGRATIONS).await?.run(&self.pool).await?;
        Ok(())
    }

    async fn ready(&self) -> Result<bool, StoreError> {
        sqlx::query(rows::SELECT_ONE).execute(&self.pool).await?;
        match sqlx::query_scalar::<_, i64>(rows::APPLIED_MIGRATIONS).fetch_all(&self.pool).await {
            Ok(applied) => Ok(rows::all_applied(POSTGRES_MIGRATIONS, &applied)),
            // No migrations table yet: the database answers but is not migrated.
            Err(sqlx::Error::Database(_)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    async fn commit(&self, batch: Vec<TransitionCommit>) -> Vec<Result<(), StoreError>> {
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

    async fn load(&self, decision_id: &str) -> Result<Option<Loaded>, StoreError> {
        let row = sqlx::query(rows::LOAD).bind(decision_id).fetch_optional(&self.pool).await?;
        row.map(|r| rows::loaded(&r, decision_id)).transpose()
    }

    async fn list(&self, filter: &DecisionFilter) -> Result<Vec<DecisionSummary>, StoreError> {
        let limit = if filter.limit <= 0 { 50 } else { filter.limit };
        let offset = filter.offset.max(0);
        let query = match &filter.stage {
            Some(stage) => sqlx::query(rows::LIST_BY_STAGE).bind(stage),
            None => sqlx::query(rows::LIST_ALL),
        };
        let found = query.bind(limit).bind(offset).fetch_all(&self.pool).await?;
        found.iter().map(rows::summary).collect()
    }

    async fn versions(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(rows::VERSIONS).fetch_all(&self.pool).await?)
    }

    async fn audit_records(&self, decision_id: &str) -> Result<Vec<AuditRecord>, StoreError> {
        let found = sqlx::query(rows::AUDIT_RECORDS).bind(decision_id).fetch_all(&self.pool).await?;
        found.iter().map(rows::audit).collect()
    }

    async fn memos(&self, decision_id: &str) -> Result<Vec<StoredMemo>, StoreError> {
        let found = sqlx::query(rows::MEMOS).bind(decision_id).fetch_all(&self.pool).await?;
        found.iter().map(rows::memo).collect()
    }

    async fn deadlines(&self, decision_id: &str) -> Result<Vec<DeadlineRow>, StoreError> {
        let found = sqlx::query(rows::DEADLINES).bind(decision_id).fetch_all(&self.pool).await?;
        found.iter().map(rows::deadline).collect()
    }

    async fn claim_due(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<DeadlineRow>, StoreError> {
        if limit <= 0 {
            return Ok(Vec::new());
        }
        let found = sqlx::query(rows::CLAIM_DUE_POSTGRES)
            .bind(format_instant(&now))
            .bind(now.timestamp_micros())
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let mut claimed = found.iter().map(rows::deadline).collect::<Result<Vec<_>, _>>()?;
        rows::sort_due(&mut claimed);
        Ok(claimed)
    }

    async fn outbox(&self, decision_id: &str) -> Result<Vec<OutboxMessage>, StoreError> {
        let found = sqlx::query(rows::OUTBOX).bind(decision_id).fetch_all(&self.pool).await?;
        found.iter().map(rows::outbox).collect()
    }
}

#[async_trait]
impl super::conformance::RawSql for PgStore {
    async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        PgStore::execute_raw(self, sql).await
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use sqlx::Connection;

    use super::*;
    use crate::store::conformance;

    /// A database of its own for one test run, dropped afterwards, so parallel runs never meet.
    pub(crate) struct TestDb {
        admin_url: String,
        name: String,
    }

    impl TestDb {
        /// `None` (and a note) when no server is configured.
        pub(crate) async fn create() -> Option<TestDb> {
            let Ok(admin_url) = std::env::var("JUECE_TEST_POSTGRES_URL") else {
                println!("skipped: JUECE_TEST_POSTGRES_URL not set");
                return None;
            };
            let name = format!("juece_test_{}", uuid::Uuid::new_v4().simple());
            let mut admin = PgConnection::connect(&admin_url).await.expect("connect to JUECE_TEST_POSTGRES_URL");
            sqlx::raw_sql(&format!("create database {name}")).execute(&mut admin).await.expect("create database");
            Some(TestDb { admin_url, name })
        }

        pub(crate) async fn store(&self) -> PgStore {
            let options = PgConnectOptions::from_str(&self.admin_url).expect("url").database(&self.name);
            let store = PgStore::connect_with(options).await.expect("connect to the test database");
            store.migrate().await.expect("migrate");
            store
        }

        /// Run `test` against a fresh, migrated store; drop the database even when it panics.
        pub(crate) async fn run<F, Fut>(self, test: F)
        where
            F: FnOnce(Arc<PgStore>) -> Fut,
            Fut: std::future::Future<Output = ()> + Send + 'static,
        {
            let store = Arc::new(self.store().await);
            let outcome = tokio::spawn(test(store.clone())).await;
            store.pool.close().await;
            let mut admin = PgConnection::connect(&self.admin_url).await.expect("reconnect");
            sqlx::raw_sql(&format!("drop database if exists {} with (force)", self.name))
                .execute(&mut admin)
                .await
                .expect("drop database");
            if let Err(e) = outcome {
                std::panic::resume_unwind(e.into_panic());
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn conformance_on_postgres() {
        if let Some(db) = TestDb::create().await {
            db.run(conformance::run_all).await;
        }
    }

    #[tokio::test]
    async fn users_sessions_tokens_and_idempotency_on_postgres() {
        if let Some(db) = TestDb::create().await {
            db.run(|store| crate::auth::tests::exercise(store)).await;
        }
    }

    #[tokio::test]
    async fn append_only_tables_refuse_truncate() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        db.run(|store| async move {
            assert!(store.ready().await.expect("ready answers"));
            for sql in ["truncate audit_records", "truncate memos", "truncate decisions cascade"] {
                let refused = store.execute_raw(sql).await.expect_err(sql);
                assert!(refused.to_string().contains("append-only"), "{sql}: {refused}");
            }
        })
        .await;
    }
}
