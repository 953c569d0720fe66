//! Memos: the documents of the procedure, rendered from handlebars templates
//! in `workflows/<key>/memos/` in strict mode (a missing field is an error,
//! never a blank in an official document) with HTML escaping on.

use std::path::Path;

use handlebars::Handlebars;

use crate::audit::sha256_hex;

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

/// The templates of one workflow, loaded once.
pub struct MemoSet {
    registry: Handlebars<'static>,
    /// SHA-256 of each template's source, by registry name.
    hashes: std::collections::BTreeMap<String, String>,
}

impl MemoSet {
    pub fn load(workflow_dir: &Path) -> Result<MemoSet, MemoError> {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        let mut hashes = std::collections::BTreeMap::new();
        let dir = workflow_dir.join("memos");
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
        crate::render::helpers::register(&mut registry);
        Ok(MemoSet { registry, hashes })
    }

    pub fn has(&self, memo: &str, lang: &str) -> bool {
        self.registry.has_template(&format!("{memo}.{lang}"))
    }

    /// Render a memo in both languages as Markdown-flavoured text and HTML.
    pub fn render(&self, memo: &str, data: &serde_json::Value) -> Result<Vec<Rendered>, MemoError> {
        let mut out = Vec::new();
        for lang in ["zh", "en"] {
            let name = format!("{memo}.{lang}");
            let md = self.registry.render(&name, data).map_err(|e| MemoError::Render(name.clone(), e.to_string()))?;
            let template_sha256 = self.hashes.get(&name).cloned().unwrap_or_default();
            let html = crate::render::html::page(&md, lang);
            for (format, body) in [("md", md), ("html", html)] {
                out.push(Rendered {
                    memo: memo.to_string(),
                    lang: lang.to_string(),
                    format: format.to_string(),
                    sha256: sha256_hex(body.as_bytes()),
                    body,
                    template_sha256: template_sha256.clone(),
                });
            }
        }
        Ok(out)
    }
}
