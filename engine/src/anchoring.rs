//! Anchoring: the store's chain heads, read in one snapshot, signed and
//! appended to the anchor log ([`crate::anchor`]) — on demand
//! (`juece audit anchor`) and periodically while `juece serve` runs.

use crate::anchor::{log, Anchor, ServerKey};

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
