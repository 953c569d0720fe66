//! Who may read a decision, and how much of it. Reads are authorized here,
//! in the engine, like acts: the HTTP layer asks and obeys.
//!
//! * full view: the general office, the chief executive, oversight and the
//!   administrator (all decisions: the administrator answers operators'
//!   questions about any of them); drafters of an undertaking unit (or, before the start,
//!   of the proposing unit); legality reviewers and legal advisers once the
//!   draft was submitted for review; members of the decision's meeting; the
//!   executing unit (a unit by its identity in the unit directory: under any name it had, never its
//!   sub-units', `crate::units`); experts assigned to it — who see no material before
//!   their confidentiality undertaking and no other expert's opinion before
//!   submitting their own ([`Veil`], which every full read goes through);
//!   the pool manager, of expert pool records;
//! * public view: anyone, once the decision is published or while it is
//!   open for comment — title, organ, stage, the draft open for comment, the
//!   comment notices and the publication; never opinions, experts or the
//!   internal record.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::actor::{Actor, Role};
use crate::decision::Decision;
use crate::procedure::facts::{CommentNotice, Facts, Publication, Supersession};
use crate::refusal::{Detail, Reason, Refusal};

mod veil;
pub use veil::{RecordView, Veil, Withheld};

/// How much of a decision a reader sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Full,
    Public,
}

/// The policy is not an article of Decree No. 713; refusals name it.
const POLICY: &str = "access policy (Decree 713 Art. 38; OGI Regulation Arts. 14–16)";

/// What `actor` may see of `d` at `now`, or why not.
pub fn read_access(d: &Decision, actor: &Actor, now: DateTime<Utc>) -> Result<Access, Refusal> {
    let f = &d.facts;
    let full = actor.roles.iter().any(|r| match r {
        Role::GeneralOffice | Role::ChiefExecutive | Role::Oversight | Role::Administrator => true,
        Role::Drafter => match &f.start {
            Some(s) => {
                s.undertaking_units.iter().any(|u| actor.is_of_unit(u))
                    || s.lead_unit.as_deref().is_some_and(|u| actor.is_of_unit(u))
            }
            None => f.proposal.as_ref().is_some_and(|p| actor.is_of_unit(&p.proposer)),
        },
        Role::LegalityReviewer | Role::LegalAdviser => !f.legality_submissions.is_empty(),
        Role::MeetingMember => f.meeting.as_ref().is_some_and(|m| m.member_of(&actor.user_id).is_some()),
        Role::ExecutingUnit => f.executing_unit.as_deref().is_some_and(|u| actor.is_of_unit(u)),
        Role::Expert => f.experts.iter().any(|e| e.expert_id == actor.user_id),
        // The pool manager keeps the pool records (Art. 21, EX-6): admissions, status, integrity facts.
        Role::PoolManager => f.pool.is_some(),
        _ => false,
    });
    if full {
        return Ok(Access::Full);
    }
    if is_public(f, now) {
        return Ok(Access::Public);
    }
    let scoped = actor.roles.iter().any(|r| {
        matches!(
            r,
            Role::Drafter
                | Role::LegalityReviewer
                | Role::LegalAdviser
                | Role::MeetingMember
                | Role::ExecutingUnit
                | Role::Expert
        )
    });
    let reason = if scoped {
        Reason::new("not_assigned", POLICY, "您未被指派办理该决策事项", "you are not assigned to this decision")
    } else {
        Reason::new("role_not_permitted", POLICY, "无权查阅该决策事项", "your role may not read this decision")
    };
    Err(Refusal::one(reason.with_detail(Detail::new(format!("决策事项 {}", d.id), format!("decision {}", d.id)))))
}

/// The [`Facts::parties`] any one of which names `actor` on a decision; `None` when one of their roles reads
/// decisions in full whoever is named on them (the general office, legality reviewers once a draft is submitted,
/// …), so that only a check of each decision can tell. `None` too when a name has a bar in it: the store keeps the
/// names between bars (`decision_parties`, migration 0018), and would cut such a name in two.
pub fn party_keys(actor: &Actor) -> Option<Vec<String>> {
    if actor.roles.iter().any(|r| reads_unnamed(*r)) {
        return None;
    }
    let units = std::iter::once(&actor.unit).chain(&actor.former_units).map(|u| format!("unit:{u}"));
    let keys: Vec<String> = units.chain(std::iter::once(format!("user:{}", actor.user_id))).collect();
    keys.iter().all(|k| !k.contains('|')).then_some(keys)
}

/// Whether `role` may read some decision in full without being named on it: [`read_access`]'s arms that do not
/// look at [`Facts::parties`]. Every role is listed, so that a new one must be placed here too.
fn reads_unnamed(role: Role) -> bool {
    match role {
        Role::GeneralOffice | Role::ChiefExecutive | Role::Oversight | Role::Administrator => true,
        Role::LegalityReviewer | Role::LegalAdviser | Role::PoolManager => true,
        Role::Drafter | Role::ExecutingUnit | Role::Expert | Role::MeetingMember => false,
        // Never in full.
        Role::Public | Role::System => false,
    }
}

/// Published to the public (a release withheld on a non-disclosure ground is not), or consulted publicly: a
/// consultation once published stays on the public record after its period, marked as ended (Art. 15).
pub fn is_public(f: &Facts, now: DateTime<Utc>) -> bool {
    f.publicly_published() || open_for_comment(f, now) || consulted_publicly(f, now) || hearing_announced(f, now)
}

/// A hearing notice of the matter has been published (Art. 16(2)): the hearing's time, place and sides are
/// public from then on — unless the matter was declared not to be disclosed by law.
pub fn hearing_announced(f: &Facts, now: DateTime<Utc>) -> bool {
    f.non_disclosure.is_none() && f.hearing.as_ref().and_then(|h| h.notice_published_at).is_some_and(|t| t <= now)
}

/// The hearing is announced and its record not yet confirmed: the draft and its explanation stay public for it
/// (Art. 16(2): the draft and its explanation are published before the hearing).
fn hearing_ahead(f: &Facts, now: DateTime<Utc>) -> bool {
    hearing_announced(f, now) && f.hearing.as_ref().is_some_and(|h| h.record.is_none())
}

/// A comment notice of the matter has been published, whether its period runs or has ended — unless the
/// matter was declared not to be disclosed by law.
pub fn consulted_publicly(f: &Facts, now: DateTime<Utc>) -> bool {
    f.non_disclosure.is_none() && f.comment_notices.iter().any(|n| n.published_at <= now)
}

/// How a public consultation stands, for the public lists: still open, or ended and when.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsultationState {
    /// `open` while a comment period runs; `ended` after it (the consultation stays listed).
    pub status: String,
    /// When the last period ended: when it was closed, or its end.
    pub ended_at: Option<DateTime<Utc>>,
}

fn consultation_state(f: &Facts, now: DateTime<Utc>) -> Option<ConsultationState> {
    if !consulted_publicly(f, now) {
        return None;
    }
    if open_for_comment(f, now) {
        return Some(ConsultationState { status: "open".into(), ended_at: None });
    }
    let last = f.comment_notices.iter().filter(|n| n.published_at <= now).max_by_key(|n| n.ends_at);
    Some(ConsultationState { status: "ended".into(), ended_at: last.map(|n| n.closed_at.unwrap_or(n.ends_at)) })
}

pub fn open_for_comment(f: &Facts, now: DateTime<Utc>) -> bool {
    f.comment_notices.iter().any(|n| n.published_at <= now && now < n.ends_at)
}

/// What the public sees of a decision's facts.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicFacts {
    pub title: String,
    pub organ: String,
    /// The draft, while it is open for comment or a hearing on it is ahead.
    pub draft: Option<PublicDraft>,
    pub comment_notices: Vec<CommentNotice>,
    pub publication: Option<Publication>,
    /// The text as decided, once the decision is published to the public (Art. 32): the version the
    /// decision names by its hash, not whatever draft came last.
    pub decided_text: Option<PublicDraft>,
    /// A decided adjustment took this decision's place (Art. 37): the public sees which.
    pub superseded_by: Option<Supersession>,
    /// The public consultation, open or ended, when there was one.
    pub consultation: Option<ConsultationState>,
    /// The hearing, once its notice is published (Art. 16).
    pub hearing: Option<PublicHearing>,
}

/// What the public sees of a hearing: the notice (time, place, sides), the selection method and the
/// participant list once each is published (Art. 16(2)–(3)); never contacts, signatures or refusals.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicHearing {
    pub notice_published_at: DateTime<Utc>,
    pub date: Option<chrono::NaiveDate>,
    pub place: String,
    pub sides: Vec<String>,
    /// How participants are selected, once published; absent when everyone who registers attends.
    pub selection_method: Option<PublicSelection>,
    /// Participants by side, once the list is published.
    pub participants: Vec<PublicParticipant>,
    /// Whether the hearing has been held (its record is kept).
    pub held: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicSelection {
    pub criteria: String,
    pub quota_per_side: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicParticipant {
    pub name: String,
    pub side: String,
}

fn public_hearing(f: &Facts, now: DateTime<Utc>) -> Option<PublicHearing> {
    if !hearing_announced(f, now) {
        return None;
    }
    let h = f.hearing.as_ref()?;
    let listed = h.list_published_at.is_some_and(|t| t <= now);
    Some(PublicHearing {
        notice_published_at: h.notice_published_at?,
        date: h.date,
        place: h.place.clone(),
        sides: h.sides.clone(),
        selection_method: h
            .selection_method
            .as_ref()
            .filter(|m| m.published_at <= now)
            .map(|m| PublicSelection { criteria: m.criteria.clone(), quota_per_side: m.quota_per_side }),
        participants: if listed {
            h.participants.iter().map(|p| PublicParticipant { name: p.name.clone(), side: p.side.clone() }).collect()
        } else {
            Vec::new()
        },
        held: h.record.is_some(),
    })
}

/// A draft as the public reads it (open for comment, or as decided and published), without who wrote it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicDraft {
    pub version: u32,
    pub text: String,
    pub explanation: String,
    pub legal_basis: Vec<String>,
}

/// The schema of a view's facts: the full [`Facts`] or the [`PublicFacts`].
#[cfg(feature = "openapi")]
pub fn facts_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{AnyOfBuilder, Ref};
    AnyOfBuilder::new()
        .item(Ref::from_schema_name("Facts"))
        .item(Ref::from_schema_name("PublicFacts"))
        .description(Some("`Facts` for access `full`, `PublicFacts` for access `public`"))
        .into()
}

/// The facts `actor` may see under `access`, as JSON, and what was
/// withheld from them.
pub fn facts_view(
    d: &Decision,
    actor: &Actor,
    access: Access,
    now: DateTime<Utc>,
) -> (serde_json::Value, Vec<Withheld>) {
    let f = &d.facts;
    match access {
        Access::Public => {
            let public_draft = |dr: &crate::procedure::facts::Draft| PublicDraft {
                version: dr.version,
                text: dr.text.clone(),
                explanation: dr.explanation.clone(),
                legal_basis: dr.legal_basis.clone(),
            };
            let draft =
                f.current_draft().filter(|_| open_for_comment(f, now) || hearing_ahead(f, now)).map(public_draft);
            let adopted = f.outcome.as_ref().filter(|o| o.outcome == "adopt" && f.publicly_published());
            let decided_text =
                adopted.and_then(|o| f.drafts.iter().find(|dr| dr.hash == o.draft_hash)).map(public_draft);
            let public = PublicFacts {
                title: f.title.clone(),
                organ: f.organ.clone(),
                draft,
                comment_notices: f.comment_notices.clone(),
                // A release withheld on a non-disclosure ground says nothing to the public.
                publication: f.publication.clone().filter(|_| f.publicly_published()),
                decided_text,
                superseded_by: f.superseded_by.clone(),
                consultation: consultation_state(f, now),
                hearing: public_hearing(f, now),
            };
            (serde_json::to_value(&public).unwrap_or(serde_json::Value::Null), Vec::new())
        }
        Access::Full => Veil::for_reader(d, actor).facts(f),
    }
}
