//! Delivering notifications from the outbox.
//!
//! The act that causes a notice writes it to the outbox in its own
//! transaction; from there:
//! * the **in-app inbox** of a role is a query ([`crate::store::notify::NotifyStore::inbox`]);
//! * **webhooks** get one delivery row per message and endpoint. The
//!   [`Deliverer`] claims due deliveries, POSTs a JSON body signed with
//!   HMAC-SHA256 of the endpoint's secret, and records success, or the
//!   failure and the next attempt after an exponential backoff. Delivery is
//!   at least once: every attempt carries the same `Idempotency-Key`.
//!
//! * **e-mail** works the same way: one delivery per message and address,
//!   sent through a [`MailSend`] with the delivery id as the message's
//!   idempotency key (and in its `Message-ID`), retried with the same backoff.
//!
//! Each channel is a transport the caller passes in: the engine knows
//! nothing of HTTP or SMTP ([`HttpPost`], [`MailSend`]).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio_util::sync::CancellationToken;

use crate::audit::format_instant;
use crate::scheduler::Clock;
use crate::store::notify::Delivery;
use crate::store::{OutboxMessage, Store, StoreError};

pub const WEBHOOK: &str = "webhook";
pub const EMAIL: &str = "email";
pub const SIGNATURE_HEADER: &str = "X-Juece-Signature";
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
/// The longest wait between two attempts: a receiver down for a day is
/// still retried hourly, never given up on.
const MAX_BACKOFF_SECS: i64 = 3600;

/// A webhook endpoint. The secret is never logged.
#[derive(Clone)]
pub struct Webhook {
    pub url: String,
    pub secret: Vec<u8>,
    /// Roles whose notices it receives; empty means every role.
    pub roles: Vec<String>,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook").field("url", &self.url).field("roles", &self.roles).finish_non_exhaustive()
    }
}

/// An e-mail recipient: an address and the roles whose notices it receives (empty means every role).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailRecipient {
    pub address: String,
    pub roles: Vec<String>,
}

/// One e-mail to send. The transport puts `idempotency_key` in a header so receivers can drop repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailMessage {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub idempotency_key: String,
}

/// The outbound mail transport (SMTP in `juece serve`).
#[async_trait]
pub trait MailSend: Send + Sync {
    async fn send(&self, message: &MailMessage) -> Result<(), String>;
}

/// The e-mail a delivery sends: plain text, the subject as written by the act (the transport encodes headers).
pub fn email_message(d: &Delivery) -> MailMessage {
    let m = &d.message;
    MailMessage {
        to: d.target.clone(),
        subject: format!("[juece] {}", m.subject),
        body: format!(
            "{}\n\n决策 / decision: {}\n角色 / role: {}\n时间 / at: {}\n",
            m.subject,
            m.decision_id,
            m.recipient_role,
            format_instant(&m.created_at)
        ),
        idempotency_key: d.id.clone(),
    }
}

/// The outbound HTTP client: POST `body` with `headers`, answer the status.
#[async_trait]
pub trait HttpPost: Send + Sync {
    async fn post(&self, url: &str, headers: &[(String, String)], body: String) -> Result<u16, String>;
}

/// `sha256=<hex HMAC-SHA256(secret, body)>`, as sent in [`SIGNATURE_HEADER`].
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    // HMAC accepts a key of any length; the error arm cannot occur.
    match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(body);
            format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
        }
        Err(_) => String::new(),
    }
}

/// Check a signature in constant time (for receivers and tests).
pub fn verify(secret: &[u8], body: &[u8], signature: &str) -> bool {
    let Some(hex_mac) = signature.strip_prefix("sha256=") else {
        return false;
    };
    let (Ok(expected), Ok(mut mac)) = (hex::decode(hex_mac), Hmac::<Sha256>::new_from_slice(secret)) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// The wait before attempt `attempts + 1`: 1 s, 2 s, 4 s … capped at an hour.
pub fn backoff(attempts: i64) -> chrono::Duration {
    let exp = attempts.clamp(1, 13) - 1;
    chrono::Duration::seconds((1i64 << exp).min(MAX_BACKOFF_SECS))
}

/// The JSON a webhook receives.
pub fn webhook_body(d: &Delivery) -> String {
    let m = &d.message;
    serde_json::json!({
        "delivery_id": d.id,
        "message_id": m.id,
        "decision_id": m.decision_id,
        "role": m.recipient_role,
        "subject": m.subject,
        "created_at": format_instant(&m.created_at),
    })
    .to_string()
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    pub dispatched: usize,
    pub delivered: usize,
    pub failed: usize,
}

pub struct Deliverer {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    http: Arc<dyn HttpPost>,
    webhooks: Vec<Webhook>,
    mail: Option<(Arc<dyn MailSend>, Vec<EmailRecipient>)>,
    /// How long a claimed attempt may take before another worker retries it.
    pub lease: chrono::Duration,
    pub batch: i64,
}

impl Deliverer {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, http: Arc<dyn HttpPost>, webhooks: Vec<Webhook>) -> Self {
        Deliverer { store, clock, http, webhooks, mail: None, lease: chrono::Duration::seconds(60), batch: 50 }
    }

    /// Also deliver by e-mail to `recipients`, through `transport`.
    pub fn with_email(mut self, transport: Arc<dyn MailSend>, recipients: Vec<EmailRecipient>) -> Self {
        self.mail = Some((transport, recipients));
        self
    }

    fn route(&self, m: &OutboxMessage) -> Vec<(String, String)> {
        self.webhooks
            .iter()
            .filter(|w| w.roles.is_empty() || w.roles.contains(&m.recipient_role))
            .map(|w| (WEBHOOK.to_string(), w.url.clone()))
            .chain(self.mail.iter().flat_map(|(_, recipients)| {
                recipients
                    .iter()
                    .filter(|r| r.roles.is_empty() || r.roles.contains(&m.recipient_role))
                    .map(|r| (EMAIL.to_string(), r.address.clone()))
            }))
            .collect()
    }

    /// Fan new messages out, then attempt every delivery that is due.
    pub async fn tick(&self) -> Result<DeliveryReport, StoreError> {
        let now = self.clock.now();
        let route = |m: &OutboxMessage| self.route(m);
        let mut report =
            DeliveryReport { dispatched: self.store.fan_out(now, self.batch, &route).await?, ..Default::default() };
        for d in self.store.claim_deliveries(now, self.lease, self.batch).await? {
            match self.attempt(&d).await {
                Ok(()) => {
                    self.store.delivery_succeeded(&d.id, self.clock.now()).await?;
                    report.delivered += 1;
                }
                Err(e) => {
                    let retry_at = self.clock.now() + backoff(d.attempts);
                    tracing::warn!(delivery = %d.id, target = %d.target, attempt = d.attempts, error = %e,
                        "notification delivery failed; will retry");
                    self.store.delivery_failed(&d.id, &e, retry_at).await?;
                    report.failed += 1;
                }
            }
        }
        Ok(report)
    }

    async fn attempt(&self, d: &Delivery) -> Result<(), String> {
        match d.channel.as_str() {
            WEBHOOK => self.attempt_webhook(d).await,
            EMAIL => match &self.mail {
                Some((transport, _)) => transport.send(&email_message(d)).await,
                None => Err("e-mail is no longer configured".into()),
            },
            other => Err(format!("no transport for channel {other:?}")),
        }
    }

    async fn attempt_webhook(&self, d: &Delivery) -> Result<(), String> {
        let hook = self.webhooks.iter().find(|w| w.url == d.target).ok_or("endpoint no longer configured")?;
        let body = webhook_body(d);
        let headers = vec![
            ("Content-Type".to_string(), "application/json".to_string()),
            (IDEMPOTENCY_HEADER.to_string(), d.id.clone()),
            (SIGNATURE_HEADER.to_string(), sign(&hook.secret, body.as_bytes())),
            ("X-Juece-Attempt".to_string(), d.attempts.to_string()),
        ];
        match self.http.post(&d.target, &headers, body).await? {
            s if (200..300).contains(&s) => Ok(()),
            s => Err(format!("HTTP {s}")),
        }
    }

    /// Run until `stop` is cancelled, checking every `every`.
    pub async fn run(&self, stop: CancellationToken, every: Duration) {
        while !stop.is_cancelled() {
            if let Err(e) = self.tick().await {
                tracing::warn!(error = %e, "notification delivery: database error");
            }
            tokio::select! {
                _ = self.clock.sleep(every) => {}
                _ = stop.cancelled() => break,
            }
        }
    }
}
