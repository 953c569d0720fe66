//! The opinions as an act's step reads them. The orchestrator reads this from the store before the step, as it
//! reads the expert pools an act names, so that the transition function stays pure: the counts and chain head
//! of each kind, the campaigns still to be settled, the suggestions on which a hearing was promised, and the
//! opinions the act names.

use std::collections::BTreeMap;

use super::{Campaign, Kind, Opinion};

/// One kind of opinion on one decision.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub count: i64,
    /// The chain head (the last row's hash); empty when there is no row.
    pub head: String,
    /// Campaigns (distinct opinions) with a member neither settled nor hidden.
    pub open: i64,
    /// The first of them, by number, for the refusal to name.
    pub open_sample: Vec<i64>,
    /// Suggestions the unit decided to hold a hearing on.
    pub promised: Vec<i64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Standing {
    pub tallies: BTreeMap<Kind, Tally>,
    /// The opinions the act names (`opinion_id`, `suggestion_id`), as stored.
    pub named: Vec<Opinion>,
    /// Every campaign of comments, leaders first by number, for the adoption summary (read for that act only).
    pub campaigns: Vec<Campaign>,
}

impl Standing {
    pub fn tally(&self, kind: Kind) -> Tally {
        self.tallies.get(&kind).cloned().unwrap_or_default()
    }

    pub fn named(&self, kind: Kind, seq: i64) -> Option<&Opinion> {
        self.named.iter().find(|o| o.kind == kind && o.seq == seq)
    }
}

/// What an act needs read besides the tallies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    pub named: Option<(Kind, i64)>,
    pub campaigns: bool,
}

impl Targets {
    /// The opinion an act's payload names, and whether it summarises the campaigns.
    pub fn of(act: &str, payload: &serde_json::Value) -> Targets {
        let number = |field: &str| payload.get(field).and_then(serde_json::Value::as_i64);
        let kind = payload.get("kind").and_then(|k| k.as_str()).and_then(Kind::parse).unwrap_or(Kind::Comment);
        let named = match act {
            "dispose_opinion" | "split_opinion" => number("opinion_id").map(|n| (Kind::Comment, n)),
            "hide_opinion" => number("opinion_id").map(|n| (kind, n)),
            "decide_hearing_suggestion" => number("suggestion_id").map(|n| (Kind::HearingSuggestion, n)),
            _ => None,
        };
        Targets { named, campaigns: act == "record_public_adoption_summary" }
    }
}
