//! A decision's dossier (Art. 38): its state, its record, every memo (with
//! the A4 page of each memo sealed as Markdown) and a manifest of their
//! hashes, exported to a folder and verified offline with nothing but its
//! files and the server's public key.
//!
//! The manifest carries the server key's signature over the manifest, so a
//! file edited together with its manifest entry, a memo deleted with its
//! entry or a re-chained record is refused; `anchor.json` (when the server
//! keeps an anchor log) is the latest anchor holding the decision, so a
//! record cut back before the export is named too. Verification refuses a
//! manifest path that leaves the folder and reports files it does not list.

use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::anchor::{Anchor, PublicKey, ServerKey};
use crate::audit::{self, canonical_json, AuditRecord};
use crate::decision::Decision;
use crate::memo::pages::renditions;
use crate::store::{Store, StoreError, StoredMemo};

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

/// `manifest.json` as written to disk: the manifest and its signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedManifest {
    #[serde(flatten)]
    pub manifest: Manifest,
    /// Absent in an unsigned export, which verification refuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<ManifestSeal>,
}

/// The server key's Ed25519 signature over the manifest's canonical JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestSeal {
    pub public_key: String,
    pub signature: String,
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
    /// The A4 page of each memo sealed as Markdown (`pages/…`), laid out at export: signed by the manifest, not
    /// vouched for by the record.
    pub pages: Vec<DossierMemo>,
    /// The public's opinions, each kind's chain whole (`opinions/<kind>.jsonl`), senders as hashes.
    pub opinions: Vec<crate::ledger::chain::Archived>,
    pub manifest: Manifest,
    /// Each file's path and exact bytes, in manifest order.
    #[serde(skip)]
    pub files: Vec<(String, Vec<u8>)>,
}

const MANIFEST: &str = "manifest.json";
const ANCHOR: &str = "anchor.json";

fn memo_path(m: &StoredMemo) -> String {
    format!("memos/{:03}-{}.{}.{}", m.seq, m.memo, m.lang, m.format)
}

/// The A4 page of a memo sealed as Markdown, laid out at export.
fn page_path(m: &StoredMemo) -> String {
    format!("pages/{:03}-{}.{}.html", m.seq, m.memo, m.lang)
}

fn invalid(e: serde_json::Error) -> DossierError {
    DossierError::Invalid(e.to_string())
}

fn refuse(problem: impl Into<String>) -> DossierError {
    DossierError::Invalid(problem.into())
}

/// The bytes the manifest's signature covers.
fn signed_bytes(m: &Manifest) -> Result<Vec<u8>, DossierError> {
    Ok(canonical_json(&serde_json::to_value(m).map_err(invalid)?).into_bytes())
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
    let (mut memos, mut pages) = (Vec::new(), Vec::new());
    for crate::memo::pages::Rendition { memo: m, rendered_from } in renditions(&store.memos(decision_id).await?) {
        // A page rendered from its sealed Markdown is no memo of the record:
        // it goes beside the memos, covered by the signed manifest only.
        let (path, list) = match rendered_from {
            Some(_) => (page_path(&m), &mut pages),
            None => (memo_path(&m), &mut memos),
        };
        files.push((path.clone(), m.body.as_bytes().to_vec()));
        list.push(DossierMemo {
            path,
            seq: m.seq,
            memo: m.memo,
            lang: m.lang,
            format: m.format,
            sha256: audit::sha256_hex(m.body.as_bytes()),
            body: m.body,
        });
    }
    let mut opinions = Vec::new();
    for (kind, ..) in store.opinion_heads(decision_id).await? {
        let mut lines = String::new();
        let mut after = None;
        loop {
            let q = crate::ledger::OpinionQuery {
                decision_id: decision_id.into(),
                kind: Some(kind),
                after,
                limit: 1000,
                ..Default::default()
            };
            let page = store.opinions(&q).await?;
            for o in &page {
                let a = crate::ledger::chain::Archived::of(o);
                lines.push_str(&serde_json::to_string(&a).map_err(invalid)?);
                lines.push('\n');
                opinions.push(a);
            }
            match page.last() {
                Some(last) if page.len() == 1000 => after = Some((kind, last.seq)),
                _ => break,
            }
        }
        files.push((format!("opinions/{}.jsonl", kind.as_str()), lines.into_bytes()));
    }
    let entries = files
        .iter()
        .map(|(path, bytes)| ManifestEntry { path: path.clone(), sha256: audit::sha256_hex(bytes) })
        .collect();
    let manifest = Manifest { decision_id: decision_id.into(), exported_at: now, files: entries };
    Ok(Dossier { decision: loaded.decision, records, memos, pages, opinions, manifest, files })
}

/// Write a decision's whole dossier into `dir`: its state, its record (one
/// JSON record per line), every memo, the anchor that holds the decision
/// (when given) and `manifest.json` with the hash of each file, signed by
/// `key` (an export without a key is unsigned, and does not verify).
pub async fn export_dossier(
    store: &dyn Store,
    decision_id: &str,
    dir: &Path,
    now: DateTime<Utc>,
    key: Option<&ServerKey>,
    anchor: Option<&Anchor>,
) -> Result<Manifest, DossierError> {
    let mut dossier = build_dossier(store, decision_id, now).await?;
    if let Some(a) = anchor.filter(|a| a.head(decision_id).is_some()) {
        let bytes = serde_json::to_vec_pretty(a).map_err(invalid)?;
        let sha256 = audit::sha256_hex(&bytes);
        dossier.manifest.files.push(ManifestEntry { path: ANCHOR.into(), sha256 });
        dossier.files.push((ANCHOR.into(), bytes));
    }
    for (rel, bytes) in &dossier.files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| DossierError::Io(parent.display().to_string(), e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| DossierError::Io(path.display().to_string(), e))?;
    }
    let seal = match key {
        Some(k) => {
            Some(ManifestSeal { public_key: k.public().to_hex(), signature: k.sign(&signed_bytes(&dossier.manifest)?) })
        }
        None => None,
    };
    let signed = SignedManifest { manifest: dossier.manifest, seal };
    let text = serde_json::to_vec_pretty(&signed).map_err(invalid)?;
    std::fs::write(dir.join(MANIFEST), text).map_err(|e| DossierError::Io(MANIFEST.into(), e))?;
    Ok(signed.manifest)
}

/// A manifest path as a path inside `dir`, or a refusal: absolute paths,
/// `..`, and anything that resolves (through a link) outside `dir`.
fn inside(dir: &Path, rel: &str) -> Result<PathBuf, DossierError> {
    let outside = || refuse(format!("{rel}: the manifest names a path outside the dossier"));
    let path = Path::new(rel);
    if rel.is_empty() || !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(outside());
    }
    let full = dir.join(path);
    let root = dir.canonicalize().map_err(|e| DossierError::Io(dir.display().to_string(), e))?;
    match full.canonicalize() {
        Ok(real) if !real.starts_with(&root) => Err(outside()),
        _ => Ok(full),
    }
}

/// Every file under `dir`, as paths relative to it with `/` separators.
fn files_under(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), DossierError> {
    let entries = std::fs::read_dir(dir).map_err(|e| DossierError::Io(dir.display().to_string(), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| DossierError::Io(dir.display().to_string(), e))?;
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        let kind = entry.file_type().map_err(|e| DossierError::Io(name.clone(), e))?;
        if kind.is_dir() {
            files_under(&entry.path(), &format!("{name}/"), out)?;
        } else {
            out.push(name);
        }
    }
    Ok(())
}

/// Verify an exported dossier offline: the manifest's signature by `key`,
/// every file against the manifest (and no file it does not list), the
/// record's hash chain, the state's version against the chain length, every
/// memo against the record (and every memo the record vouches for present),
/// each page beside the memo it lays out, and the anchor, when there is one,
/// against the chain.
pub fn verify_dossier(dir: &Path, key: &PublicKey) -> Result<Manifest, DossierError> {
    let read = |rel: &str| -> Result<Vec<u8>, DossierError> {
        let path = inside(dir, rel)?;
        std::fs::read(path).map_err(|e| DossierError::Io(rel.to_string(), e))
    };
    let signed: SignedManifest =
        serde_json::from_slice(&read(MANIFEST)?).map_err(|e| refuse(format!("{MANIFEST}: {e}")))?;
    let seal = signed.seal.as_ref().ok_or_else(|| refuse("unsigned: the manifest carries no signature"))?;
    let manifest = signed.manifest;
    if seal.public_key != key.to_hex() || !key.verifies(&signed_bytes(&manifest)?, &seal.signature) {
        return Err(refuse("the manifest's signature does not verify with the server's public key"));
    }
    for f in &manifest.files {
        if audit::sha256_hex(&read(&f.path)?) != f.sha256 {
            return Err(refuse(format!("{} does not match the manifest", f.path)));
        }
    }
    let mut present = Vec::new();
    files_under(dir, "", &mut present)?;
    if let Some(extra) = present.iter().find(|p| *p != MANIFEST && !manifest.files.iter().any(|f| &f.path == *p)) {
        return Err(refuse(format!("{extra}: a file the manifest does not list")));
    }
    let decision: Decision =
        serde_json::from_slice(&read("decision.json")?).map_err(|e| refuse(format!("decision.json: {e}")))?;
    let records: Vec<AuditRecord> = String::from_utf8_lossy(&read("record.jsonl")?)
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|e| refuse(format!("record.jsonl: {e}")))?;
    audit::verify_chain(&manifest.decision_id, &records, decision.version).map_err(|b| refuse(b.to_string()))?;
    let memo_files: Vec<&ManifestEntry> = manifest.files.iter().filter(|f| f.path.starts_with("memos/")).collect();
    for f in &memo_files {
        if !records.iter().any(|r| r.memo_hashes.contains(&f.sha256)) {
            return Err(refuse(format!("{} is not vouched for by the record", f.path)));
        }
    }
    for r in &records {
        if let Some(h) = r.memo_hashes.iter().find(|h| !memo_files.iter().any(|f| &f.sha256 == *h)) {
            return Err(refuse(format!("record #{}: memo {h} it vouches for is missing", r.seq)));
        }
    }
    // A page is signed by the manifest only; it must lay out a memo the record vouches for. Its bytes are not
    // laid out again here: a dossier verifies years later, under a newer layout.
    for f in manifest.files.iter().filter(|f| f.path.starts_with("pages/")) {
        let md = f.path.strip_prefix("pages/").and_then(|p| p.strip_suffix(".html")).map(|p| format!("memos/{p}.md"));
        if !md.is_some_and(|md| memo_files.iter().any(|m| m.path == md)) {
            return Err(refuse(format!("{}: a page of no memo the dossier holds", f.path)));
        }
    }
    if manifest.files.iter().any(|f| f.path == ANCHOR) {
        check_anchor(&read(ANCHOR)?, key, &manifest.decision_id, &records)?;
    }
    for f in manifest.files.iter().filter(|f| f.path.starts_with("opinions/")) {
        check_opinions(&f.path, &read(&f.path)?, &decision)?;
    }
    Ok(manifest)
}

/// An opinion chain of the dossier holds link by link, and (comments) reaches the head each period's close put
/// on the record.
fn check_opinions(path: &str, bytes: &[u8], decision: &Decision) -> Result<(), DossierError> {
    use crate::ledger::chain::{Archived, Walk};
    let mut walk = Walk::default();
    let mut links = std::collections::BTreeMap::new();
    for line in String::from_utf8_lossy(bytes).lines() {
        let o: Archived = serde_json::from_str(line).map_err(|e| refuse(format!("{path}: {e}")))?;
        if o.decision_id != decision.id {
            return Err(refuse(format!("{path}: opinion #{} belongs to another decision", o.seq)));
        }
        walk.next_archived(&o).map_err(|b| refuse(format!("{path}: opinion #{}: {}", b.seq, b.problem)))?;
        links.insert(o.seq, o.chain_hash);
    }
    if path.ends_with("/comment.jsonl") {
        for seal in decision.facts.comment_notices.iter().filter_map(|n| n.comments_at_close.as_ref()) {
            if seal.count > 0 && links.get(&seal.count) != Some(&seal.head) {
                return Err(refuse(format!("{path}: the comments do not reach the head the period's close recorded")));
            }
        }
    }
    Ok(())
}

/// The anchor is the server's, and the record reaches its head for this decision.
fn check_anchor(bytes: &[u8], key: &PublicKey, id: &str, records: &[AuditRecord]) -> Result<(), DossierError> {
    let anchor: Anchor = serde_json::from_slice(bytes).map_err(|e| refuse(format!("{ANCHOR}: {e}")))?;
    if !crate::anchor::log::verifies(&anchor, key) {
        return Err(refuse("anchor.json: its signature does not verify with the server's public key"));
    }
    let head = anchor.head(id).ok_or_else(|| refuse(format!("{ANCHOR} does not hold decision {id}")))?;
    let at = usize::try_from(head.version).unwrap_or(0);
    match at.checked_sub(1).and_then(|i| records.get(i)) {
        Some(r) if r.hash == head.hash => Ok(()),
        _ => Err(refuse(format!(
            "the record does not reach anchor #{}'s head for {id} (cut back or rewritten)",
            anchor.n
        ))),
    }
}
