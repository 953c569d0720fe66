//! Checks of an Art. 37 adjustment opened on a post-evaluation (Art. 36(4), PE-4).

use super::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

fn from_evaluation(c: &GateCtx<'_>) -> bool {
    c.payload.get("from_evaluation").and_then(|v| v.as_bool()) == Some(true)
}

/// An adjustment opened on a post-evaluation needs that evaluation's report.
pub(super) fn evaluation_reported(c: &GateCtx<'_>) -> Result<(), Detail> {
    let reported = c.after.post_evaluation.as_ref().is_some_and(|pe| pe.report.is_some());
    ensure(!from_evaluation(c) || reported, || {
        bi("尚未提交决策后评估报告", "no post-evaluation report has been submitted")
    })
}

/// Only a recommendation to adjust or stop opens an adjustment; `keep` does not.
pub(super) fn evaluation_recommends_change(c: &GateCtx<'_>) -> Result<(), Detail> {
    let rec = c.after.post_evaluation.as_ref().and_then(|pe| pe.recommendation.as_deref());
    ensure(!from_evaluation(c) || rec.is_none_or(|r| r == "adjust" || r == "stop"), || {
        let rec = rec.unwrap_or_default();
        bi(format!("评估报告的建议是 `{rec}`"), format!("the report recommends `{rec}`"))
    })
}
