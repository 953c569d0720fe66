//! Warnings: checks a definition declares like gates (`[warnings.<code>]`)
//! whose failure does not refuse the act. A warning that fires is kept in the
//! decision's facts, with the act that raised it, and returned to the caller.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::refusal::Reason;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Warning {
    /// The stable code: the warning's key in the definition.
    pub code: String,
    pub article: String,
    pub message_zh: String,
    pub message_en: String,
    /// Specifics of this case (who, which item...).
    pub detail: Option<String>,
    /// The act that raised it and its place in the decision's record.
    pub act: String,
    pub seq: i64,
    pub at: DateTime<Utc>,
}

impl Warning {
    /// A check's failure, raised as a warning by the act `act` (record `seq`).
    pub fn raised(r: Reason, act: &str, seq: i64, at: DateTime<Utc>) -> Warning {
        Warning {
            code: r.reason_code,
            article: r.article,
            message_zh: r.message_zh,
            message_en: r.message_en,
            detail: r.detail,
            act: act.to_string(),
            seq,
            at,
        }
    }
}
