//! A decision (one 重大行政决策 matter) as the engine sees it: where it is
//! in its procedure, how many acts it has accepted, and the facts recorded so far.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::procedure::facts::Facts;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    pub id: String,
    pub workflow_key: String,
    pub workflow_version: u32,
    pub stage: String,
    /// Number of accepted acts; the optimistic-concurrency token.
    pub version: i64,
    /// The decision this one adjusts (Art. 37 child decision).
    pub parent: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub facts: Facts,
}

impl Decision {
    /// A decision before its first act: version 0, at the workflow's start.
    pub fn new(id: &str, workflow_key: &str, workflow_version: u32, start: &str, now: DateTime<Utc>) -> Self {
        Decision {
            id: id.to_string(),
            workflow_key: workflow_key.to_string(),
            workflow_version,
            stage: start.to_string(),
            version: 0,
            parent: None,
            created_at: now,
            updated_at: now,
            facts: Facts::default(),
        }
    }

    pub fn title(&self) -> &str {
        &self.facts.title
    }
}
