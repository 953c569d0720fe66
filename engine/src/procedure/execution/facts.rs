//! After the decision: execution reports, suspension, post-evaluation and adjustments (Arts. 33–37).

#[allow(unused_imports)]
use crate::procedure::facts::prelude::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExecutionReport {
    /// progress / decision_problem / major_change / force_majeure
    pub kind: String,
    pub text: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suspension {
    pub report_index: usize,
    pub urgency_reason: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostEvaluation {
    pub trigger: String,
    pub evaluator: String,
    pub report: Option<String>,
    pub recommendation: Option<String>,
    #[serde(default)]
    pub public_opinion_collection: Option<String>,
    /// Participant categories of Art. 36(3) that took part.
    #[serde(default)]
    pub participants: Vec<String>,
    #[serde(default)]
    pub reported_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Adjustment {
    pub child_id: String,
    pub reason: String,
    pub at: DateTime<Utc>,
    pub by: String,
    /// The post-evaluation report whose recommendation opened it (PE-4).
    #[serde(default)]
    pub evaluation: Option<EvaluationLink>,
}

/// Which post-evaluation report an adjustment came from (Art. 36(4)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationLink {
    pub evaluator: String,
    /// adjust / stop
    pub recommendation: String,
    /// SHA-256 of the report text, as in the parent's record.
    pub report_sha256: String,
    pub reported_at: Option<DateTime<Utc>>,
}

/// Where a child decision comes from: its parent and the reason, recorded
/// on the child by the parent's `record_adjustment` (Art. 37).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdjustmentOrigin {
    pub parent: String,
    pub reason: String,
    pub evaluation: Option<EvaluationLink>,
    pub at: DateTime<Utc>,
}
