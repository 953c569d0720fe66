//! Expert consultation: who was selected or drawn, their declarations and opinions (Arts. 19–21).

#[allow(unused_imports)]
use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpertAssignment {
    pub expert_id: String,
    pub name: String,
    pub institution: bool,
    pub official: bool,
    pub field: String,
    pub conflict: Option<String>,
    pub opinion: Option<ExpertOpinion>,
    pub replaced_reason: Option<String>,
    /// Declared a direct interest after assignment (A11 variant): off the
    /// panel, any opinion kept in the record and not counted. Never cleared,
    /// also not by the replacement.
    #[serde(default)]
    pub excluded_conflict: bool,
    /// The expert who took this one's place, if any (recorded in D14).
    #[serde(default)]
    pub replaced_by: Option<String>,
    /// Replaced because no opinion came by the due date (EX-8): a fact for
    /// the expert's integrity record, not a sanction.
    #[serde(default)]
    pub non_submission: bool,
    /// Confidentiality acknowledged (保密承诺) before the materials open.
    #[serde(default)]
    pub confidentiality_ack: Option<DateTime<Utc>>,
    /// When the expert declared, on their own account, no direct interest in the matter (利害关系声明, Art. 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interest_declared_at: Option<DateTime<Utc>>,
    /// The pool record the expert was taken from, if any (EX-5).
    #[serde(default)]
    pub pool: Option<String>,
    /// The day the opinion is due (EX-8), at 24:00 CST; reminders follow.
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
}

impl ExpertAssignment {
    /// On the panel and still owing an opinion.
    pub fn outstanding(&self) -> bool {
        self.opinion.is_none() && self.replaced_reason.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpertOpinion {
    pub necessity: String,
    pub feasibility: String,
    pub scientific_soundness: String,
    pub signature: Option<String>,
    pub seal: Option<String>,
    pub draft_hash: String,
    pub submitted_at: DateTime<Utc>,
}
