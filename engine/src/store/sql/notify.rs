//! [`NotifyStore`]: each claim runs in one write transaction (SQLite's single writer; PostgreSQL's
//! `for update skip locked`), so workers on several replicas never claim one delivery at once.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{dialect, Backend};
use crate::audit::format_instant;
use crate::store::notify::{self as sql, Delivery, NotifyStore, Router};
use crate::store::rows::{self, Cols};
use crate::store::{OutboxMessage, StoreError};

#[async_trait]
impl NotifyStore for Backend {
    async fn inbox(&self, role: &str, limit: i64) -> Result<Vec<OutboxMessage>, StoreError> {
        let found = sqlx::query(sql::INBOX).bind(role).bind(limit.max(1)).fetch_all(&self.reader).await?;
        found.iter().map(rows::outbox).collect()
    }

    async fn outbox_message(&self, id: &str) -> Result<Option<OutboxMessage>, StoreError> {
        let row = sqlx::query(sql::OUTBOX_MESSAGE).bind(id).fetch_optional(&self.reader).await?;
        row.as_ref().map(rows::outbox).transpose()
    }

    async fn mark_read(&self, user: &str, outbox_id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(sql::MARK_READ).bind(user).bind(outbox_id).bind(format_instant(&now)).execute(&self.writer).await?;
        Ok(())
    }

    async fn reads_since(&self, user: &str, since: DateTime<Utc>) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
        let found =
            sqlx::query(sql::READS_SINCE).bind(user).bind(format_instant(&since)).fetch_all(&self.reader).await?;
        found
            .iter()
            .map(|r| Ok((r.text("outbox_id")?, rows::parse_instant(&r.text("read_at")?, "inbox read_at")?)))
            .collect()
    }

    async fn fan_out(&self, now: DateTime<Utc>, limit: i64, route: Router<'_>) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        let found = sqlx::query(dialect::NOTIFY_UNDISPATCHED).bind(limit.max(0)).fetch_all(&mut *tx).await?;
        let at = format_instant(&now);
        for row in &found {
            let message = rows::outbox(row)?;
            for (channel, target) in route(&message) {
                sqlx::query(sql::INSERT_DELIVERY)
                    .bind(sql::delivery_id(&message.id, &channel, &target))
                    .bind(&message.id)
                    .bind(&channel)
                    .bind(&target)
                    .bind(now.timestamp_micros())
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(sql::DISPATCHED).bind(&message.id).bind(&at).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(found.len())
    }

    async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        let mut tx = self.begin_write().await?;
        let found = sqlx::query(dialect::NOTIFY_DUE)
            .bind(now.timestamp_micros())
            .bind(limit.max(0))
            .fetch_all(&mut *tx)
            .await?;
        let mut claimed = Vec::with_capacity(found.len());
        for row in &found {
            let d = sql::delivery(row)?;
            sqlx::query(sql::LEASE).bind(&d.id).bind((now + lease).timestamp_micros()).execute(&mut *tx).await?;
            claimed.push(d);
        }
        tx.commit().await?;
        Ok(claimed)
    }

    async fn delivery_succeeded(&self, id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(sql::SUCCEEDED).bind(id).bind(format_instant(&now)).execute(&self.writer).await?;
        Ok(())
    }

    async fn delivery_failed(&self, id: &str, error: &str, retry_at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(sql::FAILED).bind(id).bind(error).bind(retry_at.timestamp_micros()).execute(&self.writer).await?;
        Ok(())
    }

    async fn delivery_state(&self, id: &str) -> Result<Option<(String, i64)>, StoreError> {
        let row = sqlx::query(sql::STATE).bind(id).fetch_optional(&self.reader).await?;
        row.map(|r| Ok((r.text("status")?, r.int("attempts")?))).transpose()
    }
}
