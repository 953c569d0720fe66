//! Checks of drafting (Arts. 12–14): a draft to work on, its legal basis,
//! reasoned determinations, non-disclosure, cost-benefit, disputes.

use crate::definition::StageKind;
use crate::procedure::gates::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

/// Art. 12, a precondition: acts that work on the draft (consultation, review, the decision) need one recorded
/// before them; they bind to its hash.
pub(crate) fn draft_recorded(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.before.current_draft().is_some(), || bi("尚未记录决策草案", "no draft recorded"))
}

pub(crate) fn legal_basis_non_empty(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.after.current_draft().is_some_and(|d| !d.legal_basis.is_empty()), || {
        bi("法律依据清单为空", "legal basis list is empty")
    })
}

pub(crate) fn determination_reasoned(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.str("reason").is_some(), || bi("认定应当说明理由", "a determination needs a reason"))?;
    let already = c.str("outcome") == Some("already_done");
    ensure(!already || c.str("reference").is_some(), || {
        bi("`already_done` 应当注明已有文件的出处", "`already_done` needs a reference to the existing document")
    })
}

pub(crate) fn determination_not_forced(c: &GateCtx<'_>) -> Result<(), Detail> {
    let stage = c.str("stage").unwrap_or_default();
    let waived = c.str("outcome") != Some("applicable");
    ensure(!(waived && c.params.always_applicable.contains(stage)), || {
        bi(format!("`{stage}` 在本地区始终适用"), format!("`{stage}` is always applicable here"))
    })
}

/// Art. 19(1): a matter flagged technical must have expert consultation;
/// it cannot be determined not applicable (nor "done elsewhere" without a
/// reference, which `determination_reasoned` already requires).
pub(crate) fn technical_matter_needs_experts(c: &GateCtx<'_>) -> Result<(), Detail> {
    let waives_experts = c.str("stage") == Some("expert_consultation") && c.str("outcome") == Some("not_applicable");
    ensure(!(waives_experts && c.after.flags.technical), || {
        bi("该事项已标记为专业性、技术性较强", "the matter is flagged highly specialised or technical")
    })
}

/// A ground of 政府信息公开条例 Arts. 14–16 (`crate::nondisclosure`), with the provision relied on.
pub(crate) fn non_disclosure_ground(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(n) = &c.after.non_disclosure else {
        return Err(bi("没有不予公开的记录", "no non-disclosure recorded"));
    };
    ensure(crate::nondisclosure::by_key(&n.legal_ground).is_some(), || {
        let listed = crate::nondisclosure::listed();
        bi(format!("`legal_ground` 应为其中之一：{listed}"), format!("`legal_ground` must be one of {listed}"))
    })?;
    ensure(!n.legal_basis.trim().is_empty(), || {
        bi("缺少 `legal_basis`（所依据的条款）", "`legal_basis` (the provision relied on) is missing")
    })
}

pub(crate) fn cost_benefit_recorded(c: &GateCtx<'_>) -> Result<(), Detail> {
    if !c.applies(StageKind::CostBenefit.as_str()) {
        return Ok(());
    }
    let current = c.after.current_draft_hash();
    ensure(c.after.cost_benefit.as_ref().is_some_and(|cb| Some(cb.draft_hash.as_str()) == current), || {
        bi("当前草案没有成本效益分析", "no cost-benefit analysis for the current draft")
    })
}

pub(crate) fn dispute_explained(c: &GateCtx<'_>) -> Result<(), Detail> {
    let disagreeing: Vec<&str> = c.after.consultations.iter().filter(|x| !x.agreed).map(|x| x.unit.as_str()).collect();
    ensure(disagreeing.is_empty() || c.after.dispute_statement.is_some(), || {
        let units = disagreeing.join(", ");
        bi(format!("有不同意见的单位：{units}"), format!("units that disagree: {units}"))
    })
}

/// Art. 12(4): a draft marked with major disagreements should offer two or
/// more options ("可以", so a warning).
pub(crate) fn options_for_major_disagreement(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(d) = c.after.current_draft() else { return Ok(()) };
    let n = d.options.iter().filter(|o| !o.trim().is_empty()).count();
    ensure(!d.major_disagreement || n >= 2, || {
        let v = d.version;
        bi(
            format!("第{v}稿标记为存在较大分歧，但只有{n}个备选方案"),
            format!("draft v{v} is marked major_disagreement with {n} option(s)"),
        )
    })
}
