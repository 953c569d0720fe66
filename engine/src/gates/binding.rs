//! Checks that bind what was assessed and decided to its text: the risk work
//! to the draft it assessed (Art. 24, RA-7), a decision in force to the
//! procedure that alone changes or stops it (Art. 37), a post-evaluation to
//! its report (Art. 36).

use super::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

fn short(hash: &str) -> &str {
    &hash[..8.min(hash.len())]
}

/// RA-7: the risk report and the controllability judgement cover the current
/// draft. A new version makes them stale until the assessing unit confirms the
/// report (`confirm_risk_unaffected`) or redoes it, and the organ judges again.
pub(super) fn risk_work_current(c: &GateCtx<'_>) -> Result<(), Detail> {
    let current = c.after.current_draft_hash().unwrap_or_default();
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    if let Some(r) = c.after.risk_report.as_ref().filter(|r| r.draft_hash != current) {
        zh.push(format!("风险评估报告针对的是草案 {}…", short(&r.draft_hash)));
        en.push(format!("the risk report covers draft {}…", short(&r.draft_hash)));
    }
    if let Some(j) = c.after.controllability.as_ref().filter(|j| j.draft_hash != current) {
        zh.push(format!("风险可控性判断针对的是草案 {}…", short(&j.draft_hash)));
        en.push(format!("the controllability judgement covers draft {}…", short(&j.draft_hash)));
    }
    let now = short(current);
    ensure(en.is_empty(), || {
        bi(format!("{}；当前草案是 {now}…", zh.join("；")), format!("{}; the current draft is {now}…", en.join("; ")))
    })
}

/// Art. 37: after the decision its text changes, and its execution ends,
/// only through procedure. A new draft version is refused once decided (an
/// adjustment is a child decision that runs the procedure again); ending
/// execution needs a decided adjustment or a completion report on record.
pub(super) fn changed_only_by_procedure(c: &GateCtx<'_>) -> Result<(), Detail> {
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
pub(super) fn evaluation_report_submitted(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.after.post_evaluation.as_ref().is_some_and(|pe| pe.report.is_some()), || {
        bi("决策后评估没有评估报告", "the post-evaluation has no report")
    })
}
