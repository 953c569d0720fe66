//! The engine's one error type: what a caller of the [`Engine`](crate::orchestrator::Engine) and its
//! readers can be told. The HTTP edge (`api/src/problem.rs`) maps each variant to an answer, so a case it
//! must answer differently is a variant here, never a store error it looks inside.

use crate::memo::MemoError;
use crate::refusal::Refusal;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error("decision {0} not found")]
    NotFound(String),
    #[error("workflow {0} is not loaded")]
    UnknownWorkflow(String),
    #[error("decision {decision_id} was changed concurrently; reload and retry")]
    Conflict {
        decision_id: String,
        /// The decision's version now, when known: the caller reloads and acts on it.
        current: Option<i64>,
    },
    /// The idempotency key is held by another request (a retry took it over after the lease): this
    /// request's act was not committed.
    #[error("idempotency key {0} is held by another request")]
    KeyInFlight(String),
    /// What the request creates exists already (a decision of that id).
    #[error("decision {0} already exists")]
    AlreadyExists(String),
    /// Any other failure of the store: the request cannot be answered.
    #[error(transparent)]
    Store(StoreError),
    #[error(transparent)]
    Memo(#[from] MemoError),
    /// A stored calendar notice cannot be merged with this replica's calendar files.
    #[error("calendar: {0}")]
    Calendar(String),
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { decision_id, .. } => Error::Conflict { decision_id, current: None },
            StoreError::KeyNotHeld(key) => Error::KeyInFlight(key),
            StoreError::AlreadyExists(id) => Error::AlreadyExists(id),
            other => Error::Store(other),
        }
    }
}
