//! Legality review: the submission, lawyers' opinions, the opinion and its confirmations, the fair-competition review, and how experts stand in the package (Arts. 25–29).

#[allow(unused_imports)]
use crate::procedure::facts::prelude::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalitySubmission {
    pub draft_hash: String,
    pub legal_basis: Vec<String>,
    pub procedure_explanation: String,
    pub received_complete_on: NaiveDate,
    pub requested_due: NaiveDate,
    /// The earliest due date the floor allows (inputs kept for re-checking).
    pub floor_due: NaiveDate,
    pub urgency_reason: Option<String>,
    /// `pending`, `returned` or `supplement_requested` (Art. 26(1)); a
    /// returned or supplemented submission needs a new one, which restarts the clock.
    #[serde(default = "pending")]
    pub status: String,
    #[serde(default)]
    pub reviewer_note: Option<String>,
    /// The day the reviewer recorded the complete materials as received (`record_review_receipt`): from then
    /// on the floor counts from it, not from a day the drafter declared (Art. 26(2)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_recorded_on: Option<NaiveDate>,
    /// The reviewer who acknowledged the drafter's urgency reason for a shorter review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency_acknowledged_by: Option<String>,
}

fn pending() -> String {
    "pending".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LawyerOpinion {
    pub author: String,
    /// 法律顾问 or 公职律师
    pub capacity: String,
    pub opinion: String,
    pub draft_hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalityOpinion {
    pub authority: String,
    pub procedure: String,
    pub content: String,
    /// lawful / lawful_subject_to_changes / unlawful / exploratory_with_legal_risk
    pub conclusion: String,
    pub legal_risk_statement: Option<String>,
    pub reviewer: String,
    pub draft_hash: String,
    pub issued_at: DateTime<Utc>,
    /// Reviewer statements that a later draft change does not affect legality.
    #[serde(default)]
    pub confirmations: Vec<OpinionConfirmation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpinionConfirmation {
    pub from_hash: String,
    pub to_hash: String,
    pub statement: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FairCompetition {
    pub initial_review: String,
    pub regulator_conclusion: String,
    pub passed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackageExpert {
    pub expert_id: String,
    pub name: String,
    pub status: String,
}

impl ExpertAssignment {
    /// How this expert's opinion stands in the Art. 29 package.
    pub fn package_status(&self) -> &'static str {
        if self.excluded_conflict {
            "excluded_conflict"
        } else if self.replaced_reason.is_some() {
            "replaced"
        } else if self.opinion.is_some() {
            "counted"
        } else {
            "pending"
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Package {
    pub items: Vec<String>,
    /// Every expert assigned, with how their opinion stands in the package
    /// (`counted`, `excluded_conflict`, `replaced`, `pending`).
    #[serde(default)]
    pub experts: Vec<PackageExpert>,
    pub draft_hash: String,
    pub submitted_at: DateTime<Utc>,
}
