//! [`IdempotencyStore`]: reservations and read-backs on the writer, so a key is read back on the connection
//! that wrote it; the primary key makes the reservation atomic across replicas. [`complete_in`] answers a
//! key inside an act's own transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{Backend, Db};
use crate::audit::format_instant;
use crate::store::idempotency::{self as idem, IdempotencyStore, KeyClaim, KeyCompletion, StoredKey, StoredResponse};
use crate::store::StoreError;

/// Store an act's answer under its key on the act's transaction's connection.
pub(super) async fn complete_in(
    conn: &mut <Db as sqlx::Database>::Connection,
    c: Option<&KeyCompletion>,
) -> Result<(), StoreError> {
    let Some(c) = c else { return Ok(()) };
    let r = &c.response;
    let done = sqlx::query(idem::sql::COMPLETE)
        .bind(&c.held.key)
        .bind(&c.held.claim)
        .bind(i64::from(r.status))
        .bind(&r.content_type)
        .bind(&r.body)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(idem::convert::not_held(c));
    }
    Ok(())
}

#[async_trait]
impl IdempotencyStore for Backend {
    async fn reserve_key_expiring(
        &self,
        held: &KeyClaim,
        fingerprint: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        expired_before: DateTime<Utc>,
    ) -> Result<Option<StoredKey>, StoreError> {
        let done = sqlx::query(idem::sql::RESERVE)
            .bind(&held.key)
            .bind(fingerprint)
            .bind(format_instant(&now))
            .bind(&held.claim)
            .bind(lease_until.timestamp_micros())
            .bind(now.timestamp_micros())
            .bind(format_instant(&expired_before))
            .execute(&self.writer)
            .await?;
        if done.rows_affected() > 0 {
            return Ok(None);
        }
        // Read on the writer: the row may have been written an instant ago.
        let row = sqlx::query(idem::sql::SELECT).bind(&held.key).fetch_one(&self.writer).await?;
        let status: Option<i64> = row.try_get("status")?;
        idem::convert::stored(&row, status).map(Some)
    }

    async fn complete_key(&self, held: &KeyClaim, r: &StoredResponse) -> Result<bool, StoreError> {
        let done = sqlx::query(idem::sql::COMPLETE)
            .bind(&held.key)
            .bind(&held.claim)
            .bind(i64::from(r.status))
            .bind(&r.content_type)
            .bind(&r.body)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn purge_keys(&self, expired_before: DateTime<Utc>) -> Result<u64, StoreError> {
        let done = sqlx::query(idem::sql::PURGE).bind(format_instant(&expired_before)).execute(&self.writer).await?;
        Ok(done.rows_affected())
    }

    async fn release_key(&self, held: &KeyClaim) -> Result<(), StoreError> {
        sqlx::query(idem::sql::RELEASE).bind(&held.key).bind(&held.claim).execute(&self.writer).await?;
        Ok(())
    }
}
