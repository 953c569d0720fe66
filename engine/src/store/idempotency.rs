//! [`IdempotencyStore`]: the `Idempotency-Key` of state-changing requests.
//! A key is first *reserved* by one request (a random claim and a short
//! lease) with the fingerprint of the request, then *completed* with the
//! response to replay. An act completes its key inside its own transaction
//! ([`KeyCompletion`] in a `TransitionCommit`), so an act that committed
//! always replays; a reservation whose request died before committing is
//! taken over by a retry of the same request once its lease has run out.
//! A key lives [`KEY_TTL`] (the server may configure another): after it, the
//! key is free for any new request and its row is purged.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreError;

/// How long a key is remembered by default: a client retries within minutes,
/// and a table that only grows is a resource anyone with a token can exhaust.
pub const KEY_TTL: chrono::Duration = chrono::Duration::hours(24);

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

/// One request's hold on a key: the key and the random claim it reserved it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyClaim {
    pub key: String,
    pub claim: String,
}

/// The response an act stores with its own commit. The commit fails whole
/// (`StoreError::KeyNotHeld`) when the claim no longer holds the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCompletion {
    pub held: KeyClaim,
    pub response: StoredResponse,
}

#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Reserve `held.key` for a request with `fingerprint` until `lease_until`.
    /// `None` when the reservation is new, or took over an unanswered
    /// reservation of the same request whose lease ended at or before `now`
    /// (go ahead); the existing entry otherwise.
    async fn reserve_key(
        &self,
        held: &KeyClaim,
        fingerprint: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<StoredKey>, StoreError> {
        self.reserve_key_expiring(held, fingerprint, now, lease_until, now - KEY_TTL).await
    }
    /// [`IdempotencyStore::reserve_key`], where a key created at or before
    /// `expired_before` counts as unknown: the new request takes it over.
    async fn reserve_key_expiring(
        &self,
        held: &KeyClaim,
        fingerprint: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        expired_before: DateTime<Utc>,
    ) -> Result<Option<StoredKey>, StoreError>;
    /// Delete the keys created at or before `expired_before`; how many.
    async fn purge_keys(&self, expired_before: DateTime<Utc>) -> Result<u64, StoreError>;
    /// Record the response of a request that wrote nothing else (a refusal,
    /// an answer outside an act). False when the claim no longer holds the key.
    async fn complete_key(&self, held: &KeyClaim, response: &StoredResponse) -> Result<bool, StoreError>;
    /// Drop a reservation whose request failed without a definite answer
    /// (a server error), so the client may retry with the same key.
    async fn release_key(&self, held: &KeyClaim) -> Result<(), StoreError>;
}

pub(super) mod sql {
    /// `on conflict … do update … where` is spelled alike in SQLite and
    /// PostgreSQL: a new key is inserted; an unanswered one of the same
    /// request whose lease has ended is taken over by the new claim.
    /// An expired key (created at or before $7) is taken over by any request, as if new.
    pub const RESERVE: &str = "insert into idempotency_keys (key, fingerprint, created_at, claim, lease_until) \
         values ($1, $2, $3, $4, $5) \
         on conflict (key) do update set fingerprint = excluded.fingerprint, created_at = excluded.created_at, \
         claim = excluded.claim, lease_until = excluded.lease_until, status = null, content_type = null, body = null \
         where (idempotency_keys.status is null and idempotency_keys.fingerprint = excluded.fingerprint \
         and idempotency_keys.lease_until is not null and idempotency_keys.lease_until <= $6) \
         or idempotency_keys.created_at <= $7";
    pub const PURGE: &str = "delete from idempotency_keys where created_at <= $1";
    pub const SELECT: &str = "select fingerprint, status, content_type, body from idempotency_keys where key = $1";
    /// Only the claim that holds the key answers it, once.
    pub const COMPLETE: &str = "update idempotency_keys set status = $3, content_type = $4, body = $5, \
         lease_until = null where key = $1 and claim = $2 and status is null";
    pub const RELEASE: &str = "delete from idempotency_keys where key = $1 and claim = $2 and status is null";
}

pub(super) mod convert {
    use super::super::rows::Cols;
    use super::super::StoreError;
    use super::{KeyCompletion, StoredKey, StoredResponse};

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

    /// The error of an act whose completion found the key no longer held.
    pub fn not_held(c: &KeyCompletion) -> StoreError {
        StoreError::KeyNotHeld(c.held.key.clone())
    }
}
