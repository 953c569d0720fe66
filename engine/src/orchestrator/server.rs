//! What a server asks of the engine besides acts and reads: idempotency keys held while a request runs, the
//! database's readiness, the due backlog for monitoring, and the user directory. The HTTP server holds the
//! [`Engine`] only, never its store.

use chrono::{DateTime, Utc};

use super::Engine;
use crate::auth::Auth;
use crate::error::Error;
use crate::store::idempotency::{KeyClaim, StoredKey, StoredResponse};
use crate::store::scheduler::DueBacklog;

impl Engine {
    /// Reserve an idempotency key for a request (see [`crate::store::idempotency::IdempotencyStore::reserve_key`]):
    /// `None` to go ahead, the entry already there otherwise.
    pub async fn reserve_key(
        &self,
        held: &KeyClaim,
        fingerprint: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<StoredKey>, Error> {
        Ok(self.store.reserve_key(held, fingerprint, now, lease_until).await?)
    }

    /// [`Engine::reserve_key`], where a key created at or before `expired_before` counts as unknown.
    pub async fn reserve_key_expiring(
        &self,
        held: &KeyClaim,
        fingerprint: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        expired_before: DateTime<Utc>,
    ) -> Result<Option<StoredKey>, Error> {
        Ok(self.store.reserve_key_expiring(held, fingerprint, now, lease_until, expired_before).await?)
    }

    /// Store the answer of a request that wrote nothing else; false when the claim no longer holds the key.
    pub async fn complete_key(&self, held: &KeyClaim, response: &StoredResponse) -> Result<bool, Error> {
        Ok(self.store.complete_key(held, response).await?)
    }

    /// Drop a reservation whose request failed without a definite answer, so the client may retry.
    pub async fn release_key(&self, held: &KeyClaim) -> Result<(), Error> {
        Ok(self.store.release_key(held).await?)
    }

    /// Delete the keys created at or before `expired_before`; how many.
    pub async fn purge_keys(&self, expired_before: DateTime<Utc>) -> Result<u64, Error> {
        Ok(self.store.purge_keys(expired_before).await?)
    }

    /// Whether the database answers with every migration applied.
    pub async fn ready(&self) -> Result<bool, Error> {
        Ok(self.store.ready().await?)
    }

    /// The deadlines due and not yet fired: how many and the earliest.
    pub async fn due_backlog(&self, now: DateTime<Utc>) -> Result<DueBacklog, Error> {
        Ok(self.store.due_backlog(now).await?)
    }

    /// The users, sessions and tokens kept in this engine's store.
    pub fn auth(&self) -> Auth {
        Auth::new(self.store.clone())
    }
}
