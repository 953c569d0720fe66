//! Public participation: comment notices and their periods, activities, opinions and their dispositions, hearings and hearing suggestions (Arts. 14–18).

#[allow(unused_imports)]
use crate::procedure::facts::prelude::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentNotice {
    pub id: u32,
    pub draft_hash: String,
    pub channels: Vec<String>,
    pub submission_methods: Vec<String>,
    pub start: NaiveDate,
    pub days: u32,
    pub last_day: NaiveDate,
    pub ends_at: DateTime<Utc>,
    pub shortening_reason: Option<String>,
    pub published_at: DateTime<Utc>,
    /// When the scheduler closed the period (`end_comment_period`): no comment is taken after that, whatever a
    /// clock or a later calendar says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
    /// The period was shortened after publication (A5 variant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_shortening: Option<LateShortening>,
    /// Art. 15: the period is below the floor and the published notice did
    /// not say why — a reason given afterwards does not cure it. The stage
    /// waits for a new, compliant notice to run.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub non_compliant_shortening: bool,
    /// How many comments the decision had, and their chain head, when the period closed (see [`crate::ledger`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments_at_close: Option<ChainSeal>,
}

/// A chain of opinions as it stood at a moment of the record: its length and its head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainSeal {
    pub count: i64,
    pub head: String,
}

/// The general office approves a comment period of `days` (below the floor) for the reason stated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShorteningApproval {
    pub days: u32,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
    /// The notice that relied on it, once published.
    #[serde(default)]
    pub notice: Option<u32>,
}

/// A comment period shortened after its notice went out, with the reason
/// given then (not part of the notice as published).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LateShortening {
    pub from_days: u32,
    pub reason: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub method: String,
    pub participant_types: Vec<String>,
    pub summary: String,
}

/// An opinion as decisions recorded it in their state before opinions had rows of their own (migration 0013);
/// the store's upgrade copies them into rows ([`crate::ledger`]), and the state keeps what it recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicOpinion {
    pub id: u32,
    pub content: String,
    pub submitter: Option<String>,
    pub received_at: DateTime<Utc>,
    pub disposition: Option<Disposition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Disposition {
    /// adopted / partly / not_adopted
    pub outcome: String,
    pub reason: String,
    pub by: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Hearing {
    pub notice_published_at: Option<DateTime<Utc>>,
    pub date: Option<NaiveDate>,
    pub place: String,
    pub sides: Vec<String>,
    pub participants: Vec<HearingParticipant>,
    pub record_confirmed: bool,
    /// The published participant-selection method (Art. 16(3)).
    pub selection_method: Option<SelectionMethod>,
    /// When the participant list was published (before the hearing).
    pub list_published_at: Option<DateTime<Utc>>,
    /// The hearing record in the three segments of Art. 17.
    pub record: Option<HearingRecord>,
    /// The notice said participants are not selected (everyone who registers attends): Art. 16(3)'s
    /// selection method applies only where they are (需要遴选的).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_selection: bool,
}

/// A suggestion from the public that a hearing be held (听证建议; Guangdong
/// 2023, P4 Art. 2), and the undertaking unit's decision on it, as recorded in the state before migration 0013
/// (see [`PublicOpinion`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HearingSuggestion {
    pub id: u32,
    pub content: String,
    /// Name and contact, if given; never published.
    pub submitter: Option<String>,
    pub received_at: DateTime<Utc>,
    pub decision: Option<SuggestionDecision>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestionDecision {
    /// Whether a hearing will be held.
    pub hold: bool,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SelectionMethod {
    pub criteria: String,
    pub quota_per_side: u32,
    pub published_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HearingRecord {
    /// (1) the undertaking unit presents the draft, its basis and circumstances.
    pub presentation: String,
    /// (2) participants' statements, questions, cross-examination and debate.
    pub statements: String,
    /// Explanations by the unit or experts, if any.
    pub explanations: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HearingParticipant {
    pub name: String,
    pub side: String,
    pub materials_delivered_on: Option<NaiveDate>,
    pub signed: bool,
    pub refusal_reason: Option<String>,
}
