//! The outbound SMTP transport for e-mail notifications: the engine's [`Deliverer`](juece_engine::notify::Deliverer)
//! decides what to send, to whom and when to retry; this only hands one message to the relay (lettre, on tokio with
//! rustls).
//!
//! Configuration comes from the environment (`JUECE_SMTP_*`). The password is read from the environment only, never
//! from a flag (flags show in `ps`), and never printed: [`SmtpConfig`]'s `Debug` leaves it out.

use std::time::Duration;

use anyhow::{bail, Context};
use async_trait::async_trait;
use juece_engine::notify::{EmailRecipient, MailMessage, MailSend};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[cfg(test)]
mod tests;

/// How the connection to the relay is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain text: only for a relay on the same host or network (and tests).
    None,
    /// STARTTLS on the submission port (587), required.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub from: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("from", &self.from)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl SmtpConfig {
    /// Reads `JUECE_SMTP_HOST` (unset: no e-mail), `JUECE_SMTP_PORT` (default 587), `JUECE_SMTP_TLS`
    /// (`starttls`, the default; `tls`; `none`), `JUECE_SMTP_FROM`, `JUECE_SMTP_USERNAME`, `JUECE_SMTP_PASSWORD`.
    pub fn from_env() -> anyhow::Result<Option<SmtpConfig>> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let Some(host) = var("JUECE_SMTP_HOST") else { return Ok(None) };
        let tls = match var("JUECE_SMTP_TLS").as_deref() {
            None | Some("starttls") => SmtpTls::StartTls,
            Some("tls") => SmtpTls::Tls,
            Some("none") => SmtpTls::None,
            Some(other) => bail!("JUECE_SMTP_TLS must be starttls, tls or none, not {other:?}"),
        };
        let port = match var("JUECE_SMTP_PORT") {
            Some(p) => p.parse().with_context(|| format!("JUECE_SMTP_PORT {p:?}"))?,
            None if tls == SmtpTls::Tls => 465,
            None => 587,
        };
        let from = var("JUECE_SMTP_FROM").context("JUECE_SMTP_FROM is required when JUECE_SMTP_HOST is set")?;
        Ok(Some(SmtpConfig {
            host,
            port,
            tls,
            from,
            username: var("JUECE_SMTP_USERNAME"),
            password: var("JUECE_SMTP_PASSWORD"),
            timeout: Duration::from_secs(30),
        }))
    }
}

/// `JUECE_EMAIL_TO`: `address=role,role;address` (no roles: every role's notices).
pub fn recipients_from_env() -> Vec<EmailRecipient> {
    parse_recipients(&std::env::var("JUECE_EMAIL_TO").unwrap_or_default())
}

pub fn parse_recipients(text: &str) -> Vec<EmailRecipient> {
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|entry| {
            let (address, roles) = entry.split_once('=').unwrap_or((entry, ""));
            EmailRecipient {
                address: address.trim().to_string(),
                roles: roles.split(',').map(str::trim).filter(|r| !r.is_empty()).map(str::to_string).collect(),
            }
        })
        .collect()
}

/// The header receivers deduplicate by; the same value is in the `Message-ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(pub String);

/// Checked at compile time: a `const` cannot hold an invalid header name.
const IDEMPOTENCY_KEY: HeaderName = HeaderName::new_from_ascii_str("Idempotency-Key");

impl Header for IdempotencyKey {
    fn name() -> HeaderName {
        IDEMPOTENCY_KEY
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(IdempotencyKey(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

pub struct SmtpMail {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMail {
    pub fn new(config: &SmtpConfig) -> anyhow::Result<Self> {
        let builder = match config.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host),
            SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host)?,
        };
        let mut builder = builder.port(config.port).timeout(Some(config.timeout));
        if let (Some(user), Some(password)) = (&config.username, &config.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        let from = config.from.parse().with_context(|| format!("JUECE_SMTP_FROM {:?}", config.from))?;
        Ok(SmtpMail { transport: builder.build(), from })
    }
}

#[async_trait]
impl MailSend for SmtpMail {
    async fn send(&self, m: &MailMessage) -> Result<(), String> {
        let to: Mailbox = m.to.parse().map_err(|e| format!("recipient {:?}: {e}", m.to))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(format!("<{}@juece.notifications>", m.idempotency_key)))
            .header(IdempotencyKey(m.idempotency_key.clone()))
            .header(ContentType::TEXT_PLAIN)
            .body(m.body.clone())
            .map_err(|e| format!("building the message: {e}"))?;
        // lettre's errors name the server's reply or the I/O cause, never the credentials.
        self.transport.send(message).await.map(|_| ()).map_err(|e| format!("SMTP: {e}"))
    }
}
