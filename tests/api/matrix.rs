//! The authorization matrix: every endpoint × every user of the cast,
//! anonymous included, against a decision started for 示范市生态环境局 and
//! now in drafting (and, for hearing suggestions, one open for comment).
//! `other-drafter` is a drafter of another unit. Every
//! mismatch is collected, so one run shows the whole table; a route the
//! document lists without a row fails the test.

use reqwest::Method;
use serde_json::{json, Value};

use super::api;

const USERS: [&str; 14] = [
    "anonymous",
    "office",
    "drafter",
    "other-drafter",
    "e-1",
    "adviser",
    "reviewer",
    "member",
    "chief",
    "executor",
    "oversight",
    "admin",
    "e-2",
    "e-3",
];

/// Full readers of a decision in drafting: the office, the undertaking
/// drafter, the chief executive, oversight and the administrator.
fn reader(u: &str) -> u16 {
    match u {
        "anonymous" => 401,
        "office" | "drafter" | "chief" | "oversight" | "admin" => 200,
        _ => 403,
    }
}

/// Accountability readers: oversight and the general office.
fn accountable(u: &str) -> u16 {
    match u {
        "anonymous" => 401,
        "office" | "oversight" => 200,
        _ => 403,
    }
}

/// Administrators only.
fn administrator(ok: u16) -> impl Fn(&str) -> u16 {
    move |u| match u {
        "anonymous" => 401,
        "admin" => ok,
        _ => 403,
    }
}

fn authenticated(ok: u16) -> impl Fn(&str) -> u16 {
    move |u| if u == "anonymous" { 401 } else { ok }
}

fn everyone(ok: u16) -> impl Fn(&str) -> u16 {
    move |_| ok
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_for_every_role() {
    let a = api().await;
    let id = a.open("矩阵测试").await;
    let congress = a.app.state.units.named("示范市人大常委会").await.expect("directory").expect("the cast's unit").id;
    a.ok("office", &id, "start_decision", json!({ "category": 1, "undertaking_units": ["示范市生态环境局"] })).await;
    let memo = a.get(&format!("/api/v1/decisions/{id}/memos"), Some("office")).await;
    let m = &memo.body[0];
    let memo_path = format!(
        "/api/v1/decisions/{id}/memos/{}/{}.{}.{}",
        m["seq"],
        m["memo"].as_str().unwrap_or(""),
        m["lang"].as_str().unwrap_or(""),
        m["format"].as_str().unwrap_or("")
    );
    let open_body = json!({ "workflow": "national", "act": { "name": "submit_proposal", "payload": {
        "title": "新事项", "organ": "示范市人民政府", "proposer_type": "department", "proposer": "示范市生态环境局",
        "summary": "概要", "main_problem": "问题", "reasons_and_basis": "依据", "preliminary_solution": "方案",
        "necessity": "必要", "feasibility": "可行" }}});
    let draft = json!({ "text": "第一条", "explanation": "说明", "legal_basis": ["某法"] });
    let consult = super::hearing_suggestions::open_for_comment(&a, "national", "矩阵征求意见").await;

    type Expect = Box<dyn Fn(&str) -> u16>;
    let cases: Vec<(Method, String, Option<Value>, Expect)> = vec![
        (Method::GET, "/api/v1/decisions".into(), None, Box::new(authenticated(200))),
        (
            Method::POST,
            "/api/v1/decisions".into(),
            Some(open_body),
            // A drafter opens proposals in their own unit's name only (`other-drafter` names another unit here).
            Box::new(|u: &str| match u {
                "anonymous" => 401,
                "office" | "drafter" => 201,
                _ => 403,
            }),
        ),
        (Method::GET, format!("/api/v1/decisions/{id}"), None, Box::new(reader)),
        (Method::GET, format!("/api/v1/decisions/{id}/record"), None, Box::new(reader)),
        (Method::GET, format!("/api/v1/decisions/{id}/memos"), None, Box::new(reader)),
        (Method::GET, memo_path, None, Box::new(reader)),
        (Method::GET, format!("/api/v1/decisions/{id}/deadlines"), None, Box::new(reader)),
        // The what-if answers as the act would, and writes nothing.
        (
            Method::POST,
            format!("/api/v1/decisions/{id}/checks/record_draft"),
            Some(draft.clone()),
            Box::new(|u: &str| match u {
                "anonymous" => 401,
                "drafter" => 204,
                _ => 403,
            }),
        ),
        (
            Method::POST,
            format!("/api/v1/decisions/{id}/acts/record_draft"),
            Some(draft),
            Box::new(|u: &str| match u {
                "anonymous" => 401,
                "drafter" => 200,
                _ => 403,
            }),
        ),
        // Drafting: no adjustment yet, whoever asks (the engine refuses the parent's act in this stage).
        (
            Method::POST,
            format!("/api/v1/decisions/{id}/adjustments"),
            Some(json!({ "reason": "r", "act": { "name": "submit_proposal", "payload": {} } })),
            Box::new(authenticated(422)),
        ),
        (Method::GET, "/api/v1/decisions/nope".into(), None, Box::new(authenticated(404))),
        (Method::GET, "/api/v1/workflows".into(), None, Box::new(authenticated(200))),
        (Method::GET, "/api/v1/workflows/national/graph?format=mermaid".into(), None, Box::new(authenticated(200))),
        (Method::GET, "/api/v1/auth/me".into(), None, Box::new(authenticated(200))),
        (Method::GET, "/api/v1/inbox".into(), None, Box::new(authenticated(200))),
        (Method::POST, "/api/v1/inbox/none/read".into(), None, Box::new(authenticated(404))),
        // Signing in needs no credentials; a bearer token sent along changes nothing.
        (
            Method::POST,
            "/api/v1/auth/login".into(),
            Some(json!({ "name": "drafter", "password": juece_tests::app::PASSWORD })),
            Box::new(everyone(200)),
        ),
        (Method::POST, "/api/v1/auth/logout".into(), None, Box::new(everyone(204))),
        (Method::GET, "/api/v1/tokens".into(), None, Box::new(authenticated(200))),
        (Method::POST, "/api/v1/tokens".into(), Some(json!({ "label": "m" })), Box::new(authenticated(201))),
        (Method::DELETE, "/api/v1/tokens/unknown".into(), None, Box::new(authenticated(404))),
        (Method::GET, "/api/v1/public/consultations".into(), None, Box::new(everyone(200))),
        (Method::GET, "/api/v1/public/decisions".into(), None, Box::new(everyone(200))),
        (Method::GET, "/api/v1/public/hearings".into(), None, Box::new(everyone(200))),
        // Not open for comment: the engine refuses the act in this stage, whoever calls.
        (
            Method::POST,
            format!("/api/v1/public/consultations/{id}/comments"),
            Some(json!({ "content": "意见" })),
            Box::new(everyone(422)),
        ),
        // Not published: the engine refuses feedback in this stage, whoever calls.
        (
            Method::POST,
            format!("/api/v1/public/decisions/{id}/feedback"),
            Some(json!({ "content": "反馈" })),
            Box::new(everyone(422)),
        ),
        // Open for comment: anyone may suggest a hearing (PP-8); only the undertaking drafter decides on it.
        (
            Method::POST,
            format!("/api/v1/public/consultations/{consult}/hearing-suggestions"),
            Some(json!({ "content": "建议举行听证会" })),
            Box::new(everyone(201)),
        ),
        // The opinions (here a hearing suggestion) are read by the decision's full readers only.
        (Method::GET, format!("/api/v1/decisions/{consult}/opinions"), None, Box::new(reader)),
        (Method::GET, format!("/api/v1/decisions/{consult}/opinions/campaigns"), None, Box::new(reader)),
        (Method::GET, format!("/api/v1/decisions/{consult}/opinions/counts"), None, Box::new(reader)),
        (Method::GET, format!("/api/v1/decisions/{consult}/opinions/export.csv"), None, Box::new(reader)),
        // A receipt is looked up without signing in; an unknown one is not found, whoever asks.
        (Method::GET, "/api/v1/public/receipts/C23456789AB".into(), None, Box::new(everyone(404))),
        (
            Method::POST,
            format!("/api/v1/decisions/{consult}/acts/decide_hearing_suggestion"),
            Some(json!({ "suggestion_id": 1, "hold": false, "reason": "已召开座谈会" })),
            Box::new(|u: &str| match u {
                "anonymous" => 401,
                "drafter" => 200,
                _ => 403,
            }),
        ),
        (Method::GET, "/api/v1/public/catalogues".into(), None, Box::new(everyone(200))),
        (Method::GET, "/api/v1/accountability/acts?person=drafter".into(), None, Box::new(accountable)),
        (Method::GET, format!("/api/v1/accountability/decisions/{id}/stances"), None, Box::new(accountable)),
        (Method::GET, "/api/v1/accountability/members/member/stances".into(), None, Box::new(accountable)),
        (Method::GET, "/api/v1/accountability/overrides".into(), None, Box::new(accountable)),
        (Method::GET, "/api/v1/accountability/experts/e-1/integrity".into(), None, Box::new(accountable)),
        (Method::GET, format!("/api/v1/decisions/{id}/dossier"), None, Box::new(accountable)),
        (Method::GET, "/api/v1/reports/annual?organ=示范市人民政府&year=2026".into(), None, Box::new(accountable)),
        // The general office issues the report, once (the others read it).
        (
            Method::POST,
            "/api/v1/reports/annual/issue".into(),
            Some(json!({ "organ": "示范市人民政府", "year": 2026 })),
            Box::new(|u: &str| match u {
                "anonymous" => 401,
                "office" => 201,
                _ => 403,
            }),
        ),
        (Method::GET, "/api/v1/calendars/2026".into(), None, Box::new(everyone(200))),
        (Method::GET, "/api/v1/calendars/working-days?from=2026-09-30&n=5".into(), None, Box::new(everyone(200))),
        (Method::GET, "/api/v1/calendars/period?from=2026-09-20&days=10".into(), None, Box::new(everyone(200))),
        (Method::GET, "/api/v1/units".into(), None, Box::new(administrator(200))),
        (Method::POST, "/api/v1/units".into(), Some(json!({ "name": "某局" })), Box::new(administrator(201))),
        (
            Method::PATCH,
            format!("/api/v1/units/{congress}"),
            Some(json!({ "code": "示人" })),
            Box::new(administrator(200)),
        ),
        (Method::GET, "/api/v1/users".into(), None, Box::new(administrator(200))),
        (
            Method::POST,
            "/api/v1/users".into(),
            Some(
                json!({ "name": "matrix-new", "unit": "某局", "position": "科员", "roles": ["drafter"], "initial_token": true }),
            ),
            Box::new(administrator(201)),
        ),
        (Method::GET, "/api/v1/users/matrix-new".into(), None, Box::new(administrator(200))),
        (
            Method::PATCH,
            "/api/v1/users/matrix-new".into(),
            Some(json!({ "position": "副科长" })),
            Box::new(administrator(200)),
        ),
        (Method::POST, "/api/v1/users/matrix-new/deactivate".into(), None, Box::new(administrator(200))),
        (Method::POST, "/api/v1/users/matrix-new/reactivate".into(), None, Box::new(administrator(200))),
        (
            Method::POST,
            "/api/v1/users/executor/roles".into(),
            Some(json!({ "add": ["executing_unit"] })),
            Box::new(administrator(200)),
        ),
        // A year file (a string body is sent as TOML): the administrator's load stores it, once.
        (
            Method::POST,
            "/api/v1/calendars/2027/notice".into(),
            Some(Value::String(juece_tests::notice_2027())),
            Box::new(administrator(201)),
        ),
        (Method::GET, "/api/v1/openapi.json".into(), None, Box::new(everyone(200))),
        (Method::GET, "/api/v1/docs".into(), None, Box::new(everyone(200))),
    ];
    // Every operation the document lists (the router serves exactly those) has a row.
    let rows: Vec<Option<String>> = cases.iter().map(|(m, path, ..)| a.schemas.template(m.as_str(), path)).collect();
    let missing: Vec<String> = (a.schemas.operations().into_iter())
        .filter(|(m, t)| !cases.iter().zip(&rows).any(|((cm, ..), r)| cm.as_str() == m && r.as_ref() == Some(t)))
        .map(|(m, t)| format!("{m} {t}"))
        .collect();
    assert!(missing.is_empty(), "routes without a row in the matrix: {missing:?}");
    let mut wrong = Vec::new();
    let mut cells = 0;
    for (method, path, body, expect) in &cases {
        for u in USERS {
            let user = (u != "anonymous").then_some(u);
            let got = match body {
                Some(Value::String(text)) => {
                    let req = a.req(method.clone(), path, user).header("content-type", "application/toml");
                    a.send(req.body(text.clone())).await
                }
                _ => a.call(method.clone(), path, user, body.clone()).await,
            };
            cells += 1;
            if got.status.as_u16() != expect(u) {
                wrong.push(format!("{method} {path} as {u}: got {} expected {} ({})", got.status, expect(u), got.body));
            }
            if got.status.as_u16() == 403 {
                let code = got.code().to_string();
                if !["role_not_permitted", "not_assigned"].contains(&code.as_str()) {
                    wrong.push(format!("{method} {path} as {u}: 403 with reason {code}"));
                }
            }
        }
    }
    println!("authorization matrix: {} endpoints × {} callers = {cells} cells", cases.len(), USERS.len());
    assert!(wrong.is_empty(), "{} mismatches:\n{}", wrong.len(), wrong.join("\n"));
    // The drafter of another unit is refused as not assigned, by the engine.
    let other = a
        .act("other-drafter", &id, "record_draft", json!({ "text": "x", "explanation": "y", "legal_basis": ["z"] }))
        .await;
    other.expect(403, "not_assigned");
    a.get(&format!("/api/v1/decisions/{id}"), Some("other-drafter")).await.expect(403, "not_assigned");
    a.act("office", &id, "record_draft", json!({})).await.expect(403, "role_not_permitted");
}
