//! The OpenAPI document: 3.1, served by juece, and listing every route the
//! router serves — checked both ways. Routes are registered with their
//! documentation (utoipa-axum), so an undocumented route cannot be added
//! through `routes/`; this test probes that every documented operation is
//! served (never the router's 404 or 405), and that the paths the router
//! answers under `/api/v1` are exactly the documented ones.

use reqwest::Method;
use serde_json::{json, Value};

use super::api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_lists_every_served_route() {
    let a = api().await;
    let doc = a.get("/api/v1/openapi.json", None).await;
    assert_eq!(doc.status, 200);
    assert!(doc.body["openapi"].as_str().unwrap_or("").starts_with("3.1"), "{}", doc.body["openapi"]);
    let paths = doc.body["paths"].as_object().cloned().expect("paths");
    let mut operations = 0;
    for (path, item) in &paths {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for (method, op) in item.as_object().expect("item") {
            operations += 1;
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path} documents its responses"
            );
            let concrete = path
                .replace("{id}", "x")
                .replace("{act}", "y")
                .replace("{seq}", "1")
                .replace("{file}", "a.b.c")
                .replace("{key}", "national")
                .replace("{name}", "x")
                .replace("{year}", "2026");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let got = a.call(m, &concrete, Some("office"), None).await;
            let routed = !(got.status == 405
                || (got.status == 404 && got.code() == "not_found" && got.body["detail"] == "not found"));
            assert!(routed, "{method} {path} is documented but not served: {} {}", got.status, got.body);
        }
    }
    println!("OpenAPI: {} paths, {operations} operations", paths.len());
    // Undocumented methods on documented paths and unknown paths are not served.
    let unknown = a.get("/api/v1/undocumented", Some("office")).await;
    assert_eq!(unknown.status, 404);
    for path in paths.keys() {
        let concrete = path
            .replace("{id}", "x")
            .replace("{act}", "y")
            .replace("{seq}", "1")
            .replace("{file}", "a.b.c")
            .replace("{key}", "national")
            .replace("{name}", "x")
            .replace("{year}", "2026");
        let methods = paths[path].as_object().expect("item");
        for m in ["get", "post", "delete", "put", "patch"] {
            if methods.contains_key(m) {
                continue;
            }
            let got = a
                .call(Method::from_bytes(m.to_uppercase().as_bytes()).expect("m"), &concrete, Some("office"), None)
                .await;
            assert_eq!(got.status, 405, "{m} {path} is served but not documented");
        }
    }
    // The reference page is served by juece itself, with no asset from elsewhere.
    let page = a.get("/api/v1/docs", None).await.body.as_str().expect("text").to_string();
    assert!(page.contains("/api/v1/openapi.json"));
    assert!(!page.contains("http://") && !page.contains("https://"), "no external asset");
}

/// The check every answer goes through is strict, so a passing suite means the
/// document matches: a property, a missing field, a status or a media type the
/// document does not give is refused, nested under references too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_outside_the_document_are_refused() {
    let a = api().await;
    let s = &a.schemas;
    let me = a.get("/api/v1/auth/me", Some("office")).await.body;
    let check = |status, content_type, body: &Value| s.check("GET", "/api/v1/auth/me", status, content_type, body);
    assert_eq!(check(200, "application/json", &me), Ok(()));
    let mut extra = me.clone();
    extra["extra"] = json!(1);
    assert!(check(200, "application/json", &extra).is_err(), "an undocumented property");
    let mut missing = me.clone();
    missing.as_object_mut().expect("object").remove("user_id");
    assert!(check(200, "application/json", &missing).is_err(), "a documented property missing");
    assert!(check(201, "application/json", &me).is_err(), "an undocumented status");
    assert!(check(200, "text/plain", &json!("x")).is_err(), "an undocumented media type");
    let signed_out = |body: &Value| s.check("POST", "/api/v1/auth/logout", 204, "application/json", body);
    assert!(signed_out(&json!({})).is_err(), "a body where none is documented");
    // Nested, behind `$ref`, `anyOf` (full or public facts) and nullable references.
    let id = a.open("严格的文档").await;
    let path = format!("/api/v1/decisions/{id}");
    let view = a.get(&path, Some("office")).await.body;
    let mut nested = view.clone();
    nested["facts"]["proposal"]["colour"] = json!("red");
    assert!(s.check("GET", &path, 200, "application/json", &nested).is_err(), "{nested}");
    let mut wrong_type = view.clone();
    wrong_type["facts"]["title"] = json!(7);
    assert!(s.check("GET", &path, 200, "application/json", &wrong_type).is_err(), "{wrong_type}");
    let mut problem = a.get("/api/v1/decisions/none", Some("office")).await.body;
    problem["stack"] = json!("…");
    assert!(s.check("GET", "/api/v1/decisions/none", 404, "application/problem+json", &problem).is_err());
}

/// Every act of every loaded workflow has its payload schema in the document, named for the act, derived from the
/// type the engine reads: what a client sends for `publish_comment_notice` is spelled out, unknown fields refused.
/// (Every act body the API tests send and the server accepts is also checked against its act's schema, in
/// `support::schema`.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_act_documents_its_payload() {
    let a = api().await;
    let doc = a.get("/api/v1/openapi.json", None).await.body;
    let op = &doc["paths"]["/api/v1/decisions/{id}/acts/{act}"]["post"];
    let by_act = op["x-act-payloads"].as_object().cloned().expect("x-act-payloads");
    let mut acts: Vec<String> = Vec::new();
    for w in a.app.state.engine.workflows() {
        acts.extend(w.acts.keys().cloned());
    }
    acts.sort();
    acts.dedup();
    assert!(acts.len() > 60, "{}", acts.len());
    for act in &acts {
        let reference = by_act.get(act).and_then(|r| r["$ref"].as_str()).unwrap_or_default();
        assert_eq!(reference, format!("#/components/schemas/ActPayload.{act}"), "{act}");
        assert!(doc["components"]["schemas"][format!("ActPayload.{act}")].is_object(), "{act}");
    }
    let any = op["requestBody"]["content"]["application/json"]["schema"]["anyOf"].as_array().map(Vec::len);
    assert_eq!(any, Some(by_act.len()));

    let notice = &doc["components"]["schemas"]["ActPayload.publish_comment_notice"];
    assert_eq!(notice["additionalProperties"], false, "{notice}");
    let required: Vec<&str> = notice["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    for field in ["channels", "submission_methods", "start", "days"] {
        assert!(required.contains(&field), "{field} is required: {notice}");
    }
    assert_eq!(notice["properties"]["start"]["format"], "date");
    let comment = &doc["components"]["schemas"]["ActPayload.receive_comment"];
    assert_eq!(comment["properties"]["content"]["maxLength"], 20000, "{comment}");
    let empty = &doc["components"]["schemas"]["ActPayload.close_meeting"];
    assert_eq!((empty["type"].as_str(), empty["additionalProperties"].as_bool()), (Some("object"), Some(false)));
}
