//! Drafting: the draft versions, the determinations of which stages apply,
//! non-disclosure, the cost-benefit analysis and the inter-departmental
//! consultation (Arts. 12–14).

#[allow(unused_imports)]
use crate::procedure::facts::prelude::*;

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
