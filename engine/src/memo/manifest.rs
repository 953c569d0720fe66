//! `memos/manifest.toml`: what each template is (its §3 document type and
//! names), which documents take a document number (发文字号) and in which
//! series, and each organ's 机关代字.
//!
//! ```toml
//! [organs]
//! "示范市司法局" = "示司"                    # 机关代字 only
//! [organs."示范市人民政府"]                   # or the organ's directory entry
//! code = "示政"
//! party_committee = "中共示范市委员会"         # 主送 of its 请示 to the Party committee
//! superior = "示范省人民政府"                  # 主送 of its reports upward
//! signer = "李明"                              # 签发人 of its upward documents
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
    /// The unit directory: each organ's 机关代字 and, for an organ that
    /// writes upward, its addressees and signer.
    #[serde(default)]
    pub organs: BTreeMap<String, OrganEntry>,
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
    #[serde(default)]
    pub number_style: NumberStyle,
    #[serde(default)]
    pub issuer: Issuer,
    /// The unit-directory fields of the decision organ the document prints
    /// (its addressee, its 签发人); rendering refuses when one is missing.
    #[serde(default)]
    pub needs: Vec<DirectoryField>,
    /// The document lists the decision's dossier (the archive list): its
    /// data gets `dossier`, every document issued before it (`archive.rs`).
    #[serde(default)]
    pub lists_dossier: bool,
}

/// An organ in the directory: its code alone, or the full entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OrganEntry {
    Code(String),
    Full(Organ),
}

/// What the documents of an organ need to know about it: never a
/// placeholder ("同级党委：") where a real name belongs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organ {
    /// 机关代字 (示政).
    #[serde(default)]
    pub code: Option<String>,
    /// The Party committee at the same level (Art. 31), as addressed.
    #[serde(default)]
    pub party_committee: Option<String>,
    /// The people's government one level up, to which the annual report goes.
    #[serde(default)]
    pub superior: Option<String>,
    /// 签发人: who signs the organ's upward documents (请示, 报告).
    #[serde(default)]
    pub signer: Option<String>,
    /// The organ's legality review body (Art. 25), to which drafts are sent.
    #[serde(default)]
    pub legality_review: Option<String>,
    /// 主送 of the documents the organ issues downward (its decisions and
    /// suspensions): 各区人民政府，市政府各部门.
    #[serde(default)]
    pub distribution: Option<String>,
}

impl Organ {
    fn has(&self, field: DirectoryField) -> bool {
        let value = match field {
            DirectoryField::PartyCommittee => &self.party_committee,
            DirectoryField::Superior => &self.superior,
            DirectoryField::Signer => &self.signer,
            DirectoryField::LegalityReview => &self.legality_review,
            DirectoryField::Distribution => &self.distribution,
        };
        value.as_ref().is_some_and(|v| !v.trim().is_empty())
    }

    /// The fields of `needs` this entry lacks.
    pub fn missing(&self, needs: &[DirectoryField]) -> Vec<DirectoryField> {
        needs.iter().copied().filter(|f| !self.has(*f)).collect()
    }
}

/// A field of the unit directory a document prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectoryField {
    PartyCommittee,
    Superior,
    Signer,
    LegalityReview,
    Distribution,
}

impl std::fmt::Display for DirectoryField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        f.write_str(&name)
    }
}

impl OrganEntry {
    fn code(&self) -> Option<&String> {
        match self {
            OrganEntry::Code(c) => Some(c),
            OrganEntry::Full(o) => o.code.as_ref(),
        }
    }
}

impl Manifest {
    /// Each organ's 机关代字, where the manifest gives one: the unit directory takes them (`crate::units`).
    pub fn organ_codes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.organs.iter().filter_map(|(name, o)| o.code().map(|c| (name.as_str(), c.as_str())))
    }

    /// The directory entry of an organ (empty when it is not listed).
    pub fn organ(&self, organ: &str) -> Organ {
        match self.organs.get(organ) {
            Some(OrganEntry::Full(o)) => o.clone(),
            Some(OrganEntry::Code(c)) => Organ { code: Some(c.clone()), ..Organ::default() },
            None => Organ::default(),
        }
    }

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
        if let Some(code) = self.organs.get(organ).and_then(OrganEntry::code) {
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

    /// The organ whose series numbers a memo: the decision organ, or the
    /// author's unit for a document the unit issues in its own name (the
    /// legality opinion of the review body).
    pub fn numbering_organ<'a>(&self, memo: &str, decision_organ: &'a str, author_unit: &'a str) -> &'a str {
        match self.memos.get(memo).map(|m| m.issuer) {
            Some(Issuer::Author) => author_unit,
            _ => decision_organ,
        }
    }

    /// A number as this memo writes it.
    pub fn number_text(&self, memo: &str, series: &str, year: i32, number: i64) -> String {
        match self.memos.get(memo).map(|m| m.number_style) {
            Some(NumberStyle::Issue) => format!("{year}年第{number}期"),
            Some(NumberStyle::Notice) => format!("{year}年第{number}号"),
            _ => number_text(series, year, number),
        }
    }
}

/// Whose series numbers a document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Issuer {
    /// The decision organ (the government and its office).
    #[default]
    Organ,
    /// The author's unit, in its own name.
    Author,
}

/// How a number is written: a 发文字号, a minutes' 期号, a 公告's 号.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberStyle {
    /// 示政发〔2026〕12号.
    #[default]
    Document,
    /// 2026年第3期, under the minutes' mark (示范市人民政府常务会议纪要).
    Issue,
    /// 2026年第2号, under the 公告 title.
    Notice,
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
