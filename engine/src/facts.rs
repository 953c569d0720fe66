//! The facts recorded on a decision, act by act. Handlers (`acts/`) write
//! them; gates (`gates/`) read them. Everything is plain data so the whole
//! state serialises into the store and into the dossier export.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

mod execution;
mod meeting;

pub use execution::{ExecutionEnd, Supersession};
pub use meeting::{DecisionOutcome, Meeting, SentBack, Stance, Tally};

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
    pub opinions: Vec<PublicOpinion>,
    pub public_adoption_summary: Option<String>,
    pub hearing: Option<Hearing>,
    /// Hearings the public suggested, each with the unit's decision (PP-8).
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
    /// Public feedback on the published decision (Art. 35(2)).
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
}

impl Facts {
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
/// 2023, P4 Art. 2), and the undertaking unit's decision on it.
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpertAssignment {
    pub expert_id: String,
    pub name: String,
    pub institution: bool,
    pub official: bool,
    pub field: String,
    pub conflict: Option<String>,
    pub opinion: Option<ExpertOpinion>,
    pub replaced_reason: Option<String>,
    /// Declared a direct interest after assignment (A11 variant): off the
    /// panel, any opinion kept in the record and not counted. Never cleared,
    /// also not by the replacement.
    #[serde(default)]
    pub excluded_conflict: bool,
    /// The expert who took this one's place, if any (recorded in D14).
    #[serde(default)]
    pub replaced_by: Option<String>,
    /// Replaced because no opinion came by the due date (EX-8): a fact for
    /// the expert's integrity record, not a sanction.
    #[serde(default)]
    pub non_submission: bool,
    /// Confidentiality acknowledged (保密承诺) before the materials open.
    #[serde(default)]
    pub confidentiality_ack: Option<DateTime<Utc>>,
    /// When the expert declared, on their own account, no direct interest in the matter (利害关系声明, Art. 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interest_declared_at: Option<DateTime<Utc>>,
    /// The pool record the expert was taken from, if any (EX-5).
    #[serde(default)]
    pub pool: Option<String>,
    /// The day the opinion is due (EX-8), at 24:00 CST; reminders follow.
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
}

impl ExpertAssignment {
    /// On the panel and still owing an opinion.
    pub fn outstanding(&self) -> bool {
        self.opinion.is_none() && self.replaced_reason.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpertOpinion {
    pub necessity: String,
    pub feasibility: String,
    pub scientific_soundness: String,
    pub signature: Option<String>,
    pub seal: Option<String>,
    pub draft_hash: String,
    pub submitted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskReport {
    pub assessor: String,
    pub methods: Vec<String>,
    pub departments_consulted: Vec<String>,
    pub risk_points: Vec<String>,
    pub measures: Vec<String>,
    pub contingency_plan: String,
    pub level: String,
    pub draft_hash: String,
    /// Statements of the assessing unit that a later draft does not change
    /// the assessed risk (RA-7): each moves the report to that draft.
    #[serde(default)]
    pub confirmations: Vec<OpinionConfirmation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Controllability {
    pub controllable: bool,
    pub by: String,
    pub draft_hash: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalitySubmission {
    pub draft_hash: String,
    pub legal_basis: Vec<String>,
    pub procedure_explanation: String,
    pub received_complete_on: NaiveDate,
    pub requested_due: NaiveDate,
    /// The earliest due date the floor allows (inputs kept for re-checking).
    pub floor_due: NaiveDate,
    pub urgency_reason: Option<String>,
    /// `pending`, `returned` or `supplement_requested` (Art. 26(1)); a
    /// returned or supplemented submission needs a new one, which restarts the clock.
    #[serde(default = "pending")]
    pub status: String,
    #[serde(default)]
    pub reviewer_note: Option<String>,
    /// The day the reviewer recorded the complete materials as received (`record_review_receipt`): from then
    /// on the floor counts from it, not from a day the drafter declared (Art. 26(2)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_recorded_on: Option<NaiveDate>,
    /// The reviewer who acknowledged the drafter's urgency reason for a shorter review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency_acknowledged_by: Option<String>,
}

fn pending() -> String {
    "pending".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LawyerOpinion {
    pub author: String,
    /// 法律顾问 or 公职律师
    pub capacity: String,
    pub opinion: String,
    pub draft_hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalityOpinion {
    pub authority: String,
    pub procedure: String,
    pub content: String,
    /// lawful / lawful_subject_to_changes / unlawful / exploratory_with_legal_risk
    pub conclusion: String,
    pub legal_risk_statement: Option<String>,
    pub reviewer: String,
    pub draft_hash: String,
    pub issued_at: DateTime<Utc>,
    /// Reviewer statements that a later draft change does not affect legality.
    #[serde(default)]
    pub confirmations: Vec<OpinionConfirmation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpinionConfirmation {
    pub from_hash: String,
    pub to_hash: String,
    pub statement: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FairCompetition {
    pub initial_review: String,
    pub regulator_conclusion: String,
    pub passed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackageExpert {
    pub expert_id: String,
    pub name: String,
    pub status: String,
}

impl ExpertAssignment {
    /// How this expert's opinion stands in the Art. 29 package.
    pub fn package_status(&self) -> &'static str {
        if self.excluded_conflict {
            "excluded_conflict"
        } else if self.replaced_reason.is_some() {
            "replaced"
        } else if self.opinion.is_some() {
            "counted"
        } else {
            "pending"
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Package {
    pub items: Vec<String>,
    /// Every expert assigned, with how their opinion stands in the package
    /// (`counted`, `excluded_conflict`, `replaced`, `pending`).
    #[serde(default)]
    pub experts: Vec<PackageExpert>,
    pub draft_hash: String,
    pub submitted_at: DateTime<Utc>,
}

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExecutionReport {
    /// progress / decision_problem / major_change / force_majeure
    pub kind: String,
    pub text: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suspension {
    pub report_index: usize,
    pub urgency_reason: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostEvaluation {
    pub trigger: String,
    pub evaluator: String,
    pub report: Option<String>,
    pub recommendation: Option<String>,
    #[serde(default)]
    pub public_opinion_collection: Option<String>,
    /// Participant categories of Art. 36(3) that took part.
    #[serde(default)]
    pub participants: Vec<String>,
    #[serde(default)]
    pub reported_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Archive {
    pub archivist: String,
    pub items: Vec<String>,
    pub archived_at: DateTime<Utc>,
}

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

/// A decision-consultation expert pool (专家库, Art. 21) with integrity
/// records and exit (诚信考核和退出机制).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ExpertPool {
    pub jurisdiction: String,
    /// The superior's pool, used when this one cannot supply (Art. 21).
    pub superior: Option<String>,
    pub experts: Vec<PoolExpert>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolExpert {
    pub id: String,
    pub name: String,
    pub fields: Vec<String>,
    pub affiliation: String,
    #[serde(default)]
    pub official: bool,
    #[serde(default)]
    pub institution: bool,
    /// active / suspended / exited / disqualified
    pub status: String,
    #[serde(default)]
    pub integrity: Vec<IntegrityFact>,
}

impl PoolExpert {
    pub fn selectable(&self) -> bool {
        self.status == "active"
    }
}

/// A fact on an expert's integrity record: a non-submission, a sanction
/// (通报批评, 限期整改, 取消评估资格), a status change. Facts, not verdicts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrityFact {
    pub kind: String,
    pub text: String,
    pub decision_id: Option<String>,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// A recorded draw: anyone can re-run `experts::draw` on the same candidate
/// list and seed and get the same panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpertDraw {
    pub pool: String,
    pub seed: u64,
    pub fields: Vec<String>,
    pub candidates: Vec<String>,
    pub chosen: Vec<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Adjustment {
    pub child_id: String,
    pub reason: String,
    pub at: DateTime<Utc>,
    pub by: String,
    /// The post-evaluation report whose recommendation opened it (PE-4).
    #[serde(default)]
    pub evaluation: Option<EvaluationLink>,
}

/// Which post-evaluation report an adjustment came from (Art. 36(4)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationLink {
    pub evaluator: String,
    /// adjust / stop
    pub recommendation: String,
    /// SHA-256 of the report text, as in the parent's record.
    pub report_sha256: String,
    pub reported_at: Option<DateTime<Utc>>,
}

/// Where a child decision comes from: its parent and the reason, recorded
/// on the child by the parent's `record_adjustment` (Art. 37).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdjustmentOrigin {
    pub parent: String,
    pub reason: String,
    pub evaluation: Option<EvaluationLink>,
    pub at: DateTime<Utc>,
}
