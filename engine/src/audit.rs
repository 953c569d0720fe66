//! The tamper-evident record. Every accepted act appends one
//! [`AuditRecord`] to its decision's chain: the record's hash covers its
//! content and the previous record's hash, so any altered byte, deleted
//! record or reordering breaks the chain at a point `verify_chain` names.
//!
//! Chains are per decision so that acts on different decisions never
//! contend for one chain head; a deleted tail is caught by comparing the
//! chain length with the decision's version (one record per accepted act).

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::actor::Actor;

/// The hash that precedes the first record of every chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditRecord {
    pub decision_id: String,
    /// 1-based position in the decision's chain (equals the decision version after the act).
    pub seq: i64,
    pub act: String,
    pub stage_from: String,
    pub stage_to: String,
    pub actor: Actor,
    pub at: DateTime<Utc>,
    /// The act's payload in canonical JSON, kept so the record explains itself.
    pub payload: String,
    pub payload_hash: String,
    /// SHA-256 of each memo the act rendered, in order.
    pub memo_hashes: Vec<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// Canonical JSON: object keys sorted (serde_json's default map is ordered),
/// no insignificant whitespace. Hashes are taken over this form.
pub fn canonical_json(value: &serde_json::Value) -> String {
    // A `Value` always serialises; the fallback is unreachable in practice.
    serde_json::to_string(value).unwrap_or_default()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Timestamps inside hashes use one fixed format so a round trip through
/// either database gives the same bytes.
pub fn format_instant(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

impl AuditRecord {
    /// Build the next record of a chain, computing both hashes.
    #[allow(clippy::too_many_arguments)]
    pub fn next(
        decision_id: &str,
        seq: i64,
        act: &str,
        stage_from: &str,
        stage_to: &str,
        actor: &Actor,
        at: DateTime<Utc>,
        payload: &serde_json::Value,
        memo_hashes: Vec<String>,
        prev_hash: &str,
    ) -> AuditRecord {
        let payload = canonical_json(payload);
        let mut r = AuditRecord {
            decision_id: decision_id.to_string(),
            seq,
            act: act.to_string(),
            stage_from: stage_from.to_string(),
            stage_to: stage_to.to_string(),
            actor: actor.clone(),
            // Stored precision is microseconds; truncate so the hash survives storage.
            at: DateTime::from_timestamp_micros(at.timestamp_micros()).unwrap_or(at),
            payload_hash: sha256_hex(payload.as_bytes()),
            payload,
            memo_hashes,
            prev_hash: prev_hash.to_string(),
            hash: String::new(),
        };
        r.hash = r.compute_hash();
        r
    }

    /// SHA-256 over the canonical JSON of every field but `hash`.
    pub fn compute_hash(&self) -> String {
        let body = serde_json::json!({
            "decision_id": self.decision_id,
            "seq": self.seq,
            "act": self.act,
            "stage_from": self.stage_from,
            "stage_to": self.stage_to,
            "actor": self.actor,
            "at": format_instant(&self.at),
            "payload_hash": self.payload_hash,
            "memo_hashes": self.memo_hashes,
            "prev_hash": self.prev_hash,
        });
        sha256_hex(canonical_json(&body).as_bytes())
    }
}

/// Why a chain failed verification, naming the first bad record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    pub decision_id: String,
    pub seq: i64,
    pub problem: String,
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "decision {} record #{}: {}", self.decision_id, self.seq, self.problem)
    }
}

/// Verify one decision's chain, given its records in stored order and the
/// decision's version (the number of acts it has accepted).
pub fn verify_chain(decision_id: &str, records: &[AuditRecord], version: i64) -> Result<(), ChainBreak> {
    let broken = |seq: i64, problem: String| ChainBreak { decision_id: decision_id.to_string(), seq, problem };
    let mut prev = GENESIS.to_string();
    for (i, r) in records.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        if r.seq != expected_seq {
            return Err(broken(r.seq, format!("out of order: expected record #{expected_seq} here")));
        }
        if r.decision_id != decision_id {
            return Err(broken(r.seq, "belongs to another decision".into()));
        }
        if r.prev_hash != prev {
            return Err(broken(r.seq, "previous-hash link broken (a record before it was removed or altered)".into()));
        }
        if sha256_hex(r.payload.as_bytes()) != r.payload_hash {
            return Err(broken(r.seq, "payload altered: its hash no longer matches".into()));
        }
        if r.compute_hash() != r.hash {
            return Err(broken(r.seq, "record altered: its hash no longer matches its content".into()));
        }
        prev = r.hash.clone();
    }
    let n = records.len() as i64;
    if n != version {
        return Err(broken(
            n + 1,
            format!("chain has {n} records but the decision accepted {version} acts (records deleted)"),
        ));
    }
    Ok(())
}
