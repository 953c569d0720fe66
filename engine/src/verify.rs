//! `juece audit verify`: every decision's chain, its seals, its state and
//! its memos, and the calendar's chain, read in one snapshot of the database
//! and checked against the anchors kept outside it ([`crate::anchor`]).
//!
//! What each check catches, when a DBA rewrites the database:
//! * the hash chain — an edited, removed or reordered record, a tail deleted
//!   without lowering the decision's version;
//! * the anchors — a chain cut back below its anchored head (the version
//!   lowered with it), a chain re-hashed since, a decision deleted;
//! * the seals — a record appended or re-chained with recomputed hashes:
//!   no one without the server key can sign it;
//! * the state — `state_json`, `stage` or `version` edited in place: the
//!   state must hash to what its last record's seal holds and agree with it;
//! * the memos — a memo edited, or deleted while its record vouches for it;
//! * the opinions' chains — an opinion from the public removed, reordered or edited, against the stored head
//!   and against the head each comment period's close put on the record (`verify/opinions.rs`).

mod opinions;

use std::collections::{BTreeMap, BTreeSet};

use crate::anchor::{seal_message, Anchor, Head, PublicKey};
use crate::audit::{self, sha256_hex, AuditRecord, ChainBreak};
use crate::decision::Decision;
use crate::store::calendar::CALENDAR_CHAIN;
use crate::store::snapshot::ChainSnapshot;
use crate::store::{Store, StoreError};

/// What verification trusts beyond the database: the server's public key
/// and the anchor log (already checked against that key).
#[derive(Debug, Clone, Default)]
pub struct Trust {
    pub key: Option<PublicKey>,
    pub anchors: Vec<Anchor>,
}

/// Result of verifying every chain in a store.
#[derive(Debug, Clone, Default)]
pub struct VerifyReport {
    pub decisions: usize,
    pub records: usize,
    pub memos: usize,
    /// Records whose seal was checked against the public key.
    pub sealed: usize,
    /// Lines of the anchor log checked against.
    pub anchors: usize,
    /// Opinions from the public whose chain links were checked.
    pub opinions: usize,
    pub breaks: Vec<ChainBreak>,
}

/// The anchors folded into what they say of each chain.
#[derive(Debug, Default)]
struct Anchored {
    /// The highest head each chain was anchored at, and the anchor's number.
    latest: BTreeMap<String, (u64, Head)>,
    /// The heads of the first anchor: records up to these may predate the key and carry no seal.
    first: BTreeMap<String, i64>,
    breaks: Vec<ChainBreak>,
}

impl Anchored {
    fn fold(anchors: &[Anchor]) -> Anchored {
        let mut out = Anchored::default();
        for a in anchors {
            for h in a.heads.iter().chain(std::iter::once(&a.calendar)) {
                if a.n == 1 {
                    out.first.insert(h.chain.clone(), h.version);
                }
                match out.latest.get(&h.chain) {
                    Some((n, before)) if before.version > h.version => out.breaks.push(ChainBreak {
                        decision_id: h.chain.clone(),
                        seq: h.version,
                        problem: format!(
                            "the anchors go back: anchor #{n} holds version {}, anchor #{} only {} (cut back between them)",
                            before.version, a.n, h.version
                        ),
                    }),
                    _ => {
                        out.latest.insert(h.chain.clone(), (a.n, h.clone()));
                    }
                }
            }
        }
        out
    }

    /// The chain must reach its anchored head and hold the anchored hash there.
    fn check(&self, chain: &str, records: &[AuditRecord]) -> Result<(), (i64, String)> {
        let Some((n, head)) = self.latest.get(chain) else { return Ok(()) };
        let len = records.len() as i64;
        if len < head.version {
            return Err((
                len + 1,
                format!("chain cut back: anchor #{n} holds {} records, the database {len}", head.version),
            ));
        }
        match records.get((head.version - 1).max(0) as usize) {
            Some(r) if head.version > 0 && r.hash != head.hash => Err((
                r.seq,
                format!("record rewritten since anchor #{n}: its hash is not the anchored head {}", head.hash),
            )),
            _ => Ok(()),
        }
    }
}

/// Verify without anything outside the database: the chains, the state
/// against its recorded hash, the memos. Seals and anchors are not checked.
pub async fn verify_store(store: &dyn Store) -> Result<VerifyReport, StoreError> {
    verify_with(store, &Trust::default()).await
}

/// Verify every chain in one snapshot of `store`, against `trust`.
pub async fn verify_with(store: &dyn Store, trust: &Trust) -> Result<VerifyReport, StoreError> {
    let anchored = Anchored::fold(&trust.anchors);
    let mut report = VerifyReport { anchors: trust.anchors.len(), ..Default::default() };
    report.breaks.extend(anchored.breaks.iter().cloned());
    let mut seen = BTreeSet::new();
    let calendar = store
        .audit_snapshot(&mut |c: ChainSnapshot| {
            report.decisions += 1;
            report.records += c.records.len();
            report.memos += c.memos.len();
            seen.insert(c.decision_id.clone());
            match check_chain(&c, trust, &anchored) {
                Ok(sealed) => report.sealed += sealed,
                Err(b) => report.breaks.push(b),
            }
        })
        .await?;
    // The calendar's chain: one record per notice loaded, so the notice count catches a deleted tail.
    report.records += calendar.records.len();
    let checked = audit::verify_chain(CALENDAR_CHAIN, &calendar.records, calendar.notices).and_then(|()| {
        anchored.check(CALENDAR_CHAIN, &calendar.records).map_err(|(seq, problem)| ChainBreak {
            decision_id: CALENDAR_CHAIN.into(),
            seq,
            problem,
        })
    });
    if let Err(b) = checked {
        report.breaks.push(b);
    }
    // The opinions' chains, after the records' snapshot: their rows are written apart from the decisions.
    for id in &seen {
        let (checked, broken) = opinions::check(store, id).await?;
        report.opinions += checked;
        report.breaks.extend(broken);
    }
    for (id, (n, head)) in &anchored.latest {
        if id != CALENDAR_CHAIN && !seen.contains(id) {
            report.breaks.push(ChainBreak {
                decision_id: id.clone(),
                seq: head.version,
                problem: format!("decision missing: anchor #{n} holds it at version {}", head.version),
            });
        }
    }
    Ok(report)
}

/// One decision's checks, in order; the first failure is its break. On
/// success, how many seals were checked.
fn check_chain(c: &ChainSnapshot, trust: &Trust, anchored: &Anchored) -> Result<usize, ChainBreak> {
    let id = c.decision_id.as_str();
    let broken = |seq: i64, problem: String| ChainBreak { decision_id: id.to_string(), seq, problem };
    let records: Vec<AuditRecord> = c.records.iter().map(|s| s.record.clone()).collect();
    audit::verify_chain(id, &records, c.version)?;
    anchored.check(id, &records).map_err(|(seq, problem)| broken(seq, problem))?;
    let mut sealed = 0;
    if let Some(key) = &trust.key {
        let unsealed_allowed = anchored.first.get(id).copied().unwrap_or(0);
        for s in &c.records {
            let r = &s.record;
            match &s.signature {
                Some(sig) => {
                    let state = s.state_sha256.as_deref().unwrap_or_default();
                    if !key.verifies(&seal_message(id, r.seq, &r.hash, state), sig) {
                        return Err(broken(r.seq, "seal does not verify: record forged, re-chained or edited".into()));
                    }
                    sealed += 1;
                }
                None if r.seq <= unsealed_allowed => {}
                None => return Err(broken(r.seq, "unsealed: not written by a server holding the key (forged)".into())),
            }
        }
    }
    check_state(c).map_err(|(seq, problem)| broken(seq, problem))?;
    check_memos(c, &records).map_err(|(seq, problem)| broken(seq, problem))?;
    Ok(sealed)
}

/// The stored state agrees with its row's columns and with its last record.
fn check_state(c: &ChainSnapshot) -> Result<(), (i64, String)> {
    let state: Decision =
        serde_json::from_str(&c.state_json).map_err(|e| (c.version, format!("state unreadable: {e}")))?;
    if state.id != c.decision_id || state.version != c.version || state.stage != c.stage {
        return Err((
            c.version,
            format!(
                "state edited: the row says stage `{}` at version {}, its state stage `{}` at version {}",
                c.stage, c.version, state.stage, state.version
            ),
        ));
    }
    let Some(last) = c.records.last() else { return Ok(()) };
    if last.record.stage_to != state.stage {
        return Err((
            last.record.seq,
            format!(
                "state edited: stage `{}`, but the last record moved it to `{}`",
                state.stage, last.record.stage_to
            ),
        ));
    }
    match &last.state_sha256 {
        Some(h) if *h != sha256_hex(c.state_json.as_bytes()) => {
            Err((last.record.seq, "state edited: it no longer hashes to the state hash its last record holds".into()))
        }
        _ => Ok(()),
    }
}

/// Every stored memo is one its record vouches for, and every memo a record
/// vouches for is stored.
fn check_memos(c: &ChainSnapshot, records: &[AuditRecord]) -> Result<(), (i64, String)> {
    for m in &c.memos {
        let body_ok = sha256_hex(m.body.as_bytes()) == m.sha256;
        let referenced = records.iter().any(|r| r.seq == m.seq && r.memo_hashes.contains(&m.sha256));
        if !body_ok || !referenced {
            return Err((
                m.seq,
                format!("memo {}.{}.{} does not match the hash its record holds", m.memo, m.lang, m.format),
            ));
        }
    }
    for r in records {
        for h in &r.memo_hashes {
            if !c.memos.iter().any(|m| m.seq == r.seq && &m.sha256 == h) {
                return Err((r.seq, format!("memo missing: the record vouches for memo {h}, which is not stored")));
            }
        }
    }
    Ok(())
}
