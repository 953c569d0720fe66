//! The public's opinions — comments in a consultation (Arts. 14–15), feedback
//! on a published decision (Art. 35(2)), suggestions that a hearing be held
//! — kept as records of their own, outside the decision's state, so that a
//! consultation that draws a hundred thousand comments costs each comment the
//! same as the first.
//!
//! The transition function still decides whether an opinion is taken (the
//! period, disclosure, the text): the act's step returns a [`Submission`]
//! instead of changing the facts, and the orchestrator's intake writes it as
//! a row, group-committed with other opinions arriving at the same time.
//! Each row links to the one before it of its kind ([`chain`]); identical and
//! near-identical texts join one campaign ([`cluster`]), which the drafter
//! disposes of once. What the drafter does with an opinion (a disposition, a
//! split from its campaign, hiding abusive text) is an act on the decision's
//! record, and its effect on the row ([`LedgerWrite`]) is committed with it.

pub mod chain;
pub mod cluster;
#[cfg(test)]
pub(crate) mod memory;
mod standing;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use standing::{Standing, Tally, Targets};

/// What the public sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Comment,
    Feedback,
    HearingSuggestion,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Comment, Kind::Feedback, Kind::HearingSuggestion];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Comment => "comment",
            Kind::Feedback => "feedback",
            Kind::HearingSuggestion => "hearing_suggestion",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind an act takes from the public, if it is one of those acts.
    pub fn of_act(act: &str) -> Option<Kind> {
        match act {
            "receive_comment" => Some(Kind::Comment),
            "submit_feedback" => Some(Kind::Feedback),
            "suggest_hearing" => Some(Kind::HearingSuggestion),
            _ => None,
        }
    }

    /// The first letter of a receipt number, so a receipt says what it is for.
    fn letter(self) -> char {
        match self {
            Kind::Comment => 'C',
            Kind::Feedback => 'F',
            Kind::HearingSuggestion => 'H',
        }
    }
}

/// An opinion the transition function accepted, before it is numbered and written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    pub kind: Kind,
    pub content: String,
    /// Name and contact, if given: only the decision's drafters and oversight read it.
    pub submitter: Option<String>,
    /// The comment notice the comment answers (the consultation).
    pub notice: Option<u32>,
}

/// One opinion as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Opinion {
    pub decision_id: String,
    pub kind: Kind,
    /// Its number among the decision's opinions of its kind, from 1.
    pub seq: i64,
    pub notice: Option<i64>,
    pub content: String,
    pub submitter: Option<String>,
    /// The server's clock when the row was written: never a time the sender gives.
    pub received_at: DateTime<Utc>,
    /// What the sender was given to look the opinion up by.
    pub receipt: String,
    pub content_sha256: String,
    pub chain_hash: String,
    /// The `seq` of the first opinion of its campaign (its own when it has none).
    pub cluster: i64,
    /// For the first opinion of a campaign, how many joined it (itself included); 1 for any other.
    pub members: i64,
    pub settled: Option<Settled>,
    pub hidden: Option<Hidden>,
}

impl Opinion {
    /// Stands for a campaign of others (or only for itself).
    pub fn leads_cluster(&self) -> bool {
        self.cluster == self.seq
    }
}

/// What the drafter did with an opinion: a disposition (adopted, partly, not_adopted) for a comment, the unit's
/// decision (`hold`, `no_hearing`) for a hearing suggestion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Settled {
    pub outcome: String,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
    /// The act on the decision's record that settled it.
    pub act_seq: i64,
    /// Settled for its whole campaign at once.
    #[serde(default)]
    pub via_cluster: bool,
}

/// Content withheld from readers outside the drafters and oversight (abusive or unlawful), with the reason; the
/// text stays on record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hidden {
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
    pub act_seq: i64,
}

/// What a drafter's act does to the opinion rows, written in the act's own transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "write", rename_all = "snake_case")]
pub enum LedgerWrite {
    /// Settle one opinion, or (with `cluster`) every opinion of a campaign not settled on its own.
    Settle {
        kind: Kind,
        seq: i64,
        cluster: bool,
        settled: Settled,
    },
    /// Take an opinion out of its campaign: it stands alone, and a settlement it inherited is gone.
    Split {
        kind: Kind,
        seq: i64,
    },
    Hide {
        kind: Kind,
        seq: i64,
        hidden: Hidden,
    },
}

/// A fresh receipt number: the kind's letter and ten random characters of an alphabet without look-alikes, so
/// receipts cannot be guessed one from another.
pub fn new_receipt(kind: Kind) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    let tail: String = (0..10).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
    format!("{}{tail}", kind.letter())
}

/// The filters of a list of opinions, and where the page starts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OpinionQuery {
    pub decision_id: String,
    pub kind: Option<Kind>,
    pub notice: Option<i64>,
    /// Only the members of this campaign.
    pub cluster: Option<i64>,
    /// Only campaign leaders (one row per distinct opinion).
    pub leaders_only: bool,
    /// `open` (to be settled), `settled`, or an outcome (`adopted`, `partly`, `not_adopted`, `hold`, …).
    pub disposition: Option<String>,
    /// `named` (a name or contact given) or `anonymous`.
    pub submitter: Option<String>,
    /// Received at or after / before.
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Text the content holds (any language: matched by characters).
    pub text: Option<String>,
    /// The last `(kind, seq)` of the previous page.
    pub after: Option<(Kind, i64)>,
    pub limit: i64,
}

/// A campaign: its first opinion, how many joined it, and how many of them are still to be settled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Campaign {
    pub leader: Opinion,
    pub size: i64,
    pub open: i64,
}
