//! Initiation: the proposal and the start (Arts. 10–11).

#[allow(unused_imports)]
use crate::procedure::facts::prelude::*;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Proposal {
    pub proposer_type: String,
    pub proposer: String,
    pub summary: String,
    pub main_problem: Option<String>,
    pub reasons_and_basis: Option<String>,
    pub preliminary_solution: Option<String>,
    pub necessity: Option<String>,
    pub feasibility: Option<String>,
    pub written: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartRecord {
    pub category: u8,
    pub undertaking_units: Vec<String>,
    pub lead_unit: Option<String>,
    pub catalogue_item: Option<String>,
    /// The catalogue record the item is listed in; its delay monitoring
    /// learns from this decision when the item is decided (AC-2).
    #[serde(default)]
    pub catalogue: Option<String>,
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
}
