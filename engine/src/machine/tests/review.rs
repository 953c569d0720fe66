//! Experts, risk and legality: conflicts, signatures and seals, panels, risk reports and controllability, the legality review's floor, its binding to the draft, lawyers first, the package (Arts. 19–29).

use super::*;

#[test]
fn a11_a12_experts_conflict_signature_seal() {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    for (stage, skip) in [
        ("cost_benefit", "skip_cost_benefit"),
        ("public_participation", "skip_public_participation"),
        ("hearing", "skip_hearing"),
    ] {
        s.skip(stage, skip);
    }
    s.refused(
        &drafter(),
        "select_expert",
        json!({ "expert_id": "E", "name": "E", "field": "f", "conflict": "所在院承担项目设计" }),
        "art20_direct_interest",
    );
    s.ok(&drafter(), "select_expert", json!({ "expert_id": "F", "name": "F院", "field": "f", "institution": true }));
    s.ok(&drafter(), "select_expert", json!({ "expert_id": "G", "name": "G", "field": "f" }));
    let f = actor("F", "F院", Role::Expert);
    let op = |id: &str, sig: Option<&str>, seal: Option<&str>| {
        json!({
            "expert_id": id, "necessity": "n", "feasibility": "f", "scientific_soundness": "s", "signature": sig, "seal": seal,
        })
    };
    s.refused(&f, "submit_expert_opinion", op("F", Some("F院"), Some("章")), "art19_confidentiality");
    s.ok(&f, "declare_no_direct_interest", json!({ "expert_id": "F" }));
    s.ok(&f, "acknowledge_confidentiality", json!({ "expert_id": "F" }));
    s.ok(&actor("G", "u", Role::Expert), "declare_no_direct_interest", json!({ "expert_id": "G" }));
    s.ok(&actor("G", "u", Role::Expert), "acknowledge_confidentiality", json!({ "expert_id": "G" }));
    s.refused(&f, "submit_expert_opinion", op("F", Some("F院"), None), "art19_seal_required");
    s.refused(&actor("G", "u", Role::Expert), "submit_expert_opinion", op("G", None, None), "art19_signature_required");
    // An expert acts only on their own assignment.
    s.refused(&f, "submit_expert_opinion", op("G", Some("x"), None), "not_assigned");
    s.ok(&f, "submit_expert_opinion", op("F", Some("F院"), Some("F院公章")));
    s.refused(&drafter(), "close_expert_consultation", json!({}), "expert_opinions_incomplete");
    // G declares a conflict after assignment: removed from the panel, and the
    // stage no longer waits for G (A11 variant); F's opinion stands.
    s.ok(
        &actor("G", "u", Role::Expert),
        "declare_expert_conflict",
        json!({ "expert_id": "G", "conflict": "亲属任职于项目单位" }),
    );
    let g = s.d.facts.experts.iter().find(|e| e.expert_id == "G").unwrap();
    assert!(g.replaced_reason.as_deref().unwrap().starts_with("excluded_conflict"));
    s.refused(&drafter(), "close_expert_consultation", json!({}), "art29_3_expert_adoption");
    s.ok(&drafter(), "record_expert_adoption_summary", json!({ "text": "F院意见予以采纳" }));
    s.ok(&drafter(), "close_expert_consultation", json!({}));
}

#[test]
fn ex1_a_technical_matter_cannot_waive_experts() {
    let mut s = S::started("national");
    s.ok(&drafter(), "set_flags", json!({ "technical": true }));
    let waive = json!({ "stage": "expert_consultation", "outcome": "not_applicable", "reason": "r" });
    s.refused(&drafter(), "determine_applicability", waive, "art19_technical_requires_experts");
    s.ok(
        &drafter(),
        "determine_applicability",
        json!({ "stage": "hearing", "outcome": "not_applicable", "reason": "r" }),
    );
}

#[test]
fn ex4_profile_panel_size_odd_and_officials_share() {
    let mut s = S::started("example-province");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.ok(&drafter(), "record_cost_benefit", json!({ "inputs": "i", "benefits": "b" }));
    s.ok(&drafter(), "complete_cost_benefit", json!({}));
    let today = s.today();
    s.ok(
        &drafter(),
        "publish_comment_notice",
        json!({ "channels": ["website"], "submission_methods": ["m"], "start": today, "days": 30 }),
    );
    s.now += Duration::days(40);
    s.ok(&drafter(), "record_public_adoption_summary", json!({ "text": "无意见" }));
    s.ok(&drafter(), "close_participation", json!({}));
    s.skip("hearing", "skip_hearing");
    for (i, official) in [(1, true), (2, true), (3, false), (4, false)] {
        s.ok(
            &drafter(),
            "select_expert",
            json!({ "expert_id": format!("x{i}"), "name": format!("x{i}"), "field": "f", "official": official }),
        );
    }
    for i in 1..=4 {
        let e = actor(&format!("x{i}"), "u", Role::Expert);
        s.ok(&e, "declare_no_direct_interest", json!({ "expert_id": format!("x{i}") }));
        s.ok(&e, "acknowledge_confidentiality", json!({ "expert_id": format!("x{i}") }));
        let op = json!({ "expert_id": format!("x{i}"), "necessity": "n", "feasibility": "f", "scientific_soundness": "s", "signature": "x" });
        s.ok(&e, "submit_expert_opinion", op);
    }
    s.ok(&drafter(), "record_expert_adoption_summary", json!({ "text": "采纳" }));
    // 4 experts: below the profile's minimum of 5, and even.
    let codes = s.try_act(&drafter(), "close_expert_consultation", json!({})).unwrap_err();
    assert!(
        codes.contains(&"expert_opinions_incomplete".into()) && codes.contains(&"expert_panel_composition".into()),
        "{codes:?}"
    );
    s.ok(&drafter(), "select_expert", json!({ "expert_id": "x5", "name": "x5", "field": "f" }));
    let e = actor("x5", "u", Role::Expert);
    s.ok(&e, "declare_no_direct_interest", json!({ "expert_id": "x5" }));
    s.ok(&e, "acknowledge_confidentiality", json!({ "expert_id": "x5" }));
    s.ok(&e, "submit_expert_opinion", json!({ "expert_id": "x5", "necessity": "n", "feasibility": "f", "scientific_soundness": "s", "signature": "x" }));
    // 5 experts, 2 officials = 40 % > 33 %.
    s.refused(&drafter(), "close_expert_consultation", json!({}), "expert_panel_composition");
}

#[test]
fn ra1_ra4_risk_report_sections_and_presence() {
    let mut s = at_participation();
    for (stage, skip) in [
        ("public_participation", "skip_public_participation"),
        ("hearing", "skip_hearing"),
        ("expert_consultation", "skip_expert_consultation"),
    ] {
        s.skip(stage, skip);
    }
    s.refused(&drafter(), "close_risk_assessment", json!({}), "art22_risk_report_missing");
    let thin = json!({ "assessor": "中心", "methods": ["舆情跟踪"], "level": "low" });
    s.refused(&drafter(), "submit_risk_report", thin, "art23_report_sections");
    s.refused(&drafter(), "submit_risk_report", json!({ "assessor": "中心", "level": "extreme" }), "invalid_payload");
    s.ok(
        &drafter(),
        "submit_risk_report",
        json!({
            "assessor": "中心", "methods": ["重点走访"], "departments_consulted": ["公安局"], "risk_points": ["上访"],
            "measures": ["分步实施"], "contingency_plan": "应急预案", "level": "medium",
        }),
    );
    s.ok(&drafter(), "close_risk_assessment", json!({}));
}

#[test]
fn ra2_an_assessment_done_elsewhere_satisfies_the_package() {
    let mut s = S::reviewed("national", "lawful");
    s.d.facts.applicability.remove("risk_assessment");
    s.refused(&drafter(), "submit_package", json!({}), "art29_4_risk_report");
    s.d.facts.applicability.insert(
        "risk_assessment".into(),
        crate::procedure::facts::Determination {
            outcome: crate::procedure::facts::Applicability::AlreadyDone,
            reason: "项目审批时已作社会稳定风险评估".into(),
            reference: Some("发改投资〔2025〕12号".into()),
            by: "drafter".into(),
            at: s.now,
        },
    );
    s.ok(&drafter(), "submit_package", json!({}));
}

#[test]
fn uncontrollable_risk_blocks_the_decision() {
    let mut s = S::in_meeting("national");
    s.d.facts.controllability = Some(crate::procedure::facts::Controllability {
        controllable: false,
        by: "office".into(),
        draft_hash: s.d.facts.current_draft_hash().unwrap().into(),
        at: s.now,
    });
    let chief = actor("市长", "政府", Role::ChiefExecutive);
    s.ok(&chief, "record_chief_opinion", json!({ "decision": "adopt", "words": "通过" }));
    s.refused(&chief, "decide", json!({}), "art24_uncontrollable");
}

#[test]
fn a16_a17_legality_review_is_required_and_binds_to_the_draft() {
    let mut s = S::at_legality_review("national");
    assert!(s.d.facts.consultations.iter().any(|c| c.unit == "司法局"));
    s.refused(&drafter(), "close_legality_review", json!({}), "art25_no_legality_review");
    let mut s = S::reviewed("national", "unlawful");
    s.refused(&drafter(), "submit_package", json!({}), "art25_unlawful");
    let mut s = S::reviewed("national", "lawful");
    s.ok(&drafter(), "record_draft", json!({ "text": "v2", "explanation": "e", "legal_basis": ["某法"] }));
    s.refused(&drafter(), "submit_package", json!({}), "art25_opinion_stale");
    // LR-8: the reviewer may state that the change does not affect legality.
    let rev = actor("rev", "司法局", Role::LegalityReviewer);
    s.refused(&drafter(), "confirm_opinion_unaffected", json!({ "statement": "x" }), "role_not_permitted");
    s.ok(&rev, "confirm_opinion_unaffected", json!({ "statement": "仅修改文字表述，不影响合法性" }));
    let op = s.d.facts.legality_opinion.as_ref().unwrap();
    assert_eq!(op.confirmations.len(), 1);
    assert_ne!(op.confirmations[0].from_hash, op.confirmations[0].to_hash);
    s.ok(&drafter(), "submit_package", json!({}));
}

#[test]
fn review_time_floor_counts_working_days() {
    let mut s = S::at_legality_review("national");
    // Received Monday 2026-03-02 (after the skips, still that day): 7 working days later is 2026-03-11.
    let today = s.today();
    let payload = |due: &str, urgency: Option<&str>| {
        json!({
            "legal_basis": ["某法"], "procedure_explanation": "p", "received_complete_on": today, "requested_due": due, "urgency_reason": urgency,
        })
    };
    s.refused(&drafter(), "submit_for_legality_review", payload("2026-03-10", None), "art26_min_7_working_days");
    s.ok(&drafter(), "submit_for_legality_review", payload("2026-03-11", None));
    s.ok(&drafter(), "submit_for_legality_review", payload("2026-03-05", Some("防汛紧急")));
    s.refused(&drafter(), "submit_for_legality_review", json!({ "legal_basis": ["某法"], "procedure_explanation": "", "received_complete_on": today, "requested_due": "2026-04-01" }), "art26_procedure_explanation");
}

#[test]
fn a_returned_submission_needs_a_new_one_before_any_opinion() {
    let mut s = S::at_legality_review("national");
    let today = s.today();
    let submit = json!({ "legal_basis": ["某法"], "procedure_explanation": "p", "received_complete_on": today, "requested_due": "2026-04-01" });
    s.ok(&drafter(), "submit_for_legality_review", submit);
    let rev = actor("rev", "司法局", Role::LegalityReviewer);
    s.ok(
        &actor("l", "司法局", Role::LegalAdviser),
        "record_lawyer_opinion",
        json!({ "capacity": "法律顾问", "opinion": "o" }),
    );
    s.refused(&drafter(), "return_submission", json!({ "reason": "x" }), "role_not_permitted");
    s.ok(&rev, "request_supplement", json!({ "reason": "缺少风险评估说明" }));
    let opinion = json!({ "authority": "a", "procedure": "p", "content": "c", "conclusion": "lawful" });
    s.refused(&rev, "issue_legality_opinion", opinion.clone(), "art26_not_submitted");
    // The complete set arrives later: the 7 working days count from then.
    s.now += Duration::days(10);
    let later = s.today();
    s.refused(&drafter(), "submit_for_legality_review", json!({
        "legal_basis": ["某法"], "procedure_explanation": "p", "received_complete_on": later, "requested_due": "2026-03-20",
    }), "art26_min_7_working_days");
    s.ok(&drafter(), "submit_for_legality_review", json!({
        "legal_basis": ["某法"], "procedure_explanation": "p", "received_complete_on": later, "requested_due": "2026-04-01", "urgency_reason": "汛期",
    }));
    s.ok(&rev, "issue_legality_opinion", opinion);
}

#[test]
fn a18_exploratory_needs_a_statement_and_lawyers_come_first() {
    let mut s = S::at_legality_review("national");
    let today = s.today();
    s.ok(&drafter(), "submit_for_legality_review", json!({
        "legal_basis": ["某法"], "procedure_explanation": "p", "received_complete_on": today, "requested_due": "2026-04-01",
    }));
    let rev = actor("rev", "司法局", Role::LegalityReviewer);
    let opinion =
        json!({ "authority": "a", "procedure": "p", "content": "c", "conclusion": "exploratory_with_legal_risk" });
    s.refused(&rev, "issue_legality_opinion", opinion.clone(), "art28_lawyer_opinion_required");
    s.ok(
        &actor("l", "司法局", Role::LegalAdviser),
        "record_lawyer_opinion",
        json!({ "capacity": "法律顾问", "opinion": "o" }),
    );
    s.refused(&rev, "issue_legality_opinion", opinion, "art25_exploratory_statement");
    s.refused(
        &rev,
        "issue_legality_opinion",
        json!({ "authority": "", "procedure": "p", "content": "c", "conclusion": "lawful" }),
        "art27_findings_required",
    );
}

#[test]
fn a19_package_names_every_missing_item() {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    let today = s.today();
    s.ok(
        &drafter(),
        "publish_comment_notice",
        json!({ "channels": ["website"], "submission_methods": ["m"], "start": today, "days": 30 }),
    );
    s.now += Duration::days(40);
    s.ok(&drafter(), "close_participation", json!({}));
    for (stage, skip) in [("hearing", "skip_hearing"), ("expert_consultation", "skip_expert_consultation")] {
        s.skip(stage, skip);
    }
    // Risk applies: force the close without a report through a determination
    // recorded *after* leaving the stage is impossible, so skip via
    // already_done is the only other way — here we instead test the package
    // with risk applicable by setting the determination back to applicable.
    s.skip("risk_assessment", "skip_risk_assessment");
    s.d.facts.applicability.remove("risk_assessment");
    let today = s.today();
    s.ok(&drafter(), "submit_for_legality_review", json!({ "legal_basis": ["l"], "procedure_explanation": "p", "received_complete_on": today, "requested_due": today + Duration::days(30) }));
    s.ok(
        &actor("l", "司法局", Role::LegalAdviser),
        "record_lawyer_opinion",
        json!({ "capacity": "法律顾问", "opinion": "o" }),
    );
    s.ok(
        &actor("rev", "司法局", Role::LegalityReviewer),
        "issue_legality_opinion",
        json!({ "authority": "a", "procedure": "p", "content": "c", "conclusion": "lawful" }),
    );
    s.ok(&drafter(), "close_legality_review", json!({}));
    let codes = s.try_act(&drafter(), "submit_package", json!({})).unwrap_err();
    assert!(codes.contains(&"art29_2_public_opinion_adoption".into()), "{codes:?}");
    assert!(codes.contains(&"art29_4_risk_report".into()), "{codes:?}");
}

#[test]
fn lr9_a_negative_fair_competition_review_blocks_issuance_not_discussion() {
    let mut s = S::reviewed("national", "lawful");
    s.d.facts.flags.affects_market_entities = true;
    s.refused(&drafter(), "submit_package", json!({}), "art29_1_fair_competition");
    let review = json!({ "initial_review": "起草单位初审", "regulator_conclusion": "违反第八条", "passed": false });
    s.ok(&drafter(), "record_fair_competition", review);
    // Art. 29(1) asks that the package include the review; a negative one does not bar the discussion …
    s.ok(&drafter(), "submit_package", json!({}));
    let today = s.today();
    s.ok(&office(), "convene_meeting", json!({ "meeting_type": "executive", "date": today, "members": ["甲"] }));
    s.ok(&office(), "record_stance", json!({ "member": "甲", "stance": "support", "words": "同意" }));
    s.ready_to_publish();
    // … the Fair Competition Review Regulation bars the measure's issuance.
    let codes = s.try_act(&office(), "publish_decision", json!({ "channels": ["gazette", "website"] })).unwrap_err();
    assert_eq!(codes, ["fcr_negative_blocks_issuance"]);
    let article = &s.wf.gates["fcr_negative_blocks_issuance"].article;
    assert!(article.contains("公平竞争审查条例") && article.contains("not Decree 713"), "{article}");
}
