//! [`IdempotencyStore`] on PostgreSQL: the primary key makes the reservation atomic across replicas.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::super::idempotency::{self as idem, IdempotencyStore, StoredKey, StoredResponse};
use super::super::StoreError;
use super::PgStore;
use crate::audit::format_instant;

#[async_trait]
impl IdempotencyStore for PgStore {
    async fn reserve_key(
        &self,
        key: &str,
        fingerprint: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<StoredKey>, StoreError> {
        let done = sqlx::query(idem::sql::RESERVE)
            .bind(key)
            .bind(fingerprint)
            .bind(format_instant(&now))
            .execute(&self.pool)
            .await?;
        if done.rows_affected() > 0 {
            return Ok(None);
        }
        let row = sqlx::query(idem::sql::SELECT).bind(key).fetch_one(&self.pool).await?;
        let status: Option<i64> = row.try_get("status")?;
        idem::convert::stored(&row, status).map(Some)
    }

    async fn complete_key(&self, key: &str, r: &StoredResponse) -> Result<(), StoreError> {
        sqlx::query(idem::sql::COMPLETE)
            .bind(key)
            .bind(i64::from(r.status))
            .bind(&r.content_type)
            .bind(&r.body)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn release_key(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query(idem::sql::RELEASE).bind(key).execute(&self.pool).await?;
        Ok(())
    }
}
