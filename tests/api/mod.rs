//! The HTTP API end to end: a real server on 127.0.0.1:0 (`support::app`),
//! called with `reqwest`.
//!
//! * `scenarios` — acceptance scenarios A1, A4, A20, A22 through HTTP;
//! * `matrix` — every endpoint × every role, anonymous and another unit;
//! * `malformed` — bad input of every kind gets the right problem;
//! * `sessions` — login, logout, tokens;
//! * `idempotency` — replays and reused keys;
//! * `openapi` — the document lists every route the router serves;
//! * `oversight` — feedback, catalogues, accountability, the annual report, calendars;
//! * `users` — user administration by administrators.

mod idempotency;
mod malformed;
mod matrix;
mod openapi;
mod oversight;
mod scenarios;
mod sessions;
mod users;

use juece_tests::app::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub struct Api {
    pub app: TestApp,
    pub http: reqwest::Client,
}

pub async fn api() -> Api {
    Api { app: juece_tests::app::spawn_app().await, http: reqwest::Client::new() }
}

/// A response's status and body (JSON when it parses, else a string).
pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["reason_code"].as_str().unwrap_or("")
    }

    /// Assert the status and, for errors, a problem+json body with this reason code.
    #[track_caller]
    pub fn expect(&self, status: u16, code: &str) -> &Self {
        assert_eq!(self.status.as_u16(), status, "status; body: {}", self.body);
        if status >= 400 {
            assert!(self.content_type.starts_with("application/problem+json"), "content type {}", self.content_type);
            assert_eq!(self.code(), code, "reason_code; body: {}", self.body);
            for field in ["type", "title", "status", "detail", "reason_code", "article", "message_zh", "message_en"] {
                assert!(self.body.get(field).is_some(), "problem field {field} missing: {}", self.body);
            }
        }
        self
    }
}

pub async fn answer(resp: reqwest::Response) -> Answer {
    let status = resp.status();
    let headers = resp.headers().clone();
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let text = resp.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer { status, content_type, headers, body }
}

impl Api {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.app.base)
    }

    /// A request as `user` (`None` = anonymous).
    pub fn req(&self, method: Method, path: &str, user: Option<&str>) -> reqwest::RequestBuilder {
        let b = self.http.request(method, self.url(path));
        match user {
            Some(u) => b.bearer_auth(&self.app.tokens[u]),
            None => b,
        }
    }

    pub async fn call(&self, method: Method, path: &str, user: Option<&str>, body: Option<Value>) -> Answer {
        let mut b = self.req(method, path, user);
        if let Some(v) = body {
            b = b.json(&v);
        }
        answer(b.send().await.expect("request")).await
    }

    pub async fn get(&self, path: &str, user: Option<&str>) -> Answer {
        self.call(Method::GET, path, user, None).await
    }

    /// Open a decision with `submit_proposal` as the general office; its id.
    pub async fn open(&self, title: &str) -> String {
        let a = self
            .call(
                Method::POST,
                "/api/v1/decisions",
                Some("office"),
                Some(json!({ "workflow": "national", "act": { "name": "submit_proposal", "payload": {
                    "title": title, "organ": "示范市人民政府", "proposer_type": "department", "proposer": "示范市生态环境局",
                    "summary": "制定实施办法。", "main_problem": "PM2.5超标", "reasons_and_basis": "《大气污染防治法》",
                    "preliminary_solution": "分区管控", "necessity": "迫切", "feasibility": "可行",
                }}})),
            )
            .await;
        a.expect(201, "");
        a.body["decision_id"].as_str().expect("id").to_string()
    }

    pub async fn act(&self, user: &str, id: &str, act: &str, payload: Value) -> Answer {
        self.call(Method::POST, &format!("/api/v1/decisions/{id}/acts/{act}"), Some(user), Some(payload)).await
    }

    /// An act that must be accepted.
    pub async fn ok(&self, user: &str, id: &str, act: &str, payload: Value) -> Answer {
        let a = self.act(user, id, act, payload).await;
        assert_eq!(a.status, StatusCode::OK, "{act} by {user}: {}", a.body);
        a
    }

    pub fn wait_days(&self, days: i64) {
        self.app.clock.advance(chrono::Duration::days(days));
    }

    pub fn today(&self) -> chrono::NaiveDate {
        self.app.clock.now().with_timezone(&chrono_tz_shanghai()).date_naive()
    }
}

fn chrono_tz_shanghai() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("offset")
}
