//! Lifelong accountability (Art. 38, 终身责任追究 / 责任倒查): queries over the
//! record that answer "who did what, when, on which draft", "how did each
//! member stand", "where did someone sign or dissent", "which soft floors
//! were overridden and why" — and the dossier of one decision, exported so
//! that it can be verified offline.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::audit::{self, AuditRecord};
use crate::decision::Decision;
use crate::store::{Store, StoreError, StoredMemo};

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
            let entry = |s: &crate::facts::Stance, chief: bool| StanceEntry {
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

/// The files of an exported dossier, each with its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Manifest {
    pub decision_id: String,
    pub exported_at: DateTime<Utc>,
    pub files: Vec<ManifestEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManifestEntry {
    pub path: String,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DossierError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("decision {0} not found")]
    NotFound(String),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0}")]
    Invalid(String),
}

/// A memo of the dossier, with the file name `export_dossier` gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DossierMemo {
    pub path: String,
    pub seq: i64,
    pub memo: String,
    pub lang: String,
    pub format: String,
    pub sha256: String,
    pub body: String,
}

/// A decision's whole dossier in memory: its state, its record, every memo
/// and the manifest of the files `export_dossier` writes (whose hashes are
/// those of [`Dossier::files`]).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dossier {
    pub decision: Decision,
    pub records: Vec<AuditRecord>,
    pub memos: Vec<DossierMemo>,
    pub manifest: Manifest,
    /// Each file's path and exact bytes, in manifest order.
    #[serde(skip)]
    pub files: Vec<(String, Vec<u8>)>,
}

fn memo_path(m: &StoredMemo) -> String {
    format!("memos/{:03}-{}.{}.{}", m.seq, m.memo, m.lang, m.format)
}

fn invalid(e: serde_json::Error) -> DossierError {
    DossierError::Invalid(e.to_string())
}

/// Build a decision's dossier in memory: the one place that decides what a
/// dossier holds, for the export to disk and for readers over the API alike.
pub async fn build_dossier(store: &dyn Store, decision_id: &str, now: DateTime<Utc>) -> Result<Dossier, DossierError> {
    let loaded = store.load(decision_id).await?.ok_or_else(|| DossierError::NotFound(decision_id.into()))?;
    let records = store.audit_records(decision_id).await?;
    let mut files = vec![("decision.json".to_string(), serde_json::to_vec_pretty(&loaded.decision).map_err(invalid)?)];
    let mut lines = String::new();
    for r in &records {
        lines.push_str(&serde_json::to_string(r).map_err(invalid)?);
        lines.push('\n');
    }
    files.push(("record.jsonl".to_string(), lines.into_bytes()));
    let mut memos = Vec::new();
    for m in store.memos(decision_id).await? {
        let path = memo_path(&m);
        files.push((path.clone(), m.body.as_bytes().to_vec()));
        memos.push(DossierMemo {
            path,
            seq: m.seq,
            memo: m.memo,
            lang: m.lang,
            format: m.format,
            sha256: audit::sha256_hex(m.body.as_bytes()),
            body: m.body,
        });
    }
    let entries = files
        .iter()
        .map(|(path, bytes)| ManifestEntry { path: path.clone(), sha256: audit::sha256_hex(bytes) })
        .collect();
    let manifest = Manifest { decision_id: decision_id.into(), exported_at: now, files: entries };
    Ok(Dossier { decision: loaded.decision, records, memos, manifest, files })
}

/// Write a decision's whole dossier into `dir`: its state, its record (one
/// JSON record per line), every memo, and `manifest.json` with the hash of
/// each file. `verify_dossier` checks it with nothing but the files.
pub async fn export_dossier(
    store: &dyn Store,
    decision_id: &str,
    dir: &Path,
    now: DateTime<Utc>,
) -> Result<Manifest, DossierError> {
    let dossier = build_dossier(store, decision_id, now).await?;
    for (rel, bytes) in &dossier.files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| DossierError::Io(parent.display().to_string(), e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| DossierError::Io(path.display().to_string(), e))?;
    }
    let text = serde_json::to_vec_pretty(&dossier.manifest).map_err(invalid)?;
    std::fs::write(dir.join("manifest.json"), text).map_err(|e| DossierError::Io("manifest.json".into(), e))?;
    Ok(dossier.manifest)
}

/// Verify an exported dossier offline: every file matches the manifest, the
/// record's hash chain holds, the state's version equals the chain length,
/// and every memo file's hash is one its record holds.
pub fn verify_dossier(dir: &Path) -> Result<Manifest, DossierError> {
    let read = |rel: &str| std::fs::read(dir.join(rel)).map_err(|e| DossierError::Io(rel.to_string(), e));
    let manifest: Manifest = serde_json::from_slice(&read("manifest.json")?)
        .map_err(|e| DossierError::Invalid(format!("manifest.json: {e}")))?;
    for f in &manifest.files {
        if audit::sha256_hex(&read(&f.path)?) != f.sha256 {
            return Err(DossierError::Invalid(format!("{} does not match the manifest", f.path)));
        }
    }
    let decision: Decision = serde_json::from_slice(&read("decision.json")?)
        .map_err(|e| DossierError::Invalid(format!("decision.json: {e}")))?;
    let records: Vec<AuditRecord> = String::from_utf8_lossy(&read("record.jsonl")?)
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|e| DossierError::Invalid(format!("record.jsonl: {e}")))?;
    audit::verify_chain(&manifest.decision_id, &records, decision.version)
        .map_err(|b| DossierError::Invalid(b.to_string()))?;
    for f in manifest.files.iter().filter(|f| f.path.starts_with("memos/")) {
        if !records.iter().any(|r| r.memo_hashes.contains(&f.sha256)) {
            return Err(DossierError::Invalid(format!("{} is not vouched for by the record", f.path)));
        }
    }
    Ok(manifest)
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
