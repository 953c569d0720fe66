//! [`SchedulerStore`]: the claim runs in one write transaction (`begin immediate` on SQLite's single writer;
//! `for update skip locked` on PostgreSQL), so concurrent replicas never fire one occurrence twice.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{dialect, insert_outbox, Backend};
use crate::audit::format_instant;
use crate::store::rows::{self, Cols};
use crate::store::scheduler::{
    self as sql, AfterClaim, DueBacklog, FirePlanner, Fired, FiringState, LeasedFiring, SchedulerStore,
};
use crate::store::{OutboxMessage, StoreError};

#[async_trait]
impl SchedulerStore for Backend {
    async fn fire_due_planned(
        &self,
        now: DateTime<Utc>,
        limit: i64,
        plan: FirePlanner<'_>,
    ) -> Result<Vec<Fired>, StoreError> {
        if limit <= 0 {
            return Ok(Vec::new());
        }
        let mut tx = self.begin_write().await?;
        let found =
            sqlx::query(dialect::SCHEDULER_DUE).bind(now.timestamp_micros()).bind(limit).fetch_all(&mut *tx).await?;
        let mut fired = Vec::with_capacity(found.len());
        for row in &found {
            let deadline = rows::deadline(row)?;
            let occurrence = row.int("occurrences")? + 1;
            let p = plan(&deadline, now);
            let at = format_instant(&now);
            let (mut rearmed_to, mut lease) = (None, None);
            match &p.then {
                AfterClaim::Rearm(next, basis) => {
                    sqlx::query(sql::REARM)
                        .bind(&deadline.id)
                        .bind(&at)
                        .bind(next.timestamp_micros())
                        .bind(rows::to_json(basis)?)
                        .execute(&mut *tx)
                        .await?;
                    rearmed_to = Some(*next);
                }
                AfterClaim::Lease(l) => {
                    let until = l.until.timestamp_micros();
                    sqlx::query(sql::LEASE).bind(&deadline.id).bind(&l.holder).bind(until).execute(&mut *tx).await?;
                    lease = Some(l.clone());
                }
                AfterClaim::Finish => {
                    sqlx::query(sql::FINISH).bind(&deadline.id).bind(&at).execute(&mut *tx).await?;
                }
            }
            insert_outbox(&mut tx, &p.outbox).await?;
            fired.push(Fired { deadline, rearmed_to, lease, occurrence });
        }
        tx.commit().await?;
        Ok(fired)
    }

    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let us: Option<i64> = sqlx::query_scalar(sql::NEXT_DUE).fetch_one(&self.reader).await?;
        us.map(rows::instant_from_us).transpose()
    }

    async fn due_backlog(&self, now: DateTime<Utc>) -> Result<DueBacklog, StoreError> {
        let (count, oldest): (i64, Option<i64>) =
            sqlx::query_as(sql::DUE_BACKLOG).bind(now.timestamp_micros()).fetch_one(&self.reader).await?;
        Ok(DueBacklog { count, oldest_due: oldest.map(rows::instant_from_us).transpose()? })
    }

    async fn finish_leased(&self, firing: &LeasedFiring, outbox: &[OutboxMessage]) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let at = format_instant(&firing.at);
        let done = sqlx::query(sql::FIRE_LEASED).bind(&firing.deadline_id).bind(&firing.holder).bind(&at);
        if done.execute(&mut *tx).await?.rows_affected() == 0 {
            return Ok(false);
        }
        insert_outbox(&mut tx, outbox).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn firing_state(&self, deadline_id: &str) -> Result<Option<FiringState>, StoreError> {
        let row = sqlx::query(sql::FIRING_STATE).bind(deadline_id).fetch_optional(&self.reader).await?;
        row.map(|r| sql::firing_state(&r)).transpose()
    }
}
