//! `Idempotency-Key`: a replay answers the first response and writes nothing;
//! the same key with another body is refused; an act's answer is stored in
//! its own transaction, so a request that dies after its act committed still
//! replays, and one that died before is retried after its lease.

use juece_api::idempotency::LEASE;
use juece_api::routes::decisions::AppliedOut;
use juece_engine::act::Act;
use juece_engine::orchestrator::ActRequest;
use juece_engine::orchestrator::{Answering, Applied};
use juece_engine::store::idempotency::KeyClaim;
use juece_engine::Error;
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replays_return_the_first_answer_and_change_nothing() {
    let a = api().await;
    let id = a.open("幂等").await;
    let path = format!("/api/v1/decisions/{id}/acts/start_decision");
    let body = json!({ "category": 1, "undertaking_units": ["示范市生态环境局"] });
    let send = |key: &'static str, body: serde_json::Value| {
        a.send(a.req(Method::POST, &path, Some("office")).header("idempotency-key", key).json(&body))
    };
    let first = send("k-1", body.clone()).await;
    assert_eq!(first.status.as_u16(), 200, "{}", first.body);
    let again = send("k-1", body.clone()).await;
    assert_eq!(again.status.as_u16(), 200);
    assert_eq!(again.body, first.body, "the same answer");
    assert_eq!(again.headers["idempotency-replayed"], "true");
    let v = a.get(&format!("/api/v1/decisions/{id}"), Some("office")).await;
    assert_eq!(v.body["version"], 2, "applied once");
    // Another body with the same key.
    let other = send("k-1", json!({ "category": 2, "undertaking_units": ["示范市生态环境局"] })).await;
    other.expect(422, "idempotency_key_reused");
    // A refusal is an answer too, and is replayed as such.
    let refused = send("k-2", body.clone()).await;
    refused.expect(422, "act_not_allowed_in_stage");
    send("k-2", body).await.expect(422, "act_not_allowed_in_stage");
    // Another caller cannot replay someone else's key.
    let thief = a
        .req(Method::POST, &path, Some("drafter"))
        .header("idempotency-key", "k-1")
        .json(&json!({ "category": 1, "undertaking_units": ["示范市生态环境局"] }));
    a.send(thief).await.expect(422, "idempotency_key_reused");
    // Public comments too.
    let bad = a.req(Method::POST, &path, Some("office")).header("idempotency-key", "").json(&json!({}));
    a.send(bad).await.expect(400, "invalid_idempotency_key");
}

/// The fingerprint the server computes for `POST path` with `body` as `user`.
fn fingerprint(a: &super::Api, path: &str, user: &str, body: &[u8]) -> String {
    let (parts, ()) = axum::http::Request::builder()
        .method("POST")
        .uri(path)
        .header("authorization", format!("Bearer {}", a.token(user)))
        .body(())
        .expect("request")
        .into_parts();
    juece_api::idempotency::fingerprint(&parts, body)
}

/// What a request that reserved `key` and then died holds: its claim.
async fn crashed_reservation(a: &super::Api, key: &str, fingerprint: &str) -> KeyClaim {
    let held = KeyClaim { key: key.into(), claim: "crashed".into() };
    let now = a.app.clock.now();
    let got = a.app.state.engine.store().reserve_key(&held, fingerprint, now, now + LEASE).await.expect("reserve");
    assert_eq!(got, None, "reserved");
    held
}

/// An act under `held`, run through the engine as the act handler runs it.
async fn commit_as(
    a: &super::Api,
    held: KeyClaim,
    (user, id, name): (&str, &str, &str),
    payload: serde_json::Value,
) -> Result<i64, Error> {
    let answer = |x: &Applied| AppliedOut::stored(x, StatusCode::OK);
    let answering = Answering { held, answer: &answer };
    let actor = a.app.state.auth.token_actor(&a.token(user)).await.expect("actor").expect("live");
    let act = Act::new(name, payload);
    let now = a.app.clock.now();
    a.app
        .state
        .engine
        .apply(ActRequest::new(id, &act, &actor, now).answering(Some(&answering)))
        .await
        .map(|x| x.decision.version)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_act_that_committed_replays_even_if_its_request_died_before_answering() {
    let a = api().await;
    let id = a.open("提交后崩溃").await;
    let path = format!("/api/v1/decisions/{id}/acts/start_decision");
    let payload = json!({ "category": 1, "undertaking_units": ["示范市生态环境局"] });
    let body = serde_json::to_vec(&payload).expect("json");
    let held = crashed_reservation(&a, "k-crash", &fingerprint(&a, &path, "office", &body)).await;
    // The act commits with its answer; the process dies before the layer hears back.
    assert_eq!(commit_as(&a, held, ("office", &id, "start_decision"), payload).await.expect("committed"), 2);
    a.app.clock.advance(chrono::Duration::hours(2));
    let send = || {
        a.send(
            a.req(Method::POST, &path, Some("office"))
                .header("idempotency-key", "k-crash")
                .header("content-type", "application/json")
                .body(body.clone()),
        )
    };
    let retry = send().await;
    assert_eq!(retry.status.as_u16(), 200, "{}", retry.body);
    assert_eq!(retry.headers["idempotency-replayed"], "true", "the stored answer, long after the lease");
    assert_eq!((retry.body["version"].as_i64(), retry.body["stage"].as_str()), (Some(2), Some("drafting")));
    let v = a.get(&format!("/api/v1/decisions/{id}"), Some("office")).await;
    assert_eq!(v.body["version"], 2, "applied once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_whose_act_never_committed_is_free_again_after_its_lease() {
    let a = api().await;
    let id = a.open("提交前崩溃").await;
    let path = format!("/api/v1/decisions/{id}/acts/start_decision");
    let payload = json!({ "category": 1, "undertaking_units": ["示范市生态环境局"] });
    let body = serde_json::to_vec(&payload).expect("json");
    // The first request reserved the key and died before its act committed.
    let held = crashed_reservation(&a, "k-lost", &fingerprint(&a, &path, "office", &body)).await;
    let send = |key: &'static str, body: Vec<u8>| {
        a.send(
            a.req(Method::POST, &path, Some("office"))
                .header("idempotency-key", key)
                .header("content-type", "application/json")
                .body(body),
        )
    };
    send("k-lost", body.clone()).await.expect(409, "idempotency_key_in_flight");
    let version = || async { a.get(&format!("/api/v1/decisions/{id}"), Some("office")).await.body["version"].clone() };
    assert_eq!(version().await, 1, "nothing applied while the lease runs");
    a.app.clock.advance(LEASE + chrono::Duration::seconds(1));
    // Another request still cannot use the key; the same request now can.
    let other = serde_json::to_vec(&json!({ "category": 2, "undertaking_units": ["示范市生态环境局"] })).expect("json");
    send("k-lost", other).await.expect(422, "idempotency_key_reused");
    let retry = send("k-lost", body.clone()).await;
    retry.expect(200, "");
    assert!(retry.headers.get("idempotency-replayed").is_none(), "run, not replayed");
    assert_eq!(version().await, 2);
    // The overtaken claim can no longer commit any act under the key.
    let draft = json!({ "text": "第一条", "explanation": "说明", "legal_basis": ["某法"] });
    let late = commit_as(&a, held, ("drafter", &id, "record_draft"), draft).await;
    assert!(matches!(late, Err(Error::KeyInFlight(_))), "{late:?}");
    assert_eq!(version().await, 2, "applied once");
    let replay = send("k-lost", body).await;
    assert_eq!((replay.status.as_u16(), replay.body.clone()), (200, retry.body.clone()));
    assert_eq!(replay.headers["idempotency-replayed"], "true");
}

/// Whether `key` is still free: an act under it runs (not a 422 for reuse).
async fn key_is_free(a: &super::Api, key: &str) -> bool {
    let id = a.open("幂等键是否空闲").await;
    let path = format!("/api/v1/decisions/{id}/acts/start_decision");
    let body = json!({ "category": 1, "undertaking_units": ["示范市生态环境局"] });
    let got = a.send(a.req(Method::POST, &path, Some("office")).header("idempotency-key", key).json(&body)).await;
    match got.status.as_u16() {
        200 => true,
        422 if got.code() == "idempotency_key_reused" => false,
        other => panic!("unexpected {other}: {}", got.body),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_authenticated_requests_that_reach_a_handler_store_a_key() {
    let a = api().await;
    let send = |method: Method, path: &str, user: Option<&'static str>, key: &'static str| {
        a.send(a.req(method, path, user).header("idempotency-key", key).json(&json!({ "content": "意见" })))
    };
    // No route, no method: the router answers, no key is stored.
    send(Method::POST, "/api/v1/nowhere", Some("office"), "k-404").await.expect(404, "not_found");
    send(Method::PATCH, "/api/v1/decisions", Some("office"), "k-405").await.expect(405, "method_not_allowed");
    // Anonymous, or with a forged token: answered without a key.
    let id = a.open("匿名幂等").await;
    let comments = format!("/api/v1/public/consultations/{id}/comments");
    send(Method::POST, &comments, None, "k-anon").await.expect(422, "act_not_allowed_in_stage");
    let forged =
        a.req(Method::POST, "/api/v1/decisions", None).bearer_auth("jc_forged").header("idempotency-key", "k-forged");
    a.send(forged.json(&json!({}))).await.expect(401, "unauthenticated");
    for key in ["k-404", "k-405", "k-anon", "k-forged"] {
        assert!(key_is_free(&a, key).await, "{key} was stored");
    }
    // An authenticated request that reaches its handler stores its key (refusals included).
    send(Method::POST, &comments, Some("office"), "k-held").await.expect(422, "act_not_allowed_in_stage");
    assert!(!key_is_free(&a, "k-held").await, "k-held was not stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_expire_after_their_time_to_live() {
    let config = juece_api::server::ServerConfig {
        insecure_cookies: true,
        public_per_minute: 100_000,
        public_burst: 10_000,
        idempotency_ttl: chrono::Duration::hours(1),
        ..Default::default()
    };
    let a = juece_tests::http::api_with(config).await;
    let id = a.open("幂等键过期").await;
    let path = format!("/api/v1/decisions/{id}/acts/start_decision");
    let body = json!({ "category": 1, "undertaking_units": ["示范市生态环境局"] });
    let send = || a.send(a.req(Method::POST, &path, Some("office")).header("idempotency-key", "k-ttl").json(&body));
    send().await.expect(200, "");
    a.app.clock.advance(chrono::Duration::minutes(59));
    assert_eq!(send().await.headers["idempotency-replayed"], "true", "kept within its time to live");
    a.app.clock.advance(chrono::Duration::minutes(2));
    // Expired: the same request runs again, and the law refuses a second start.
    let again = send().await;
    again.expect(422, "act_not_allowed_in_stage");
    assert!(again.headers.get("idempotency-replayed").is_none());
}
