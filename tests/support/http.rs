//! The HTTP client of the API tests: a real server (`app::spawn_app`)
//! called with `reqwest` as the users of [`app::CAST`] (bearer tokens),
//! answers read as JSON, and users added through the API when a test needs
//! more people than the cast.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::app::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub struct Api {
    pub app: TestApp,
    pub http: reqwest::Client,
    /// Bearer tokens of users added by [`Api::add_user`], by login name.
    added: Mutex<BTreeMap<String, String>>,
    /// The served OpenAPI document, which every answer [`Api::call`] receives must match.
    pub schemas: crate::schema::Schemas,
}

pub async fn api() -> Api {
    api_on(crate::app::spawn_app().await).await
}

/// The client of a server started with its own configuration.
pub async fn api_with(config: juece_api::server::ServerConfig) -> Api {
    api_on(crate::app::spawn_app_with(config).await).await
}

/// The client of a server on the system clock, as `juece` commands run.
pub async fn api_on_system_clock() -> Api {
    let config = juece_api::server::ServerConfig { insecure_cookies: true, ..Default::default() };
    api_on(crate::app::spawn_app_at(config, juece_api::clock::Clock::system()).await).await
}

async fn api_on(app: TestApp) -> Api {
    let http = reqwest::Client::new();
    let doc = http.get(format!("{}/api/v1/openapi.json", app.base)).send().await.expect("document");
    let schemas = crate::schema::Schemas::new(doc.json().await.expect("the document is JSON"));
    Api { app, http, added: Mutex::default(), schemas }
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

/// Private: every answer goes through [`Api::send`], which checks it against the document.
async fn answer(resp: reqwest::Response) -> Answer {
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
            Some(u) => b.bearer_auth(self.token(u)),
            None => b,
        }
    }

    /// The bearer token of a user of the cast or one added by [`Api::add_user`].
    pub fn token(&self, user: &str) -> String {
        match self.app.tokens.get(user) {
            Some(t) => t.clone(),
            None => self.added.lock().expect("tokens")[user].clone(),
        }
    }

    /// Add a unit to the directory through the API, as the administrator, unless it is there already.
    pub async fn add_unit(&self, unit: &str) {
        if self.app.state.units.named(unit).await.expect("directory").is_none() {
            let added = self.call(Method::POST, "/api/v1/units", Some("admin"), Some(json!({ "name": unit }))).await;
            added.expect(201, "");
        }
    }

    /// Add a user with one role through the API, as the administrator, with an initial token (their unit added
    /// to the directory first, when it is new).
    pub async fn add_user(&self, login: &str, unit: &str, role: &str) {
        self.add_unit(unit).await;
        let body = json!({ "name": login, "unit": unit, "position": "专家", "roles": [role], "initial_token": true });
        let created = self.call(Method::POST, "/api/v1/users", Some("admin"), Some(body)).await;
        created.expect(201, "");
        let token = created.body["token"].as_str().expect("an initial token").to_string();
        self.added.lock().expect("tokens").insert(login.to_string(), token);
    }

    pub async fn call(&self, method: Method, path: &str, user: Option<&str>, body: Option<Value>) -> Answer {
        let mut b = self.req(method, path, user);
        if let Some(v) = body {
            b = b.json(&v);
        }
        self.send(b).await
    }

    /// Send a request built with [`Api::req`] or any client (a browser's, with cookies); its answer must
    /// match the OpenAPI document.
    pub async fn send(&self, b: reqwest::RequestBuilder) -> Answer {
        self.try_send(b).await.expect("request")
    }

    /// [`Api::send`], with the transport error for a caller that expects one (a body the server does not read).
    pub async fn try_send(&self, b: reqwest::RequestBuilder) -> Result<Answer, reqwest::Error> {
        let (client, req) = b.build_split();
        let req = req?;
        let (method, path) = (req.method().clone(), req.url().path().to_string());
        let sent: Option<Value> = req.body().and_then(|b| b.as_bytes()).and_then(|b| serde_json::from_slice(b).ok());
        let got = answer(client.execute(req).await?).await;
        let checked = self.schemas.check(method.as_str(), &path, got.status.as_u16(), &got.content_type, &got.body);
        if let Err(e) = checked {
            panic!("the answer does not match the OpenAPI document: {e}\nbody: {}", got.body);
        }
        if got.content_type.starts_with("application/problem+json") {
            let faults = crate::bilingual::faults(&got.body);
            assert!(faults.is_empty(), "{method} {path}: a detail not in both languages: {faults:?}");
        }
        // What the server accepts, the document admits.
        if let Some(sent) = sent.filter(|_| got.status.is_success()) {
            if let Err(e) = self.schemas.check_request(method.as_str(), &path, &sent) {
                panic!("the server accepted a body the OpenAPI document refuses: {e}\nbody: {sent}");
            }
        }
        Ok(got)
    }

    pub async fn get(&self, path: &str, user: Option<&str>) -> Answer {
        self.call(Method::GET, path, user, None).await
    }

    /// Open a decision with `submit_proposal` as the general office; its id.
    pub async fn open(&self, title: &str) -> String {
        self.open_in("national", title).await
    }

    /// [`Api::open`] on another workflow (a jurisdiction profile).
    pub async fn open_in(&self, workflow: &str, title: &str) -> String {
        let a = self
            .call(
                Method::POST,
                "/api/v1/decisions",
                Some("office"),
                Some(json!({ "workflow": workflow, "act": { "name": "submit_proposal", "payload": {
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
