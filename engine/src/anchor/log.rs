//! The anchor log: a file of JSON lines outside the database, appended to
//! and never rewritten. Each line lists the chain heads that moved since the
//! line before it (the first line: every head), a global digest over every
//! head as of that line, the hash of the line before it, and the server
//! key's signature over all of that. Lines stay small on a large database;
//! a reader folds them to know every head. Lines are written by `juece serve`
//! periodically and by `juece audit anchor`; one process writes a log.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{PublicKey, ServerKey};
use crate::audit::{canonical_json, sha256_hex, GENESIS};

/// A chain's head: its length and the hash of its last record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub chain: String,
    pub version: i64,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// 1-based line number in the log.
    pub n: u64,
    pub at: DateTime<Utc>,
    pub public_key: String,
    /// The decision heads that moved since the previous line, by decision id.
    pub heads: Vec<Head>,
    /// The calendar notices' chain.
    pub calendar: Head,
    /// SHA-256 over every decision's head as of this line (the previous
    /// lines' folded with this one's) and the calendar's: one value that
    /// stands for all the chains.
    pub global: String,
    /// SHA-256 of the previous line as written (the genesis hash for the first).
    pub prev: String,
    pub signature: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AnchorError {
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("anchor log line {line}: {problem}")]
    Broken { line: usize, problem: String },
}

/// The global digest over a set of heads (sorted by chain) and the calendar's.
pub fn global_digest(heads: &[Head], calendar: &Head) -> String {
    let value = serde_json::json!({ "heads": heads, "calendar": calendar });
    sha256_hex(canonical_json(&value).as_bytes())
}

impl Anchor {
    /// What the signature covers: every field but the signature.
    fn signed_bytes(&self) -> Vec<u8> {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            map.remove("signature");
        }
        canonical_json(&value).into_bytes()
    }

    /// The global head's signature alone, for the annual report and a dossier.
    pub fn summary(&self) -> String {
        format!(
            "anchor #{} at {}: global {} signed {} by key {}",
            self.n, self.at, self.global, self.signature, self.public_key
        )
    }

    /// The head this anchor records for `chain`.
    pub fn head(&self, chain: &str) -> Option<&Head> {
        self.heads.binary_search_by(|h| h.chain.as_str().cmp(chain)).ok().map(|i| &self.heads[i])
    }
}

/// True when `anchor` is signed by `key` (its global digest is checked by
/// [`read_verified`], which knows every head).
pub fn verifies(anchor: &Anchor, key: &PublicKey) -> bool {
    anchor.public_key == key.to_hex() && key.verifies(&anchor.signed_bytes(), &anchor.signature)
}

/// The complete lines of a log's text: a last line without its newline is
/// a write in progress (another process appending) or torn by a crash, and
/// is no anchor yet.
fn complete_lines(text: &str) -> &str {
    text.rfind('\n').map_or("", |i| &text[..=i])
}

/// Every head as of the end of `anchors`: each line's heads folded over the previous lines'.
fn fold(anchors: &[Anchor]) -> BTreeMap<String, Head> {
    let mut all = BTreeMap::new();
    for a in anchors {
        for h in &a.heads {
            all.insert(h.chain.clone(), h.clone());
        }
    }
    all
}

/// Every line of the log at `path` (none when it does not exist yet), each
/// checked: its signature by `key`, its number, its link to the line
/// before, and its global digest.
pub fn read_verified(path: &Path, key: &PublicKey) -> Result<Vec<Anchor>, AnchorError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(AnchorError::Io(path.display().to_string(), e)),
    };
    let mut anchors: Vec<Anchor> = Vec::new();
    let mut all: BTreeMap<String, Head> = BTreeMap::new();
    let mut prev = GENESIS.to_string();
    for (i, line) in complete_lines(&text).lines().enumerate() {
        let broken = |problem: &str| AnchorError::Broken { line: i + 1, problem: problem.into() };
        let a: Anchor = serde_json::from_str(line).map_err(|e| broken(&format!("not an anchor: {e}")))?;
        if !verifies(&a, key) {
            return Err(broken("signature does not verify with the server's public key"));
        }
        if a.n != i as u64 + 1 || a.prev != prev {
            return Err(broken("out of sequence: a line before it was removed or altered"));
        }
        if !a.heads.windows(2).all(|w| w[0].chain < w[1].chain) {
            return Err(broken("its heads are not in order"));
        }
        for h in &a.heads {
            all.insert(h.chain.clone(), h.clone());
        }
        let every: Vec<Head> = all.values().cloned().collect();
        if a.global != global_digest(&every, &a.calendar) {
            return Err(broken("its global digest does not match the heads"));
        }
        prev = sha256_hex(line.as_bytes());
        anchors.push(a);
    }
    Ok(anchors)
}

/// Sign the given heads and append them to the log as its next line, unless
/// the last line already records exactly these heads (nothing happened
/// since). Returns the log's last anchor either way.
pub fn append(
    path: &Path,
    key: &ServerKey,
    mut heads: Vec<Head>,
    calendar: Head,
    at: DateTime<Utc>,
) -> Result<Anchor, AnchorError> {
    let anchors = read_verified(path, &key.public())?;
    let mut all = fold(&anchors);
    heads.sort_by(|a, b| a.chain.cmp(&b.chain));
    // Only the heads that moved go on the line; a decision gone from the
    // database keeps its last anchored head in the digest (verify names it).
    heads.retain(|h| all.get(&h.chain) != Some(h));
    for h in &heads {
        all.insert(h.chain.clone(), h.clone());
    }
    let every: Vec<Head> = all.into_values().collect();
    let global = global_digest(&every, &calendar);
    if let Some(last) = anchors.last().filter(|a| a.global == global) {
        return Ok(last.clone());
    }
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let complete = complete_lines(&text);
    let prev = complete.lines().last().map(|l| sha256_hex(l.as_bytes())).unwrap_or_else(|| GENESIS.to_string());
    let mut anchor = Anchor {
        n: anchors.len() as u64 + 1,
        at,
        public_key: key.public().to_hex(),
        heads,
        calendar,
        global,
        prev,
        signature: String::new(),
    };
    anchor.signature = key.sign(&anchor.signed_bytes());
    let io = |e| AnchorError::Io(path.display().to_string(), e);
    let line = serde_json::to_string(&anchor).map_err(|e| io(std::io::Error::other(e)))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(io)?;
    if complete.len() < text.len() {
        // A line torn by a crash mid-write was never an anchor: cut it off before appending.
        file.set_len(complete.len() as u64).map_err(io)?;
    }
    file.write_all(format!("{line}\n").as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(anchor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(chain: &str, version: i64) -> Head {
        Head { chain: chain.into(), version, hash: sha256_hex(format!("{chain}{version}").as_bytes()) }
    }

    #[test]
    fn lines_chain_and_verify_and_an_edit_is_named() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("anchors.jsonl");
        let key = ServerKey::generate();
        let cal = head("calendar", 0);
        let now = Utc::now();
        append(&path, &key, vec![head("b", 2), head("a", 1)], cal.clone(), now).expect("first");
        // Nothing changed: no new line.
        append(&path, &key, vec![head("a", 1), head("b", 2)], cal.clone(), now).expect("same");
        let second = append(&path, &key, vec![head("a", 3), head("b", 2)], cal.clone(), now).expect("second");
        assert_eq!(second.n, 2);
        let read = read_verified(&path, &key.public()).expect("verifies");
        assert_eq!(read.len(), 2);
        assert_eq!(read[1].head("a").map(|h| h.version), Some(3));
        assert_eq!(read[1].heads.len(), 1, "a line holds only the heads that moved");
        assert!(read_verified(&path, &ServerKey::generate().public()).is_err(), "another key");

        // Lowering a head in the log (to cover a truncation) breaks its signature.
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, text.replacen("\"version\":3", "\"version\":2", 1)).expect("write");
        let err = read_verified(&path, &key.public()).expect_err("edited");
        assert!(err.to_string().contains("line 2: signature"), "{err}");
        // A line being written (no newline yet) is not read; a torn one is cut off by the next append.
        std::fs::write(&path, format!("{text}{{\"n\":3,")).expect("write");
        assert_eq!(read_verified(&path, &key.public()).expect("torn tail").len(), 2);
        let third = append(&path, &key, vec![head("a", 4), head("b", 2)], cal.clone(), now).expect("third");
        assert_eq!(third.n, 3);
        assert_eq!(read_verified(&path, &key.public()).expect("verifies").len(), 3);
        // Dropping the first line breaks the sequence.
        let second_line = text.lines().nth(1).expect("line").to_string();
        std::fs::write(&path, format!("{second_line}\n")).expect("write");
        let err = read_verified(&path, &key.public()).expect_err("cut");
        assert!(err.to_string().contains("out of sequence"), "{err}");
    }
}
