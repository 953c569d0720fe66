//! The ledger kept in memory, for the transition function's tests: opinions taken by a step are numbered,
//! linked and grouped (identical texts only) as the store does, drafters' writes are applied as the store
//! applies them, and [`MemoryLedger::standing`] answers what the orchestrator would read.

use chrono::{DateTime, Utc};

use super::cluster::Fingerprint;
use super::{chain, Kind, LedgerWrite, Opinion, Standing, Submission, Targets};
use crate::audit::{sha256_hex, GENESIS};

#[derive(Debug, Clone, Default)]
pub(crate) struct MemoryLedger {
    pub rows: Vec<Opinion>,
}

impl MemoryLedger {
    pub fn of(&self, kind: Kind) -> Vec<&Opinion> {
        self.rows.iter().filter(|o| o.kind == kind).collect()
    }

    pub fn receive(&mut self, decision_id: &str, s: Submission, at: DateTime<Utc>) -> Opinion {
        let kind = s.kind;
        let before = self.of(kind);
        let seq = before.len() as i64 + 1;
        let prev = before.last().map_or(GENESIS.to_string(), |o| o.chain_hash.clone());
        let norm = Fingerprint::of(&s.content).norm;
        let leader = before.iter().find(|o| o.leads_cluster() && Fingerprint::of(&o.content).norm == norm);
        let settled = leader.and_then(|l| l.settled.clone()).filter(|s| s.via_cluster);
        let cluster = leader.map_or(seq, |l| l.seq);
        let content_sha256 = sha256_hex(s.content.as_bytes());
        let chain_hash = chain::link(&prev, decision_id, kind, seq, &at, &content_sha256, s.submitter.as_deref());
        let o = Opinion {
            decision_id: decision_id.to_string(),
            kind,
            seq,
            notice: s.notice.map(i64::from),
            content: s.content,
            submitter: s.submitter,
            received_at: at,
            receipt: format!("T{seq}"),
            content_sha256,
            chain_hash,
            cluster,
            members: 1,
            settled,
            hidden: None,
        };
        if let Some(l) = self.rows.iter_mut().find(|l| l.kind == kind && l.seq == cluster && cluster != seq) {
            l.members += 1;
        }
        self.rows.push(o.clone());
        o
    }

    pub fn apply(&mut self, w: &LedgerWrite) {
        match w {
            LedgerWrite::Settle { kind, seq, cluster, settled } => {
                for o in self.rows.iter_mut().filter(|o| o.kind == *kind) {
                    let member = *cluster && o.cluster == *seq && o.settled.as_ref().is_none_or(|s| s.via_cluster);
                    if member || (!*cluster && o.seq == *seq) {
                        o.settled = Some(settled.clone());
                    }
                }
            }
            LedgerWrite::Split { kind, seq } => {
                if let Some(o) = self.rows.iter_mut().find(|o| o.kind == *kind && o.seq == *seq) {
                    o.cluster = o.seq;
                    if o.settled.as_ref().is_some_and(|s| s.via_cluster) {
                        o.settled = None;
                    }
                }
            }
            LedgerWrite::Hide { kind, seq, hidden } => {
                if let Some(o) = self.rows.iter_mut().find(|o| o.kind == *kind && o.seq == *seq) {
                    o.hidden = Some(hidden.clone());
                }
            }
        }
    }

    pub fn standing(&self, targets: &Targets) -> Standing {
        let mut s = Standing::default();
        for kind in Kind::ALL {
            let rows = self.of(kind);
            if rows.is_empty() {
                continue;
            }
            let mut open: Vec<i64> =
                rows.iter().filter(|o| o.settled.is_none() && o.hidden.is_none()).map(|o| o.cluster).collect();
            open.sort();
            open.dedup();
            let t = s.tallies.entry(kind).or_default();
            t.count = rows.len() as i64;
            t.head = rows.last().map(|o| o.chain_hash.clone()).unwrap_or_default();
            t.open = open.len() as i64;
            t.open_sample = open.into_iter().take(20).collect();
            t.promised = rows
                .iter()
                .filter(|o| o.settled.as_ref().is_some_and(|x| x.outcome == "hold"))
                .map(|o| o.seq)
                .collect();
        }
        if let Some((kind, seq)) = targets.named {
            s.named.extend(self.rows.iter().find(|o| o.kind == kind && o.seq == seq).cloned());
        }
        if targets.campaigns {
            for leader in self.of(Kind::Comment).into_iter().filter(|o| o.leads_cluster()) {
                let members: Vec<&Opinion> =
                    self.of(Kind::Comment).into_iter().filter(|o| o.cluster == leader.seq).collect();
                let open = members.iter().filter(|o| o.settled.is_none() && o.hidden.is_none()).count() as i64;
                s.campaigns.push(super::Campaign { leader: leader.clone(), size: members.len() as i64, open });
            }
        }
        s
    }
}
