//! Legality review (Arts. 25–28) and the Art. 29 package.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::calendar::period::add_working_days;
use crate::codes;
use crate::procedure::acts::{non_blank, HandlerCtx};
use crate::procedure::facts::{FairCompetition, LawyerOpinion, LegalityOpinion, LegalitySubmission, Package};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SubmissionIn {
    #[serde(default)]
    legal_basis: Vec<String>,
    /// Omitted: generated from the decision's recorded history (LR-4, CD-7);
    /// given: the drafter's edited text, which must not be blank.
    procedure_explanation: Option<String>,
    received_complete_on: NaiveDate,
    requested_due: NaiveDate,
    urgency_reason: Option<String>,
}

pub(crate) fn submit_for_legality_review(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let s: SubmissionIn = ctx.parse()?;
    let draft_hash = ctx.current_draft_hash()?;
    // A receipt is never earlier than the submission itself (the server's day): a declared earlier day would
    // shorten the review the law guarantees.
    let today = ctx.now.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let received = s.received_complete_on.max(today);
    let floor = add_working_days(ctx.calendar, received, ctx.params.legality_review_min_working_days);
    let submission = LegalitySubmission {
        draft_hash,
        legal_basis: s.legal_basis,
        procedure_explanation: s
            .procedure_explanation
            .unwrap_or_else(|| procedure_explanation(ctx.facts, ctx.ledger.tally(crate::ledger::Kind::Comment).count)),
        received_complete_on: received,
        requested_due: s.requested_due,
        floor_due: floor.last_day,
        urgency_reason: s.urgency_reason.filter(|r| !r.trim().is_empty()),
        status: "pending".into(),
        reviewer_note: None,
        receipt_recorded_on: None,
        urgency_acknowledged_by: None,
    };
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "submission": submission, "floor": floor,
    }));
    ctx.facts.legality_submissions.push(submission);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LawyerIn {
    capacity: String,
    opinion: String,
}

pub(crate) fn record_lawyer_opinion(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let l: LawyerIn = ctx.parse()?;
    if !["法律顾问", "公职律师"].contains(&l.capacity.as_str()) {
        return Err(ctx.invalid(
            "身份应为法律顾问或者公职律师",
            "capacity must be 法律顾问 (legal adviser) or 公职律师 (public-sector lawyer)",
        ));
    }
    non_blank(ctx, "opinion", &l.opinion)?;
    let draft_hash = ctx.current_draft_hash()?;
    ctx.facts.lawyer_opinions.push(LawyerOpinion {
        author: ctx.who(),
        capacity: l.capacity,
        opinion: l.opinion,
        draft_hash,
    });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OpinionIn {
    #[serde(default)]
    authority: String,
    #[serde(default)]
    procedure: String,
    #[serde(default)]
    content: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = codes::schemas::conclusion))]
    conclusion: String,
    legal_risk_statement: Option<String>,
}

pub(crate) fn issue_legality_opinion(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let o: OpinionIn = ctx.parse()?;
    if !codes::allows(codes::CONCLUSIONS, &o.conclusion) {
        return Err(ctx.invalid(
            format!("审查结论应为其中之一：{}", codes::list(codes::CONCLUSIONS)),
            format!("conclusion must be one of {}", codes::list(codes::CONCLUSIONS)),
        ));
    }
    let draft_hash = ctx.current_draft_hash()?;
    let opinion = LegalityOpinion {
        authority: o.authority,
        procedure: o.procedure,
        content: o.content,
        conclusion: o.conclusion,
        legal_risk_statement: o.legal_risk_statement.filter(|s| !s.trim().is_empty()),
        reviewer: ctx.who(),
        draft_hash,
        issued_at: ctx.now,
        confirmations: Vec::new(),
    };
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "opinion": opinion,
        "lawyer_opinions": ctx.facts.lawyer_opinions, "draft_version": ctx.facts.current_draft().map(|d| d.version),
    }));
    ctx.facts.legality_opinion = Some(opinion);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FairCompetitionIn {
    initial_review: String,
    regulator_conclusion: String,
    passed: bool,
}

pub(crate) fn record_fair_competition(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let f: FairCompetitionIn = ctx.parse()?;
    non_blank(ctx, "initial_review", &f.initial_review)?;
    non_blank(ctx, "regulator_conclusion", &f.regulator_conclusion)?;
    ctx.facts.fair_competition = Some(FairCompetition {
        initial_review: f.initial_review,
        regulator_conclusion: f.regulator_conclusion,
        passed: f.passed,
    });
    Ok(())
}

/// Assemble the Art. 29 package as a checklist of what the facts hold; the
/// gates on this act refuse it while an applicable item is missing.
pub(crate) fn submit_package(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    crate::procedure::acts::advance(ctx)?;
    let f = &*ctx.facts;
    let mut items = vec!["(一) 决策草案及相关材料".to_string()];
    if f.fair_competition.is_some() {
        items.push("(一) 公平竞争审查意见".into());
    }
    if f.public_adoption_summary.is_some() {
        items.push("(二) 社会公众意见研究采纳情况".into());
    }
    if f.expert_adoption_summary.is_some() {
        items.push("(三) 专家论证意见研究采纳情况".into());
    }
    if f.risk_report.is_some() {
        items.push("(四) 风险评估报告".into());
    }
    if f.legality_opinion.is_some() {
        items.push("(五) 合法性审查意见".into());
    }
    if f.dispute_statement.is_some() {
        items.push("(六) 争议说明".into());
    }
    let draft_hash = ctx.current_draft_hash()?;
    let experts = f
        .experts
        .iter()
        .map(|e| crate::procedure::facts::PackageExpert {
            expert_id: e.expert_id.clone(),
            name: e.name.clone(),
            status: e.package_status().into(),
        })
        .collect();
    let package = Package { items, experts, draft_hash, submitted_at: ctx.now };
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "package": package,
        "legality_opinion": ctx.facts.legality_opinion,
    }));
    ctx.facts.package = Some(package);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReturnIn {
    reason: String,
}

fn close_submission(ctx: &mut HandlerCtx<'_>, status: &str) -> Result<(), Reason> {
    let r: ReturnIn = ctx.parse()?;
    non_blank(ctx, "reason", &r.reason)?;
    let none = ctx.invalid("没有待审查的送审", "there is no pending submission");
    let s = ctx.facts.legality_submissions.iter_mut().rev().find(|s| s.status == "pending").ok_or(none)?;
    s.status = status.to_string();
    s.reviewer_note = Some(r.reason);
    Ok(())
}

/// Art. 26(1): materials that are deficient may be returned; a new
/// submission is then needed and the review time counts from it.
pub(crate) fn return_submission(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    close_submission(ctx, "returned")
}

/// Art. 26(1): the reviewer may ask for supplements; the complete set,
/// submitted anew, restarts the review clock.
pub(crate) fn request_supplement(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    close_submission(ctx, "supplement_requested")
}

/// The explanation of the statutory procedures performed (履行决策法定程序的
/// 说明, Art. 26(1)), written from what the record holds: each conditional
/// stage performed or determined not to apply, with who and why; `comments` is how many the public sent.
pub fn procedure_explanation(f: &crate::procedure::facts::Facts, comments: i64) -> String {
    use crate::definition::StageKind;
    let mut lines = Vec::new();
    if let Some(s) = &f.start {
        lines.push(format!("{}决定启动，承办单位：{}。", s.decided_by, s.undertaking_units.join("、")));
    }
    for kind in StageKind::CONDITIONAL {
        let name = kind.as_str();
        let line = match f.determination(name) {
            Some(d) => format!("{name}：{:?}，理由：{}（{}）", d.outcome, d.reason, d.by),
            None => format!("{name}：已履行"),
        };
        lines.push(line);
    }
    if !f.comment_notices.is_empty() {
        lines.push(format!("公开征求意见{}次，收到意见{}条。", f.comment_notices.len(), comments));
    }
    if !f.experts.is_empty() {
        lines.push(format!("专家论证：{}名专家出具意见。", f.experts.iter().filter(|e| e.opinion.is_some()).count()));
    }
    lines.join("\n")
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UnaffectedIn {
    statement: String,
}

/// LR-8: after a draft changes, the reviewer may record that the change
/// does not affect legality; the opinion then covers the new version, and
/// the statement with both hashes stays in the record.
pub(crate) fn confirm_opinion_unaffected(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let u: UnaffectedIn = ctx.parse()?;
    non_blank(ctx, "statement", &u.statement)?;
    let current = ctx.current_draft_hash()?;
    let none = ctx.invalid("没有可确认的合法性审查意见", "there is no legality opinion to confirm");
    let (who, now) = (ctx.who(), ctx.now);
    let opinion = ctx.facts.legality_opinion.as_mut().ok_or(none)?;
    opinion.confirmations.push(crate::procedure::facts::OpinionConfirmation {
        from_hash: opinion.draft_hash.clone(),
        to_hash: current.clone(),
        statement: u.statement,
        by: who,
        at: now,
    });
    opinion.draft_hash = current;
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReceiptIn {
    /// The reviewer accepts the drafter's urgency reason for a review shorter than the floor.
    #[serde(default)]
    acknowledge_urgency: bool,
}

/// The reviewer records the complete materials as received today (the server's clock): the review's working
/// days count from this receipt (Art. 26(2)); a shorter review stands only on the reviewer's acknowledgement of
/// the drafter's urgency reason (regulation.md §6).
pub(crate) fn record_review_receipt(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let r: ReceiptIn = ctx.parse()?;
    let today = ctx.now.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let floor = add_working_days(ctx.calendar, today, ctx.params.legality_review_min_working_days).last_day;
    let who = ctx.who();
    let invalid = ctx.invalid("没有可接收的送审", "there is no pending submission to receive");
    let no_reason =
        ctx.invalid("送审未说明需要确认的紧急理由", "the submission states no urgency reason to acknowledge");
    let s = ctx.facts.legality_submissions.last_mut().filter(|s| s.status == "pending").ok_or(invalid)?;
    if r.acknowledge_urgency && s.urgency_reason.is_none() {
        return Err(no_reason);
    }
    s.receipt_recorded_on = Some(today);
    s.received_complete_on = today;
    s.floor_due = floor;
    if r.acknowledge_urgency {
        s.urgency_acknowledged_by = Some(who);
    }
    Ok(())
}
