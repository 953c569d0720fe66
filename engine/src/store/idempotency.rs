//! [`IdempotencyStore`]: the `Idempotency-Key` of state-changing requests.
//! A key is first *reserved* with the fingerprint of its request, then
//! *completed* with the response to replay. Reserving is atomic (primary
//! key), so two concurrent requests with one key cannot both run.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreError;

/// What a key holds when it is already known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    pub fingerprint: String,
    /// `None` while the first request is in flight.
    pub response: Option<StoredResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Reserve `key` for a request with `fingerprint`. `None` when the
    /// reservation is new (go ahead); the existing entry otherwise.
    async fn reserve_key(
        &self,
        key: &str,
        fingerprint: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<StoredKey>, StoreError>;
    /// Record the response of a reserved key.
    async fn complete_key(&self, key: &str, response: &StoredResponse) -> Result<(), StoreError>;
    /// Drop a reservation whose request failed without a definite answer
    /// (a server error), so the client may retry with the same key.
    async fn release_key(&self, key: &str) -> Result<(), StoreError>;
}

pub(super) mod sql {
    /// `on conflict do nothing` is spelled alike in SQLite and PostgreSQL.
    pub const RESERVE: &str = "insert into idempotency_keys (key, fingerprint, created_at) values ($1, $2, $3) \
         on conflict (key) do nothing";
    pub const SELECT: &str = "select fingerprint, status, content_type, body from idempotency_keys where key = $1";
    pub const COMPLETE: &str = "update idempotency_keys set status = $2, content_type = $3, body = $4 where key = $1";
    pub const RELEASE: &str = "delete from idempotency_keys where key = $1 and status is null";
}

pub(super) mod convert {
    use super::super::rows::Cols;
    use super::super::StoreError;
    use super::{StoredKey, StoredResponse};

    pub fn stored(row: &impl Cols, status: Option<i64>) -> Result<StoredKey, StoreError> {
        let response = match status {
            Some(s) => Some(StoredResponse {
                status: u16::try_from(s).map_err(|_| StoreError::Corrupt(format!("status {s}")))?,
                content_type: row.opt_text("content_type")?.unwrap_or_default(),
                body: row.opt_text("body")?.unwrap_or_default(),
            }),
            None => None,
        };
        Ok(StoredKey { fingerprint: row.text("fingerprint")?, response })
    }
}
