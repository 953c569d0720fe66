//! AD-1/PE-4 over HTTP: an adjustment opened on a post-evaluation's
//! recommendation — by whom the engine allows, `keep` refused, the links on
//! both records — and the pool fact only the engine may write.

use reqwest::Method;
use serde_json::{json, Value};

use super::{api, Api};

fn body(extra: Value) -> Value {
    let mut b = json!({
        "reason": "后评估建议调整", "from_evaluation": true,
        "act": { "name": "submit_proposal", "payload": {
            "title": "关于调整实施办法的决策", "organ": "示范市人民政府", "proposer_type": "leader", "proposer": "市长",
            "summary": "依后评估建议调整",
        }},
    });
    if let (Some(b), Value::Object(extra)) = (b.as_object_mut(), extra) {
        b.extend(extra);
    }
    b
}

async fn evaluate(a: &Api, id: &str, recommendation: &str) {
    let start = json!({ "trigger": "实施后客观情况发生重大变化", "evaluator": "示范市发展研究中心" });
    a.ok("office", id, "start_post_evaluation", start).await;
    let report = json!({
        "report": "主要措施有效，部分条款需调整。", "recommendation": recommendation,
        "public_opinion_collection": "网上问卷", "participants": ["人大代表"],
    });
    a.ok("office", id, "submit_post_evaluation_report", report).await;
    a.ok("office", id, "finish_post_evaluation", json!({})).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pe4_an_evaluation_recommending_adjustment_opens_a_linked_child_over_http() {
    let a = api().await;
    juece_tests::drive_to_execution(&a.app.state.engine, "parent", a.app.clock.now()).await;
    let path = "/api/v1/decisions/parent/adjustments";
    evaluate(&a, "parent", "keep").await;
    a.call(Method::POST, path, Some("office"), Some(body(json!({})))).await.expect(422, "art36_recommendation_keep");
    evaluate(&a, "parent", "stop").await;
    a.call(Method::POST, path, Some("drafter"), Some(body(json!({})))).await.expect(403, "role_not_permitted");
    a.call(Method::POST, path, None, Some(body(json!({})))).await.expect(401, "unauthenticated");
    a.call(Method::POST, path, Some("office"), Some(body(json!({ "extra": 1 })))).await.expect(400, "invalid_body");

    let opened = a.call(Method::POST, path, Some("office"), Some(body(json!({})))).await;
    opened.expect(201, "");
    let child = opened.body["decision_id"].as_str().expect("child id").to_string();
    let location = opened.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert_eq!(location, format!("/api/v1/decisions/{child}"));
    let child_view = a.get(location, Some("office")).await;
    child_view.expect(200, "");
    let origin = &child_view.body["facts"]["origin"];
    assert_eq!(
        (origin["parent"].as_str(), origin["evaluation"]["recommendation"].as_str()),
        (Some("parent"), Some("stop"))
    );
    let parent = a.get("/api/v1/decisions/parent", Some("office")).await;
    let link = &parent.body["facts"]["adjustments"][0];
    assert_eq!(
        (link["child_id"].as_str(), link["evaluation"]["recommendation"].as_str()),
        (Some(child.as_str()), Some("stop"))
    );
}
