//! The collective discussion (Art. 30): the meeting, its members' stances
//! and their count, and the decision taken at it.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meeting {
    /// 1 for the first meeting on this decision, 2 for the next after the matter was sent back, ….
    #[serde(default = "first_meeting")]
    pub number: u32,
    /// executive (常务会议) or plenary (全体会议)
    pub meeting_type: String,
    pub date: NaiveDate,
    pub members: Vec<String>,
    /// The sign-in account of each member who records their own stance (member's name → user id). Names are not
    /// identities: two people may share one. A member listed by name alone has the general office record theirs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub accounts: BTreeMap<String, String>,
    pub stances: Vec<Stance>,
    pub chief: Option<Stance>,
    /// Members present who had not spoken when the chief executive gave the
    /// opinion (Art. 30(2)); the chief confirmed going ahead, the minutes name them.
    #[serde(default)]
    pub unheard: Vec<String>,
    pub divergence_reason: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The members' current stances as the engine counts them, kept with
    /// the meeting so that every reader shows the same count.
    #[serde(default)]
    pub tally: Tally,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentBack {
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

fn first_meeting() -> u32 {
    1
}

/// The count of the members' current stances (Art. 30(2)): the latest stance
/// of each member, once; the chief executive's opinion is not counted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    /// support and support-with-changes
    pub support: u32,
    pub oppose: u32,
    pub reserve: u32,
    /// Members whose current stance is counted.
    pub counted: u32,
    /// `support` or `oppose` when more than half of the counted stances
    /// say so; `tie` when support and oppose are equal; `none` otherwise
    /// (no side has more than half, or nobody has spoken).
    pub majority: String,
}

impl Tally {
    pub fn of(stances: &[Stance]) -> Tally {
        let current = || stances.iter().filter(|s| !s.superseded);
        let count = |f: fn(&str) -> bool| current().filter(|s| f(&s.stance)).count() as u32;
        let support = count(|s| s == "support" || s == "support_with_changes");
        let oppose = count(|s| s == "oppose");
        let reserve = count(|s| s == "reserve");
        let counted = current().count() as u32;
        let majority = if support * 2 > counted {
            "support"
        } else if oppose * 2 > counted {
            "oppose"
        } else if support == oppose && counted > 0 {
            "tie"
        } else {
            "none"
        };
        Tally { support, oppose, reserve, counted, majority: majority.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stance {
    pub member: String,
    /// support / oppose / support_with_changes / reserve
    pub stance: String,
    pub words: String,
    pub at: DateTime<Utc>,
    /// A later stance of the same member replaced this one: it stays in the
    /// minutes and the record, and is no longer counted.
    #[serde(default)]
    pub superseded: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionOutcome {
    /// adopt / reject
    pub outcome: String,
    /// The majority of the meeting's tally when the chief executive decided.
    pub majority: String,
    pub draft_hash: String,
    /// The date of the meeting that took the decision: the decision's date.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// The meeting's number on this decision.
    #[serde(default)]
    pub meeting: Option<u32>,
    /// When the decision was recorded.
    pub decided_at: DateTime<Utc>,
}

impl Meeting {
    /// The name on the roster of the member signed in as `user_id`, if any.
    pub fn member_of(&self, user_id: &str) -> Option<&str> {
        self.accounts.iter().find(|(_, u)| *u == user_id).map(|(name, _)| name.as_str())
    }

    /// The majority of the members' current stances (see [`Tally`]).
    pub fn majority(&self) -> &str {
        &self.tally.majority
    }

    /// True when the chief executive's decision departs from the majority.
    pub fn diverges(&self, decision: &str) -> bool {
        matches!((self.majority(), decision), ("support", "reject") | ("oppose", "adopt"))
    }
}
