//! Malformed input for every state-changing route the router serves, table
//! driven: the routes come from the served OpenAPI document, and a route
//! without a row in [`routes`] fails the test. Each row's body is bent in
//! every way (wrong types, unknown fields, script where a name is expected,
//! invalid UTF-8, not an object, wrong content type, a huge body, a bad
//! idempotency key); each answer must be a 400/413/415/422 problem+json with
//! its reason code, and the store must hold exactly what it held before. The
//! document's request schema admits each valid body and none of the bent ones.

use reqwest::Method;
use serde_json::{json, Value};

use super::{api, Api};

/// How a route reads its body.
#[derive(Clone, Copy, PartialEq)]
enum Reads {
    /// No body at all.
    Nothing,
    /// One of the API's own bodies: shape errors are 400 `invalid_body`.
    Body,
    /// An act's payload: the engine refuses shape errors, 422 `invalid_payload`.
    Payload,
    /// A year file (`application/toml`), `valid` holding its text: the engine refuses a bad file, 422.
    Toml,
}

struct Route {
    method: Method,
    /// The path as documented.
    documented: &'static str,
    url: String,
    who: Option<&'static str>,
    reads: Reads,
    /// A body the route accepts the shape of.
    valid: Value,
    /// The same body with one field of the wrong type.
    wrong_type: Value,
    /// Whether `Idempotency-Key` is honoured (sign-in and tokens hold secrets and are never replayed).
    keyed: bool,
}

fn route(method: Method, documented: &'static str, url: String, who: Option<&'static str>) -> Route {
    Route { method, documented, url, who, reads: Reads::Nothing, valid: json!({}), wrong_type: json!({}), keyed: true }
}

impl Route {
    fn body(mut self, reads: Reads, valid: Value, wrong_type: Value) -> Route {
        (self.reads, self.valid, self.wrong_type) = (reads, valid, wrong_type);
        self
    }

    fn unkeyed(mut self) -> Route {
        self.keyed = false;
        self
    }
}

/// One row per state-changing route; `id` is a decision in drafting.
fn routes(id: &str, unit: &str) -> Vec<Route> {
    use Reads::{Body, Payload};
    let comment = json!({ "content": "意见", "name": "市民" });
    let comment_wrong = json!({ "content": ["意见"] });
    vec![
        route(Method::POST, "/api/v1/decisions", "/api/v1/decisions".into(), Some("office")).body(
            Body,
            json!({ "workflow": "national", "act": { "name": "submit_proposal", "payload": { "title": "t", "organ": "o",
                "proposer_type": "leader", "proposer": "p", "summary": "s" } } }),
            json!({ "workflow": 7, "act": { "name": "submit_proposal" } }),
        ),
        route(Method::POST, "/api/v1/decisions/{id}/acts/{act}", format!("/api/v1/decisions/{id}/acts/record_draft"), Some("drafter"))
            .body(
                Payload,
                json!({ "text": "第一条", "explanation": "说明", "legal_basis": ["某法"] }),
                json!({ "text": 1, "explanation": "说明", "legal_basis": "某法" }),
            ),
        // The what-if writes nothing even when the body is good; bad bodies get the same problems as the act.
        route(Method::POST, "/api/v1/decisions/{id}/checks/{act}", format!("/api/v1/decisions/{id}/checks/record_draft"), Some("drafter"))
            .body(
                Payload,
                json!({ "text": "第一条", "explanation": "说明", "legal_basis": ["某法"] }),
                json!({ "text": 1, "explanation": "说明", "legal_basis": "某法" }),
            ),
        route(Method::POST, "/api/v1/decisions/{id}/adjustments", format!("/api/v1/decisions/{id}/adjustments"), Some("office"))
            .body(
                Body,
                json!({ "reason": "调整", "act": { "name": "submit_proposal", "payload": {} } }),
                json!({ "reason": 1, "act": { "name": "submit_proposal", "payload": {} } }),
            ),
        route(Method::POST, "/api/v1/auth/login", "/api/v1/auth/login".into(), None)
            .body(Body, json!({ "name": "office", "password": "x" }), json!({ "name": "office", "password": 1 }))
            .unkeyed(),
        route(Method::POST, "/api/v1/auth/logout", "/api/v1/auth/logout".into(), Some("office")).unkeyed(),
        route(Method::POST, "/api/v1/tokens", "/api/v1/tokens".into(), Some("office"))
            .body(Body, json!({ "label": "ci" }), json!({ "label": false }))
            .unkeyed(),
        route(Method::DELETE, "/api/v1/tokens/{id}", "/api/v1/tokens/none".into(), Some("office")).unkeyed(),
        route(Method::POST, "/api/v1/inbox/{id}/read", "/api/v1/inbox/none/read".into(), Some("drafter")),
        route(Method::POST, "/api/v1/public/consultations/{id}/comments", format!("/api/v1/public/consultations/{id}/comments"), None)
            .body(Body, comment.clone(), comment_wrong.clone()),
        route(Method::POST, "/api/v1/public/consultations/{id}/hearing-suggestions", format!("/api/v1/public/consultations/{id}/hearing-suggestions"), None)
            .body(Body, comment.clone(), comment_wrong.clone()),
        route(Method::POST, "/api/v1/public/decisions/{id}/feedback", format!("/api/v1/public/decisions/{id}/feedback"), None)
            .body(Body, comment, comment_wrong),
        route(Method::POST, "/api/v1/users", "/api/v1/users".into(), Some("admin")).body(
            Body,
            json!({ "name": "n", "unit": "u", "position": "p", "roles": ["drafter"], "password": "a long enough secret" }),
            json!({ "name": "n", "unit": "u", "position": "p", "roles": "drafter", "password": "a long enough secret" }),
        ),
        route(Method::POST, "/api/v1/users/{name}/roles", "/api/v1/users/executor/roles".into(), Some("admin"))
            .body(Body, json!({ "add": ["expert"] }), json!({ "add": "expert" })),
        route(Method::PATCH, "/api/v1/users/{name}", "/api/v1/users/executor".into(), Some("admin"))
            .body(Body, json!({ "unit": "示范市交通运输局" }), json!({ "unit": 7 })),
        route(Method::POST, "/api/v1/users/{name}/deactivate", "/api/v1/users/executor/deactivate".into(), Some("admin")),
        route(Method::POST, "/api/v1/users/{name}/reactivate", "/api/v1/users/executor/reactivate".into(), Some("admin")),
        route(Method::POST, "/api/v1/reports/annual/issue", "/api/v1/reports/annual/issue".into(), Some("office")).body(
            Body,
            json!({ "organ": "示范市人民政府", "year": 2026 }),
            json!({ "organ": "示范市人民政府", "year": "2026" }),
        ),
        route(Method::POST, "/api/v1/units", "/api/v1/units".into(), Some("admin"))
            .body(Body, json!({ "name": "某局", "code": "某" }), json!({ "name": 7 })),
        route(Method::PATCH, "/api/v1/units/{id}", format!("/api/v1/units/{unit}"), Some("admin"))
            .body(Body, json!({ "code": "示人", "parent": null }), json!({ "code": ["示人"] })),
        route(Method::POST, "/api/v1/calendars/{year}/notice", "/api/v1/calendars/2027/notice".into(), Some("admin"))
            .body(Reads::Toml, json!(juece_tests::notice_2027()), json!("year = \"2027\"\nstatus = \"official\"\n")),
    ]
}

/// Everything a request could have written: every decision's version, every
/// user with roles, unit, position and status, every unit of the directory, every cast member's tokens, the stored calendar notices.
async fn written(a: &Api) -> Value {
    let store = &a.app.state.engine.store();
    let mut tokens = Vec::new();
    for (name, ..) in juece_tests::app::CAST {
        let list = a.app.state.auth.tokens(name).await.expect("tokens");
        tokens.push(list.iter().map(|t| (t.id.clone(), t.revoked_at.is_some())).collect::<Vec<_>>());
    }
    let users: Vec<Value> = store
        .all_users()
        .await
        .expect("users")
        .into_iter()
        .map(|u| {
            let roles: Vec<&str> = u.roles.iter().map(|r| r.as_str()).collect();
            json!([u.name, roles, u.unit, u.position, u.deactivated_at])
        })
        .collect();
    let units: Vec<Value> = (store.units().await.expect("units").into_iter())
        .map(|u| json!([u.id, u.name, u.code, u.parent_id, u.former_names]))
        .collect();
    let notices = store.calendar_notices().await.expect("notices").len();
    let chain = store.calendar_audit().await.expect("calendar chain").len();
    let report = store.issued_report("示范市人民政府", "annual", 2026).await.expect("report").map(|r| r.number);
    json!({
        "versions": store.versions().await.expect("versions"), "users": users, "units": units, "tokens": tokens,
        "calendar": [notices, chain], "report": report,
    })
}

/// One malformed request: its content type, its body, whether to send a bad idempotency key.
struct Bent {
    what: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    bad_key: bool,
    want: (u16, &'static str),
}

fn bent(r: &Route, limit: usize) -> Vec<Bent> {
    let json = |v: &Value| match (r.reads, v) {
        (Reads::Toml, Value::String(text)) => text.clone().into_bytes(),
        _ => serde_json::to_vec(v).expect("json"),
    };
    let shape = match r.reads {
        Reads::Payload => (422, "invalid_payload"),
        _ => (400, "invalid_body"),
    };
    let content_type = if r.reads == Reads::Toml { "application/toml" } else { "application/json" };
    let mut huge = b"{\"text\": \"".to_vec();
    huge.resize(limit + 1024, b'a');
    huge.extend_from_slice(b"\"}");
    let mut out =
        vec![Bent { what: "huge body", content_type, body: huge, bad_key: false, want: (413, "payload_too_large") }];
    if r.keyed {
        let body = json(&r.valid);
        out.push(Bent {
            what: "bad idempotency key",
            content_type,
            body,
            bad_key: true,
            want: (400, "invalid_idempotency_key"),
        });
    }
    if r.reads == Reads::Nothing {
        return out;
    }
    if r.reads == Reads::Toml {
        out.extend([
            Bent {
                what: "a file that lacks what a notice needs",
                content_type,
                body: json(&r.wrong_type),
                bad_key: false,
                want: (422, "calendar_file_invalid"),
            },
            Bent {
                what: "truncated TOML",
                content_type,
                body: b"year = ".to_vec(),
                bad_key: false,
                want: (422, "calendar_file_invalid"),
            },
            Bent {
                what: "invalid UTF-8",
                content_type,
                body: b"year = \"\xff\xfe\"".to_vec(),
                bad_key: false,
                want: (400, "malformed_toml"),
            },
            Bent {
                what: "JSON content type",
                content_type: "application/json",
                body: json(&r.valid),
                bad_key: false,
                want: (415, "unsupported_media_type"),
            },
        ]);
        return out;
    }
    let mut unknown = r.valid.clone();
    unknown["<script>alert(1)</script>"] = json!(true);
    out.extend([
        Bent {
            what: "wrong type",
            content_type: "application/json",
            body: json(&r.wrong_type),
            bad_key: false,
            want: shape,
        },
        Bent {
            what: "unknown field named by a script",
            content_type: "application/json",
            body: json(&unknown),
            bad_key: false,
            want: shape,
        },
        Bent {
            what: "invalid UTF-8",
            content_type: "application/json",
            body: b"{\"\xff\xfe\": 1}".to_vec(),
            bad_key: false,
            want: (400, "malformed_json"),
        },
        Bent {
            what: "truncated JSON",
            content_type: "application/json",
            body: b"{".to_vec(),
            bad_key: false,
            want: (400, "malformed_json"),
        },
        Bent {
            what: "not an object",
            content_type: "application/json",
            body: b"[1, 2]".to_vec(),
            bad_key: false,
            want: (400, "invalid_body"),
        },
        Bent {
            what: "form content type",
            content_type: "application/x-www-form-urlencoded",
            body: b"text=1".to_vec(),
            bad_key: false,
            want: (415, "unsupported_media_type"),
        },
    ]);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_state_changing_route_refuses_malformed_input_and_writes_nothing() {
    let a = api().await;
    let id = a.drafting("畸形输入表").await;
    let unit = a.app.state.units.named("示范市人大常委会").await.expect("directory").expect("the cast's unit").id;
    let table = routes(&id, &unit);
    // Every state-changing operation the document lists has a row.
    let doc = a.get("/api/v1/openapi.json", None).await;
    let mut missing = Vec::new();
    let mut served = 0;
    for (path, item) in doc.body["paths"].as_object().expect("paths") {
        for method in
            item.as_object().expect("item").keys().filter(|m| ["post", "put", "patch", "delete"].contains(&m.as_str()))
        {
            served += 1;
            if !table.iter().any(|r| r.documented == path && r.method.as_str().eq_ignore_ascii_case(method)) {
                missing.push(format!("{method} {path}"));
            }
        }
    }
    assert!(missing.is_empty(), "state-changing routes without malformed-input cases: {missing:?}");
    assert_eq!(served, table.len(), "a row for a route the router does not serve");

    let limit = a.app.state.config.body_limit;
    let mut wrong = Vec::new();
    let mut cases = 0;
    // The document says what the API's own bodies admit: the valid body, and none of the bent ones.
    let admitted = |r: &Route, body: &Value| a.schemas.check_request(r.method.as_str(), &r.url, body).is_ok();
    for r in &table {
        if r.reads == Reads::Body && !admitted(r, &r.valid) {
            wrong.push(format!("{} {}: the document refuses the valid body", r.method, r.documented));
        }
        let before = written(&a).await;
        for b in bent(r, limit) {
            cases += 1;
            let json: Option<Value> = serde_json::from_slice(&b.body).ok();
            if let Some(body) = json.filter(|_| r.reads == Reads::Body && b.want.1 == "invalid_body") {
                if admitted(r, &body) {
                    wrong.push(format!("{} {} {}: the document admits it", r.method, r.documented, b.what));
                }
            }
            let mut req = a.req(r.method.clone(), &r.url, r.who).header("content-type", b.content_type);
            if b.bad_key {
                req = req.header("idempotency-key", "");
            }
            // A 413 comes from Content-Length alone and the connection closes unread: the
            // client may see a reset first (see `malformed::huge_bodies_get_413`), so retry.
            let mut got = None;
            for _ in 0..5 {
                if let Ok(answer) = a.try_send(req.try_clone().expect("clonable").body(b.body.clone())).await {
                    got = Some(answer);
                    break;
                }
            }
            let Some(got) = got else {
                wrong.push(format!("{} {} {}: no answer", r.method, r.documented, b.what));
                continue;
            };
            let problem = got.content_type.starts_with("application/problem+json");
            if (got.status.as_u16(), got.code()) != b.want || !problem {
                wrong.push(format!(
                    "{} {} {}: got {} {} ({}), want {:?}",
                    r.method,
                    r.documented,
                    b.what,
                    got.status,
                    got.code(),
                    got.content_type,
                    b.want
                ));
            }
        }
        if written(&a).await != before {
            wrong.push(format!("{} {}: malformed input wrote something", r.method, r.documented));
        }
    }
    println!("malformed input: {} routes, {cases} cases", table.len());
    assert!(wrong.is_empty(), "{} wrong answers:\n{}", wrong.len(), wrong.join("\n"));
}
