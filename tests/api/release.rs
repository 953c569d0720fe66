//! Scenarios A7 and A22 of regulation.md §4 driven over HTTP from a fresh database, as an integrator would:
//! a non-disclosable matter is released without publication and nothing of it reaches a public endpoint
//! (issue 12, item 17); publishing with no Party-committee report at all is refused under Art. 31 (item 20).

use juece_tests::steps::reason_codes;
use serde_json::{json, Value};

use super::{api, Api};

async fn public_decisions(a: &Api) -> Value {
    a.get("/api/v1/public/decisions", None).await.body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a7_a_non_disclosable_decision_is_released_without_reaching_any_public_endpoint() {
    let a = api().await;
    let id = a.drafting("涉密应急物资储备布局方案").await;
    // The grounds are a documented enum; the Chinese label is accepted and stored by its key.
    let unknown =
        a.act("office", &id, "declare_non_disclosable", json!({ "legal_ground": "机密", "legal_basis": "b" })).await;
    unknown.expect(422, "art14_non_disclosable_ground");
    let detail = unknown.body["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("state_secret（国家秘密）") && detail.contains("internal_affairs（内部事务信息）"),
        "{detail}"
    );
    let no_basis = a.act("office", &id, "declare_non_disclosable", json!({ "legal_ground": "国家秘密" })).await;
    no_basis.expect(422, "art14_non_disclosable_ground");
    let ground = json!({ "legal_ground": "国家秘密", "legal_basis": "《中华人民共和国保守国家秘密法》第十三条" });
    a.act("drafter", &id, "declare_non_disclosable", ground.clone()).await.expect(403, "role_not_permitted");
    a.ok("office", &id, "declare_non_disclosable", ground).await;
    a.ok("drafter", &id, "finish_drafting", json!({})).await;
    a.pass_over(&id, "cost_benefit", "skip_cost_benefit").await;
    a.ok("drafter", &id, "skip_public_participation", json!({})).await;
    a.ok("drafter", &id, "skip_hearing", json!({})).await;
    a.pass_over(&id, "expert_consultation", "skip_expert_consultation").await;
    a.pass_over(&id, "risk_assessment", "skip_risk_assessment").await;
    // Legality review and collective discussion are still required.
    let no_review = (422, "art25_no_legality_review", "Art. 25(2)");
    a.refused("drafter", &id, "close_legality_review", json!({}), no_review).await;
    a.submit_for_review(&id).await;
    a.review(&id, Api::opinion("lawful")).await;
    a.ok("drafter", &id, "close_legality_review", json!({})).await;
    a.decide_at_meeting(&id).await;
    a.ok("office", &id, "designate_executing_unit", json!({ "unit": "示范市生态环境局" })).await;
    a.ok("office", &id, "report_to_party", json!({ "reference_no": "示政请〔2026〕9号" })).await;
    a.ok("office", &id, "record_party_response", json!({ "response": "同意。" })).await;
    // Not through a public channel …
    let channels = json!({ "channels": ["gazette", "website"] });
    let public_channels = (422, "non_disclosable_not_published", "Art. 32; 政府信息公开条例 Arts. 14–16");
    a.refused("office", &id, "publish_decision", channels, public_channels).await;
    // … but released, recorded as not published publicly, with the ground.
    let released = a.ok("office", &id, "publish_decision", json!({ "channels": [] })).await;
    assert_eq!(released.body["stage"], "publication");
    let inside = a.get(&format!("/api/v1/decisions/{id}"), Some("office")).await.body;
    let publication = &inside["facts"]["publication"];
    assert_eq!(publication["withheld"], "state_secret", "{publication}");
    assert_eq!(publication["channels"], json!([]));
    // Nothing of it reaches a public endpoint.
    assert_eq!(public_decisions(&a).await["items"], json!([]), "the public list stays empty");
    assert_eq!(a.get("/api/v1/public/consultations", None).await.body["items"], json!([]));
    let view = a.get(&format!("/api/v1/decisions/{id}"), None).await;
    assert!(view.status.as_u16() == 401 || view.status.as_u16() == 404, "anonymous read: {}", view.status);
    let feedback = a
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/public/decisions/{id}/feedback"),
            None,
            Some(json!({ "content": "请公开该决策。" })),
        )
        .await;
    feedback.expect(422, "art35_not_published_publicly");
    assert_eq!(feedback.body["article"], "Art. 35(2)");
    // Inside, the record keeps the ground and who approved it.
    let d = a.get(&format!("/api/v1/decisions/{id}"), Some("oversight")).await;
    assert_eq!(d.body["facts"]["non_disclosure"]["legal_basis"], "《中华人民共和国保守国家秘密法》第十三条");
    assert!(d.body["facts"]["non_disclosure"]["approved_by"].as_str().unwrap_or("").contains("王文"), "{}", d.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a22_publishing_with_no_party_committee_report_is_refused_under_art31() {
    let a = api().await;
    let id = a.reviewed("示范市老旧小区改造实施方案", "lawful").await;
    a.decide_at_meeting(&id).await;
    a.ok("office", &id, "designate_executing_unit", json!({ "unit": "示范市生态环境局" })).await;
    // No report to the Party committee at all (no D26): refused as Art. 31 says, not as a stage error.
    let publish = json!({ "channels": ["gazette", "website"] });
    let refused = a
        .refused("office", &id, "publish_decision", publish.clone(), (422, "art31_party_report_missing", "Art. 31"))
        .await;
    assert_eq!(reason_codes(&refused), ["art31_party_report_missing"], "{}", refused.body);
    assert!(refused.body["message_zh"].as_str().unwrap_or("").contains("党委"), "{}", refused.body);
    assert_eq!(public_decisions(&a).await["items"], json!([]));
    // Reported without a response yet: the same refusal.
    a.ok("office", &id, "report_to_party", json!({ "reference_no": "示政请〔2026〕10号" })).await;
    a.refused("office", &id, "publish_decision", publish.clone(), (422, "art31_party_report_missing", "Art. 31")).await;
    // After D26 and its response, publication proceeds and the public sees it.
    a.ok("office", &id, "record_party_response", json!({ "response": "同意出台。" })).await;
    assert_eq!(a.ok("office", &id, "publish_decision", publish).await.body["stage"], "publication");
    assert_eq!(public_decisions(&a).await["items"].as_array().map(Vec::len), Some(1));
}
