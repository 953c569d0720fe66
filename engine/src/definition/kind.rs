//! The legal meaning of a stage. Kinds are fixed in code because the
//! compliance proof is the law, not data: a definition can arrange stages,
//! but it cannot redefine what a legality review is.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    Initiation,
    NotStarted,
    Drafting,
    CostBenefit,
    PublicParticipation,
    Hearing,
    ExpertConsultation,
    RiskAssessment,
    LegalityReview,
    Submission,
    CollectiveDiscussion,
    Decision,
    PartyReport,
    Publication,
    Execution,
    Suspension,
    PostEvaluation,
    Archive,
    Closed,
    /// The annual catalogue (Art. 3(3)) being drafted or adjusted.
    CatalogueDraft,
    /// The catalogue published with the Party committee's consent.
    CataloguePublished,
    /// An expert pool: a standing record, kept by the pool manager.
    PoolOpen,
}

impl StageKind {
    pub const ALL: [StageKind; 22] = [
        StageKind::Initiation,
        StageKind::NotStarted,
        StageKind::Drafting,
        StageKind::CostBenefit,
        StageKind::PublicParticipation,
        StageKind::Hearing,
        StageKind::ExpertConsultation,
        StageKind::RiskAssessment,
        StageKind::LegalityReview,
        StageKind::Submission,
        StageKind::CollectiveDiscussion,
        StageKind::Decision,
        StageKind::PartyReport,
        StageKind::Publication,
        StageKind::Execution,
        StageKind::Suspension,
        StageKind::PostEvaluation,
        StageKind::Archive,
        StageKind::Closed,
        StageKind::CatalogueDraft,
        StageKind::CataloguePublished,
        StageKind::PoolOpen,
    ];

    /// Stages the Decree requires only when applicable (Arts. 12(3), 14, 16,
    /// 19, 22); each needs a recorded applicability determination to be
    /// passed over.
    pub const CONDITIONAL: [StageKind; 5] = [
        StageKind::CostBenefit,
        StageKind::PublicParticipation,
        StageKind::Hearing,
        StageKind::ExpertConsultation,
        StageKind::RiskAssessment,
    ];

    /// Kinds every decision procedure must contain (exactly one stage each).
    pub const REQUIRED: [StageKind; 15] = [
        StageKind::Initiation,
        StageKind::Drafting,
        StageKind::CostBenefit,
        StageKind::PublicParticipation,
        StageKind::Hearing,
        StageKind::ExpertConsultation,
        StageKind::RiskAssessment,
        StageKind::LegalityReview,
        StageKind::Submission,
        StageKind::CollectiveDiscussion,
        StageKind::Decision,
        StageKind::PartyReport,
        StageKind::Publication,
        StageKind::Execution,
        StageKind::Archive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StageKind::Initiation => "initiation",
            StageKind::NotStarted => "not_started",
            StageKind::Drafting => "drafting",
            StageKind::CostBenefit => "cost_benefit",
            StageKind::PublicParticipation => "public_participation",
            StageKind::Hearing => "hearing",
            StageKind::ExpertConsultation => "expert_consultation",
            StageKind::RiskAssessment => "risk_assessment",
            StageKind::LegalityReview => "legality_review",
            StageKind::Submission => "submission",
            StageKind::CollectiveDiscussion => "collective_discussion",
            StageKind::Decision => "decision",
            StageKind::PartyReport => "party_report",
            StageKind::Publication => "publication",
            StageKind::Execution => "execution",
            StageKind::Suspension => "suspension",
            StageKind::PostEvaluation => "post_evaluation",
            StageKind::Archive => "archive",
            StageKind::Closed => "closed",
            StageKind::CatalogueDraft => "catalogue_draft",
            StageKind::CataloguePublished => "catalogue_published",
            StageKind::PoolOpen => "pool_open",
        }
    }

    /// Kinds a procedure of this type must contain, exactly one stage each.
    pub fn required_for(procedure: Procedure) -> &'static [StageKind] {
        match procedure {
            Procedure::Decision => &StageKind::REQUIRED,
            Procedure::Catalogue => &[StageKind::CatalogueDraft, StageKind::CataloguePublished],
            Procedure::ExpertPool => &[StageKind::PoolOpen],
        }
    }

    pub fn parse(s: &str) -> Option<StageKind> {
        StageKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn is_conditional(self) -> bool {
        StageKind::CONDITIONAL.contains(&self)
    }

    /// The article of the Decree behind the stage (for refusals); none for the kinds no article names.
    pub fn article(self) -> &'static str {
        match self {
            StageKind::Initiation | StageKind::NotStarted => "Art. 10",
            StageKind::Drafting => "Art. 12",
            StageKind::Submission => "Art. 29",
            StageKind::Decision => "Art. 30",
            StageKind::Execution => "Art. 34",
            StageKind::Suspension => "Art. 37",
            StageKind::PostEvaluation => "Art. 36",
            StageKind::Archive | StageKind::Closed => "Art. 33",
            StageKind::CatalogueDraft | StageKind::CataloguePublished => "Art. 3(3)",
            StageKind::CostBenefit => "Art. 12(3)",
            StageKind::PublicParticipation => "Art. 14",
            StageKind::Hearing => "Art. 16",
            StageKind::ExpertConsultation => "Art. 19",
            StageKind::RiskAssessment => "Art. 22",
            StageKind::LegalityReview => "Art. 25",
            StageKind::CollectiveDiscussion => "Art. 30",
            StageKind::PartyReport => "Art. 31",
            StageKind::Publication => "Art. 32",
            StageKind::PoolOpen => "Art. 21",
        }
    }
}

impl std::fmt::Display for StageKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a workflow runs: a decision (the procedure of Chapters 2–4, proven
/// before use) or an organ's annual catalogue of decision matters (Art. 3(3)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    #[default]
    Decision,
    Catalogue,
    ExpertPool,
}
