//! Checks of risk assessment (Arts. 22–24): the report's sections, the
//! judgement of controllability, and the risk work bound to the draft it
//! assessed (Art. 24, RA-7).

use crate::definition::StageKind;
use crate::procedure::facts::Applicability;
use crate::procedure::gates::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

fn short(hash: &str) -> &str {
    &hash[..8.min(hash.len())]
}

/// RA-7: the risk report and the controllability judgement cover the current
/// draft. A new version makes them stale until the assessing unit confirms the
/// report (`confirm_risk_unaffected`) or redoes it, and the organ judges again.
pub(crate) fn risk_work_current(c: &GateCtx<'_>) -> Result<(), Detail> {
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

pub(crate) fn risk_report_sections(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(r) = &c.after.risk_report else { return Err(bi("没有风险评估报告", "no report")) };
    let mut missing = Vec::new();
    for (name, empty) in [
        ("methods", r.methods.is_empty()),
        ("departments_consulted", r.departments_consulted.is_empty()),
        ("risk_points", r.risk_points.is_empty()),
        ("measures", r.measures.is_empty()),
        ("contingency_plan", r.contingency_plan.trim().is_empty()),
    ] {
        if empty {
            missing.push(name);
        }
    }
    ensure(missing.is_empty(), || {
        let m = missing.join(", ");
        bi(format!("缺少以下部分：{m}"), format!("missing sections: {m}"))
    })
}

pub(crate) fn risk_report_present(c: &GateCtx<'_>) -> Result<(), Detail> {
    if !c.applies(StageKind::RiskAssessment.as_str()) {
        return Ok(());
    }
    ensure(c.after.risk_report.is_some(), || {
        bi("应当进行风险评估，但没有风险评估报告", "risk assessment applies and there is no report")
    })
}

/// Art. 24: an uncontrollable risk blocks the decision until a new judgement
/// on a revised draft finds it controllable.
pub(crate) fn risk_controllable(c: &GateCtx<'_>) -> Result<(), Detail> {
    let kind = StageKind::RiskAssessment.as_str();
    let assessed = c.after.risk_report.is_some()
        || c.after.determination(kind).is_some_and(|d| d.outcome == Applicability::AlreadyDone);
    match &c.after.controllability {
        Some(j) if !j.controllable => {
            Err(bi("决策机关认为风险不可控", "the decision organ judged the risk uncontrollable"))
        }
        Some(_) => Ok(()),
        None => ensure(!(c.applies(kind) && assessed), || {
            bi("决策机关尚未判断风险是否可控", "the decision organ has not judged controllability")
        }),
    }
}
