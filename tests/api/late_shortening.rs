//! The A5 variant over HTTP (Art. 15): the drafter shortens a published
//! comment period and gives the reason afterwards. Accepted with a warning;
//! the public sees the notice flagged; its deadline moves; the stage waits
//! for a new, compliant notice to run; oversight sees the override.

use serde_json::{json, Value};

use juece_tests::steps::reason_codes;

use super::{api, Api};

const REASON: &str = "汛期临近，情况紧急";

fn notice(a: &Api, days: u32) -> Value {
    json!({ "channels": ["website"], "submission_methods": ["电子邮件"], "start": a.today(), "days": days })
}

/// The comment-period deadlines of a decision: (status, due_at).
async fn period_deadlines(a: &Api, id: &str) -> Vec<(String, String)> {
    let d = a.get(&format!("/api/v1/decisions/{id}/deadlines"), Some("office")).await;
    let rows = d.body.as_array().cloned().unwrap_or_default();
    rows.iter()
        .filter(|r| r["spec"]["name"] == "comment_period_end")
        .map(|r| (r["status"].as_str().unwrap_or("").into(), r["spec"]["due_at"].as_str().unwrap_or("").into()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a5_variant_a_reason_added_after_publication_keeps_the_stage_open_until_a_compliant_notice_has_run() {
    let a = api().await;
    let id = a.at_stage("公交票价调整方案", "public_participation").await;
    a.ok("drafter", &id, "publish_comment_notice", notice(&a, 30)).await;
    a.comment(&id, "建议分时段定价。").await.expect(201, "");
    let shorten = json!({ "days": 20, "shortening_reason": REASON });
    let r = a.ok("drafter", &id, "shorten_comment_period", shorten).await;
    assert_eq!(r.body["warnings"][0]["code"], "art15_shortened_after_publication", "{}", r.body);
    assert_eq!(r.body["warnings"][0]["article"], "Art. 15");
    // The public sees the notice as it now stands: 20 days, flagged, the reason given late.
    let open = a.get("/api/v1/public/consultations", None).await;
    let n = &open.body["items"][0]["facts"]["comment_notices"][0];
    assert_eq!((n["days"].as_u64(), n["non_compliant_shortening"].as_bool()), (Some(20), Some(true)), "{n}");
    assert_eq!((n["shortening_reason"].clone(), n["late_shortening"]["reason"].clone()), (Value::Null, json!(REASON)));
    // The period's deadline follows the shortened end: the old one cancelled, the new one pending.
    let deadlines = period_deadlines(&a, &id).await;
    let pending: Vec<&str> = deadlines.iter().filter(|(s, _)| s == "pending").map(|(_, due)| due.as_str()).collect();
    assert_eq!(pending, [n["ends_at"].as_str().unwrap_or("")], "{deadlines:?}");
    assert!(deadlines.iter().any(|(s, _)| s == "cancelled"), "{deadlines:?}");

    a.wait_days(22);
    a.ok("drafter", &id, "dispose_opinion", json!({ "opinion_id": 1, "outcome": "partly", "reason": "部分采纳" }))
        .await;
    let flagged = (422, "non_compliant_shortening", "Art. 15");
    a.refused("drafter", &id, "close_participation", json!({}), flagged).await;
    // A new, compliant notice, and the stage closes only once it has run.
    a.ok("drafter", &id, "publish_comment_notice", notice(&a, 30)).await;
    let running = a.act("drafter", &id, "close_participation", json!({})).await;
    running.expect(422, "art15_period_not_ended");
    assert!(reason_codes(&running).contains(&"non_compliant_shortening".to_string()), "{}", running.body);
    a.wait_days(31);
    assert_eq!(a.ok("drafter", &id, "close_participation", json!({})).await.body["stage"], "hearing");
    // Oversight sees the late shortening with its reason.
    let overrides = a.get("/api/v1/accountability/overrides", Some("oversight")).await;
    let listed = overrides.body.as_array().into_iter().flatten().any(|o| {
        o["decision_id"] == id.as_str()
            && o["kind"] == "comment_period_shortened_after_publication"
            && o["reason"] == REASON
    });
    assert!(listed, "{}", overrides.body);
}
