//! A refused act: stable machine-readable reason codes, messages in Chinese
//! and English, and the article of the Decree each one enforces. A refusal
//! never changes state.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub reason_code: String,
    pub article: String,
    pub message_zh: String,
    pub message_en: String,
    /// Specifics of this case (which item is missing, which date...).
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

    pub fn with_detail(mut self, detail: impl Into<String>) -> Reason {
        self.detail = Some(detail.into());
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
