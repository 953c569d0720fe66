//! The Party-committee report and publication (Arts. 31, 32).

#[allow(unused_imports)]
use crate::procedure::facts::prelude::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartyReport {
    pub reference_no: String,
    pub submitted_at: DateTime<Utc>,
    pub response: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Publication {
    pub channels: Vec<String>,
    pub adoption_explanation: Option<String>,
    pub interpretation_activities: Vec<String>,
    pub published_at: DateTime<Utc>,
    /// A matter not to be disclosed by law (PB-3): released without public publication, on this ground (its
    /// key); nothing of it reaches a public endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<String>,
}

impl Publication {
    /// Published to the public (not withheld on a non-disclosure ground).
    pub fn is_public(&self) -> bool {
        self.withheld.is_none()
    }
}
