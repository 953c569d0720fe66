//! [`IdempotencyStore`]: reservations and read-backs on the writer, so a key is read back on the connection
//! that wrote it; the primary key makes the reservation atomic across replicas.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::Backend;
use crate::audit::format_instant;
use crate::store::idempotency::{self as idem, IdempotencyStore, StoredKey, StoredResponse};
use crate::store::StoreError;

#[async_trait]
impl IdempotencyStore for Backend {
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
            .execute(&self.writer)
            .await?;
        if done.rows_affected() > 0 {
            return Ok(None);
        }
        // Read on the writer: the row may have been written an instant ago.
        let row = sqlx::query(idem::sql::SELECT).bind(key).fetch_one(&self.writer).await?;
        let status: Option<i64> = row.try_get("status")?;
        idem::convert::stored(&row, status).map(Some)
    }

    async fn complete_key(&self, key: &str, r: &StoredResponse) -> Result<(), StoreError> {
        sqlx::query(idem::sql::COMPLETE)
            .bind(key)
            .bind(i64::from(r.status))
            .bind(&r.content_type)
            .bind(&r.body)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn release_key(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query(idem::sql::RELEASE).bind(key).execute(&self.writer).await?;
        Ok(())
    }
}
