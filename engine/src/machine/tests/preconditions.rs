//! Rules no other scenario named: the preconditions a handler relies on (a draft, a published hearing notice, a
//! convened meeting), refused before the handler runs and without a change; and the gates of the start, the
//! review submission and the suspension.

use serde_json::json;

use super::{actor, drafter, office, S};
use crate::actor::Role;

#[test]
fn in1_a_started_decision_names_its_undertaking_unit() {
    let mut s = S::proposed("national");
    let start = json!({ "category": 1, "undertaking_units": [], "catalogue_item": "2026-03" });
    s.refused(&office(), "start_decision", start, "art11_undertaking_unit_required");
}

#[test]
fn drafting_ends_only_with_a_draft() {
    let mut s = S::proposed("national");
    s.ok(
        &office(),
        "start_decision",
        json!({ "category": 1, "undertaking_units": ["生态环境局"], "catalogue_item": "c" }),
    );
    s.refused(&drafter(), "finish_drafting", json!({}), "draft_required");
    s.ok(&drafter(), "record_draft", json!({ "text": "x", "explanation": "e", "legal_basis": ["某法"] }));
    s.ok(&drafter(), "finish_drafting", json!({}));
}

#[test]
fn art12_a_begun_cost_benefit_analysis_is_finished_not_determined_away() {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.ok(&drafter(), "record_cost_benefit", json!({ "inputs": "c", "benefits": "b" }));
    let det = json!({ "stage": "cost_benefit", "outcome": "not_applicable", "reason": "r" });
    s.refused(&drafter(), "determine_applicability", det, "art12_cost_benefit_begun");
}

#[test]
fn art16_hearing_acts_wait_for_the_published_notice() {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    s.skip("public_participation", "skip_public_participation");
    assert_eq!(s.d.stage, "hearing");
    let before = s.d.clone();
    s.refused(&drafter(), "add_hearing_participant", json!({ "name": "张三", "side": "居民" }), "art16_notice_first");
    s.refused(
        &drafter(),
        "publish_hearing_selection_method",
        json!({ "criteria": "随机", "quota_per_side": 2 }),
        "art16_notice_first",
    );
    s.refused(&drafter(), "publish_hearing_participant_list", json!({}), "art16_notice_first");
    // A precondition's refusal comes before the handler reads the payload: malformed data does not hide it.
    s.refused(&drafter(), "add_hearing_participant", json!({ "nom": "x" }), "art16_notice_first");
    assert_eq!(s.d, before);
}

#[test]
fn art26_a_review_submission_states_its_legal_basis() {
    let mut s = S::at_legality_review("national");
    let today = s.today();
    let submission = json!({
        "legal_basis": [], "procedure_explanation": "已履行", "received_complete_on": today,
        "requested_due": today + chrono::Duration::days(20),
    });
    s.refused(&drafter(), "submit_for_legality_review", submission, "art26_legal_basis");
}

#[test]
fn art30_stances_and_the_decision_need_a_convened_meeting() {
    let mut s = S::reviewed("national", "lawful");
    s.ok(&drafter(), "submit_package", json!({}));
    let chief = actor("市长", "政府", Role::ChiefExecutive);
    let stance = json!({ "member": "甲", "stance": "support", "words": "同意" });
    s.refused(&office(), "record_stance", stance, "art30_meeting_not_convened");
    s.refused(
        &chief,
        "record_chief_opinion",
        json!({ "decision": "adopt", "words": "通过" }),
        "art30_meeting_not_convened",
    );
    s.refused(&chief, "decide", json!({}), "art30_meeting_not_convened");
    s.refused(&office(), "close_meeting", json!({}), "art30_meeting_not_convened");
}

#[test]
fn art37_a_suspension_rests_on_a_problem_report_and_an_urgency() {
    let mut s = S::in_meeting("national");
    s.ready_to_publish();
    s.ok(&office(), "publish_decision", json!({ "channels": ["gazette", "website"] }));
    s.ok(&office(), "begin_execution", json!({}));
    let chief = actor("市长", "政府", Role::ChiefExecutive);
    s.refused(&chief, "suspend", json!({ "urgency_reason": "紧急" }), "art37_problem_report_required");
    let exec = actor("执行", "生态环境局", Role::ExecutingUnit);
    s.ok(&exec, "file_execution_report", json!({ "kind": "major_change", "text": "上位法修改" }));
    s.refused(&chief, "suspend", json!({ "report": 1 }), "art37_urgency_reason");
    s.ok(&chief, "suspend", json!({ "report": 1, "urgency_reason": "上位法已修改，继续执行将造成损失" }));
    assert_eq!(s.d.stage, "suspended");
}
