//! Binding and stopping (issue items 11–13): the risk work is bound to the
//! draft it assessed (Art. 24, RA-7); a decision in force changes or stops
//! only through procedure (Art. 37); a post-evaluation ends with its report.

use chrono::Duration;
use serde_json::json;

use super::{actor, at_participation, drafter, office, step, Context, S};
use crate::act::Act;
use crate::actor::{Actor, Role};

fn chief() -> Actor {
    actor("市长", "政府", Role::ChiefExecutive)
}

fn risk_report() -> serde_json::Value {
    json!({
        "assessor": "中心", "methods": ["重点走访"], "departments_consulted": ["公安局"], "risk_points": ["上访"],
        "measures": ["分步实施"], "contingency_plan": "应急预案", "level": "medium",
    })
}

/// Risk assessed and judged controllable on draft 1, the legality review done: in submission.
fn assessed_and_reviewed() -> S {
    let mut s = at_participation();
    for (stage, skip) in [
        ("public_participation", "skip_public_participation"),
        ("hearing", "skip_hearing"),
        ("expert_consultation", "skip_expert_consultation"),
    ] {
        s.skip(stage, skip);
    }
    s.ok(&drafter(), "submit_risk_report", risk_report());
    s.ok(&office(), "judge_controllability", json!({ "controllable": true }));
    s.ok(&drafter(), "close_risk_assessment", json!({}));
    let today = s.today();
    let submission = json!({ "legal_basis": ["某法"], "procedure_explanation": "已履行", "received_complete_on": today,
        "requested_due": today + Duration::days(20) });
    s.ok(&drafter(), "submit_for_legality_review", submission);
    s.ok(
        &actor("lawyer", "司法局", Role::LegalAdviser),
        "record_lawyer_opinion",
        json!({ "capacity": "公职律师", "opinion": "o" }),
    );
    let opinion = json!({ "authority": "a", "procedure": "p", "content": "c", "conclusion": "lawful" });
    s.ok(&actor("rev", "司法局", Role::LegalityReviewer), "issue_legality_opinion", opinion);
    s.ok(&drafter(), "close_legality_review", json!({}));
    s
}

#[test]
fn ra7_a_new_draft_makes_the_risk_work_stale_until_confirmed_and_judged_again() {
    let mut s = assessed_and_reviewed();
    s.ok(&drafter(), "record_draft", json!({ "text": "第二稿", "explanation": "e", "legal_basis": ["某法"] }));
    let statement = json!({ "statement": "仅文字修改，不影响合法性" });
    s.ok(&actor("rev", "司法局", Role::LegalityReviewer), "confirm_opinion_unaffected", statement);
    let detail = s.refusal_detail(&drafter(), "submit_package", json!({}), "art24_risk_work_stale");
    assert!(detail.contains("risk report") && detail.contains("controllability judgement"), "{detail}");
    // The assessing unit confirms the report; the organ's judgement is still on the old draft.
    s.ok(&drafter(), "confirm_risk_unaffected", json!({ "statement": "修改不涉及风险点" }));
    let report = s.d.facts.risk_report.clone().unwrap();
    assert_eq!(report.confirmations.len(), 1, "the confirmation stays on record");
    let detail = s.refusal_detail(&drafter(), "submit_package", json!({}), "art24_risk_work_stale");
    assert!(!detail.contains("risk report") && detail.contains("controllability judgement"), "{detail}");
    s.ok(&office(), "judge_controllability", json!({ "controllable": true }));
    s.ok(&drafter(), "submit_package", json!({}));
}

#[test]
fn ra7_an_uncontrollable_risk_blocks_the_decision_and_names_the_lawful_route() {
    let mut s = assessed_and_reviewed();
    s.ok(&office(), "judge_controllability", json!({ "controllable": false }));
    // Art. 24 forbids the decision, not the discussion: the package goes.
    s.ok(&drafter(), "submit_package", json!({}));
    let today = s.today();
    s.ok(&office(), "convene_meeting", json!({ "meeting_type": "executive", "date": today, "members": ["甲"] }));
    s.ok(&office(), "record_stance", json!({ "member": "甲", "stance": "support", "words": "同意" }));
    s.ok(&chief(), "record_chief_opinion", json!({ "decision": "adopt", "words": "通过" }));
    let ctx = Context { workflow: &s.wf, calendar: &s.cal, pools: &s.pools, ledger: &Default::default() };
    let refusal = step(ctx, &s.d, &Act::new("decide", json!({})), &chief(), s.now).expect_err("refused");
    let r = refusal.reasons.iter().find(|r| r.reason_code == "art24_uncontrollable").expect("art24");
    assert_eq!(r.article, "Art. 24");
    assert!(r.message_zh.contains("调整决策草案") && r.message_en.contains("adjust the draft"), "{r:?}");
}

/// Decided, published and in execution.
fn executing() -> S {
    let mut s = S::in_meeting("national");
    s.ready_to_publish();
    s.ok(&office(), "publish_decision", json!({ "channels": ["gazette", "website"] }));
    s.ok(&office(), "begin_execution", json!({}));
    s
}

#[test]
fn ad1_execution_ends_only_on_a_completion_report_or_a_decided_adjustment() {
    let mut s = executing();
    let edit = json!({ "text": "改", "explanation": "e", "legal_basis": ["法"] });
    s.refused(&drafter(), "record_draft", edit, "art37_no_change_without_procedure");
    s.refused(&office(), "end_execution", json!({}), "art37_no_change_without_procedure");
    let exec = actor("执行", "生态环境局", Role::ExecutingUnit);
    s.ok(&exec, "file_execution_report", json!({ "kind": "completion", "text": "已全部执行完毕" }));
    s.ok(&office(), "end_execution", json!({}));
    assert_eq!(
        (s.d.stage.as_str(), s.d.facts.execution_end.as_ref().map(|e| e.ground.as_str())),
        ("archive", Some("completed"))
    );
}

#[test]
fn ad1_a_decided_adjustment_supersedes_the_parent_which_may_then_end() {
    let mut s = executing();
    s.ok(&office(), "record_adjustment", json!({ "child_id": "c1", "reason": "上位法修改" }));
    // Opening an adjustment is not deciding it: execution goes on.
    s.refused(&office(), "end_execution", json!({}), "art37_no_change_without_procedure");
    let not_ours = json!({ "child_id": "c9", "decided_on": "2026-03-02" });
    s.refused(&Actor::engine(), "record_superseded", not_ours, "invalid_payload");
    s.ok(&Actor::engine(), "record_superseded", json!({ "child_id": "c1", "decided_on": "2026-03-02" }));
    assert_eq!(s.d.facts.superseded_by.as_ref().map(|x| x.child_id.as_str()), Some("c1"));
    s.ok(&office(), "end_execution", json!({}));
    assert_eq!(s.d.facts.execution_end.as_ref().map(|e| e.ground.as_str()), Some("superseded"));
}

#[test]
fn ad1_the_childs_decision_supersedes_its_parent_in_the_same_transaction() {
    let mut s = S::in_meeting("national");
    s.d.facts.origin = Some(crate::procedure::facts::AdjustmentOrigin {
        parent: "p1".into(),
        reason: "调整".into(),
        evaluation: None,
        at: s.now,
    });
    s.ok(&chief(), "record_chief_opinion", json!({ "decision": "adopt", "words": "通过" }));
    let ctx = Context { workflow: &s.wf, calendar: &s.cal, pools: &s.pools, ledger: &Default::default() };
    let out = step(ctx, &s.d, &Act::new("decide", json!({})), &chief(), s.now).expect("decided");
    let links: Vec<(String, String)> = (out.effects.iter())
        .filter_map(|e| match e {
            crate::effect::Effect::Link { decision_id, act } => Some((decision_id.clone(), act.name.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(links, [("p1".to_string(), "record_superseded".to_string())]);
}

#[test]
fn pe_a_post_evaluation_ends_only_with_its_report() {
    let mut s = executing();
    s.ok(&office(), "start_post_evaluation", json!({ "trigger": "feedback", "evaluator": "某大学评估中心" }));
    s.refused(&office(), "finish_post_evaluation", json!({}), "art36_evaluation_report_missing_on_finish");
    s.ok(
        &office(),
        "submit_post_evaluation_report",
        json!({
            "report": "r", "recommendation": "keep", "public_opinion_collection": "问卷", "participants": ["人大代表"],
        }),
    );
    s.ok(&office(), "finish_post_evaluation", json!({}));
    assert_eq!(s.d.stage, "execution");
}
