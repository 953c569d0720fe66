//! A memo's A4 HTML page, rendered when it is read from the sealed Markdown.
//!
//! An act seals its memos' Markdown (the text, in both languages: its hash is
//! on the record). The HTML page is the GB/T 9704 layout of that text
//! (`render::html::page`), a pure function of it, so it is not stored: a
//! stored page would double the rows, pages and bytes every act writes for
//! nothing the record needs. Records written before this have their pages
//! stored and sealed too; those are read as they were stored.
//!
//! Every reader of memos (the API, the pages, the dossier, the CLI) takes
//! them through [`renditions`] or [`find`], so each sees the same list; a
//! page is withheld whenever its Markdown is ([`markdown_of`],
//! `Veil::rendition`).

use crate::audit::sha256_hex;
use crate::store::StoredMemo;

/// A memo as readers get it: a sealed rendition from the store, or the HTML
/// page of a sealed Markdown one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendition {
    pub memo: StoredMemo,
    /// For a page rendered on read, the hash of the sealed Markdown it shows
    /// (the one its record vouches for); `None` for a sealed rendition.
    pub rendered_from: Option<String>,
}

/// The stored memos with, after each Markdown rendition whose page is not
/// stored, that page.
pub fn renditions(stored: &[StoredMemo]) -> Vec<Rendition> {
    let mut out = Vec::with_capacity(stored.len() * 2);
    for m in stored {
        out.push(Rendition { memo: m.clone(), rendered_from: None });
        if m.format == "md" && !stored.iter().any(|p| p.format == "html" && same_memo(p, m)) {
            out.push(page_of(m));
        }
    }
    out
}

/// The HTML page of a sealed Markdown rendition.
pub fn page_of(md: &StoredMemo) -> Rendition {
    let body = crate::render::html::page(&md.body, &md.lang);
    Rendition {
        memo: StoredMemo { format: "html".into(), sha256: sha256_hex(body.as_bytes()), body, ..md.clone() },
        rendered_from: Some(md.sha256.clone()),
    }
}

/// One rendition by name: stored, or the page of its stored Markdown.
pub fn find(stored: &[StoredMemo], seq: i64, memo: &str, lang: &str, format: &str) -> Option<Rendition> {
    let named = |m: &&StoredMemo, format: &str| m.seq == seq && m.memo == memo && m.lang == lang && m.format == format;
    match stored.iter().find(|m| named(m, format)) {
        Some(m) => Some(Rendition { memo: m.clone(), rendered_from: None }),
        None if format == "html" => stored.iter().find(|m| named(m, "md")).map(page_of),
        None => None,
    }
}

/// The Markdown a page lays out (the same act's memo in the same language), whether the page was rendered on
/// read or stored: a page is withheld whenever it is (`Veil::rendition`). `None` for a Markdown rendition.
pub fn markdown_of<'a>(stored: &'a [StoredMemo], page: &StoredMemo) -> Option<&'a StoredMemo> {
    (page.format != "md").then(|| stored.iter().find(|m| m.format == "md" && same_memo(m, page))).flatten()
}

/// Two renditions of one memo of one act, in one language.
fn same_memo(a: &StoredMemo, b: &StoredMemo) -> bool {
    a.seq == b.seq && a.memo == b.memo && a.lang == b.lang
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn stored(seq: i64, memo: &str, lang: &str, format: &str, body: &str) -> StoredMemo {
        StoredMemo {
            decision_id: "d".into(),
            seq,
            memo: memo.into(),
            lang: lang.into(),
            format: format.into(),
            body: body.into(),
            sha256: sha256_hex(body.as_bytes()),
            template_sha256: "t".into(),
            data: "{}".into(),
            created_at: Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap(),
        }
    }

    const MD: &str = "<!-- title -->\n# 关于某事的决定\n\n<!-- body -->\n正文。\n\n<!-- date -->\n2026年3月2日\n";

    #[test]
    fn each_markdown_rendition_without_its_page_gets_one_rendered_from_it() {
        let list = renditions(&[stored(3, "decision", "zh", "md", MD), stored(3, "decision", "en", "md", "# D")]);
        let names: Vec<(String, String, Option<String>)> =
            list.iter().map(|r| (r.memo.lang.clone(), r.memo.format.clone(), r.rendered_from.clone())).collect();
        assert_eq!(
            names,
            [
                ("zh".into(), "md".into(), None),
                ("zh".into(), "html".into(), Some(sha256_hex(MD.as_bytes()))),
                ("en".into(), "md".into(), None),
                ("en".into(), "html".into(), Some(sha256_hex(b"# D"))),
            ]
        );
        let page = &list[1].memo;
        assert_eq!(page.body, crate::render::html::page(MD, "zh"));
        assert_eq!(page.sha256, sha256_hex(page.body.as_bytes()));
        assert!(page.body.contains("关于某事的决定") && page.body.contains("<html"), "{}", page.body);
        assert_eq!((page.seq, page.created_at, page.data.as_str()), (3, list[0].memo.created_at, "{}"));
    }

    #[test]
    fn a_page_stored_and_sealed_by_an_earlier_version_is_read_as_stored() {
        let sealed = stored(3, "decision", "zh", "html", "<p>as sealed</p>");
        let both = [stored(3, "decision", "zh", "md", MD), sealed.clone()];
        let list = renditions(&both);
        assert_eq!(list.len(), 2);
        assert_eq!(list[1], Rendition { memo: sealed.clone(), rendered_from: None });
        let found = find(&both, 3, "decision", "zh", "html");
        assert_eq!(found.map(|r| r.memo.body), Some("<p>as sealed</p>".to_string()));
        // Its Markdown is the one it is withheld with.
        assert_eq!(markdown_of(&both, &sealed), Some(&both[0]));
        assert_eq!(markdown_of(&both, &both[0]), None);
    }

    #[test]
    fn find_renders_the_page_of_the_named_markdown_only() {
        let list = vec![stored(3, "decision", "zh", "md", MD), stored(4, "decision", "zh", "md", "# other")];
        let page = find(&list, 3, "decision", "zh", "html").expect("a page");
        assert_eq!(page.rendered_from, Some(sha256_hex(MD.as_bytes())));
        assert_eq!(markdown_of(&list, &page.memo), Some(&list[0]));
        assert_eq!(find(&list, 3, "decision", "en", "html"), None);
        assert_eq!(find(&list, 5, "decision", "zh", "html"), None);
        assert_eq!(find(&list, 3, "decision", "zh", "pdf"), None);
    }
}
