//! The notification delivery worker `juece serve` runs beside the scheduler, configured from the environment:
//! one webhook (`JUECE_WEBHOOK_URL`, `JUECE_WEBHOOK_SECRET`, optional `JUECE_WEBHOOK_ROLES=role,role`) and e-mail
//! (`JUECE_SMTP_*`, `JUECE_EMAIL_TO`, see `mail`). Secrets come from the environment only and are never logged.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use juece_engine::notify::{Deliverer, Webhook};
use juece_engine::scheduler::SystemClock;
use juece_engine::store::Store;

use crate::mail::{recipients_from_env, SmtpConfig, SmtpMail};
use crate::webhook::ReqwestPost;

/// How often the worker looks for messages to fan out and deliveries due.
pub const POLL: Duration = Duration::from_secs(1);

/// The worker, or `None` when no channel besides the in-app inbox is configured.
pub fn from_env(store: Arc<dyn Store>) -> anyhow::Result<Option<Deliverer>> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut webhooks = Vec::new();
    if let Some(url) = var("JUECE_WEBHOOK_URL") {
        let Some(secret) = var("JUECE_WEBHOOK_SECRET") else {
            bail!("JUECE_WEBHOOK_SECRET is required with JUECE_WEBHOOK_URL: receivers check the signature");
        };
        let roles = var("JUECE_WEBHOOK_ROLES")
            .map(|r| r.split(',').map(str::trim).filter(|r| !r.is_empty()).map(str::to_string).collect())
            .unwrap_or_default();
        webhooks.push(Webhook { url, secret: secret.into_bytes(), roles });
    }
    let smtp = SmtpConfig::from_env()?;
    let recipients = recipients_from_env();
    if webhooks.is_empty() && (smtp.is_none() || recipients.is_empty()) {
        return Ok(None);
    }
    let http = Arc::new(ReqwestPost::new(Duration::from_secs(10)).context("the webhook HTTP client")?);
    let mut deliverer = Deliverer::new(store, Arc::new(SystemClock), http, webhooks);
    if let Some(config) = smtp.filter(|_| !recipients.is_empty()) {
        tracing::info!(host = %config.host, port = config.port, recipients = recipients.len(), "e-mail notifications on");
        deliverer = deliverer.with_email(Arc::new(SmtpMail::new(&config)?), recipients);
    }
    Ok(Some(deliverer))
}
