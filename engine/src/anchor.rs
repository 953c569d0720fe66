//! Anchors outside the database: what makes the record unforgeable by
//! whoever controls the database.
//!
//! The hash chain alone cannot stop a DBA: one who deletes the last record
//! and lowers the version, appends a record with a recomputed hash, or
//! re-chains every record leaves a chain that verifies. So:
//!
//! * every record is **sealed** when it is written: the server key ([`key`],
//!   a file outside the database) signs the record's hash with the SHA-256
//!   of the decision's state after the act ([`seal_message`]); a forged,
//!   re-chained or edited record has no valid seal, and a state edited in
//!   place no longer matches its last record's;
//! * the chain heads of every decision, and a global head over them all, are
//!   signed and appended to an **anchor log** ([`log`]), a file outside the
//!   database: a chain cut back below its anchored head, or a decision
//!   deleted, is named by `juece audit verify` ([`crate::verify`]).

pub mod key;
pub mod log;

pub use key::{PublicKey, ServerKey};
pub use log::{Anchor, Head};

/// The bytes a record's seal signs: its chain position, its hash (which
/// covers its content and the chain before it) and its decision's state hash.
pub fn seal_message(decision_id: &str, seq: i64, record_hash: &str, state_sha256: &str) -> Vec<u8> {
    format!("juece-record-seal-v1\n{decision_id}\n{seq}\n{record_hash}\n{state_sha256}").into_bytes()
}

#[derive(Debug, thiserror::Error)]
pub enum AnchoringError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Log(#[from] log::AnchorError),
}

/// Read every chain head in one snapshot, sign them and append them to the
/// log at `path` (nothing is appended when nothing changed since its last line).
pub async fn anchor_now(
    store: &dyn crate::store::Store,
    key: &ServerKey,
    path: &std::path::Path,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Anchor, AnchoringError> {
    let (heads, calendar) = store.chain_heads().await?;
    Ok(log::append(path, key, heads, calendar, at)?)
}

/// Anchor every `every` until `stop`, and once more on the way out. A
/// failure is logged and retried at the next turn: serving goes on.
pub async fn keep_anchoring(
    store: std::sync::Arc<dyn crate::store::Store>,
    key: std::sync::Arc<ServerKey>,
    path: std::path::PathBuf,
    every: std::time::Duration,
    stop: tokio_util::sync::CancellationToken,
) {
    loop {
        let stopping = tokio::select! {
            _ = stop.cancelled() => true,
            _ = tokio::time::sleep(every) => false,
        };
        match anchor_now(store.as_ref(), &key, &path, chrono::Utc::now()).await {
            Ok(a) => tracing::debug!(n = a.n, global = %a.global, "anchored"),
            Err(e) => tracing::warn!(error = %e, log = %path.display(), "anchoring failed; retrying at the next turn"),
        }
        if stopping {
            return;
        }
    }
}
