//! A refused act: stable machine-readable reason codes, messages in Chinese
//! and English, and the article of the Decree each one enforces. A refusal
//! never changes state.

use std::fmt::Display;

use serde::{Deserialize, Serialize};

/// A refusal's specifics (which item is missing, which date...) in Chinese and English, like its message. It
/// travels as one string, "中文 / English", so the answer's shape stays one field; it can only be built from both
/// languages, so no place that refuses can forget one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail(String);

impl Detail {
    pub fn new(zh: impl Display, en: impl Display) -> Detail {
        Detail(format!("{zh} / {en}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Display for Detail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A detail in both languages: `bi("缺少：x", "missing: x")`.
pub fn bi(zh: impl Display, en: impl Display) -> Detail {
    Detail::new(zh, en)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub reason_code: String,
    pub article: String,
    pub message_zh: String,
    pub message_en: String,
    /// Specifics of this case (which item is missing, which date...), "中文 / English" (see [`Detail`]).
    pub detail: Option<String>,
}

impl Reason {
    pub fn new(code: &str, article: &str, zh: &str, en: &str) -> Reason {
        Reason {
            reason_code: code.to_string(),
            article: article.to_string(),
            message_zh: zh.to_string(),
            message_en: en.to_string(),
            detail: None,
        }
    }

    pub fn with_detail(mut self, detail: Detail) -> Reason {
        self.detail = Some(detail.0);
        self
    }
}

/// One or more reasons; the first is the headline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub reasons: Vec<Reason>,
}

impl Refusal {
    pub fn one(reason: Reason) -> Refusal {
        Refusal { reasons: vec![reason] }
    }

    pub fn reason_code(&self) -> &str {
        self.reasons.first().map(|r| r.reason_code.as_str()).unwrap_or("refused")
    }

    pub fn article(&self) -> &str {
        self.reasons.first().map(|r| r.article.as_str()).unwrap_or("")
    }

    pub fn codes(&self) -> Vec<&str> {
        self.reasons.iter().map(|r| r.reason_code.as_str()).collect()
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, r) in self.reasons.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{} ({}): {} / {}", r.reason_code, r.article, r.message_zh, r.message_en)?;
            if let Some(d) = &r.detail {
                write!(f, " [{d}]")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Refusal {}
