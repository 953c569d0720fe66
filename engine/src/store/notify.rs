//! [`NotifyStore`]: delivering the outbox. The in-app inbox is a query on
//! the outbox by role. Outside channels (webhooks, e-mail) go through
//! *deliveries*: one row per message, channel and target, fanned out once
//! and retried until they succeed, so a message is delivered at least once
//! and never lost to a crash — every step is a committed row.
//!
//! A claim leases a delivery (pushes its next attempt forward); a worker
//! that dies mid-attempt leaves it to be retried when the lease runs out.
//! Receivers may therefore see a delivery twice and must deduplicate by its
//! id, which is sent as the idempotency key on every attempt.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::rows::{self, Cols};
use super::{OutboxMessage, StoreError};

/// One message to one target on one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Stable: the idempotency key receivers deduplicate by.
    pub id: String,
    pub channel: String,
    pub target: String,
    /// Attempts started so far, this one included once claimed.
    pub attempts: i64,
    pub message: OutboxMessage,
}

/// Where a message goes besides the inbox: `(channel, target)` pairs.
pub type Router<'a> = &'a (dyn Fn(&OutboxMessage) -> Vec<(String, String)> + Send + Sync);

#[async_trait]
pub trait NotifyStore: Send + Sync {
    /// A role's in-app inbox, newest first.
    async fn inbox(&self, role: &str, limit: i64) -> Result<Vec<OutboxMessage>, StoreError>;
    /// One message of the outbox.
    async fn outbox_message(&self, id: &str) -> Result<Option<OutboxMessage>, StoreError>;
    /// Record that `user` read the message (again: the first reading is kept).
    async fn mark_read(&self, user: &str, outbox_id: &str, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// The messages created at or after `since` that `user` marked read, and when.
    async fn reads_since(&self, user: &str, since: DateTime<Utc>) -> Result<Vec<(String, DateTime<Utc>)>, StoreError>;
    /// Turn up to `limit` not-yet-dispatched outbox messages into deliveries
    /// (first attempt at `now`) and mark them dispatched, in one transaction.
    /// Returns how many messages were dispatched.
    async fn fan_out(&self, now: DateTime<Utc>, limit: i64, route: Router<'_>) -> Result<usize, StoreError>;
    /// Claim up to `limit` deliveries whose next attempt is due, leasing each
    /// until `now + lease`.
    async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> Result<Vec<Delivery>, StoreError>;
    async fn delivery_succeeded(&self, id: &str, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// Record a failed attempt and when to try again.
    async fn delivery_failed(&self, id: &str, error: &str, retry_at: DateTime<Utc>) -> Result<(), StoreError>;
    /// `(status, attempts)` of a delivery.
    async fn delivery_state(&self, id: &str) -> Result<Option<(String, i64)>, StoreError>;
}

/// The delivery id: the same message, channel and target always give the same id.
pub fn delivery_id(outbox_id: &str, channel: &str, target: &str) -> String {
    crate::audit::sha256_hex(format!("{outbox_id}\n{channel}\n{target}").as_bytes())
}

// ---- SQL shared by both stores ------------------------------------------------

pub(super) const INBOX: &str = "select id, decision_id, recipient_role, subject, created_at from outbox \
     where recipient_role = $1 order by created_at desc, id desc limit $2";
pub(super) const OUTBOX_MESSAGE: &str =
    "select id, decision_id, recipient_role, subject, created_at from outbox where id = $1";
pub(super) const MARK_READ: &str = "insert into inbox_reads (user_name, outbox_id, read_at) values ($1, $2, $3) \
     on conflict (user_name, outbox_id) do nothing";
/// Instants are RFC 3339 text in one fixed format, so text order is time order.
pub(super) const READS_SINCE: &str = "select r.outbox_id, r.read_at from inbox_reads r \
     join outbox o on o.id = r.outbox_id where r.user_name = $1 and o.created_at >= $2";
pub(super) const UNDISPATCHED_SQLITE: &str = "select id, decision_id, recipient_role, subject, created_at \
     from outbox where delivered_at is null order by created_at, id limit $1";
pub(super) const UNDISPATCHED_POSTGRES: &str = "select id, decision_id, recipient_role, subject, created_at \
     from outbox where delivered_at is null order by created_at, id limit $1 for update skip locked";
pub(super) const DISPATCHED: &str = "update outbox set delivered_at = $2 where id = $1";
pub(super) const INSERT_DELIVERY: &str = "insert into deliveries \
     (id, outbox_id, channel, target, status, attempts, next_attempt_us, created_at) \
     values ($1, $2, $3, $4, 'pending', 0, $5, $6) on conflict (id) do nothing";
pub(super) const DUE_SQLITE: &str = "select d.id, d.channel, d.target, d.attempts, o.id as outbox_id, \
     o.decision_id, o.recipient_role, o.subject, o.created_at from deliveries d join outbox o on o.id = d.outbox_id \
     where d.status = 'pending' and d.next_attempt_us <= $1 order by d.next_attempt_us, d.id limit $2";
pub(super) const DUE_POSTGRES: &str = "select d.id, d.channel, d.target, d.attempts, o.id as outbox_id, \
     o.decision_id, o.recipient_role, o.subject, o.created_at from deliveries d join outbox o on o.id = d.outbox_id \
     where d.status = 'pending' and d.next_attempt_us <= $1 order by d.next_attempt_us, d.id limit $2 \
     for update of d skip locked";
pub(super) const LEASE: &str =
    "update deliveries set attempts = attempts + 1, next_attempt_us = $2 where id = $1 and status = 'pending'";
pub(super) const SUCCEEDED: &str =
    "update deliveries set status = 'delivered', delivered_at = $2, last_error = null where id = $1";
pub(super) const FAILED: &str =
    "update deliveries set next_attempt_us = $3, last_error = $2 where id = $1 and status = 'pending'";
pub(super) const STATE: &str = "select status, attempts from deliveries where id = $1";

pub(super) fn delivery(row: &impl Cols) -> Result<Delivery, StoreError> {
    let created = row.text("created_at")?;
    let created_at = DateTime::parse_from_rfc3339(&created)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rows::corrupt(format!("outbox created_at {created:?}: {e}")))?;
    Ok(Delivery {
        id: row.text("id")?,
        channel: row.text("channel")?,
        target: row.text("target")?,
        attempts: row.int("attempts")? + 1,
        message: OutboxMessage {
            id: row.text("outbox_id")?,
            decision_id: row.text("decision_id")?,
            recipient_role: row.text("recipient_role")?,
            subject: row.text("subject")?,
            created_at,
        },
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::store::conformance::RawSql;
    use crate::store::{PgTestDb, SqliteStore, Store};

    /// Fan-out, lease, retry and success on one store.
    async fn deliveries<S: RawSql + 'static>(store: Arc<S>) {
        store
            .execute_raw(
                "insert into decisions (id, workflow_key, workflow_version, stage, version, title, parent_id, \
                 state_json, created_at, updated_at) values ('n', 't', 1, 's', 1, 't', null, '{}', \
                 '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'); \
                 insert into outbox (id, decision_id, recipient_role, subject, created_at) values \
                 ('o1', 'n', 'drafter', 'one', '2026-01-01T00:00:00.000000Z')",
            )
            .await
            .expect("seed");
        let t0 = Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).single().expect("t0");
        let route = |_: &OutboxMessage| vec![("webhook".to_string(), "http://a".to_string())];
        assert_eq!(store.fan_out(t0, 10, &route).await.expect("fan out"), 1);
        assert_eq!(store.fan_out(t0, 10, &route).await.expect("fan out"), 0, "a message is dispatched once");
        let lease = Duration::seconds(60);
        let claimed = store.claim_deliveries(t0, lease, 10).await.expect("claim");
        assert_eq!(claimed.len(), 1);
        assert_eq!((claimed[0].attempts, claimed[0].message.subject.as_str()), (1, "one"));
        assert_eq!(claimed[0].id, delivery_id("o1", "webhook", "http://a"));
        assert!(store.claim_deliveries(t0, lease, 10).await.expect("claim").is_empty(), "leased");
        store.delivery_failed(&claimed[0].id, "HTTP 500", t0 + Duration::seconds(2)).await.expect("failed");
        assert!(store.claim_deliveries(t0 + Duration::seconds(1), lease, 10).await.expect("claim").is_empty());
        let again = store.claim_deliveries(t0 + Duration::seconds(2), lease, 10).await.expect("claim");
        assert_eq!(again.iter().map(|d| d.attempts).collect::<Vec<_>>(), [2], "retried at its time");
        store.delivery_succeeded(&again[0].id, t0 + Duration::seconds(3)).await.expect("succeeded");
        assert_eq!(store.delivery_state(&again[0].id).await.expect("state"), Some(("delivered".into(), 2)));
        assert!(store.claim_deliveries(t0 + Duration::days(1), lease, 10).await.expect("claim").is_empty());
        assert_eq!(store.inbox("drafter", 10).await.expect("inbox").len(), 1);
    }

    #[tokio::test]
    async fn deliveries_on_sqlite() {
        let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
        store.migrate().await.expect("migrate");
        deliveries(Arc::new(store)).await;
    }

    #[tokio::test]
    async fn deliveries_on_postgres() {
        if let Some(db) = PgTestDb::create().await {
            db.run(deliveries).await;
        }
    }
}
