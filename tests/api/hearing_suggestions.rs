//! PP-8 over HTTP: anyone suggests a hearing on a consultation (anonymous,
//! or with a name and a contact that are never published); the undertaking
//! unit decides on each through the generic act endpoint; under the
//! Guangdong example, public participation waits for every decision.

use reqwest::Method;
use serde_json::{json, Value};

use super::{api, Api};
use juece_tests::http::Answer;

const ARTICLE: &str = "profile rule (Guangdong 2023 Art. 2, PP-8), not Decree 713";

/// A decision of `workflow` open for comment: a 30-day notice published today.
pub(super) async fn open_for_comment(a: &Api, workflow: &str, title: &str) -> String {
    let id = a.at_stage_in(workflow, title, "public_participation", json!({})).await;
    let notice = json!({ "channels": ["website"], "submission_methods": ["电子邮件"], "start": a.today(), "days": 30 });
    a.ok("drafter", &id, "publish_comment_notice", notice).await;
    id
}

async fn suggest(a: &Api, id: &str, body: Value) -> Answer {
    a.call(Method::POST, &format!("/api/v1/public/consultations/{id}/hearing-suggestions"), None, Some(body)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pp8_every_public_hearing_suggestion_is_decided_before_participation_closes() {
    let a = api().await;
    let id = open_for_comment(&a, "example-guangdong", "公交票价调整方案").await;
    let named = json!({ "content": "票价关系每位乘客，建议举行听证会", "name": "市民甲", "contact": "13800000000" });
    let r = suggest(&a, &id, named).await;
    r.expect(201, "");
    assert_eq!((r.body["decision_id"].as_str(), r.body["suggestion_id"].as_u64()), (Some(id.as_str()), Some(1)));
    suggest(&a, &id, json!({ "content": "建议听证" })).await.expect(201, "");
    // The drafter sees who suggested it; the public view holds neither suggestions nor contacts.
    let d = a.get(&format!("/api/v1/decisions/{id}/opinions?kind=hearing_suggestion"), Some("drafter")).await;
    assert_eq!(d.body["items"][0]["submitter"], "市民甲 (13800000000)", "{}", d.body);
    assert_eq!(d.body["items"][1]["content"], "建议听证", "{}", d.body);
    let open = a.get("/api/v1/public/consultations", None).await;
    assert!(open.body["items"][0]["facts"].get("hearing_suggestions").is_none(), "{}", open.body);
    assert!(!open.body.to_string().contains("13800000000"));

    a.wait_days(31);
    let late = suggest(&a, &id, json!({ "content": "迟到的建议" })).await;
    late.expect(422, "art15_comment_period_closed");
    let undecided = (422, "pp8_hearing_suggestion_undecided", ARTICLE);
    let r = a.refused("drafter", &id, "close_participation", json!({}), undecided).await;
    assert!(r.body["detail"].as_str().unwrap_or("").contains("#1, #2"), "{}", r.body);
    // Only the undertaking unit decides, once per suggestion, with a reason.
    let not_held = json!({ "suggestion_id": 1, "hold": false, "reason": "已召开座谈会，意见已充分听取" });
    a.act("other-drafter", &id, "decide_hearing_suggestion", not_held.clone()).await.expect(403, "not_assigned");
    a.act("office", &id, "decide_hearing_suggestion", not_held.clone()).await.expect(403, "role_not_permitted");
    a.ok("drafter", &id, "decide_hearing_suggestion", not_held.clone()).await;
    let twice = (422, "pp8_suggestion_already_decided", ARTICLE);
    a.refused("drafter", &id, "decide_hearing_suggestion", not_held, twice).await;
    a.refused("drafter", &id, "close_participation", json!({}), undecided).await;
    let held = json!({ "suggestion_id": 2, "hold": true, "reason": "涉及群众切身利益，举行听证" });
    a.ok("drafter", &id, "decide_hearing_suggestion", held).await;
    assert_eq!(a.ok("drafter", &id, "close_participation", json!({})).await.body["stage"], "hearing");
    let d = a.get(&format!("/api/v1/decisions/{id}/opinions?kind=hearing_suggestion"), Some("oversight")).await;
    assert_eq!(d.body["items"][1]["settled"]["outcome"], "hold", "{}", d.body);
    assert_eq!(d.body["items"][0]["settled"]["outcome"], "no_hearing", "{}", d.body);
    // The hearing the unit decided to hold is held: the stage is not passed over.
    let det = json!({ "stage": "hearing", "outcome": "not_applicable", "reason": "时间紧" });
    a.ok("drafter", &id, "determine_applicability", det).await;
    let promised = (422, "pp8_hearing_promised", ARTICLE);
    let r = a.refused("drafter", &id, "skip_hearing", json!({}), promised).await;
    assert!(r.body["detail"].as_str().unwrap_or("").contains("#2"), "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pp8_a_non_disclosable_matter_takes_no_hearing_suggestion() {
    let a = api().await;
    let id = a.drafting_in("example-guangdong", "涉密设施布局方案", json!({})).await;
    let ground = json!({ "legal_ground": "state_secret", "legal_basis": "《中华人民共和国保守国家秘密法》第十三条" });
    a.ok("office", &id, "declare_non_disclosable", ground).await;
    a.ok("drafter", &id, "finish_drafting", json!({})).await;
    a.pass_over(&id, "cost_benefit", "skip_cost_benefit").await;
    let notice = json!({ "channels": ["website"], "submission_methods": ["电子邮件"], "start": a.today(), "days": 30 });
    a.ok("drafter", &id, "publish_comment_notice", notice).await;
    let before = a.state_of(&id).await;
    let r = suggest(&a, &id, json!({ "content": "建议听证" })).await;
    r.expect(422, "pp8_non_disclosable");
    assert_eq!(r.body["article"], "profile rule (Guangdong 2023 Art. 2, PP-8), not Decree 713");
    assert_eq!(a.state_of(&id).await, before, "nothing written");
}
