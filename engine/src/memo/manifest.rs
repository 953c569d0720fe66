//! `memos/manifest.toml`: what each template is (its §3 document type and
//! names), which documents take a document number (发文字号) and in which
//! series, and each organ's 机关代字.
//!
//! ```toml
//! [organs]
//! "示范市人民政府" = "示政"        # 机关代字
//!
//! [memos.decision]
//! doc = "D25"
//! zh = "决定"
//! en = "Decision"
//! number = "发"                    # → 示政发〔2026〕12号
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::MemoError;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// 机关代字 by organ name.
    #[serde(default)]
    pub organs: BTreeMap<String, String>,
    #[serde(default)]
    pub memos: BTreeMap<String, MemoInfo>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MemoInfo {
    /// The document type of regulation.md §3 (D1 … D34), or `report`.
    pub doc: String,
    pub zh: String,
    pub en: String,
    /// The series suffix after the 机关代字 (发, 函, 办函 …) when the
    /// document takes a number; `None` for unnumbered documents.
    #[serde(default)]
    pub number: Option<String>,
}

impl Manifest {
    /// The manifest of a memos folder; `None` when the folder has none.
    pub fn load(dir: &Path) -> Result<Option<Manifest>, MemoError> {
        let path = dir.join("manifest.toml");
        if !path.exists() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| MemoError::Template(path.display().to_string(), e.to_string()))?;
        toml::from_str(&text).map(Some).map_err(|e| MemoError::Template(path.display().to_string(), e.to_string()))
    }

    /// The 机关代字 of an organ: the configured one, else derived — for a
    /// people's government its first character and 政 (示范市人民政府 → 示政),
    /// otherwise its first two characters.
    pub fn organ_code(&self, organ: &str) -> String {
        if let Some(code) = self.organs.get(organ) {
            return code.clone();
        }
        let mut chars = organ.chars();
        match (organ.ends_with("人民政府"), chars.next(), chars.next()) {
            (true, Some(first), _) => format!("{first}政"),
            (false, Some(a), Some(b)) => format!("{a}{b}"),
            (false, Some(a), None) => a.to_string(),
            _ => "文".to_string(),
        }
    }

    /// The numbering series (e.g. 示政发) a memo takes for an organ, if any.
    pub fn series(&self, memo: &str, organ: &str) -> Option<String> {
        let suffix = self.memos.get(memo)?.number.as_ref()?;
        Some(format!("{}{suffix}", self.organ_code(organ)))
    }
}

/// A document number as written: 示政发〔2026〕12号.
pub fn number_text(series: &str, year: i32, number: i64) -> String {
    format!("{series}〔{year}〕{number}号")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organ_codes_are_configured_or_derived() {
        let m: Manifest = toml::from_str(
            "[organs]\n\"示范市人民政府\" = \"示政\"\n[memos.decision]\ndoc = \"D25\"\nzh = \"决定\"\nen = \"Decision\"\nnumber = \"发\"\n",
        )
        .expect("parses");
        assert_eq!(m.series("decision", "示范市人民政府").as_deref(), Some("示政发"));
        assert_eq!(m.series("decision", "某市人民政府").as_deref(), Some("某政发"));
        assert_eq!(m.series("decision", "某区管委会").as_deref(), Some("某区发"));
        assert_eq!(m.series("proposal", "示范市人民政府"), None);
        assert_eq!(number_text("示政发", 2026, 12), "示政发〔2026〕12号");
    }
}
