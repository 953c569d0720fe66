//! After the decision: execution reports, suspension, post-evaluation and the archive (Arts. 33–37).

#[allow(unused_imports)]
use super::*;

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
pub struct Archive {
    pub archivist: String,
    pub items: Vec<String>,
    pub archived_at: DateTime<Utc>,
}
