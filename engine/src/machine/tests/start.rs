//! The start, drafting and what a profile may require: a lead unit, the Art. 3 category and exclusions, the catalogue and its consent, a department's proposal, determinations of which stages apply, non-disclosure.

use super::*;

#[test]
fn a3_catalogue_needs_party_consent_per_version() {
    let mut s = S::new("catalogue");
    let items = json!([{ "name": "大气污染防治办法", "undertaking_unit": "生态环境局", "planned": "2026年第二季度", "hearing_planned": true }]);
    s.ok(&office(), "create_catalogue", json!({ "organ": "某市人民政府", "year": 2026, "items": items }));
    s.refused(&office(), "publish_catalogue", json!({ "channels": ["website"] }), "art3_party_consent_missing");
    s.refused(
        &office(),
        "record_party_consent",
        json!({ "version": 2, "reference": "市委〔2026〕1号", "date": "2026-01-10" }),
        "catalogue_consent_version",
    );
    s.ok(
        &office(),
        "record_party_consent",
        json!({ "version": 1, "reference": "市委〔2026〕1号", "date": "2026-01-10" }),
    );
    s.ok(&office(), "publish_catalogue", json!({ "channels": ["website"] }));
    assert_eq!(s.d.stage, "published");
    let more = json!([
        { "name": "大气污染防治办法", "undertaking_unit": "生态环境局", "planned": "2026年第二季度" },
        { "name": "公交票价调整", "undertaking_unit": "交通运输局", "planned": "2026年第四季度", "hearing_planned": true },
    ]);
    s.ok(&office(), "adjust_catalogue", json!({ "items": more, "reason": "新增公交票价调整事项" }));
    assert_eq!((s.d.stage.as_str(), s.d.facts.catalogue.as_ref().unwrap().version), ("draft", 2));
    s.refused(&office(), "publish_catalogue", json!({ "channels": ["website"] }), "art3_party_consent_missing");
    s.refused(&drafter(), "adjust_catalogue", json!({ "items": [], "reason": "r" }), "role_not_permitted");
}

#[test]
fn a1_two_units_need_a_lead() {
    let mut s = S::proposed("national");
    s.refused(
        &office(),
        "start_decision",
        json!({ "category": 1, "undertaking_units": ["A", "B"] }),
        "art11_lead_unit_required",
    );
    s.refused(
        &office(),
        "start_decision",
        json!({ "category": 1, "undertaking_units": ["A", "B"], "lead_unit": "C" }),
        "art11_lead_unit_required",
    );
    s.ok(&office(), "start_decision", json!({ "category": 1, "undertaking_units": ["A", "B"], "lead_unit": "A" }));
    assert_eq!(s.d.stage, "drafting");
}

#[test]
fn a2_excluded_matter_and_missing_category() {
    let mut s = S::new("national");
    s.ok(&office(), "submit_proposal", json!({ "title": "防汛应急处置方案", "organ": "o", "proposer_type": "leader", "proposer": "p", "summary": "s" }));
    s.refused(
        &office(),
        "start_decision",
        json!({ "category": 5, "exclusion": "emergency_response", "undertaking_units": ["A"] }),
        "excluded_by_art3",
    );
    s.refused(&office(), "start_decision", json!({ "undertaking_units": ["A"] }), "missing_category");
    assert_eq!(s.d.stage, "proposal");
}

#[test]
fn department_proposal_must_argue_its_case_and_only_the_office_starts() {
    let mut s = S::new("national");
    let p = json!({ "title": "t", "organ": "o", "proposer_type": "department", "proposer": "局", "summary": "s", "main_problem": "m" });
    assert_eq!(s.try_act(&office(), "submit_proposal", p).unwrap_err(), vec!["art10_proposal_fields"]);
    s.ok(
        &office(),
        "submit_proposal",
        json!({ "title": "t", "organ": "o", "proposer_type": "leader", "proposer": "p", "summary": "s" }),
    );
    s.refused(&drafter(), "start_decision", json!({ "category": 1, "undertaking_units": ["A"] }), "role_not_permitted");
}

#[test]
fn conditional_stages_need_a_recorded_determination() {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.refused(&drafter(), "skip_cost_benefit", json!({}), "applicability_not_determined");
    s.refused(
        &drafter(),
        "determine_applicability",
        json!({ "stage": "cost_benefit", "outcome": "not_applicable", "reason": " " }),
        "applicability_reason_required",
    );
    s.refused(
        &drafter(),
        "determine_applicability",
        json!({ "stage": "cost_benefit", "outcome": "already_done", "reason": "r" }),
        "applicability_reason_required",
    );
    s.refused(&drafter(), "complete_cost_benefit", json!({}), "art12_cost_benefit_missing");
    s.ok(&drafter(), "record_cost_benefit", json!({ "inputs": "i", "benefits": "b" }));
    s.ok(&drafter(), "complete_cost_benefit", json!({}));
}

#[test]
fn a_profile_can_make_a_stage_always_applicable() {
    let mut s = S::started("example-province");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    s.refused(
        &drafter(),
        "determine_applicability",
        json!({ "stage": "public_participation", "outcome": "not_applicable", "reason": "r" }),
        "profile_stage_always_applicable",
    );
    s.refused(&drafter(), "skip_public_participation", json!({}), "profile_stage_always_applicable");
}

#[test]
fn a7_non_disclosable_needs_a_ground_and_still_needs_review() {
    let mut s = S::started("national");
    s.refused(&office(), "declare_non_disclosable", json!({}), "art14_non_disclosable_ground");
    let ground = json!({ "legal_ground": "state_secret", "legal_basis": "《保守国家秘密法》第十三条" });
    s.ok(&office(), "declare_non_disclosable", ground);
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    s.ok(&drafter(), "skip_public_participation", json!({}));
    s.ok(&drafter(), "skip_hearing", json!({}));
}

#[test]
fn sc1_a_township_profile_keeps_the_mandatory_gates() {
    let mut s = S::started("example-township");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.refused(&drafter(), "submit_package", json!({}), "act_not_allowed_in_stage");
    let mut s = S::at_legality_review("example-township");
    s.refused(&drafter(), "close_legality_review", json!({}), "art25_no_legality_review");
}

#[test]
fn sc5_a_profile_can_require_a_catalogue_item() {
    let mut s = S::proposed("example-province");
    s.refused(
        &office(),
        "start_decision",
        json!({ "category": 1, "undertaking_units": ["A"] }),
        "catalogue_item_required",
    );
    s.ok(
        &office(),
        "start_decision",
        json!({ "category": 1, "undertaking_units": ["A"], "catalogue_item": "2026-01" }),
    );
}

#[test]
fn in3_in6_legal_basis_and_dispute_statement() {
    let mut s = S::started("national");
    s.refused(
        &drafter(),
        "record_draft",
        json!({ "text": "v2", "explanation": "e", "legal_basis": [" "] }),
        "art12_legal_basis_required",
    );
    s.ok(&drafter(), "record_consultation", json!({ "unit": "交通局", "agreed": false, "opinion": "不同意限行范围" }));
    let mut s2 = S::reviewed("national", "lawful");
    s2.d.facts.consultations = s.d.facts.consultations.clone();
    s2.refused(&drafter(), "submit_package", json!({}), "art13_dispute_statement");
    s2.ok(
        &drafter(),
        "record_dispute_statement",
        json!({ "text": "争议：限行范围；交通局意见：缩小；本单位意见及理由：依上位法" }),
    );
    s2.ok(&drafter(), "submit_package", json!({}));
}
