//! What a document lists, it carries: every 附件 is attached after the
//! note (the annex), in Markdown and HTML and in both languages; the archive
//! list lists the documents of the dossier, not kinds of material; and the
//! documents the public reads carry no digest.

use serde_json::Value;

use super::{fixture, memos};
use crate::memo::check_layout;
use crate::render::html::page;

/// A run of 32 or more hexadecimal digits: a digest, however it is labelled.
fn has_digest(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars() {
        run = if c.is_ascii_hexdigit() { run + 1 } else { 0 };
        if run >= 32 {
            return true;
        }
    }
    text.contains("SHA-256")
}

fn text(data: &Value, pointer: &str) -> String {
    data.pointer(pointer).and_then(Value::as_str).unwrap_or_else(|| panic!("fixture has no {pointer}")).to_string()
}

#[test]
fn every_document_that_lists_an_attachment_carries_it() {
    let set = memos();
    let mut attaching = Vec::new();
    for memo in set.manifest().memos.keys() {
        let data = fixture(memo);
        for lang in ["zh", "en"] {
            let md = set.render_markdown(memo, lang, &data).unwrap_or_else(|e| panic!("{e}"));
            let sections = check_layout(&md).unwrap_or_else(|e| panic!("{memo}.{lang}: {e}"));
            if !sections.contains(&"attachments") {
                continue;
            }
            assert!(sections.contains(&"annex"), "{memo}.{lang} lists an attachment and attaches none:\n{md}");
            let annex = md.split("<!-- gbt:annex -->").nth(1).unwrap_or_default();
            assert!(annex.lines().filter(|l| !l.trim().is_empty()).count() >= 3, "{memo}.{lang}: an empty annex");
            assert!(page(&md, lang).contains("<div class=\"gbt-annex\">"), "{memo}.{lang}: the HTML has the annex");
            if lang == "zh" {
                attaching.push(memo.clone());
            }
        }
    }
    for memo in ["comment_notice", "hearing_notice", "legality_submission", "package", "decision", "annual_report"] {
        assert!(attaching.iter().any(|m| m == memo), "{memo} attaches its 附件: {attaching:?}");
    }
}

/// The draft open for comment or for the hearing is attached with its explanation and legal basis.
#[test]
fn notices_attach_the_draft_and_its_explanation() {
    let set = memos();
    for memo in ["comment_notice", "hearing_notice"] {
        let data = fixture(memo);
        for lang in ["zh", "en"] {
            let md = set.render_markdown(memo, lang, &data).unwrap_or_else(|e| panic!("{e}"));
            let annex = md.split("<!-- gbt:annex -->").nth(1).unwrap_or_default();
            for p in ["/draft/text", "/draft/explanation", "/draft/legal_basis/0"] {
                assert!(annex.contains(&text(&data, p)), "{memo}.{lang}: the annex shows {p}:\n{annex}");
            }
            let html = page(&md, lang);
            let annex = html.split("<div class=\"gbt-annex\">").nth(1).unwrap_or_default();
            assert!(annex.contains(&text(&data, "/draft/text")), "{memo}.{lang}.html:\n{annex}");
        }
    }
}

/// The legality submission and the package attach the list of the materials sent: every document issued
/// before them, by number, title and date.
#[test]
fn submissions_attach_the_list_of_materials() {
    let set = memos();
    for memo in ["legality_submission", "package"] {
        let data = fixture(memo);
        let documents = data.pointer("/dossier/documents").and_then(Value::as_array).cloned().unwrap_or_default();
        assert!(documents.len() >= 5, "{memo}: the fixture lists the documents issued before it");
        let md = set.render_markdown(memo, "zh", &data).unwrap_or_else(|e| panic!("{e}"));
        let annex = md.split("<!-- gbt:annex -->").nth(1).unwrap_or_default();
        for d in &documents {
            assert!(annex.contains(&text(d, "/title")), "{memo}: lists {d}:\n{annex}");
            if let Some(n) = d.get("number").and_then(Value::as_str) {
                assert!(annex.contains(n), "{memo}: lists number {n}");
            }
        }
        let count = documents.len();
        assert!(md.contains(&format!("共{count}件）")), "{memo}: the attachment line counts {count}:\n{md}");
        assert!(!has_digest(&md), "{memo}: the digest is in the record, not in the letter:\n{md}");
    }
}

/// D33 lists every document of the dossier with its number, title, date, pages and copies, and its total is
/// the count of the rows it shows.
#[test]
fn the_archive_list_lists_every_document_of_the_dossier() {
    let set = memos();
    let data = fixture("archive_manifest");
    let documents = data.pointer("/dossier/documents").and_then(Value::as_array).cloned().unwrap_or_default();
    assert!(documents.len() > 11, "the demo's dossier has more documents than the eleven kinds checked");
    let md = set.render_markdown("archive_manifest", "zh", &data).unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| 序号")).collect();
    assert_eq!(rows.len(), documents.len(), "one row per document:\n{md}");
    for (row, d) in rows.iter().zip(&documents) {
        let date = crate::render::helpers::date_cn(&text(d, "/date"));
        let number = d.get("number").and_then(Value::as_str).unwrap_or("—");
        let pages = d.get("pages").and_then(Value::as_u64).unwrap_or_default();
        let want = format!("| {number} | {} | {date} | {pages} | 1 |", text(d, "/title"));
        assert!(row.ends_with(&want), "{row}\nwanted …{want}");
        assert!(pages >= 1);
    }
    let count = documents.len();
    let pages: u64 = documents.iter().filter_map(|d| d.get("pages").and_then(Value::as_u64)).sum();
    assert!(md.contains(&format!("共{count}件、{count}份、{pages}页")), "{md}");
    assert!(!md.contains("共十一项"), "{md}");
    assert!(md.contains("示政发〔2026〕1号") && md.contains("2026年第1期"), "numbers as issued:\n{md}");
}

/// What the public reads (notices, the published decision, the suspension, the participant list) binds to
/// the record through the record and the dossier's manifest, never through a digest on its face.
#[test]
fn public_documents_carry_no_digest() {
    let set = memos();
    let public = ["comment_notice", "hearing_notice", "hearing_participants", "decision", "publication", "suspension"];
    for memo in public {
        let data = fixture(memo);
        for lang in ["zh", "en"] {
            let md = set.render_markdown(memo, lang, &data).unwrap_or_else(|e| panic!("{e}"));
            assert!(!has_digest(&md), "{memo}.{lang}:\n{md}");
        }
    }
    assert!(has_digest("（摘要 SHA-256：ab）") && has_digest(&"0123456789abcdef".repeat(2)) && !has_digest("2026年"));
}

/// The working documents that answer a draft (the draft itself, the expert and legality opinions, the risk
/// report, the controllability judgement) name it by its version, as an office does; the digest that binds
/// them to that draft stays in the record and the dossier's manifest.
#[test]
fn working_documents_name_the_draft_by_version_not_digest() {
    let set = memos();
    for memo in ["draft", "expert_opinion", "legality_opinion", "risk_report", "controllability"] {
        let data = fixture(memo);
        let zh = set.render_markdown(memo, "zh", &data).unwrap_or_else(|e| panic!("{e}"));
        let note = zh.split("<!-- gbt:note -->").nth(1).unwrap_or_default();
        assert!(note.contains("第一稿"), "{memo}: the note names the draft's version:\n{zh}");
        let en = set.render_markdown(memo, "en", &data).unwrap_or_else(|e| panic!("{e}"));
        assert!(en.to_lowercase().contains("version 1"), "{memo}.en:\n{en}");
        assert!(!has_digest(&zh) && !has_digest(&en), "{memo}:\n{zh}");
    }
}
