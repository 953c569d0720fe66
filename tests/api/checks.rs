//! The what-if over HTTP: `POST /api/v1/decisions/{id}/checks/{act}` answers as applying the act would — 204, or
//! the same problem with every reason — and writes nothing.

use reqwest::Method;
use serde_json::{json, Value};

use juece_tests::http::Answer;

use super::{api, Api};

async fn check(a: &Api, id: &str, user: &str, act: &str, body: Value) -> Answer {
    a.call(Method::POST, &format!("/api/v1/decisions/{id}/checks/{act}"), Some(user), Some(body)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_answers_as_the_act_would_and_writes_nothing() {
    let a = api().await;
    let id = a.open("试算事项").await;
    let start = json!({ "category": 1, "undertaking_units": ["示范市生态环境局"] });
    let before = a.state_of(&id).await;
    check(&a, &id, "office", "start_decision", start.clone()).await.expect(204, "");
    // What applying would answer: the refusal with its reason and article, 403 for the wrong role.
    let early = check(&a, &id, "drafter", "finish_drafting", json!({})).await;
    assert_eq!((early.status.as_u16(), early.body["article"].is_string()), (422, true), "{}", early.body);
    check(&a, &id, "drafter", "start_decision", start.clone()).await.expect(403, "role_not_permitted");
    check(&a, &id, "office", "start_decision", json!({ "category": "one" })).await.expect(422, "invalid_payload");
    check(&a, &id, "office", "start_decision", json!([1])).await.expect(400, "invalid_body");
    check(&a, "nope", "office", "start_decision", start.clone()).await.expect(404, "not_found");
    assert_eq!(a.state_of(&id).await, before, "a check writes nothing, not even a record");
    // The act is accepted as the check said; once applied, checking it again answers as applying it again would.
    a.ok("office", &id, "start_decision", start.clone()).await;
    let again = check(&a, &id, "office", "start_decision", start.clone()).await;
    let applied_again = a.act("office", &id, "start_decision", start).await;
    assert_eq!((again.status, again.code()), (applied_again.status, applied_again.code()), "{}", again.body);
}
