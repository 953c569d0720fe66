//! PP-8 (Guangdong 2023, P4 Art. 2): the public suggests a hearing on a
//! matter open for comment; under the profile flag the participation stage
//! closes only when the unit has decided on every suggestion.

use chrono::Duration;
use serde_json::json;

use super::{actor, drafter, office, S};
use crate::actor::{Actor, Role};
use crate::ledger::Kind;

fn public() -> Actor {
    actor("anonymous", "public", Role::Public)
}

/// In public participation with a 30-day comment notice published today.
fn open_for_comment(key: &str) -> S {
    let mut s = S::started(key);
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    let today = s.today();
    let notice = json!({ "channels": ["website"], "submission_methods": ["邮件"], "start": today, "days": 30 });
    s.ok(&drafter(), "publish_comment_notice", notice);
    s
}

fn suggestion(text: &str) -> serde_json::Value {
    json!({ "content": text, "submitter": "张三 (138…)" })
}

#[test]
fn pp8_every_hearing_suggestion_needs_a_decision_before_participation_closes() {
    let mut s = open_for_comment("example-guangdong");
    s.ok(&public(), "suggest_hearing", suggestion("票价调整涉及每位乘客，建议举行听证会"));
    s.ok(&public(), "suggest_hearing", json!({ "content": "建议听证" }));
    let taken = s.ledger.of(Kind::HearingSuggestion);
    assert_eq!(taken.len(), 2);
    assert_eq!(taken[0].submitter.as_deref(), Some("张三 (138…)"));
    s.refused(&public(), "suggest_hearing", json!({ "content": "  " }), "invalid_payload");
    s.now += Duration::days(31);
    s.refused(&public(), "suggest_hearing", json!({ "content": "迟到的建议" }), "art15_comment_period_closed");
    let detail = s.refusal_detail(&drafter(), "close_participation", json!({}), "pp8_hearing_suggestion_undecided");
    assert!(detail.contains("#1") && detail.contains("#2"), "{detail}");
    // Nor can the stage be passed over: a notice was published, so it ends only by closing (Art. 15).
    s.refused(&drafter(), "skip_public_participation", json!({}), "art15_notice_published");

    let no_reason = json!({ "suggestion_id": 1, "hold": false, "reason": " " });
    s.refused(&drafter(), "decide_hearing_suggestion", no_reason, "invalid_payload");
    let unknown = json!({ "suggestion_id": 9, "hold": false, "reason": "r" });
    s.refused(&drafter(), "decide_hearing_suggestion", unknown, "invalid_payload");
    let not_held = json!({ "suggestion_id": 1, "hold": false, "reason": "已召开座谈会充分听取意见" });
    s.refused(&office(), "decide_hearing_suggestion", not_held.clone(), "role_not_permitted");
    s.ok(&drafter(), "decide_hearing_suggestion", not_held.clone());
    s.refused(&drafter(), "decide_hearing_suggestion", not_held, "pp8_suggestion_already_decided");
    let d = s.ledger.of(Kind::HearingSuggestion)[0].settled.clone().expect("decided");
    assert!(d.outcome == "no_hearing" && d.reason == "已召开座谈会充分听取意见" && d.by.starts_with("drafter"));
    let detail = s.refusal_detail(&drafter(), "close_participation", json!({}), "pp8_hearing_suggestion_undecided");
    assert!(detail.contains("#2") && !detail.contains("#1"), "{detail}");

    s.ok(
        &drafter(),
        "decide_hearing_suggestion",
        json!({ "suggestion_id": 2, "hold": true, "reason": "涉及群众切身利益" }),
    );
    s.ok(&drafter(), "close_participation", json!({}));
    assert_eq!(s.d.stage, "hearing");
    // The unit told the public it would hold a hearing: it cannot pass the stage over now.
    s.ok(
        &drafter(),
        "determine_applicability",
        json!({ "stage": "hearing", "outcome": "not_applicable", "reason": "r" }),
    );
    let detail = s.refusal_detail(&drafter(), "skip_hearing", json!({}), "pp8_hearing_promised");
    assert!(detail.contains("#2") && !detail.contains("#1"), "{detail}");
    assert_eq!(s.d.stage, "hearing");
}

#[test]
fn pp8_without_the_profile_flag_a_suggestion_does_not_hold_the_stage() {
    let mut s = open_for_comment("national");
    s.ok(&public(), "suggest_hearing", suggestion("建议听证"));
    s.now += Duration::days(31);
    s.ok(&drafter(), "close_participation", json!({}));
    // It can still be decided in the hearing stage.
    s.ok(&drafter(), "decide_hearing_suggestion", json!({ "suggestion_id": 1, "hold": false, "reason": "已有座谈会" }));
    // Decided not to hold one: the stage may be passed over with its determination.
    s.skip("hearing", "skip_hearing");
    assert_eq!(s.d.stage, "expert_consultation");
}

#[test]
fn pp8_a_non_disclosable_matter_takes_no_suggestion() {
    let mut s = S::started("example-guangdong");
    s.ok(&office(), "declare_non_disclosable", json!({ "legal_ground": "state_secret", "legal_basis": "保密法" }));
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    let today = s.today();
    let notice = json!({ "channels": ["website"], "submission_methods": ["邮件"], "start": today, "days": 30 });
    s.ok(&drafter(), "publish_comment_notice", notice);
    s.refused(&public(), "suggest_hearing", suggestion("建议听证"), "pp8_non_disclosable");
    assert!(s.ledger.rows.is_empty());
}
