//! The facts recorded on a decision, act by act. Handlers (each phase's
//! `acts.rs`) write them; gates (each phase's `gates.rs`) read them; each
//! phase's `facts.rs` holds its own types, re-exported here. Everything is plain data so the whole
//! state serialises into the store and into the dossier export.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use super::archive::facts::*;
pub use super::catalogue::facts::*;
pub use super::drafting::facts::*;
pub use super::execution::facts::*;
pub use super::execution::supersession::{ExecutionEnd, Supersession};
pub use super::experts::facts::*;
pub use super::initiation::facts::*;
pub use super::legality::facts::*;
pub use super::meeting::facts::{DecisionOutcome, Meeting, SentBack, Stance, Tally};
pub use super::participation::facts::*;
pub use super::release::facts::*;
pub use super::responsibility::facts::{AccountabilityCase, CaseConclusion, ResponsiblePerson};
pub use super::risk::facts::*;

/// What each phase's `facts.rs` is written with, imported whole: the common types and every fact type.
pub(crate) mod prelude {
    pub(crate) use chrono::{DateTime, NaiveDate, Utc};
    pub(crate) use serde::{Deserialize, Serialize};

    pub(crate) use super::*;
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Facts {
    pub title: String,
    /// The decision organ (决策机关), e.g. 某市人民政府.
    pub organ: String,
    pub proposal: Option<Proposal>,
    pub start: Option<StartRecord>,
    pub flags: Flags,
    pub drafts: Vec<Draft>,
    /// Applicability determinations by conditional stage kind.
    pub applicability: BTreeMap<String, Determination>,
    /// Determinations later changed (`revise_applicability`, or a non-disclosure that took their place): a
    /// determination is never overwritten, the record keeps what was decided before and when it stopped counting.
    pub superseded_determinations: Vec<SupersededDetermination>,
    pub non_disclosure: Option<NonDisclosure>,
    pub cost_benefit: Option<CostBenefit>,
    pub consultations: Vec<Consultation>,
    pub dispute_statement: Option<String>,
    pub comment_notices: Vec<CommentNotice>,
    /// The general office's approvals of a comment period below the floor (regulation.md §6), each used by at
    /// most one notice.
    pub shortening_approvals: Vec<ShorteningApproval>,
    pub activities: Vec<Activity>,
    /// Recorded here before opinions had rows of their own (see [`PublicOpinion`]); never written now.
    pub opinions: Vec<PublicOpinion>,
    pub public_adoption_summary: Option<String>,
    pub hearing: Option<Hearing>,
    /// Recorded here before opinions had rows of their own (see [`PublicOpinion`]); never written now.
    pub hearing_suggestions: Vec<HearingSuggestion>,
    pub experts: Vec<ExpertAssignment>,
    pub expert_adoption_summary: Option<String>,
    pub risk_report: Option<RiskReport>,
    pub controllability: Option<Controllability>,
    pub legality_submissions: Vec<LegalitySubmission>,
    pub lawyer_opinions: Vec<LawyerOpinion>,
    pub legality_opinion: Option<LegalityOpinion>,
    pub fair_competition: Option<FairCompetition>,
    pub package: Option<Package>,
    /// The meeting in progress or last held on this decision (Art. 30).
    pub meeting: Option<Meeting>,
    /// Meetings held earlier on this decision, whole, in order: a matter sent
    /// back is discussed again at a new meeting with its own number, and what
    /// was said at the first one stays on record (CD-5).
    pub earlier_meetings: Vec<Meeting>,
    /// Each time a meeting sent the matter back for revision (退回修改).
    pub sent_back: Vec<SentBack>,
    pub outcome: Option<DecisionOutcome>,
    pub executing_unit: Option<String>,
    pub party_report: Option<PartyReport>,
    pub npc_report: Option<String>,
    pub publication: Option<Publication>,
    pub execution_reports: Vec<ExecutionReport>,
    /// Since when the decision is being executed (begun, resumed); `None`
    /// while suspended or ended. Periodic execution reports run from it (IM-1).
    pub execution_since: Option<DateTime<Utc>>,
    /// For a child decision (Art. 37): the decision it adjusts and why.
    pub origin: Option<AdjustmentOrigin>,
    /// Child decisions opened to adjust or stop this one (Art. 37).
    pub adjustments: Vec<Adjustment>,
    /// Recorded here before opinions had rows of their own (see [`PublicOpinion`]); never written now.
    pub feedback: Vec<PublicOpinion>,
    pub suspension: Option<Suspension>,
    pub post_evaluation: Option<PostEvaluation>,
    /// A decided adjustment took this decision's place (Art. 37).
    pub superseded_by: Option<Supersession>,
    /// Execution ended, with its lawful ground (Art. 37).
    pub execution_end: Option<ExecutionEnd>,
    pub archive: Option<Archive>,
    /// Set only on a catalogue (procedure `catalogue`).
    pub catalogue: Option<Catalogue>,
    /// Set only on an expert pool (procedure `expert_pool`).
    pub pool: Option<ExpertPool>,
    /// Reproducible random draws of experts for this decision (EX-5).
    pub draws: Vec<ExpertDraw>,
    /// Warnings raised by accepted acts, in order (see `crate::warning`).
    pub warnings: Vec<crate::warning::Warning>,
    /// Responsibility-tracing cases on this decision (Arts. 38–41), in the order opened.
    pub accountability: Vec<AccountabilityCase>,
}

impl Facts {
    /// Who is named on the decision so that a role scoped to its own decisions reads it in full (the arms of
    /// `visibility::read_access` that look at the decision): `unit:<name>` for its undertaking and lead units (the
    /// proposing unit before the start) and its executing unit, `user:<id>` for its experts and its meeting's
    /// members. Stored with the record, so that a worklist finds a reader's decisions among many others'
    /// (`visibility::party_keys`); it may name more than grants access, never less: the full check is still made
    /// on each decision found.
    pub fn parties(&self) -> std::collections::BTreeSet<String> {
        let unit = |u: &str| format!("unit:{u}");
        let mut out = std::collections::BTreeSet::new();
        match &self.start {
            Some(s) => out.extend(s.undertaking_units.iter().chain(&s.lead_unit).map(|u| unit(u))),
            None => out.extend(self.proposal.iter().map(|p| unit(&p.proposer))),
        }
        out.extend(self.executing_unit.iter().map(|u| unit(u)));
        out.extend(self.experts.iter().map(|e| format!("user:{}", e.expert_id)));
        out.extend(self.meeting.iter().flat_map(|m| m.accounts.values()).map(|u| format!("user:{u}")));
        out
    }

    pub fn current_draft(&self) -> Option<&Draft> {
        self.drafts.last()
    }

    pub fn current_draft_hash(&self) -> Option<&str> {
        self.current_draft().map(|d| d.hash.as_str())
    }

    /// The determination recorded for a conditional stage kind.
    pub fn determination(&self, kind: &str) -> Option<&Determination> {
        self.applicability.get(kind)
    }

    /// Record `det` for the stage `kind`; one already there is kept as superseded, with `why`.
    pub fn determine(&mut self, kind: &str, det: Determination, why: &str) {
        let (by, at) = (det.by.clone(), det.at);
        if let Some(old) = self.applicability.insert(kind.to_string(), det) {
            self.superseded_determinations.push(SupersededDetermination {
                stage: kind.to_string(),
                determination: old,
                superseded_by: by,
                superseded_at: at,
                why: why.to_string(),
            });
        }
    }

    /// Whether the decision was published to the public (a withheld release is not).
    pub fn publicly_published(&self) -> bool {
        self.publication.as_ref().is_some_and(Publication::is_public)
    }

    /// True unless the stage was determined not applicable or already done.
    pub fn is_applicable(&self, kind: &str) -> bool {
        self.determination(kind).is_none_or(|d| d.outcome == Applicability::Applicable)
    }
}
