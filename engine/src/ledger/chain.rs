//! The opinions of one kind on one decision form a hash chain, like the decision's own record: each row's
//! `chain_hash` covers its number, when it was received, the hash of its text and of its sender, and the hash
//! of the row before it. Removing, reordering or editing any opinion breaks every link after it, and the head
//! — which the decision's record carries once the period closes — no longer matches.

use chrono::{DateTime, Utc};

use super::{Kind, Opinion};
use crate::audit::{format_instant, sha256_hex, GENESIS};

/// The hash of the row `seq` of `kind` on `decision_id`, linked to `prev`.
pub fn link(
    prev: &str,
    decision_id: &str,
    kind: Kind,
    seq: i64,
    received_at: &DateTime<Utc>,
    content_sha256: &str,
    submitter: Option<&str>,
) -> String {
    link_hashed(prev, decision_id, kind, seq, received_at, content_sha256, &submitter_sha256(submitter))
}

/// The hash of the sender as a link covers it (empty for none): an archive keeps it instead of the name.
pub fn submitter_sha256(submitter: Option<&str>) -> String {
    submitter.map(|s| sha256_hex(s.as_bytes())).unwrap_or_default()
}

/// [`link`], given the sender's hash.
pub fn link_hashed(
    prev: &str,
    decision_id: &str,
    kind: Kind,
    seq: i64,
    received_at: &DateTime<Utc>,
    content_sha256: &str,
    submitter_sha256: &str,
) -> String {
    let at = format_instant(received_at);
    sha256_hex(
        format!("{prev}\n{decision_id}\n{}\n{seq}\n{at}\n{content_sha256}\n{submitter_sha256}", kind.as_str())
            .as_bytes(),
    )
}

/// Where a chain read in order breaks: the first row whose number, text hash or link does not follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub seq: i64,
    pub problem: String,
}

/// Follow a chain from the start, a page at a time: `state` is the last hash and number seen.
#[derive(Debug, Clone)]
pub struct Walk {
    pub head: String,
    pub count: i64,
}

impl Default for Walk {
    fn default() -> Self {
        Walk { head: GENESIS.to_string(), count: 0 }
    }
}

impl Walk {
    /// Take the next row; the first break is the answer.
    pub fn next(&mut self, o: &Opinion) -> Result<(), Break> {
        self.next_archived(&Archived::of(o))
    }

    /// Take the next row as an archive keeps it.
    pub fn next_archived(&mut self, o: &Archived) -> Result<(), Break> {
        let fail = |problem: &str| Err(Break { seq: o.seq, problem: problem.to_string() });
        if o.seq != self.count + 1 {
            return fail("a number is missing or repeated");
        }
        if sha256_hex(o.content.as_bytes()) != o.content_sha256 {
            return fail("the text does not match its hash");
        }
        let expected = link_hashed(
            &self.head,
            &o.decision_id,
            o.kind,
            o.seq,
            &o.received_at,
            &o.content_sha256,
            &o.submitter_sha256,
        );
        if expected != o.chain_hash {
            return fail("the link to the opinion before it does not hold");
        }
        self.head = expected;
        self.count = o.seq;
        Ok(())
    }
}

/// An opinion as a decision's dossier keeps it: everything its link covers, with the sender's hash instead of
/// the name (the archive carries no one's contact details), and what was done with it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Archived {
    pub decision_id: String,
    pub kind: Kind,
    pub seq: i64,
    pub received_at: DateTime<Utc>,
    pub content: String,
    pub content_sha256: String,
    pub submitter_sha256: String,
    pub chain_hash: String,
    pub cluster: i64,
    pub settled: Option<super::Settled>,
    pub hidden: Option<super::Hidden>,
}

impl Archived {
    pub fn of(o: &Opinion) -> Archived {
        Archived {
            decision_id: o.decision_id.clone(),
            kind: o.kind,
            seq: o.seq,
            received_at: o.received_at,
            content: o.content.clone(),
            content_sha256: o.content_sha256.clone(),
            submitter_sha256: submitter_sha256(o.submitter.as_deref()),
            chain_hash: o.chain_hash.clone(),
            cluster: o.cluster,
            settled: o.settled.clone(),
            hidden: o.hidden.clone(),
        }
    }
}
