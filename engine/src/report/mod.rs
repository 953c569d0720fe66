//! The annual work report (年度重大行政决策工作情况报告) of one organ for one
//! year, in the genre of a county's annual 依法行政 summary: every figure is
//! counted from the record — what the audit records say happened in the year
//! (China Standard Time) on the organ's decisions, its expert pool and its
//! catalogue, and what their facts and deadlines hold. Rendered with the
//! `annual_report` template of the national procedure, like any memo; the
//! underlying counts also as CSV (`csv.rs`) for the statistics office. A
//! preview until the general office issues it with its number (`issue.rs`).

mod count;
pub mod csv;
pub mod issue;
mod pool;

use serde::{Deserialize, Serialize};

pub use count::annual;
pub use issue::{current, issue, Issued};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnualReport {
    pub organ: String,
    /// The people's government one level up, from the unit directory (`superior`); empty when the directory has
    /// none, and then the report is not rendered as a document.
    pub addressee: String,
    /// 发文字号 (示政报〔2027〕1号) once the general office issued the report (`issue.rs`); `None` in a preview.
    #[serde(default)]
    pub number: Option<String>,
    /// 签发人 of the issued report, from the unit directory; empty in a preview.
    #[serde(default)]
    pub signer: String,
    /// The record's last anchor as the issued report prints it, fixed when it was issued (a preview prints the
    /// anchor of the moment instead), so the issued report reads the same whenever it is asked for.
    #[serde(default)]
    pub anchor: Option<String>,
    pub year: i32,
    /// The day the figures were taken (CST), ISO form.
    pub as_of: String,
    pub started: usize,
    pub decided: usize,
    pub published: usize,
    pub suspended: usize,
    /// Adjustments opened on decisions in force (Art. 37).
    pub adjusted: usize,
    /// The organ's catalogue of the year (Art. 3(3)): its items and how many were decided.
    pub catalogue_items: usize,
    pub catalogue_decided: usize,
    pub pool: PoolCounts,
    pub expert_consultations: usize,
    /// Distinct experts who gave an opinion in the year.
    pub experts_used: usize,
    pub comment_notices: usize,
    pub comments_received: usize,
    /// Comments disposed of as adopted or partly adopted.
    pub comments_adopted: usize,
    pub hearings: usize,
    pub hearing_participants: usize,
    pub risk_assessments: usize,
    pub risk_levels: Vec<KeyCount>,
    /// Risk reports with a contingency plan and mitigation measures.
    pub mitigation_plans: usize,
    pub legality_total: usize,
    pub legality_opinions: Vec<ConclusionCount>,
    /// Opinions of legal advisers and public lawyers (Art. 28), by capacity.
    pub lawyer_opinions: Vec<KeyCount>,
    /// The comment floor of each decision's own procedure (the profile's, not a fixed 30 days).
    pub shortened: Vec<Shortened>,
    /// Legality reviews shortened below the floor for urgency (Art. 26(2)), received in the year.
    pub shortened_reviews: Vec<ShortenedReview>,
    pub divergences: Vec<Divergence>,
    pub overdue: Vec<Overdue>,
    /// Conditional stages determined not to apply in the year, with the reasons.
    pub not_applicable: Vec<NotApplicable>,
    pub post_evaluations_started: usize,
    pub post_evaluation_reports: usize,
    /// Responsibility-tracing cases (Arts. 38–41) opened and concluded in the year.
    pub cases_opened: usize,
    pub cases_concluded: usize,
    pub cases: Vec<CaseLine>,
    /// The organ's decisions with any act in the year.
    pub decisions: Vec<DecisionLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConclusionCount {
    pub conclusion: String,
    pub count: usize,
}

/// A count under a key (a risk level, a lawyer's capacity, an expert's field).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyCount {
    pub key: String,
    pub count: usize,
}

/// The organ's expert pool over the year (Arts. 19–21).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolCounts {
    /// Active at the end of the year (or on the day the figures were taken).
    pub size: usize,
    pub admitted: usize,
    /// Exited or disqualified in the year.
    pub retired: usize,
    /// Active experts by field (an expert counts under each of their fields).
    pub by_field: Vec<KeyCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shortened {
    pub decision_id: String,
    pub number: String,
    pub title: String,
    pub days: u32,
    /// The floor of the decision's procedure the period went below.
    pub floor_days: u32,
    pub reason: String,
}

/// A legality review shorter than the floor, with the drafter's reason and the reviewer who acknowledged it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShortenedReview {
    pub decision_id: String,
    pub title: String,
    pub received_on: chrono::NaiveDate,
    pub requested_due: chrono::NaiveDate,
    pub floor_due: chrono::NaiveDate,
    pub reason: String,
    pub acknowledged_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Divergence {
    pub decision_id: String,
    pub title: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overdue {
    pub decision_id: String,
    pub title: String,
    pub deadline: String,
    pub due_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotApplicable {
    pub decision_id: String,
    pub title: String,
    pub stage: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseLine {
    pub decision_id: String,
    pub title: String,
    pub article: String,
    pub persons: Vec<String>,
    /// `liable`, `not_liable`, or `open`.
    pub finding: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionLine {
    pub id: String,
    /// Readable: the decision's document number, else its start letter's, else 未启动.
    pub number: String,
    pub title: String,
    pub stage: String,
}
