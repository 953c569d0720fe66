//! A10 and the A11 variant as regulation.md §4 states them (issue items 18,
//! 19): a hearing list with a side unrepresented is not finalised and no
//! hearing is held on it; an expert excluded for a late-declared conflict
//! keeps that mark through the replacement, in the record and the package.

use chrono::Duration;
use serde_json::json;

use super::{actor, at_participation, drafter};
use crate::actor::Role;

#[test]
fn a10_a_list_with_a_side_unrepresented_is_not_finalised_nor_heard() {
    let mut s = at_participation();
    s.skip("public_participation", "skip_public_participation");
    let date = s.today() + Duration::days(20);
    let sides = json!(["居民", "企业", "环保组织"]);
    s.ok(&drafter(), "publish_hearing_notice", json!({ "date": date, "place": "市民中心", "sides": sides }));
    s.ok(
        &drafter(),
        "publish_hearing_selection_method",
        json!({ "criteria": "自愿报名、随机抽取", "quota_per_side": 2 }),
    );
    for (name, side) in [("A", "居民"), ("B", "企业")] {
        let p = json!({ "name": name, "side": side, "materials_delivered_on": date - Duration::days(10) });
        s.ok(&drafter(), "add_hearing_participant", p);
    }
    let detail =
        s.refusal_detail(&drafter(), "publish_hearing_participant_list", json!({}), "art16_side_unrepresented");
    assert!(detail.contains("环保组织"), "{detail}");
    assert!(s.d.facts.hearing.as_ref().unwrap().list_published_at.is_none());
    let segments = json!({ "presentation": "说明", "statements": "发言" });
    s.refused(&drafter(), "record_hearing_segments", segments.clone(), "art16_side_unrepresented");
    let ngo = json!({ "name": "C", "side": "环保组织", "materials_delivered_on": date - Duration::days(10) });
    s.ok(&drafter(), "add_hearing_participant", ngo);
    s.ok(&drafter(), "publish_hearing_participant_list", json!({}));
    // Held on its announced day (Art. 17).
    s.now += Duration::days(20);
    s.ok(&drafter(), "record_hearing_segments", segments);
}

#[test]
fn a11_variant_the_replacement_keeps_the_excluded_conflict_mark_in_the_record_and_the_package() {
    let mut s = at_participation();
    for (stage, skip) in [("public_participation", "skip_public_participation"), ("hearing", "skip_hearing")] {
        s.skip(stage, skip);
    }
    s.ok(&drafter(), "select_expert", json!({ "expert_id": "E", "name": "E", "field": "f" }));
    let e = actor("E", "E院", Role::Expert);
    s.ok(&e, "declare_no_direct_interest", json!({ "expert_id": "E" }));
    s.ok(&e, "acknowledge_confidentiality", json!({ "expert_id": "E" }));
    let opinion = json!({ "expert_id": "E", "necessity": "n", "feasibility": "f", "scientific_soundness": "s", "signature": "E" });
    s.ok(&e, "submit_expert_opinion", opinion);
    s.ok(&e, "declare_expert_conflict", json!({ "expert_id": "E", "conflict": "所在院承担项目设计" }));
    let replace =
        json!({ "expert_id": "H", "name": "H", "field": "f", "replaces": "E", "replacement_reason": "E回避" });
    s.ok(&drafter(), "select_expert", replace);
    let e_now = s.d.facts.experts.iter().find(|x| x.expert_id == "E").unwrap().clone();
    assert!(e_now.excluded_conflict, "{e_now:?}");
    assert!(e_now.replaced_reason.as_deref().unwrap().starts_with("excluded_conflict"), "{e_now:?}");
    assert_eq!(e_now.replaced_by.as_deref(), Some("H"));
    assert!(e_now.opinion.is_some(), "the opinion stays in the record");
    // Replaced once: E cannot be replaced again over the record.
    let again = json!({ "expert_id": "K", "name": "K", "field": "f", "replaces": "E", "replacement_reason": "x" });
    s.refused(&drafter(), "select_expert", again, "invalid_payload");
    let h = actor("H", "H院", Role::Expert);
    s.ok(&h, "declare_no_direct_interest", json!({ "expert_id": "H" }));
    s.ok(&h, "acknowledge_confidentiality", json!({ "expert_id": "H" }));
    let opinion = json!({ "expert_id": "H", "necessity": "n", "feasibility": "f", "scientific_soundness": "s", "signature": "H" });
    s.ok(&h, "submit_expert_opinion", opinion);
    s.ok(&drafter(), "record_expert_adoption_summary", json!({ "text": "采纳H的意见；E的意见因回避不予采用" }));
    s.ok(&drafter(), "close_expert_consultation", json!({}));
    s.skip("risk_assessment", "skip_risk_assessment");
    let mut r = s;
    let today = r.today();
    let submission = json!({ "legal_basis": ["某法"], "procedure_explanation": "已履行", "received_complete_on": today,
        "requested_due": today + Duration::days(20) });
    r.ok(&drafter(), "submit_for_legality_review", submission);
    r.ok(
        &actor("lawyer", "司法局", Role::LegalAdviser),
        "record_lawyer_opinion",
        json!({ "capacity": "公职律师", "opinion": "o" }),
    );
    let opinion = json!({ "authority": "a", "procedure": "p", "content": "c", "conclusion": "lawful" });
    r.ok(&actor("rev", "司法局", Role::LegalityReviewer), "issue_legality_opinion", opinion);
    r.ok(&drafter(), "close_legality_review", json!({}));
    r.ok(&drafter(), "submit_package", json!({}));
    let listed: Vec<(String, String)> =
        (r.d.facts.package.as_ref().unwrap().experts.iter()).map(|x| (x.expert_id.clone(), x.status.clone())).collect();
    assert_eq!(listed, [("E".to_string(), "excluded_conflict".to_string()), ("H".to_string(), "counted".to_string())]);
}

/// EX-3 (Art. 20): each expert files their own declaration of interests for the matter before their opinion
/// counts; another expert cannot file it for them.
#[test]
fn ex3_an_opinion_needs_the_experts_own_declaration_of_no_direct_interest() {
    let mut s = at_participation();
    for (stage, skip) in [("public_participation", "skip_public_participation"), ("hearing", "skip_hearing")] {
        s.skip(stage, skip);
    }
    for id in ["E", "F"] {
        s.ok(&drafter(), "select_expert", json!({ "expert_id": id, "name": id, "field": "f" }));
    }
    let e = actor("E", "E院", Role::Expert);
    s.ok(&e, "acknowledge_confidentiality", json!({ "expert_id": "E" }));
    let opinion = json!({ "expert_id": "E", "necessity": "n", "feasibility": "f", "scientific_soundness": "s", "signature": "E" });
    s.refused(&e, "submit_expert_opinion", opinion.clone(), "art20_interest_undeclared");
    // F cannot declare for E.
    s.refused(
        &actor("F", "F院", Role::Expert),
        "declare_no_direct_interest",
        json!({ "expert_id": "E" }),
        "not_assigned",
    );
    assert!(s.d.facts.experts.iter().all(|x| x.interest_declared_at.is_none()));
    s.ok(&e, "declare_no_direct_interest", json!({ "expert_id": "E" }));
    let declared = s.d.facts.experts.iter().find(|x| x.expert_id == "E").and_then(|x| x.interest_declared_at);
    assert_eq!(declared, Some(s.now), "the server's time of the declaration");
    s.ok(&e, "submit_expert_opinion", opinion);
}
