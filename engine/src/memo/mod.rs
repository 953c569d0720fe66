//! Memos: the documents of the procedure (regulation.md §3), rendered from
//! handlebars templates in `workflows/<key>/memos/` in strict mode (a
//! missing field is an error, never a blank in an official document) with
//! HTML escaping on, in Chinese and English, as Markdown; each is read also
//! as an A4 HTML page in the GB/T 9704 layout (`render::html`, [`pages`]).
//!
//! Loading checks more than syntax: where the folder has a `manifest.toml`
//! (the national procedure's does), every template is listed in it and rendered from its fixture (`fixtures/<memo>.json`,
//! data as the act records it), and the sections of the output must follow
//! the official-document order. A template that uses a field its act does
//! not record therefore fails when the engine starts, not when an official
//! document is due.

pub mod archive;
pub mod manifest;
pub mod pages;
#[cfg(test)]
pub(crate) mod tests;

use std::collections::BTreeMap;
use std::path::Path;

use handlebars::Handlebars;
use serde::Serialize;

use crate::audit::sha256_hex;
use crate::render::html::{marker, SECTIONS};
pub use manifest::{DirectoryField, Manifest, MemoInfo, Organ};

/// One rendered memo in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub memo: String,
    pub lang: String,
    pub format: String,
    pub body: String,
    pub sha256: String,
    pub template_sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MemoError {
    #[error("memo template {0}: {1}")]
    Template(String, String),
    #[error("memo {0}: {1}")]
    Render(String, String),
}

pub const LANGS: [&str; 2] = ["zh", "en"];

/// What every memo's data carries besides the act's own data, under `meta`:
/// the §3 common fields (type, decision, author, date) and, for a numbered
/// document, its number.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub doc_type: String,
    pub doc_zh: String,
    pub doc_en: String,
    pub decision_id: String,
    /// The audit record (chain position) of the act.
    pub seq: i64,
    pub act: String,
    pub author: Author,
    pub issued_at: String,
    pub number: Option<DocNumber>,
    /// The decision organ's entry in the unit directory: the real addressees
    /// and signer its documents print.
    pub directory: Organ,
}

#[derive(Debug, Clone, Serialize)]
pub struct Author {
    pub user_id: String,
    pub name: String,
    pub unit: String,
    pub position: String,
}

/// A document number (发文字号) allocated to a memo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocNumber {
    pub organ: String,
    pub series: String,
    pub year: i32,
    pub number: i64,
    /// As written: 示政发〔2026〕12号.
    pub text: String,
}

/// The templates of one workflow, loaded once.
pub struct MemoSet {
    registry: Handlebars<'static>,
    /// SHA-256 of each template's source, by registry name.
    hashes: BTreeMap<String, String>,
    manifest: Manifest,
}

impl MemoSet {
    pub fn load(workflow_dir: &Path) -> Result<MemoSet, MemoError> {
        let dir = workflow_dir.join("memos");
        let manifest = Manifest::load(&dir)?;
        let checked = manifest.is_some();
        let manifest = manifest.unwrap_or_default();
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        crate::render::helpers::register(&mut registry);
        let mut hashes = BTreeMap::new();
        let entries =
            std::fs::read_dir(&dir).map_err(|e| MemoError::Template(dir.display().to_string(), e.to_string()))?;
        let mut paths: Vec<_> =
            entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "hbs")).collect();
        paths.sort();
        for path in paths {
            let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
            let source =
                std::fs::read_to_string(&path).map_err(|e| MemoError::Template(name.clone(), e.to_string()))?;
            hashes.insert(name.clone(), sha256_hex(source.as_bytes()));
            registry
                .register_template_string(&name, source)
                .map_err(|e| MemoError::Template(name.clone(), e.to_string()))?;
        }
        let set = MemoSet { registry, hashes, manifest };
        // A folder without a manifest (a procedure still being written) gets
        // the strict rendering only: no fixture, layout or numbering.
        if checked {
            set.validate(&dir)?;
        }
        Ok(set)
    }

    /// Every template is in the manifest and every manifest entry has both
    /// languages; each renders from its fixture in the official layout.
    fn validate(&self, dir: &Path) -> Result<(), MemoError> {
        for name in self.hashes.keys() {
            let memo = name.rsplit_once('.').map(|(m, _)| m).unwrap_or(name);
            if !self.manifest.memos.contains_key(memo) {
                return Err(MemoError::Template(name.clone(), "not listed in memos/manifest.toml".into()));
            }
        }
        for memo in self.manifest.memos.keys() {
            let path = dir.join("fixtures").join(format!("{memo}.json"));
            let text = std::fs::read_to_string(&path)
                .map_err(|e| MemoError::Template(memo.clone(), format!("fixture {}: {e}", path.display())))?;
            let data: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| MemoError::Template(memo.clone(), format!("fixture {}: {e}", path.display())))?;
            for lang in LANGS {
                if !self.has(memo, lang) {
                    return Err(MemoError::Template(format!("{memo}.{lang}"), "template missing".into()));
                }
                let md = self.render_markdown(memo, lang, &data)?;
                check_layout(&md).map_err(|e| MemoError::Template(format!("{memo}.{lang}"), e))?;
            }
        }
        Ok(())
    }

    pub fn has(&self, memo: &str, lang: &str) -> bool {
        self.registry.has_template(&format!("{memo}.{lang}"))
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    pub fn info(&self, memo: &str) -> Option<&MemoInfo> {
        self.manifest.memos.get(memo)
    }

    /// The template's source hash (its version).
    pub fn template_sha256(&self, memo: &str, lang: &str) -> Option<&str> {
        self.hashes.get(&format!("{memo}.{lang}")).map(String::as_str)
    }

    pub fn render_markdown(&self, memo: &str, lang: &str, data: &serde_json::Value) -> Result<String, MemoError> {
        self.render_in(memo, lang, &handlebars::Context::from(data.clone()))
    }

    fn render_in(&self, memo: &str, lang: &str, data: &handlebars::Context) -> Result<String, MemoError> {
        let name = format!("{memo}.{lang}");
        self.registry.render_with_context(&name, data).map_err(|e| MemoError::Render(name.clone(), e.to_string()))
    }

    /// Render a memo in both languages as Markdown: the renditions an act
    /// seals. Their HTML pages are rendered when read ([`pages`]).
    pub fn render(&self, memo: &str, data: &serde_json::Value) -> Result<Vec<Rendered>, MemoError> {
        let mut out = Vec::new();
        // One copy of the data for both languages (rendering by name copies it into a context each time).
        let data = handlebars::Context::from(data.clone());
        for lang in LANGS {
            let body = self.render_in(memo, lang, &data)?;
            out.push(Rendered {
                memo: memo.to_string(),
                lang: lang.to_string(),
                format: "md".to_string(),
                sha256: sha256_hex(body.as_bytes()),
                body,
                template_sha256: self.template_sha256(memo, lang).unwrap_or_default().to_string(),
            });
        }
        Ok(out)
    }
}

/// The act's data with `meta` added (the act's own `meta`, if any, is replaced).
pub fn with_meta(data: serde_json::Value, meta: &Meta) -> serde_json::Value {
    let mut data = match data {
        serde_json::Value::Object(map) => map,
        other => {
            let mut map = serde_json::Map::new();
            map.insert("value".into(), other);
            map
        }
    };
    data.insert("meta".into(), serde_json::to_value(meta).unwrap_or(serde_json::Value::Null));
    serde_json::Value::Object(data)
}

/// The section markers of a rendered memo must appear in GB/T 9704 order,
/// each at most once, with a title, a body and a date.
pub fn check_layout(markdown: &str) -> Result<Vec<&'static str>, String> {
    let found: Vec<&'static str> = markdown.lines().filter_map(marker).collect();
    let rank = |s: &str| SECTIONS.iter().position(|x| *x == s).unwrap_or(usize::MAX);
    for pair in found.windows(2) {
        if rank(pair[0]) >= rank(pair[1]) {
            return Err(format!("section `{}` cannot follow `{}` (order: {})", pair[1], pair[0], SECTIONS.join(", ")));
        }
    }
    for required in ["title", "body", "date"] {
        if !found.contains(&required) {
            return Err(format!("the `{required}` section is missing"));
        }
    }
    // A 公告 has no mark: its number (2026年第2号) may open it.
    if !matches!(found.first(), Some(&"mark" | &"number" | &"title")) {
        return Err("a document starts with its mark, its number or its title".into());
    }
    Ok(found)
}
