//! Risk assessment: the report and the organ's judgement of controllability (Arts. 22–24).

#[allow(unused_imports)]
use crate::procedure::facts::prelude::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskReport {
    pub assessor: String,
    pub methods: Vec<String>,
    pub departments_consulted: Vec<String>,
    pub risk_points: Vec<String>,
    pub measures: Vec<String>,
    pub contingency_plan: String,
    pub level: String,
    pub draft_hash: String,
    /// Statements of the assessing unit that a later draft does not change
    /// the assessed risk (RA-7): each moves the report to that draft.
    #[serde(default)]
    pub confirmations: Vec<OpinionConfirmation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Controllability {
    pub controllable: bool,
    pub by: String,
    pub draft_hash: String,
    pub at: DateTime<Utc>,
}
