//! Expert consultation: who was selected or drawn, their declarations and opinions (Arts. 19–21).

#[allow(unused_imports)]
use crate::procedure::facts::prelude::*;

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
