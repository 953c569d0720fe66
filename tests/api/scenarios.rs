//! Acceptance scenarios of regulation.md §4 through HTTP: each refusal is a
//! problem+json with the scenario's reason code, and nothing is written.

use juece_engine::calendar::period::add_working_days;
use serde_json::json;

use super::{api, Api};

const UNITS: [&str; 2] = ["示范市生态环境局", "示范市住房和城乡建设局"];

/// A1, then drafting and every stage up to the collective discussion,
/// through the API as the people of the sample decision.
pub(super) async fn started(a: &Api) -> String {
    let id = a.open("示范市大气污染防治条例实施办法").await;
    a.act("office", &id, "start_decision", json!({ "category": 1, "undertaking_units": UNITS }))
        .await
        .expect(422, "art11_lead_unit_required");
    let v = a.get(&format!("/api/v1/decisions/{id}"), Some("office")).await;
    assert_eq!(
        (v.body["version"].as_i64(), v.body["stage"].as_str()),
        (Some(1), Some("proposal")),
        "refusal wrote nothing"
    );
    let ok = a
        .ok(
            "office",
            &id,
            "start_decision",
            json!({ "category": 1, "undertaking_units": UNITS, "lead_unit": UNITS[0] }),
        )
        .await;
    assert_eq!(ok.body["stage"], "drafting");
    id
}

pub(crate) async fn to_meeting(a: &Api) -> String {
    let id = started(a).await;
    let d = "drafter";
    a.ok(
        d,
        &id,
        "record_draft",
        json!({ "text": "第一条 为防治大气污染……", "explanation": "依据上位法起草。",
        "legal_basis": ["《中华人民共和国大气污染防治法》"] }),
    )
    .await;
    a.ok(d, &id, "set_flags", json!({ "technical": true, "high_public_concern": true })).await;
    a.ok(d, &id, "record_consultation", json!({ "unit": "示范市司法局", "agreed": true, "opinion": "原则同意。" }))
        .await;
    a.ok(d, &id, "finish_drafting", json!({})).await;
    a.ok(d, &id, "record_cost_benefit", json!({ "inputs": "财政投入2000万元", "benefits": "减少重污染天数" })).await;
    a.ok(d, &id, "complete_cost_benefit", json!({})).await;
    a.ok(
        d,
        &id,
        "publish_comment_notice",
        json!({ "channels": ["website", "gazette"],
        "submission_methods": ["电子邮件"], "start": a.today(), "days": 30 }),
    )
    .await;
    a.wait_days(3);
    let c = a
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/public/consultations/{id}/comments"),
            None,
            Some(json!({ "content": "建议对夜间施工扬尘加强监测。" })),
        )
        .await;
    c.expect(201, "");
    a.wait_days(30);
    a.ok(d, &id, "dispose_opinion", json!({ "opinion_id": 1, "outcome": "adopted", "reason": "增加夜间监测条款" }))
        .await;
    a.ok(d, &id, "record_public_adoption_summary", json!({ "text": "共收到意见1条，采纳1条。" })).await;
    a.ok(d, &id, "close_participation", json!({})).await;
    a.ok(
        d,
        &id,
        "determine_applicability",
        json!({ "stage": "hearing", "outcome": "not_applicable", "reason": "不涉及特定群体重大利益" }),
    )
    .await;
    a.ok(d, &id, "skip_hearing", json!({})).await;
    for e in ["e-1", "e-2", "e-3"] {
        a.ok(d, &id, "select_expert", json!({ "expert_id": e, "name": e, "field": "大气环境" })).await;
    }
    // Where the procedure asks experts for a confidentiality undertaking first (Art. 19(2)), they give it.
    let workflows = a.get("/api/v1/workflows", Some("drafter")).await;
    let undertaking = workflows.body.as_array().into_iter().flatten().any(|w| {
        w["acts"].as_array().is_some_and(|acts| acts.iter().any(|act| act["name"] == "acknowledge_confidentiality"))
    });
    for e in ["e-1", "e-2", "e-3"] {
        if undertaking {
            a.ok(e, &id, "declare_no_direct_interest", json!({ "expert_id": e })).await;
            a.ok(e, &id, "acknowledge_confidentiality", json!({ "expert_id": e })).await;
        }
        a.ok(
            e,
            &id,
            "submit_expert_opinion",
            json!({ "expert_id": e, "necessity": "必要", "feasibility": "可行",
            "scientific_soundness": "科学", "signature": e }),
        )
        .await;
    }
    a.ok(d, &id, "record_expert_adoption_summary", json!({ "text": "专家意见均予采纳。" })).await;
    a.ok(d, &id, "close_expert_consultation", json!({})).await;
    a.ok(
        d,
        &id,
        "submit_risk_report",
        json!({ "assessor": "评估中心", "methods": ["走访"], "departments_consulted": ["公安局"],
        "risk_points": ["成本上升"], "measures": ["分阶段实施"], "contingency_plan": "设立热线", "level": "low" }),
    )
    .await;
    a.ok("office", &id, "judge_controllability", json!({ "controllable": true })).await;
    a.ok(d, &id, "close_risk_assessment", json!({})).await;
    let received = a.today();
    let due = add_working_days(&a.app.state.engine.calendar(), received, 7).last_day;
    a.ok(
        d,
        &id,
        "submit_for_legality_review",
        json!({ "legal_basis": ["《大气污染防治法》"], "procedure_explanation": "已履行程序。",
        "received_complete_on": received, "requested_due": due }),
    )
    .await;
    a.ok("adviser", &id, "record_lawyer_opinion", json!({ "capacity": "公职律师", "opinion": "未发现违法情形。" }))
        .await;
    a.wait_days(7);
    a.ok(
        "reviewer",
        &id,
        "issue_legality_opinion",
        json!({ "authority": "法定权限内", "procedure": "程序完备",
        "content": "符合上位法", "conclusion": "lawful" }),
    )
    .await;
    a.ok(d, &id, "close_legality_review", json!({})).await;
    a.ok(d, &id, "submit_package", json!({})).await;
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a1_start_needs_a_lead_unit_among_several() {
    let a = api().await;
    started(&a).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a4_comment_period_too_short_without_reason() {
    let a = api().await;
    let id = started(&a).await;
    a.ok("drafter", &id, "record_draft", json!({ "text": "第一条", "explanation": "说明", "legal_basis": ["某法"] }))
        .await;
    a.ok("drafter", &id, "finish_drafting", json!({})).await;
    a.ok("drafter", &id, "record_cost_benefit", json!({ "inputs": "投入", "benefits": "效益" })).await;
    a.ok("drafter", &id, "complete_cost_benefit", json!({})).await;
    let before = a.get(&format!("/api/v1/decisions/{id}"), Some("drafter")).await.body["version"].clone();
    let r = a
        .act(
            "drafter",
            &id,
            "publish_comment_notice",
            json!({ "channels": ["website"],
        "submission_methods": ["电子邮件"], "start": a.today(), "days": 20 }),
        )
        .await;
    r.expect(422, "art15_min_30_days");
    assert_eq!(r.body["article"], "Art. 15");
    assert!(
        !r.body["message_zh"].as_str().unwrap_or("").is_empty()
            && !r.body["message_en"].as_str().unwrap_or("").is_empty()
    );
    let after = a.get(&format!("/api/v1/decisions/{id}"), Some("drafter")).await.body["version"].clone();
    assert_eq!(before, after, "a refused act writes nothing");
    // The public sees no open consultation.
    let open = a.get("/api/v1/public/consultations", None).await;
    assert_eq!(open.body["items"].as_array().map(Vec::len), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a20_wrong_meeting_type_and_a22_release_before_party_report() {
    let a = api().await;
    let id = to_meeting(&a).await;
    let members = json!([{ "name": "郑副市长", "user": "member" }, "王文", "张市长"]);
    let date = a.today();
    // A20
    a.act("office", &id, "convene_meeting", json!({ "meeting_type": "topic", "date": date, "members": members }))
        .await
        .expect(422, "art30_meeting_type");
    a.ok("office", &id, "convene_meeting", json!({ "meeting_type": "executive", "date": date, "members": members }))
        .await;
    // A member of another meeting is not assigned here; the meeting member is.
    // A member speaks for themself only; the general office minutes the others.
    let for_another = json!({ "member": "王文", "stance": "oppose", "words": "代为发言。" });
    a.refused("member", &id, "record_stance", for_another, (422, "art30_stance_of_another", "Art. 30(2)")).await;
    a.ok("member", &id, "record_stance", json!({ "member": "郑副市长", "stance": "support", "words": "同意。" })).await;
    a.ok("office", &id, "record_stance", json!({ "member": "王文", "stance": "support", "words": "同意。" })).await;
    a.ok("chief", &id, "record_chief_opinion", json!({ "decision": "adopt", "words": "同意通过。" })).await;
    a.ok("chief", &id, "decide", json!({})).await;
    a.ok("office", &id, "close_meeting", json!({})).await;
    // A22
    a.ok("office", &id, "designate_executing_unit", json!({ "unit": "示范市生态环境局" })).await;
    a.ok("office", &id, "report_to_party", json!({ "reference_no": "示政请〔2026〕8号" })).await;
    a.act("office", &id, "publish_decision", json!({ "channels": ["gazette"] }))
        .await
        .expect(422, "art31_party_report_missing");
    assert_eq!(a.get("/api/v1/public/decisions", None).await.body["items"].as_array().map(Vec::len), Some(0));
    a.ok("office", &id, "record_party_response", json!({ "response": "同意出台。" })).await;
    a.wait_days(2);
    a.ok(
        "office",
        &id,
        "publish_decision",
        json!({ "channels": ["gazette", "website"],
        "adoption_explanation": "公众意见采纳1条；专家意见全部采纳。", "interpretation_activities": ["新闻发布会"] }),
    )
    .await;
    let published = a.get("/api/v1/public/decisions", None).await;
    let items = published.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1, "{}", published.body);
    assert_eq!(items[0]["access"], "public");
    assert!(items[0]["facts"].get("opinions").is_none(), "the public view holds no opinions");
    // The whole story is on record, and the metrics counted the refusals.
    let record = a.get(&format!("/api/v1/decisions/{id}/record"), Some("oversight")).await;
    assert!(record.body.as_array().map(Vec::len).unwrap_or(0) > 30);
    let metrics = a.http.get(a.url("/metrics")).send().await.expect("metrics").text().await.expect("text");
    assert!(
        metrics.contains(
            r#"juece_acts_total{act="publish_decision",outcome="refused",reason_code="art31_party_report_missing"} 1"#
        ),
        "{metrics}"
    );
    assert!(metrics.contains("juece_http_request_duration_seconds_bucket"));
}
