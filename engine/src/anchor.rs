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
//!
//! This module is the keys, the seal and the log file; reading the store's
//! chain heads into the log is [`crate::anchoring`], so the store, which
//! seals what it writes, does not import what reads it.

pub mod key;
pub mod log;

pub use key::{PublicKey, ServerKey};
pub use log::{Anchor, Head};

/// The bytes a record's seal signs: its chain position, its hash (which
/// covers its content and the chain before it) and its decision's state hash.
pub fn seal_message(decision_id: &str, seq: i64, record_hash: &str, state_sha256: &str) -> Vec<u8> {
    format!("juece-record-seal-v1\n{decision_id}\n{seq}\n{record_hash}\n{state_sha256}").into_bytes()
}
