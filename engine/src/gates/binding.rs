//! Checks that bind what was assessed and decided to its text: the risk work
//! to the draft it assessed (Art. 24, RA-7), a decision in force to the
//! procedure that alone changes or stops it (Art. 37), a post-evaluation to
//! its report (Art. 36).

use super::{ensure, GateCtx};

fn short(hash: &str) -> &str {
    &hash[..8.min(hash.len())]
}

/// RA-7: the risk report and the controllability judgement cover the current
/// draft. A new version makes them stale until the assessing unit confirms the
/// report (`confirm_risk_unaffected`) or redoes it, and the organ judges again.
pub(super) fn risk_work_current(c: &GateCtx<'_>) -> Result<(), String> {
    let current = c.after.current_draft_hash().unwrap_or_default();
    let mut stale = Vec::new();
    if let Some(r) = c.after.risk_report.as_ref().filter(|r| r.draft_hash != current) {
        stale.push(format!("the risk report covers draft {}…", short(&r.draft_hash)));
    }
    if let Some(j) = c.after.controllability.as_ref().filter(|j| j.draft_hash != current) {
        stale.push(format!("the controllability judgement covers draft {}…", short(&j.draft_hash)));
    }
    ensure(stale.is_empty(), || format!("{}; the current draft is {}…", stale.join("; "), short(current)))
}

/// Art. 37: after the decision its text changes, and its execution ends,
/// only through procedure. A new draft version is refused once decided (an
/// adjustment is a child decision that runs the procedure again); ending
/// execution needs a decided adjustment or a completion report on record.
pub(super) fn changed_only_by_procedure(c: &GateCtx<'_>) -> Result<(), String> {
    if c.before.outcome.is_none() {
        return Ok(());
    }
    ensure(c.after.drafts.len() == c.before.drafts.len(), || {
        "the decided text is changed only by an adjustment decided through the procedure (record_adjustment opens it)"
            .into()
    })?;
    let ended_without_ground =
        c.before.execution_end.is_none() && c.after.execution_end.as_ref().is_some_and(|e| e.ground.is_empty());
    ensure(!ended_without_ground, || {
        "execution ends only on a decided adjustment (the child decision decided) or a completion report".into()
    })
}

/// Art. 36(3)–(4): a post-evaluation ends with its report, the basis for keeping or adjusting the decision.
pub(super) fn evaluation_report_submitted(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(c.after.post_evaluation.as_ref().is_some_and(|pe| pe.report.is_some()), || {
        "the post-evaluation has no report".into()
    })
}
