//! Checks of expert consultation, risk assessment, legality review and the
//! Art. 29 package (Arts. 19–29).

use super::{ensure, GateCtx};
use crate::calendar::cst;
use crate::definition::StageKind;
use crate::facts::{Applicability, ExpertAssignment};
use crate::refusal::{bi, Detail};

fn no_submission() -> Detail {
    bi("没有送审记录", "no submission")
}

fn active_experts<'a>(c: &'a GateCtx<'_>) -> impl Iterator<Item = &'a ExpertAssignment> {
    c.after.experts.iter().filter(|e| e.replaced_reason.is_none())
}

/// The expert just selected must not have declared a direct interest (Art. 20).
pub(super) fn expert_no_conflict(c: &GateCtx<'_>) -> Result<(), Detail> {
    match c.after.experts.last().and_then(|e| e.conflict.as_ref().map(|x| (e, x))) {
        Some((e, conflict)) => {
            Err(bi(format!("{}声明存在利害关系：{conflict}", e.name), format!("{} declared: {conflict}", e.name)))
        }
        None => Ok(()),
    }
}

fn submitted<'a>(c: &'a GateCtx<'_>) -> Option<&'a ExpertAssignment> {
    let id = c.str("expert_id")?;
    c.after.experts.iter().find(|e| e.expert_id == id && e.replaced_reason.is_none())
}

pub(super) fn expert_signed(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(e) = submitted(c) else { return Ok(()) };
    ensure(e.opinion.as_ref().is_some_and(|o| o.signature.is_some()), || {
        bi(format!("{}的论证意见未签名", e.name), format!("{}'s opinion is unsigned", e.name))
    })
}

pub(super) fn expert_sealed(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(e) = submitted(c) else { return Ok(()) };
    ensure(!e.institution || e.opinion.as_ref().is_some_and(|o| o.seal.is_some()), || {
        bi(
            format!("{}是专业机构，其论证意见未加盖公章", e.name),
            format!("{} is an institution and its opinion bears no seal", e.name),
        )
    })
}

pub(super) fn expert_opinions_complete(c: &GateCtx<'_>) -> Result<(), Detail> {
    if !c.applies(StageKind::ExpertConsultation.as_str()) {
        return Ok(());
    }
    let current = c.after.current_draft_hash().unwrap_or_default();
    let missing: Vec<&str> = active_experts(c)
        .filter(|e| e.opinion.as_ref().is_none_or(|o| o.draft_hash != current))
        .map(|e| e.name.as_str())
        .collect();
    ensure(missing.is_empty(), || {
        let names = missing.join(", ");
        bi(format!("以下专家未就当前草案提出意见：{names}"), format!("no opinion on the current draft from: {names}"))
    })?;
    let n = active_experts(c).count() as u32;
    ensure(n >= c.params.expert_panel_min, || {
        let min = c.params.expert_panel_min;
        bi(format!("有效论证意见{n}份，至少应有{min}份"), format!("{n} valid opinions, the minimum is {min}"))
    })
}

pub(super) fn expert_panel_composition(c: &GateCtx<'_>) -> Result<(), Detail> {
    if !c.applies(StageKind::ExpertConsultation.as_str()) {
        return Ok(());
    }
    let n = active_experts(c).count() as u32;
    let officials = active_experts(c).filter(|e| e.official).count() as u32;
    let min = c.params.expert_panel_min;
    ensure(n >= min, || bi(format!("专家{n}名，至少应有{min}名"), format!("panel of {n}, the minimum is {min}")))?;
    ensure(!c.params.expert_panel_odd || n % 2 == 1, || {
        bi(format!("专家{n}名，人数应为单数"), format!("panel of {n} must be odd"))
    })?;
    let max = c.params.expert_max_official_percent;
    ensure(officials * 100 <= max * n.max(1), || {
        bi(
            format!("{n}名专家中{officials}名为公职人员，超过{max}%"),
            format!("{officials} officials of {n} exceed {max}%"),
        )
    })
}

pub(super) fn expert_adoption_recorded(c: &GateCtx<'_>) -> Result<(), Detail> {
    let needed = c.applies(StageKind::ExpertConsultation.as_str()) && active_experts(c).next().is_some();
    ensure(!needed || c.after.expert_adoption_summary.is_some(), || {
        bi("没有专家意见采纳情况", "no expert-adoption summary")
    })
}

pub(super) fn risk_report_sections(c: &GateCtx<'_>) -> Result<(), Detail> {
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

pub(super) fn risk_report_present(c: &GateCtx<'_>) -> Result<(), Detail> {
    if !c.applies(StageKind::RiskAssessment.as_str()) {
        return Ok(());
    }
    ensure(c.after.risk_report.is_some(), || {
        bi("应当进行风险评估，但没有风险评估报告", "risk assessment applies and there is no report")
    })
}

/// Art. 24: an uncontrollable risk blocks the decision until a new judgement
/// on a revised draft finds it controllable.
pub(super) fn risk_controllable(c: &GateCtx<'_>) -> Result<(), Detail> {
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

pub(super) fn submission_procedure_explained(c: &GateCtx<'_>) -> Result<(), Detail> {
    let s = c.after.legality_submissions.last();
    ensure(s.is_some_and(|s| !s.procedure_explanation.trim().is_empty()), || {
        bi("没有履行决策程序的说明", "no procedure explanation")
    })
}

pub(super) fn submission_legal_basis(c: &GateCtx<'_>) -> Result<(), Detail> {
    let s = c.after.legality_submissions.last();
    ensure(s.is_some_and(|s| !s.legal_basis.is_empty()), || bi("未列明法律依据", "no legal basis listed"))
}

/// Art. 26: at least N working days from receipt of complete materials,
/// earlier only with a stated urgency reason.
pub(super) fn review_time_floor(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(s) = c.after.legality_submissions.last() else { return Err(no_submission()) };
    ensure(s.requested_due >= s.floor_due || s.urgency_reason.is_some(), || {
        let days = c.params.legality_review_min_working_days;
        let (want, received, floor) = (s.requested_due, s.received_complete_on, s.floor_due);
        bi(
            format!(
                "要求于{}前完成，但自{}起{days}个工作日为{}",
                cst::day_zh(want),
                cst::day_zh(received),
                cst::day_zh(floor)
            ),
            format!(
                "requested {} but {days} working days after {} is {}",
                cst::day_en(want),
                cst::day_en(received),
                cst::day_en(floor)
            ),
        )
    })
}

/// Art. 26(2) from the reviewer's receipt: the requested due day is at least the floor counted from it, or a
/// shorter review rests on an urgency reason the reviewer acknowledged.
pub(super) fn review_time_from_receipt(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(s) = c.after.legality_submissions.last() else { return Err(no_submission()) };
    let acknowledged = s.urgency_reason.is_some() && s.urgency_acknowledged_by.is_some();
    ensure(s.requested_due >= s.floor_due || acknowledged, || {
        let days = c.params.legality_review_min_working_days;
        let (want, received, floor) = (s.requested_due, s.received_complete_on, s.floor_due);
        bi(
            format!(
                "{}收到材料：{days}个工作日至{}，起草单位要求{}前完成；缩短审查时间需要审查机构确认的紧急理由",
                cst::day_zh(received),
                cst::day_zh(floor),
                cst::day_zh(want)
            ),
            format!(
                "received {}: {days} working days run to {}, the drafter asked for {}; a shorter review needs an \
                 urgency reason the reviewer acknowledges",
                cst::day_en(received),
                cst::day_en(floor),
                cst::day_en(want)
            ),
        )
    })
}

/// No opinion on a review shortened for urgency until the reviewer has acknowledged the drafter's reason.
pub(super) fn shortened_review_acknowledged(c: &GateCtx<'_>) -> Result<(), Detail> {
    let current = c.after.current_draft_hash();
    let Some(s) = c
        .after
        .legality_submissions
        .iter()
        .rev()
        .find(|s| Some(s.draft_hash.as_str()) == current && s.status == "pending")
    else {
        return Ok(());
    };
    ensure(s.requested_due >= s.floor_due || s.urgency_acknowledged_by.is_some(), || {
        let (want, floor) = (s.requested_due, s.floor_due);
        bi(
            format!(
                "因紧急情况审查缩短至{}（原应至{}）：审查机构尚未确认理由（record_review_receipt，acknowledge_urgency）",
                cst::day_zh(want),
                cst::day_zh(floor)
            ),
            format!(
                "the review is shortened to {} (floor {}) for urgency: the reviewer has not acknowledged the reason \
                 (record_review_receipt with acknowledge_urgency)",
                cst::day_en(want),
                cst::day_en(floor)
            ),
        )
    })
}

/// The opinion answers a pending submission of the current draft: one that
/// was returned or sent back for supplements does not count (Art. 26(1)).
pub(super) fn submission_for_current_draft(c: &GateCtx<'_>) -> Result<(), Detail> {
    let current = c.after.current_draft_hash();
    ensure(
        c.after.legality_submissions.iter().any(|s| Some(s.draft_hash.as_str()) == current && s.status == "pending"),
        || {
            bi(
                "当前草案没有待审查的送审（已退回或者待补充材料？）",
                "no pending review submission of the current draft (returned or awaiting supplements?)",
            )
        },
    )
}

pub(super) fn confidentiality_acknowledged(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(e) = submitted(c) else { return Ok(()) };
    ensure(e.confidentiality_ack.is_some(), || {
        bi(format!("{}尚未作出保密承诺", e.name), format!("{} has not given the confidentiality undertaking", e.name))
    })
}

/// The expert declared no direct interest before giving the opinion (Art. 20).
pub(super) fn interest_declared(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(e) = submitted(c) else { return Ok(()) };
    ensure(e.interest_declared_at.is_some(), || {
        bi(
            format!("{}尚未声明与决策事项是否有直接利害关系", e.name),
            format!("{} has not declared whether they have a direct interest in the matter", e.name),
        )
    })
}

pub(super) fn lawyer_opinion_present(c: &GateCtx<'_>) -> Result<(), Detail> {
    let current = c.after.current_draft_hash();
    ensure(c.after.lawyer_opinions.iter().any(|l| Some(l.draft_hash.as_str()) == current), || {
        bi(
            "没有法律顾问、公职律师对当前草案的意见",
            "no 法律顾问 (legal adviser) or 公职律师 opinion on the current draft",
        )
    })
}

pub(super) fn legality_findings_complete(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(o) = &c.after.legality_opinion else { return Err(bi("没有合法性审查意见", "no opinion")) };
    let missing: Vec<&str> = [("authority", &o.authority), ("procedure", &o.procedure), ("content", &o.content)]
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(n, _)| n)
        .collect();
    ensure(missing.is_empty(), || {
        let m = missing.join(", ");
        bi(format!("缺少审查结论：{m}"), format!("missing findings: {m}"))
    })
}

pub(super) fn exploratory_statement(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(o) = &c.after.legality_opinion else { return Ok(()) };
    ensure(o.conclusion != "exploratory_with_legal_risk" || o.legal_risk_statement.is_some(), || {
        bi("探索性改革事项的审查结论应当附法律风险提示", "an exploratory conclusion needs the legal-risk statement")
    })
}

pub(super) fn legality_opinion_present(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.after.legality_opinion.is_some(), || {
        bi("尚未出具合法性审查意见书", "no legality review opinion (合法性审查意见书) issued")
    })
}

pub(super) fn legality_not_unlawful(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.after.legality_opinion.as_ref().is_none_or(|o| o.conclusion != "unlawful"), || {
        bi("合法性审查认为草案不合法", "the review concluded the draft is unlawful")
    })
}

pub(super) fn legality_opinion_current(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(o) = &c.after.legality_opinion else { return Ok(()) };
    let current = c.after.current_draft_hash().unwrap_or_default();
    ensure(o.draft_hash == current, || {
        let (old, now) = (&o.draft_hash[..8.min(o.draft_hash.len())], &current[..8.min(current.len())]);
        bi(
            format!("审查意见针对的是草案 {old}…，当前草案是 {now}…"),
            format!("the opinion covers draft {old}…, the current draft is {now}…"),
        )
    })
}

pub(super) fn package_public_adoption(c: &GateCtx<'_>) -> Result<(), Detail> {
    let performed = c.applies(StageKind::PublicParticipation.as_str());
    ensure(!performed || c.after.public_adoption_summary.is_some(), || {
        bi("已进行公众参与，缺少意见采纳情况", "public participation applied; adoption summary missing")
    })
}

pub(super) fn package_risk_report(c: &GateCtx<'_>) -> Result<(), Detail> {
    let kind = StageKind::RiskAssessment.as_str();
    let already = c.after.determination(kind).is_some_and(|d| d.outcome == Applicability::AlreadyDone);
    ensure(!c.applies(kind) || already || c.after.risk_report.is_some(), || {
        bi("已进行风险评估，缺少风险评估报告", "risk assessment applied; report missing")
    })
}

pub(super) fn package_fair_competition(c: &GateCtx<'_>) -> Result<(), Detail> {
    if !c.after.flags.affects_market_entities {
        return Ok(());
    }
    ensure(c.after.fair_competition.is_some(), || {
        bi(
            "草案涉及市场主体经济活动，没有公平竞争审查",
            "the draft affects market entities and has no fair-competition review",
        )
    })
}

/// The Fair Competition Review Regulation: a measure reviewed negative is not issued (its discussion is not
/// barred: the package only has to include the review, Art. 29(1)).
pub(super) fn fair_competition_passed(c: &GateCtx<'_>) -> Result<(), Detail> {
    if !c.after.flags.affects_market_entities {
        return Ok(());
    }
    ensure(c.after.fair_competition.as_ref().is_some_and(|f| f.passed), || {
        bi("公平竞争审查缺失或者未通过", "the fair-competition review is missing or negative")
    })
}
