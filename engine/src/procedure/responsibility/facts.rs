//! Responsibility tracing (责任追究, Arts. 38–41): a case opened against
//! named people for named acts of the record, and its conclusion. A case is
//! never edited: its conclusion is added to it, once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One responsibility-tracing case on a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountabilityCase {
    /// 1, 2, … in the order the cases were opened on this decision.
    pub number: u32,
    /// The article the conduct is traced under: Art. 38, 39, 40 or 41.
    pub article: String,
    /// What was done or not done, as the opening body states it.
    pub grounds: String,
    pub persons: Vec<ResponsiblePerson>,
    /// The acts of this decision's record (audit positions) the case concerns.
    pub acts: Vec<i64>,
    /// "name (unit, position)" of who opened the case, and when.
    pub opened_by: String,
    pub opened_at: DateTime<Utc>,
    pub conclusion: Option<CaseConclusion>,
}

/// A person the case names, as the unit and position stood at the time of the acts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponsiblePerson {
    pub name: String,
    pub unit: String,
    pub position: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseConclusion {
    /// `liable` (责任成立, with measures) or `not_liable` (不予追究).
    pub finding: String,
    /// The measures taken against each liable person (处分、诫勉 …); empty when not liable.
    pub measures: String,
    pub reasoning: String,
    pub concluded_by: String,
    pub concluded_at: DateTime<Utc>,
}
