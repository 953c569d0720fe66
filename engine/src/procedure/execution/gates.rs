//! Checks after the decision (Arts. 36–37): suspension, the post-evaluation
//! and its report, and an adjustment opened on it (Art. 36(4), PE-4); a
//! decision in force changed or stopped only by procedure (Art. 37).

use crate::procedure::gates::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

fn from_evaluation(c: &GateCtx<'_>) -> bool {
    c.payload.get("from_evaluation").and_then(|v| v.as_bool()) == Some(true)
}

/// An adjustment opened on a post-evaluation needs that evaluation's report.
pub(crate) fn evaluation_reported(c: &GateCtx<'_>) -> Result<(), Detail> {
    let reported = c.after.post_evaluation.as_ref().is_some_and(|pe| pe.report.is_some());
    ensure(!from_evaluation(c) || reported, || {
        bi("尚未提交决策后评估报告", "no post-evaluation report has been submitted")
    })
}

/// Only a recommendation to adjust or stop opens an adjustment; `keep` does not.
pub(crate) fn evaluation_recommends_change(c: &GateCtx<'_>) -> Result<(), Detail> {
    let rec = c.after.post_evaluation.as_ref().and_then(|pe| pe.recommendation.as_deref());
    ensure(!from_evaluation(c) || rec.is_none_or(|r| r == "adjust" || r == "stop"), || {
        let rec = rec.unwrap_or_default();
        bi(format!("评估报告的建议是 `{rec}`"), format!("the report recommends `{rec}`"))
    })
}

/// Art. 37: after the decision its text changes, and its execution ends,
/// only through procedure. A new draft version is refused once decided (an
/// adjustment is a child decision that runs the procedure again); ending
/// execution needs a decided adjustment or a completion report on record.
pub(crate) fn changed_only_by_procedure(c: &GateCtx<'_>) -> Result<(), Detail> {
    if c.before.outcome.is_none() {
        return Ok(());
    }
    ensure(c.after.drafts.len() == c.before.drafts.len(), || {
        bi(
            "决策文本只能通过依程序作出的调整决定变更（由 record_adjustment 启动）",
            "the decided text is changed only by an adjustment decided through the procedure (record_adjustment opens it)",
        )
    })?;
    let ended_without_ground =
        c.before.execution_end.is_none() && c.after.execution_end.as_ref().is_some_and(|e| e.ground.is_empty());
    ensure(!ended_without_ground, || {
        bi(
            "决策执行只能因已作出的调整决定（子决策已决定）或执行完毕报告而终止",
            "execution ends only on a decided adjustment (the child decision decided) or a completion report",
        )
    })
}

/// Art. 36(3)–(4): a post-evaluation ends with its report, the basis for keeping or adjusting the decision.
pub(crate) fn evaluation_report_submitted(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.after.post_evaluation.as_ref().is_some_and(|pe| pe.report.is_some()), || {
        bi("决策后评估没有评估报告", "the post-evaluation has no report")
    })
}

fn no_evaluation() -> Detail {
    bi("没有决策后评估记录", "no evaluation")
}

pub(crate) fn suspension_report_linked(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(s) = &c.after.suspension else { return Err(bi("没有停止执行的记录", "no suspension")) };
    let report = s.report_index.checked_sub(1).and_then(|i| c.after.execution_reports.get(i));
    let problem = |kind: &str| crate::codes::PROBLEM_KINDS.contains(&kind);
    ensure(report.is_some_and(|r| problem(&r.kind)), || {
        bi("没有关联的第三十五条问题报告", "no linked Art. 35 problem report")
    })
}

pub(crate) fn suspension_urgency(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.after.suspension.as_ref().is_some_and(|s| !s.urgency_reason.trim().is_empty()), || {
        bi("未说明紧急情况", "no urgency reason")
    })
}

/// Art. 36(2): not the unit that did the main demonstration or assessment.
pub(crate) fn evaluator_independent(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(pe) = &c.after.post_evaluation else { return Err(no_evaluation()) };
    let mut conflicted: Vec<&str> = Vec::new();
    if let Some(r) = &c.after.risk_report {
        conflicted.push(r.assessor.as_str());
    }
    conflicted.extend(c.after.experts.iter().filter(|e| e.institution).map(|e| e.name.as_str()));
    ensure(!conflicted.contains(&pe.evaluator.as_str()), || {
        let who = &pe.evaluator;
        bi(format!("{who}在决策前承担了主要论证评估工作"), format!("{who} did the main assessment before the decision"))
    })
}

/// Art. 36(3): the report shows how public opinion was heard and which of
/// the named categories took part.
pub(crate) fn evaluation_report_sections(c: &GateCtx<'_>) -> Result<(), Detail> {
    const CATEGORIES: [&str; 5] = ["人大代表", "政协委员", "人民团体", "基层组织", "社会组织"];
    let Some(pe) = &c.after.post_evaluation else { return Err(no_evaluation()) };
    ensure(pe.public_opinion_collection.is_some(), || bi("缺少听取社会公众意见的部分", "no public-opinion section"))?;
    ensure(pe.participants.iter().any(|p| CATEGORIES.contains(&p.as_str())), || {
        let list = CATEGORIES.join("、");
        bi(format!("没有{list}参与"), format!("no participant of the categories {list}"))
    })
}
