//! `Idempotency-Key`: a replay answers the first response and writes nothing;
//! the same key with another body is refused.

use reqwest::Method;
use serde_json::json;

use super::{answer, api};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replays_return_the_first_answer_and_change_nothing() {
    let a = api().await;
    let id = a.open("幂等").await;
    let path = format!("/api/v1/decisions/{id}/acts/start_decision");
    let body = json!({ "category": 1, "undertaking_units": ["示范市生态环境局"] });
    let send = |key: &'static str, body: serde_json::Value| {
        a.req(Method::POST, &path, Some("office")).header("idempotency-key", key).json(&body).send()
    };
    let first = answer(send("k-1", body.clone()).await.expect("send")).await;
    assert_eq!(first.status.as_u16(), 200, "{}", first.body);
    let again = answer(send("k-1", body.clone()).await.expect("send")).await;
    assert_eq!(again.status.as_u16(), 200);
    assert_eq!(again.body, first.body, "the same answer");
    assert_eq!(again.headers["idempotency-replayed"], "true");
    let v = a.get(&format!("/api/v1/decisions/{id}"), Some("office")).await;
    assert_eq!(v.body["version"], 2, "applied once");
    // Another body with the same key.
    let other =
        answer(send("k-1", json!({ "category": 2, "undertaking_units": ["示范市生态环境局"] })).await.expect("send"))
            .await;
    other.expect(422, "idempotency_key_reused");
    // A refusal is an answer too, and is replayed as such.
    let refused = answer(send("k-2", body.clone()).await.expect("send")).await;
    refused.expect(422, "act_not_allowed_in_stage");
    answer(send("k-2", body).await.expect("send")).await.expect(422, "act_not_allowed_in_stage");
    // Another caller cannot replay someone else's key.
    let thief = a
        .req(Method::POST, &path, Some("drafter"))
        .header("idempotency-key", "k-1")
        .json(&json!({ "category": 1, "undertaking_units": ["示范市生态环境局"] }))
        .send()
        .await
        .expect("send");
    answer(thief).await.expect(422, "idempotency_key_reused");
    // Public comments too.
    let bad = a
        .req(Method::POST, &path, Some("office"))
        .header("idempotency-key", "")
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    answer(bad).await.expect(400, "invalid_idempotency_key");
}
