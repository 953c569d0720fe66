//! The outbound HTTP client for webhook notifications: the engine's
//! [`Deliverer`](juece_engine::notify::Deliverer) builds, signs and retries
//! each delivery; this only POSTs it.

use std::time::Duration;

use async_trait::async_trait;
use juece_engine::notify::HttpPost;

pub struct ReqwestPost {
    client: reqwest::Client,
}

impl ReqwestPost {
    pub fn new(timeout: Duration) -> anyhow::Result<Self> {
        Ok(ReqwestPost { client: reqwest::Client::builder().timeout(timeout).build()? })
    }
}

#[async_trait]
impl HttpPost for ReqwestPost {
    async fn post(&self, url: &str, headers: &[(String, String)], body: String) -> Result<u16, String> {
        let mut req = self.client.post(url).body(body);
        for (name, value) in headers {
            req = req.header(name, value);
        }
        // The error text names the URL and the cause, never a header (the signature).
        let resp = req.send().await.map_err(|e| format!("POST failed: {e}"))?;
        Ok(resp.status().as_u16())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};

    use axum::body::Bytes;
    use axum::extract::State;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::post;
    use axum::Router;
    use chrono::{Duration as Span, TimeZone, Utc};
    use juece_engine::notify::{self, Deliverer, Webhook};
    use juece_engine::scheduler::Clock;
    use juece_engine::scheduler::ManualClock;
    use juece_engine::store::{SqliteStore, Store};

    use super::*;

    const SECRET: &[u8] = b"test-secret-not-a-real-one";

    /// A receiver that refuses its first request with a 500 and processes
    /// each idempotency key once.
    #[derive(Default)]
    struct Receiver {
        requests: Vec<(String, bool)>,
        processed: BTreeMap<String, String>,
    }

    async fn receive(State(r): State<Arc<Mutex<Receiver>>>, headers: HeaderMap, body: Bytes) -> StatusCode {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let key = header(notify::IDEMPOTENCY_HEADER);
        let signed = notify::verify(SECRET, &body, &header(notify::SIGNATURE_HEADER));
        let mut r = r.lock().expect("receiver lock");
        r.requests.push((key.clone(), signed));
        if !signed {
            return StatusCode::UNAUTHORIZED;
        }
        if r.requests.len() == 1 {
            return StatusCode::INTERNAL_SERVER_ERROR;
        }
        r.processed.entry(key).or_insert_with(|| String::from_utf8_lossy(&body).into_owned());
        StatusCode::OK
    }

    #[tokio::test]
    async fn webhooks_are_signed_retried_after_a_500_and_processed_once_per_key() {
        let received = Arc::new(Mutex::new(Receiver::default()));
        let app = Router::new().route("/hook", post(receive)).with_state(received.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });

        let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
        store.migrate().await.expect("migrate");
        store
            .execute_raw(
                "insert into decisions (id, workflow_key, workflow_version, stage, version, title, parent_id, \
                 state_json, created_at, updated_at) values ('w', 't', 1, 's', 1, 't', null, '{}', \
                 '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'); \
                 insert into outbox (id, decision_id, recipient_role, subject, created_at) values \
                 ('m1', 'w', 'drafter', 'deadline <b>due</b>', '2026-01-01T00:00:00.000000Z'), \
                 ('m2', 'w', 'general_office', 'not for this hook', '2026-01-01T00:00:01.000000Z')",
            )
            .await
            .expect("seed the outbox");
        let sqlite = Arc::new(store);
        let store: Arc<dyn Store> = sqlite.clone();
        let t0 = Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).single().expect("t0");
        let clock = Arc::new(ManualClock::new(t0));
        let hook = Webhook { url, secret: SECRET.to_vec(), roles: vec!["drafter".into()] };
        let http = Arc::new(ReqwestPost::new(Duration::from_secs(5)).expect("client"));
        let deliverer = Deliverer::new(store.clone(), clock.clone(), http, vec![hook]);

        let first = deliverer.tick().await.expect("tick");
        assert_eq!((first.dispatched, first.delivered, first.failed), (2, 0, 1), "the 500 is a failure");
        assert_eq!(deliverer.tick().await.expect("tick").failed, 0, "no retry before the backoff");
        clock.advance(Span::seconds(1));
        let second = deliverer.tick().await.expect("tick");
        assert_eq!(second.delivered, 1, "retried after the backoff and delivered");
        clock.advance(Span::hours(2));
        assert_eq!(deliverer.tick().await.expect("tick"), Default::default(), "a delivered message is not sent again");

        // A worker that claimed and died: the lease runs out, the same key comes again.
        sqlite.execute_raw("update deliveries set status = 'pending', delivered_at = null").await.expect("reset");
        let lost = store.claim_deliveries(clock.now(), deliverer.lease, 10).await.expect("claim");
        assert_eq!(lost.len(), 1);
        assert!(deliverer.tick().await.expect("tick").delivered == 0, "leased: not retried yet");
        clock.advance(deliverer.lease + Span::seconds(1));
        assert_eq!(deliverer.tick().await.expect("tick").delivered, 1, "retried once the lease ran out");

        let inbox = store.inbox("general_office", 10).await.expect("inbox");
        assert_eq!(inbox.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["m2"], "the in-app inbox of a role");
        let r = received.lock().expect("receiver lock");
        assert_eq!(r.requests.len(), 3, "500, success, redelivery after the lost acknowledgement");
        assert!(r.requests.iter().all(|(_, signed)| *signed), "every request carries a valid signature");
        assert!(r.requests.iter().all(|(key, _)| key == &lost[0].id), "one idempotency key on every attempt");
        assert_eq!(r.processed.len(), 1, "processed exactly once per idempotency key");
        let body: serde_json::Value =
            serde_json::from_str(r.processed.values().next().expect("one")).expect("JSON body");
        assert_eq!((body["message_id"].as_str(), body["role"].as_str()), (Some("m1"), Some("drafter")));
        assert!(!notify::verify(b"another secret", b"{}", &notify::sign(SECRET, b"{}")), "a wrong secret fails");
    }
}
