//! Lifelong accountability (Art. 38, 终身责任追究 / 责任倒查): queries over the
//! record that answer "who did what, when, on which draft", "how did each
//! member stand", "where did someone sign or dissent", "which soft floors
//! were overridden and why" — and the dossier of one decision, exported so
//! that it can be verified offline.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::decision::Decision;
use crate::store::{Store, StoreError};

// The dossier has its own module; its names stay reachable here for callers.
pub use crate::dossier::{
    build_dossier, export_dossier, verify_dossier, Dossier, DossierError, DossierMemo, Manifest, ManifestEntry,
};

/// One act as the record keeps it, with the actor as of that moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActEntry {
    pub decision_id: String,
    pub title: String,
    pub seq: i64,
    pub act: String,
    pub stage_from: String,
    pub stage_to: String,
    pub at: DateTime<Utc>,
    pub actor: Actor,
}

async fn each_decision(store: &dyn Store) -> Result<Vec<(Decision, Vec<AuditRecord>)>, StoreError> {
    let mut out = Vec::new();
    for (id, _) in store.versions().await? {
        if let Some(l) = store.load(&id).await? {
            out.push((l.decision, store.audit_records(&id).await?));
        }
    }
    Ok(out)
}

/// Everything a person did (matched by user id or by name), in time order.
pub async fn acts_by(store: &dyn Store, who: &str) -> Result<Vec<ActEntry>, StoreError> {
    let mut out = Vec::new();
    for (d, records) in each_decision(store).await? {
        for r in records.into_iter().filter(|r| r.actor.user_id == who || r.actor.name == who) {
            out.push(ActEntry {
                decision_id: d.id.clone(),
                title: d.facts.title.clone(),
                seq: r.seq,
                act: r.act,
                stage_from: r.stage_from,
                stage_to: r.stage_to,
                at: r.at,
                actor: r.actor,
            });
        }
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then(a.seq.cmp(&b.seq)));
    Ok(out)
}

/// A member's recorded stance on a decision (the chief executive's last).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StanceEntry {
    pub decision_id: String,
    pub title: String,
    /// The meeting's number on this decision (a matter sent back is discussed again at meeting 2, …).
    pub meeting: u32,
    pub member: String,
    pub stance: String,
    pub words: String,
    pub chief: bool,
    /// The member spoke again later at the same meeting: this stance stays on record and is not counted.
    pub superseded: bool,
    pub at: DateTime<Utc>,
}

fn stances_of(d: &Decision) -> Vec<StanceEntry> {
    let f = &d.facts;
    // Every meeting held on the decision, the earlier ones first: nothing said at a meeting drops out.
    let meetings = f.earlier_meetings.iter().chain(f.meeting.iter());
    meetings
        .flat_map(|m| {
            let entry = |s: &crate::procedure::facts::Stance, chief: bool| StanceEntry {
                decision_id: d.id.clone(),
                title: f.title.clone(),
                meeting: m.number,
                member: s.member.clone(),
                stance: s.stance.clone(),
                words: s.words.clone(),
                chief,
                superseded: s.superseded,
                at: s.at,
            };
            m.stances.iter().map(move |s| entry(s, false)).chain(m.chief.iter().map(move |s| entry(s, true)))
        })
        .collect()
}

/// Every stance on one decision, in speaking order, verbatim (CD-5, AC-3).
pub async fn stances(store: &dyn Store, decision_id: &str) -> Result<Vec<StanceEntry>, StoreError> {
    Ok(store.load(decision_id).await?.map(|l| stances_of(&l.decision)).unwrap_or_default())
}

/// Every decision where `member` spoke, with their stance: who signed off,
/// who opposed or reserved (Art. 38(3) reduces the liability of dissenters).
pub async fn stances_of_member(store: &dyn Store, member: &str) -> Result<Vec<StanceEntry>, StoreError> {
    let mut out = Vec::new();
    for (d, _) in each_decision(store).await? {
        out.extend(
            stances_of(&d).into_iter().filter(|s| s.member == member || s.member.starts_with(&format!("{member}（"))),
        );
    }
    Ok(out)
}

/// A soft floor of the Decree that was gone below, with its stated reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Override {
    pub decision_id: String,
    pub title: String,
    pub kind: &'static str,
    pub article: &'static str,
    pub reason: String,
}

/// Every override of a soft floor: shortened comment periods (Art. 15;
/// before or after publication),
/// shortened review times (Art. 26), decisions departing from the majority (Art. 30).
pub async fn overrides(store: &dyn Store) -> Result<Vec<Override>, StoreError> {
    let mut out = Vec::new();
    for (d, _) in each_decision(store).await? {
        let f = &d.facts;
        let mut push = |kind, article, reason: &str| {
            out.push(Override {
                decision_id: d.id.clone(),
                title: f.title.clone(),
                kind,
                article,
                reason: reason.to_string(),
            })
        };
        for n in f.comment_notices.iter() {
            if let Some(r) = &n.shortening_reason {
                push("comment_period_shortened", "Art. 15", r);
            }
            if let Some(late) = &n.late_shortening {
                push("comment_period_shortened_after_publication", "Art. 15", &late.reason);
            }
        }
        for s in &f.legality_submissions {
            if let (Some(r), true) = (&s.urgency_reason, s.requested_due < s.floor_due) {
                push("review_time_shortened", "Art. 26", r);
            }
        }
        if let Some(r) = f.meeting.as_ref().and_then(|m| m.divergence_reason.as_ref()) {
            push("chief_departed_from_majority", "Art. 30", r);
        }
    }
    Ok(out)
}

/// One fact of an expert's integrity record, as the pool records it (status
/// changes, sanctions, and non-submissions the engine writes there with the
/// replacement, EX-8) — or, for an expert taken from no pool, as the
/// decision that replaced them records it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrityEntry {
    pub source: String,
    pub kind: String,
    pub text: String,
    pub at: Option<DateTime<Utc>>,
}

/// The integrity record of an expert across every pool and decision.
pub async fn integrity_record(store: &dyn Store, expert_id: &str) -> Result<Vec<IntegrityEntry>, StoreError> {
    let mut out = Vec::new();
    for (d, _) in each_decision(store).await? {
        if let Some(pool) = &d.facts.pool {
            for e in pool.experts.iter().filter(|e| e.id == expert_id) {
                out.extend(e.integrity.iter().map(|f| IntegrityEntry {
                    source: d.id.clone(),
                    kind: f.kind.clone(),
                    text: f.text.clone(),
                    at: Some(f.at),
                }));
            }
        }
        // A pool expert's non-submission is on the pool record already.
        for a in d.facts.experts.iter().filter(|a| a.expert_id == expert_id && a.non_submission && a.pool.is_none()) {
            out.push(IntegrityEntry {
                source: d.id.clone(),
                kind: "non_submission".into(),
                text: a.replaced_reason.clone().unwrap_or_default(),
                at: None,
            });
        }
    }
    Ok(out)
}
