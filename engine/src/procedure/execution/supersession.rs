//! How a decision in force stops being the one in force (Art. 37): only by
//! procedure — an adjustment decided as a child decision, or the execution
//! completed and reported.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// This decision was superseded: an adjustment (a child decision, Art. 37)
/// was decided. Recorded on the parent by the engine, in the child's `decide`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Supersession {
    /// The child decision that adjusts or stops this one.
    pub child_id: String,
    /// The date of the meeting that decided the child.
    pub decided_on: Option<NaiveDate>,
    pub at: DateTime<Utc>,
}

/// Execution ended (`end_execution`), and on which lawful ground.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExecutionEnd {
    /// `superseded` (a decided adjustment) or `completed` (a completion
    /// report); empty when there is none, and then the gate refuses.
    pub ground: String,
    pub at: DateTime<Utc>,
}
