//! The meeting, publication and after: the meeting's type and order of speaking, the Party-committee report and channels, the procedure explanation, execution problems, the archive (Arts. 30–37).

use super::*;

#[test]
fn a20_meeting_type_and_chief_speaks_last() {
    let mut s = S::reviewed("national", "lawful");
    s.ok(&drafter(), "submit_package", json!({}));
    let today = s.today();
    s.refused(
        &office(),
        "convene_meeting",
        json!({ "meeting_type": "topic", "date": today, "members": ["甲"] }),
        "art30_meeting_type",
    );
    let refused = json!({ "meeting_type": "plenary", "date": today, "members": ["甲", "甲"] });
    s.refused(&office(), "convene_meeting", refused, "invalid_payload");
    let refused = json!({ "meeting_type": "plenary", "date": today, "members": [{ "name": "甲", "login": "甲" }] });
    s.refused(&office(), "convene_meeting", refused, "invalid_payload");
    // 甲 signs in as account `u-jia` and records their own stance; 乙 is listed by name, the office records theirs.
    let members = json!([{ "name": "甲", "user": "u-jia" }, "乙"]);
    s.ok(&office(), "convene_meeting", json!({ "meeting_type": "plenary", "date": today, "members": members }));
    let jia = Actor { user_id: "u-jia".into(), ..actor("甲", "政府", Role::MeetingMember) };
    s.refused(
        &office(),
        "record_stance",
        json!({ "member": "丁", "stance": "support", "words": "w" }),
        "art30_not_a_member",
    );
    // A name is not an identity: another member account called 甲 is not on this roster.
    s.refused(
        &actor("甲", "政府", Role::MeetingMember),
        "record_stance",
        json!({ "member": "甲", "stance": "support", "words": "冒名" }),
        "not_assigned",
    );
    // Nor does 甲 speak for 乙.
    let detail = s.refusal_detail(
        &jia,
        "record_stance",
        json!({ "member": "乙", "stance": "support", "words": "w" }),
        "art30_stance_of_another",
    );
    assert!(detail.contains("`甲`") && detail.contains("`乙`"), "{detail}");
    s.ok(&jia, "record_stance", json!({ "member": "甲", "stance": "oppose", "words": "反对" }));
    s.refused(
        &actor("丁", "政府", Role::MeetingMember),
        "record_stance",
        json!({ "member": "丁", "stance": "oppose", "words": "w" }),
        "not_assigned",
    );
    s.ok(&office(), "record_stance", json!({ "member": "乙", "stance": "oppose", "words": "反对" }));
    let chief = actor("市长", "政府", Role::ChiefExecutive);
    s.refused(&chief, "decide", json!({}), "art30_chief_decision_missing");
    s.refused(
        &chief,
        "record_chief_opinion",
        json!({ "decision": "adopt", "words": "通过" }),
        "art30_divergence_reason",
    );
    s.ok(
        &chief,
        "record_chief_opinion",
        json!({ "decision": "adopt", "words": "通过", "divergence_reason": "上级要求限期出台" }),
    );
    s.refused(
        &office(),
        "record_stance",
        json!({ "member": "乙", "stance": "support", "words": "改变" }),
        "art30_chief_speaks_last",
    );
    s.ok(&chief, "decide", json!({}));
    assert_eq!(s.d.facts.outcome.as_ref().unwrap().majority, "oppose");
    s.ok(&office(), "close_meeting", json!({}));
}

#[test]
fn a22_publication_needs_the_party_report_and_required_channels() {
    let mut s = S::in_meeting("national");
    let chief = actor("市长", "政府", Role::ChiefExecutive);
    s.ok(&chief, "record_chief_opinion", json!({ "decision": "adopt", "words": "通过" }));
    s.ok(&chief, "decide", json!({}));
    s.ok(&office(), "close_meeting", json!({}));
    s.refused(&office(), "publish_decision", json!({ "channels": ["website"] }), "art31_party_report_missing");
    s.ok(&office(), "report_to_party", json!({ "reference_no": "r1" }));
    let codes = s.try_act(&office(), "publish_decision", json!({ "channels": ["wechat"] })).unwrap_err();
    for c in ["art31_party_report_missing", "art34_executing_unit_required", "art32_required_channels"] {
        assert!(codes.contains(&c.to_string()), "{c} missing from {codes:?}");
    }
    s.ok(&office(), "record_party_response", json!({ "response": "同意" }));
    s.ok(&office(), "designate_executing_unit", json!({ "unit": "生态环境局" }));
    s.ok(&office(), "publish_decision", json!({ "channels": ["gazette", "website"] }));
    assert_eq!(s.d.stage, "publication");
}

#[test]
fn sc8_pb2_pb3_cd8_publication_rules() {
    let mut s = S::in_meeting("national");
    s.ok(
        &actor("甲", "政府", Role::MeetingMember),
        "record_stance",
        json!({ "member": "甲", "stance": "reserve", "words": "保留意见" }),
    );
    s.ready_to_publish();
    s.d.facts.flags.npc_report_required = true;
    s.d.facts.flags.technical = true;
    let publish = json!({ "channels": ["gazette", "website"] });
    let codes = s.try_act(&office(), "publish_decision", publish.clone()).unwrap_err();
    assert!(
        codes.contains(&"art8_npc_report_missing".into()) && codes.contains(&"art32_adoption_explanation".into()),
        "{codes:?}"
    );
    s.ok(&office(), "record_npc_report", json!({ "reference_no": "人大常委会备〔2026〕1号" }));
    s.ok(&office(), "publish_decision", json!({
        "channels": ["gazette", "website"], "adoption_explanation": "专家意见全部采纳", "interpretation_activities": ["政策解读"],
    }));
    // A lawfully non-disclosable decision is released without public channels (PB-3).
    let mut n = S::in_meeting("national");
    n.ready_to_publish();
    n.refused(&office(), "publish_decision", json!({ "channels": [] }), "art32_required_channels");
    n.d.facts.non_disclosure = Some(crate::procedure::facts::NonDisclosure {
        legal_ground: "state_secret".into(),
        legal_basis: "b".into(),
        approved_by: "o".into(),
    });
    n.ok(&office(), "publish_decision", json!({ "channels": [] }));
}

#[test]
fn lr4_cd7_the_procedure_explanation_is_generated_from_the_record() {
    let mut s = S::at_legality_review("national");
    let today = s.today();
    let submit = json!({ "legal_basis": ["某法"], "received_complete_on": today, "requested_due": "2026-04-01" });
    s.ok(&drafter(), "submit_for_legality_review", submit);
    let text = &s.d.facts.legality_submissions[0].procedure_explanation;
    assert!(text.contains("hearing：NotApplicable，理由：r"), "{text}");
    assert!(text.contains("决定启动，承办单位：生态环境局"), "{text}");
    let edited = json!({ "legal_basis": ["某法"], "procedure_explanation": "  ", "received_complete_on": today, "requested_due": "2026-04-01" });
    s.refused(&drafter(), "submit_for_legality_review", edited, "art26_procedure_explanation");
}

#[test]
fn execution_problems_reach_the_chief_and_feedback_raises_a_task_not_an_evaluation() {
    let mut s = S::in_meeting("national");
    s.ready_to_publish();
    s.ok(&office(), "publish_decision", json!({ "channels": ["gazette", "website"] }));
    s.ok(&office(), "begin_execution", json!({}));
    let ctx = Context { workflow: &s.wf, calendar: &s.cal, pools: &s.pools, ledger: &Default::default() };
    let exec = actor("执行", "生态环境局", Role::ExecutingUnit);
    let report = Act::new("file_execution_report", json!({ "kind": "major_change", "text": "上位法修改" }));
    let out = step(ctx, &s.d, &report, &exec, s.now).unwrap();
    let told: Vec<_> = out
        .effects
        .iter()
        .filter_map(|e| match e {
            crate::effect::Effect::Notify { role, .. } => Some(*role),
            _ => None,
        })
        .collect();
    assert_eq!(told, [Role::ChiefExecutive, Role::GeneralOffice]);
    s.refused(
        &actor("x", "交通局", Role::ExecutingUnit),
        "file_execution_report",
        json!({ "kind": "progress", "text": "t" }),
        "not_assigned",
    );
    // Feedback is taken apart from the decision, which it leaves as it was (the intake raises the general office's
    // task at the threshold: `orchestrator::intake`).
    let public = actor("anon", "public", Role::Public);
    for i in 1..=3 {
        s.ok(&public, "submit_feedback", json!({ "content": format!("意见{i}") }));
    }
    assert_eq!(s.ledger.of(crate::ledger::Kind::Feedback).len(), 3);
    assert_eq!(s.d.stage, "execution", "feedback never starts an evaluation by itself");
    // Post-evaluation: the evaluator cannot be the risk assessor; the report needs its sections.
    s.d.facts.risk_report = Some(crate::procedure::facts::RiskReport {
        assessor: "风险评估中心".into(),
        methods: vec![],
        departments_consulted: vec![],
        risk_points: vec![],
        measures: vec![],
        contingency_plan: String::new(),
        level: "low".into(),
        draft_hash: String::new(),
        confirmations: vec![],
    });
    s.refused(
        &office(),
        "start_post_evaluation",
        json!({ "trigger": "feedback", "evaluator": "风险评估中心" }),
        "art36_evaluator_conflict",
    );
    s.ok(&office(), "start_post_evaluation", json!({ "trigger": "feedback", "evaluator": "某大学评估中心" }));
    s.refused(
        &office(),
        "submit_post_evaluation_report",
        json!({ "report": "r", "recommendation": "adjust" }),
        "art36_report_sections",
    );
    s.ok(&office(), "submit_post_evaluation_report", json!({
        "report": "r", "recommendation": "adjust", "public_opinion_collection": "问卷1200份", "participants": ["人大代表", "社会组织"],
    }));
    // The published text can never be edited in place: only an adjustment changes it (Art. 37).
    s.refused(
        &drafter(),
        "record_draft",
        json!({ "text": "改", "explanation": "e", "legal_basis": ["法"] }),
        "art37_no_change_without_procedure",
    );
}

#[test]
fn ar1_closing_needs_a_complete_archive() {
    let mut s = S::in_meeting("national");
    s.ready_to_publish();
    s.ok(&office(), "publish_decision", json!({ "channels": ["gazette", "website"] }));
    s.ok(&office(), "begin_execution", json!({}));
    // Execution ends on a completion report (Art. 37).
    let exec = actor("执行", "生态环境局", Role::ExecutingUnit);
    s.ok(&exec, "file_execution_report", json!({ "kind": "completion", "text": "执行完毕" }));
    s.ok(&office(), "end_execution", json!({}));
    // A hearing was held but its record was never confirmed: the manifest lists it as missing.
    s.d.facts.hearing = Some(crate::procedure::facts::Hearing {
        participants: vec![crate::procedure::facts::HearingParticipant {
            name: "C".into(),
            side: "居民".into(),
            materials_delivered_on: None,
            signed: false,
            refusal_reason: None,
        }],
        ..Default::default()
    });
    let codes = s.try_act(&office(), "archive_decision", json!({ "archivist": "档案室" })).unwrap_err();
    assert_eq!(codes, ["art33_archive_incomplete"]);
    s.d.facts.hearing = None;
    s.ok(&office(), "archive_decision", json!({ "archivist": "档案室" }));
    // Nothing can be done to a closed decision, by anyone.
    for role in Role::ALL {
        let who = Actor {
            user_id: "u".into(),
            name: "u".into(),
            unit: "生态环境局".into(),
            position: "p".into(),
            roles: vec![role],
            former_units: Vec::new(),
        };
        s.refused(
            &who,
            "record_draft",
            json!({ "text": "x", "explanation": "e", "legal_basis": ["l"] }),
            "act_not_allowed_in_stage",
        );
    }
}
