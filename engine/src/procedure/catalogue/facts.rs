//! The annual catalogue of decision matters and its items (Art. 3(3)).

#[allow(unused_imports)]
use crate::procedure::facts::prelude::*;

/// An organ's annual catalogue of decision matters (Art. 3(3), D3). Every
/// adjustment makes a new version, which needs the Party committee's
/// consent again before it can be published.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Catalogue {
    pub year: i32,
    pub version: u32,
    pub items: Vec<CatalogueItem>,
    pub standards: String,
    pub adjustment_reason: Option<String>,
    /// Consents, each for one exact version.
    pub consents: Vec<PartyConsent>,
    pub published: Vec<CataloguePublication>,
    /// The items of the version last published, watched for delay (AC-2).
    pub watch: Vec<ItemWatch>,
}

impl Catalogue {
    pub fn consent_for_current(&self) -> Option<&PartyConsent> {
        self.consents.iter().find(|c| c.version == self.version)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CatalogueItem {
    pub name: String,
    pub undertaking_unit: String,
    /// The planned time as published, e.g. "2026年第二季度".
    pub planned: String,
    /// The last planned day, machine-readable (given, or read from `planned`).
    #[serde(default)]
    pub planned_by: Option<NaiveDate>,
    /// Whether a hearing will be held (P4 Art. 3).
    #[serde(default)]
    pub hearing_planned: bool,
}

/// A published item watched for delay (AC-2): past its planned date without
/// a decision, it is escalated to the general office.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemWatch {
    pub name: String,
    pub planned_by: NaiveDate,
    /// The decision that decided the item, and when.
    pub decided: Option<ItemDecided>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemDecided {
    pub decision_id: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartyConsent {
    pub version: u32,
    pub reference: String,
    pub date: NaiveDate,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CataloguePublication {
    pub version: u32,
    pub channels: Vec<String>,
    pub published_at: DateTime<Utc>,
}
