//! Initiation and drafting: the proposal, the start, the draft, the determinations of which stages apply, non-disclosure, the cost-benefit analysis and the inter-departmental consultation (Arts. 10–14).

#[allow(unused_imports)]
use super::*;

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

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Flags {
    pub technical: bool,
    pub high_public_concern: bool,
    pub affects_market_entities: bool,
    pub specific_group_interest: bool,
    pub npc_report_required: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Draft {
    pub version: u32,
    /// SHA-256 of the canonical draft content; opinions bind to it.
    pub hash: String,
    pub text: String,
    pub explanation: String,
    pub legal_basis: Vec<String>,
    pub options: Vec<String>,
    /// Art. 12(4): the unit marked major disagreements on the matter.
    #[serde(default)]
    pub major_disagreement: bool,
    pub by: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Applicability {
    Applicable,
    NotApplicable,
    AlreadyDone,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Determination {
    pub outcome: Applicability,
    pub reason: String,
    /// For `already_done`: the existing document (id, issuing body, date).
    pub reference: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A determination that no longer counts, with the act that replaced it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupersededDetermination {
    pub stage: String,
    pub determination: Determination,
    pub superseded_by: String,
    pub superseded_at: DateTime<Utc>,
    /// Why it was changed (the revision's reason, or the non-disclosure ground).
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NonDisclosure {
    /// A ground of 政府信息公开条例 Arts. 14–16, by its key (`crate::nondisclosure::Ground`).
    pub legal_ground: String,
    /// The provision relied on (e.g. 《保守国家秘密法》第十三条).
    #[serde(default)]
    pub legal_basis: String,
    pub approved_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostBenefit {
    pub inputs: String,
    pub benefits: String,
    pub draft_hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consultation {
    pub unit: String,
    pub agreed: bool,
    pub opinion: String,
}
