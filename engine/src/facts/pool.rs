//! Expert pools and their experts' integrity records (Arts. 21, 41).

#[allow(unused_imports)]
use super::*;

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
