//! What a determination may not waive (issue 12, items 1–4) and the release of a non-disclosable matter (A7,
//! item 17) and of one not yet reported to the Party committee (A22, item 20).

use chrono::Duration;
use serde_json::json;

use super::{actor, drafter, office, S};
use crate::actor::{Actor, Role};
use crate::procedure::facts::Applicability;

fn public() -> Actor {
    actor("anonymous", "public", Role::Public)
}

fn waive(stage: &str, outcome: &str) -> serde_json::Value {
    json!({ "stage": stage, "outcome": outcome, "reason": "r", "reference": "文号-1" })
}

/// In public participation (cost-benefit passed over).
fn at_participation() -> S {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    s
}

/// The codes of a refusal, which must hold `code` with `article`.
fn refused_with(s: &mut S, who: &Actor, act: &str, payload: serde_json::Value, code: &str, article: &str) {
    let ctx = super::super::Context { workflow: &s.wf, calendar: &s.cal, pools: &s.pools, ledger: &Default::default() };
    let r = super::super::step(ctx, &s.d, &crate::act::Act::new(act, payload), who, s.now).unwrap_err();
    let reason = r.reasons.iter().find(|x| x.reason_code == code).unwrap_or_else(|| panic!("{code} not in {r:?}"));
    assert_eq!(reason.article, article, "{reason:?}");
    assert!(!reason.message_zh.is_empty() && !reason.message_en.is_empty());
}

#[test]
fn pp1_participation_is_passed_over_only_for_a_non_disclosable_matter() {
    let mut s = at_participation();
    // Neither "not applicable" nor "done elsewhere" waives it, and nothing is recorded.
    refused_with(
        &mut s,
        &drafter(),
        "determine_applicability",
        waive("public_participation", "not_applicable"),
        "art14_participation_mandatory",
        "Art. 14(1)",
    );
    s.refused(
        &drafter(),
        "determine_applicability",
        waive("public_participation", "already_done"),
        "art14_participation_mandatory",
    );
    assert!(s.d.facts.determination("public_participation").is_none());
    refused_with(
        &mut s,
        &drafter(),
        "skip_public_participation",
        json!({}),
        "art14_participation_mandatory",
        "Art. 14(1)",
    );
    // Once a notice is out, the stage ends only by closing it.
    let today = s.today();
    let notice = json!({ "channels": ["website"], "submission_methods": ["邮件"], "start": today, "days": 30 });
    s.ok(&drafter(), "publish_comment_notice", notice);
    refused_with(&mut s, &drafter(), "skip_public_participation", json!({}), "art15_notice_published", "Art. 15");
    s.now += Duration::days(31);
    s.ok(&drafter(), "close_participation", json!({}));
    assert_eq!(s.d.stage, "hearing");
}

#[test]
fn pp1_a_non_disclosable_matter_passes_over_participation_with_its_ground_recorded() {
    let mut s = S::started("national");
    s.refused(
        &office(),
        "declare_non_disclosable",
        json!({ "legal_ground": "国家秘密" }),
        "art14_non_disclosable_ground",
    );
    let detail = {
        let ctx =
            super::super::Context { workflow: &s.wf, calendar: &s.cal, pools: &s.pools, ledger: &Default::default() };
        let act =
            crate::act::Act::new("declare_non_disclosable", json!({ "legal_ground": "机密", "legal_basis": "b" }));
        super::super::step(ctx, &s.d, &act, &office(), s.now).unwrap_err().reasons[0].detail.clone().unwrap()
    };
    assert!(detail.contains("state_secret（国家秘密）") && detail.contains("trade_secret（商业秘密）"), "{detail}");
    // The drafter cannot approve it: the general office does.
    let ground = json!({ "legal_ground": "国家秘密", "legal_basis": "《保守国家秘密法》第十三条" });
    assert!(s.try_act(&drafter(), "declare_non_disclosable", ground.clone()).is_err());
    s.ok(&office(), "declare_non_disclosable", ground);
    let nd = s.d.facts.non_disclosure.clone().unwrap();
    assert_eq!((nd.legal_ground.as_str(), nd.legal_basis.as_str()), ("state_secret", "《保守国家秘密法》第十三条"));
    let det = s.d.facts.determination("public_participation").unwrap();
    assert_eq!(det.outcome, Applicability::NotApplicable);
    assert!(det.reason.contains("国家秘密"), "{}", det.reason);
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    s.ok(&drafter(), "skip_public_participation", json!({}));
    assert_eq!(s.d.stage, "hearing");
}

#[test]
fn pp3_a_flagged_matter_keeps_its_participation() {
    let mut s = S::started("national");
    s.ok(
        &office(),
        "declare_non_disclosable",
        json!({ "legal_ground": "trade_secret", "legal_basis": "条例第十五条" }),
    );
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    s.ok(&drafter(), "set_flags", json!({ "specific_group_interest": true }));
    refused_with(
        &mut s,
        &drafter(),
        "skip_public_participation",
        json!({}),
        "art14_flagged_participation",
        "Art. 14(1), 14(3)",
    );
    s.ok(&drafter(), "set_flags", json!({ "specific_group_interest": false, "high_public_concern": true }));
    s.refused(&drafter(), "skip_public_participation", json!({}), "art14_flagged_participation");
    s.refused(
        &drafter(),
        "revise_applicability",
        json!({ "stage": "public_participation", "outcome": "not_applicable", "reason": "r", "revision_reason": "x" }),
        "art14_flagged_participation",
    );
    // The lawful path: consult and close.
    let symposium = json!({ "method": "symposium", "participant_types": ["群众代表"], "summary": "座谈会" });
    s.ok(&drafter(), "record_activity", symposium);
    s.ok(&drafter(), "close_participation", json!({}));
}

#[test]
fn ra2_already_done_is_the_risk_assessments_alone() {
    let mut s = at_participation();
    for stage in ["cost_benefit", "hearing", "expert_consultation"] {
        refused_with(
            &mut s,
            &drafter(),
            "determine_applicability",
            waive(stage, "already_done"),
            "art22_already_done_only_risk",
            "Art. 22(2)",
        );
    }
    s.ok(&drafter(), "set_flags", json!({ "technical": true }));
    s.refused(
        &drafter(),
        "determine_applicability",
        waive("expert_consultation", "already_done"),
        "art22_already_done_only_risk",
    );
    s.ok(&drafter(), "determine_applicability", waive("risk_assessment", "already_done"));
    assert_eq!(s.d.facts.determination("risk_assessment").unwrap().outcome, Applicability::AlreadyDone);
}

#[test]
fn a_begun_stage_cannot_be_declared_not_applicable() {
    let mut s = at_participation();
    s.skip("public_participation", "skip_public_participation");
    let date = s.today() + Duration::days(20);
    s.ok(&drafter(), "publish_hearing_notice", json!({ "date": date, "place": "市民中心", "sides": ["居民"] }));
    refused_with(
        &mut s,
        &drafter(),
        "determine_applicability",
        waive("hearing", "not_applicable"),
        "art16_hearing_begun",
        "Art. 16(2)",
    );
    // Nor is a determination made before the notice enough to pass over a hearing that has begun.
    let mut t = at_participation();
    t.skip("public_participation", "skip_public_participation");
    t.ok(&drafter(), "determine_applicability", waive("hearing", "not_applicable"));
    t.ok(&drafter(), "publish_hearing_notice", json!({ "date": date, "place": "市民中心", "sides": ["居民"] }));
    refused_with(&mut t, &drafter(), "skip_hearing", json!({}), "art16_hearing_begun", "Art. 16(2)");

    let mut e = at_participation();
    e.skip("public_participation", "skip_public_participation");
    e.skip("hearing", "skip_hearing");
    e.ok(&drafter(), "select_expert", json!({ "expert_id": "G", "name": "G", "field": "f" }));
    refused_with(
        &mut e,
        &drafter(),
        "determine_applicability",
        waive("expert_consultation", "not_applicable"),
        "art19_experts_begun",
        "Art. 19(1)",
    );

    let mut r = at_participation();
    for (stage, skip) in [
        ("public_participation", "skip_public_participation"),
        ("hearing", "skip_hearing"),
        ("expert_consultation", "skip_expert_consultation"),
    ] {
        r.skip(stage, skip);
    }
    let report = json!({
        "assessor": "中心", "methods": ["重点走访"], "departments_consulted": ["公安局"], "risk_points": ["上访"],
        "measures": ["分步实施"], "contingency_plan": "应急预案", "level": "medium",
    });
    r.ok(&drafter(), "submit_risk_report", report);
    refused_with(
        &mut r,
        &drafter(),
        "determine_applicability",
        waive("risk_assessment", "not_applicable"),
        "art22_risk_assessment_begun",
        "Art. 22",
    );
    refused_with(
        &mut r,
        &drafter(),
        "determine_applicability",
        waive("risk_assessment", "already_done"),
        "art22_risk_assessment_begun",
        "Art. 22",
    );
}

#[test]
fn a_determination_is_recorded_once_and_a_revision_keeps_the_old_one() {
    let mut s = S::started("national");
    s.ok(&drafter(), "determine_applicability", waive("hearing", "not_applicable"));
    refused_with(
        &mut s,
        &drafter(),
        "determine_applicability",
        waive("hearing", "applicable"),
        "determination_already_recorded",
        "Art. 33",
    );
    s.refused(
        &drafter(),
        "revise_applicability",
        json!({ "stage": "hearing", "outcome": "applicable", "reason": "r", "revision_reason": " " }),
        "invalid_payload",
    );
    s.refused(
        &drafter(),
        "revise_applicability",
        json!({ "stage": "cost_benefit", "outcome": "applicable", "reason": "r", "revision_reason": "x" }),
        "invalid_payload",
    );
    s.now += Duration::hours(1);
    let revision =
        json!({ "stage": "hearing", "outcome": "applicable", "reason": "分歧较大", "revision_reason": "居民反映强烈" });
    s.ok(&drafter(), "revise_applicability", revision);
    assert_eq!(s.d.facts.determination("hearing").unwrap().outcome, Applicability::Applicable);
    let old = &s.d.facts.superseded_determinations;
    assert_eq!(old.len(), 1);
    assert_eq!((old[0].stage.as_str(), old[0].determination.outcome), ("hearing", Applicability::NotApplicable));
    assert_eq!(old[0].why, "居民反映强烈");
    assert_eq!(old[0].superseded_at, s.now);
}

#[test]
fn a7_a_non_disclosable_decision_is_released_without_publication() {
    let mut s = S::started("national");
    s.ok(&office(), "declare_non_disclosable", json!({ "legal_ground": "国家秘密", "legal_basis": "保密法第十三条" }));
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    // Participation and the hearing stand determined not applicable, with the ground in the record.
    s.ok(&drafter(), "skip_public_participation", json!({}));
    s.ok(&drafter(), "skip_hearing", json!({}));
    s.skip("expert_consultation", "skip_expert_consultation");
    s.skip("risk_assessment", "skip_risk_assessment");
    // The legality review and the collective discussion are still required (A7).
    s.refused(&drafter(), "close_legality_review", json!({}), "art25_no_legality_review");
    let today = s.today();
    let submission = json!({
        "legal_basis": ["某法"], "procedure_explanation": "已履行", "received_complete_on": today,
        "requested_due": today + Duration::days(20),
    });
    s.ok(&drafter(), "submit_for_legality_review", submission);
    let lawyer = json!({ "capacity": "公职律师", "opinion": "o" });
    s.ok(&actor("lawyer", "司法局", Role::LegalAdviser), "record_lawyer_opinion", lawyer);
    let opinion = json!({ "authority": "a", "procedure": "p", "content": "c", "conclusion": "lawful" });
    s.ok(&actor("rev", "司法局", Role::LegalityReviewer), "issue_legality_opinion", opinion);
    s.ok(&drafter(), "close_legality_review", json!({}));
    s.ok(&drafter(), "submit_package", json!({}));
    s.ok(&office(), "convene_meeting", json!({ "meeting_type": "executive", "date": today, "members": ["甲"] }));
    s.ok(&office(), "record_stance", json!({ "member": "甲", "stance": "support", "words": "同意" }));
    s.ready_to_publish();
    s.refused(
        &office(),
        "publish_decision",
        json!({ "channels": ["gazette", "website"] }),
        "non_disclosable_not_published",
    );
    s.ok(&office(), "publish_decision", json!({ "channels": [] }));
    let p = s.d.facts.publication.clone().unwrap();
    assert_eq!(p.withheld.as_deref(), Some("state_secret"));
    assert!(!s.d.facts.publicly_published() && !crate::visibility::is_public(&s.d.facts, s.now));
    refused_with(
        &mut s,
        &public(),
        "submit_feedback",
        json!({ "content": "意见" }),
        "art35_not_published_publicly",
        "Art. 35(2)",
    );
}

#[test]
fn a22_publishing_before_the_party_report_cites_art31() {
    let mut s = S::in_meeting("national");
    let chief = actor("市长", "政府", Role::ChiefExecutive);
    s.ok(&chief, "record_chief_opinion", json!({ "decision": "adopt", "words": "通过" }));
    s.ok(&chief, "decide", json!({}));
    let codes = s.try_act(&office(), "publish_decision", json!({ "channels": ["gazette", "website"] })).unwrap_err();
    assert_eq!(codes, ["art31_party_report_missing"]);
    refused_with(
        &mut s,
        &office(),
        "publish_decision",
        json!({ "channels": [] }),
        "art31_party_report_missing",
        "Art. 31",
    );
    // Out of order for another reason (an act of the meeting, after the decision): the stage error stays.
    s.refused(&office(), "convene_meeting", json!({}), "act_not_allowed_in_stage");
}
