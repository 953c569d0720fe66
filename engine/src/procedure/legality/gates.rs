//! Checks of the legality review (Arts. 25–28) and the Art. 29 package.

use crate::calendar::cst;
use crate::definition::StageKind;
use crate::procedure::facts::Applicability;
use crate::procedure::gates::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

fn no_submission() -> Detail {
    bi("没有送审记录", "no submission")
}

pub(crate) fn submission_procedure_explained(c: &GateCtx<'_>) -> Result<(), Detail> {
    let s = c.after.legality_submissions.last();
    ensure(s.is_some_and(|s| !s.procedure_explanation.trim().is_empty()), || {
        bi("没有履行决策程序的说明", "no procedure explanation")
    })
}

pub(crate) fn submission_legal_basis(c: &GateCtx<'_>) -> Result<(), Detail> {
    let s = c.after.legality_submissions.last();
    ensure(s.is_some_and(|s| !s.legal_basis.is_empty()), || bi("未列明法律依据", "no legal basis listed"))
}

/// Art. 26: at least N working days from receipt of complete materials,
/// earlier only with a stated urgency reason.
pub(crate) fn review_time_floor(c: &GateCtx<'_>) -> Result<(), Detail> {
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
pub(crate) fn review_time_from_receipt(c: &GateCtx<'_>) -> Result<(), Detail> {
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
pub(crate) fn shortened_review_acknowledged(c: &GateCtx<'_>) -> Result<(), Detail> {
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
pub(crate) fn submission_for_current_draft(c: &GateCtx<'_>) -> Result<(), Detail> {
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

pub(crate) fn lawyer_opinion_present(c: &GateCtx<'_>) -> Result<(), Detail> {
    let current = c.after.current_draft_hash();
    ensure(c.after.lawyer_opinions.iter().any(|l| Some(l.draft_hash.as_str()) == current), || {
        bi(
            "没有法律顾问、公职律师对当前草案的意见",
            "no 法律顾问 (legal adviser) or 公职律师 opinion on the current draft",
        )
    })
}

pub(crate) fn legality_findings_complete(c: &GateCtx<'_>) -> Result<(), Detail> {
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

pub(crate) fn exploratory_statement(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(o) = &c.after.legality_opinion else { return Ok(()) };
    ensure(o.conclusion != "exploratory_with_legal_risk" || o.legal_risk_statement.is_some(), || {
        bi("探索性改革事项的审查结论应当附法律风险提示", "an exploratory conclusion needs the legal-risk statement")
    })
}

pub(crate) fn legality_opinion_present(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.after.legality_opinion.is_some(), || {
        bi("尚未出具合法性审查意见书", "no legality review opinion (合法性审查意见书) issued")
    })
}

pub(crate) fn legality_not_unlawful(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.after.legality_opinion.as_ref().is_none_or(|o| o.conclusion != "unlawful"), || {
        bi("合法性审查认为草案不合法", "the review concluded the draft is unlawful")
    })
}

pub(crate) fn legality_opinion_current(c: &GateCtx<'_>) -> Result<(), Detail> {
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

pub(crate) fn package_public_adoption(c: &GateCtx<'_>) -> Result<(), Detail> {
    let performed = c.applies(StageKind::PublicParticipation.as_str());
    ensure(!performed || c.after.public_adoption_summary.is_some(), || {
        bi("已进行公众参与，缺少意见采纳情况", "public participation applied; adoption summary missing")
    })
}

pub(crate) fn package_risk_report(c: &GateCtx<'_>) -> Result<(), Detail> {
    let kind = StageKind::RiskAssessment.as_str();
    let already = c.after.determination(kind).is_some_and(|d| d.outcome == Applicability::AlreadyDone);
    ensure(!c.applies(kind) || already || c.after.risk_report.is_some(), || {
        bi("已进行风险评估，缺少风险评估报告", "risk assessment applied; report missing")
    })
}

pub(crate) fn package_fair_competition(c: &GateCtx<'_>) -> Result<(), Detail> {
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
pub(crate) fn fair_competition_passed(c: &GateCtx<'_>) -> Result<(), Detail> {
    if !c.after.flags.affects_market_entities {
        return Ok(());
    }
    ensure(c.after.fair_competition.as_ref().is_some_and(|f| f.passed), || {
        bi("公平竞争审查缺失或者未通过", "the fair-competition review is missing or negative")
    })
}
