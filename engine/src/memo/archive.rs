//! The archive list (归档清单, D33) and the lists of materials a document
//! attaches (the legality submission's, the package's): every document the
//! decision's acts issued, one row each — its number, its title and date as the document
//! prints them, its pages and copies — read from the stored memos when the
//! archiving act renders the list, so the list is the dossier and not a
//! checklist of kinds (a "共十一项" over eleven of thirty documents).
//!
//! Each row is taken from the Chinese Markdown, the official text: a document
//! is archived once, whatever languages it was also rendered in. The list
//! goes into the archiving memo's data, so it re-renders byte for byte.

use chrono::NaiveDate;
use chrono_tz::Asia::Shanghai;
use serde::{Deserialize, Serialize};

use super::MemoSet;
use crate::render::html::{decode_entities, marker};
use crate::render::pages;
use crate::store::StoredMemo;

/// The dossier as the archive list prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DossierList {
    pub documents: Vec<Listed>,
    /// The pages of all documents together.
    pub pages: u32,
    /// Copies of all documents together.
    pub copies: u32,
}

/// One document of the dossier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listed {
    /// The audit record of the act that issued it.
    pub seq: i64,
    /// Its §3 document type (D25).
    pub doc: String,
    /// 发文字号, 期号 or 公告号 as printed; `None` for an unnumbered document.
    pub number: Option<String>,
    pub title: String,
    /// The date the document bears (ISO), or the day it was issued (CST) when it bears none.
    pub date: String,
    /// Estimated A4 pages in the GB/T 9704 layout (`render::pages`).
    pub pages: u32,
    /// The originals filed: one of each document (its Chinese text, the official one).
    pub copies: u32,
}

/// The list of `stored` (a decision's memos, committed before the act that
/// renders the list, so never the list itself), in the order the acts issued them.
pub fn list(set: &MemoSet, stored: &[StoredMemo]) -> DossierList {
    let mut originals: Vec<&StoredMemo> = stored.iter().filter(|m| m.lang == "zh" && m.format == "md").collect();
    originals.sort_by_key(|m| m.seq);
    let documents: Vec<Listed> = originals
        .into_iter()
        .map(|m| {
            let day = || m.created_at.with_timezone(&Shanghai).date_naive().to_string();
            Listed {
                seq: m.seq,
                doc: set.info(&m.memo).map(|i| i.doc.clone()).unwrap_or_default(),
                number: section_line(&m.body, "number").map(|n| number_only(&n)),
                title: section_line(&m.body, "title")
                    .map(|t| t.trim_start_matches('#').trim().to_string())
                    .unwrap_or_else(|| set.info(&m.memo).map(|i| i.zh.clone()).unwrap_or_default()),
                date: section_line(&m.body, "date").and_then(|d| parse_cn_date(&d)).unwrap_or_else(day),
                pages: pages::estimate(&m.body),
                copies: 1,
            }
        })
        .collect();
    DossierList {
        pages: documents.iter().map(|d| d.pages).sum(),
        copies: documents.iter().map(|d| d.copies).sum(),
        documents,
    }
}

/// The first non-blank line of a section of a memo's Markdown, as a reader sees it.
fn section_line(markdown: &str, name: &str) -> Option<String> {
    let mut inside = false;
    for line in markdown.lines() {
        if let Some(found) = marker(line) {
            if inside {
                return None;
            }
            inside = found == name;
            continue;
        }
        if inside && !line.trim().is_empty() {
            return Some(decode_entities(line.trim()));
        }
    }
    None
}

/// The number as a register writes it: without the 签发人 an upward document prints beside it.
fn number_only(line: &str) -> String {
    line.split("签发人").next().unwrap_or(line).trim_end_matches(['　', ' ']).to_string()
}

/// 2026年8月16日 → 2026-08-16.
fn parse_cn_date(text: &str) -> Option<String> {
    let (y, rest) = text.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    let date = NaiveDate::from_ymd_opt(y.trim().parse().ok()?, m.trim().parse().ok()?, d.trim().parse().ok()?)?;
    Some(date.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_read_from_the_official_text() {
        let md = "<!-- gbt:mark -->\n示范市人民政府文件\n\n<!-- gbt:number -->\n示政发〔2026〕1号\n\n<!-- gbt:title -->\n# 关于&quot;甲&quot;的通知\n\n<!-- gbt:body -->\n正文。\n\n<!-- gbt:date -->\n2026年8月6日\n";
        assert_eq!(section_line(md, "number").as_deref(), Some("示政发〔2026〕1号"));
        assert_eq!(section_line(md, "title").as_deref(), Some("# 关于\"甲\"的通知"));
        assert_eq!(section_line(md, "note"), None);
        assert_eq!(parse_cn_date("2026年8月6日").as_deref(), Some("2026-08-06"));
        assert_eq!(parse_cn_date("二〇二六年"), None);
        assert_eq!(number_only("示政请〔2026〕8号　　签发人：李明"), "示政请〔2026〕8号");
        assert_eq!(number_only("2026年第1期"), "2026年第1期");
    }
}
