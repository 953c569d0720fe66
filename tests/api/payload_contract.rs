//! Issue 16, items 2 and 4: an act's allowed values are enums in the document, labelled in Chinese, and its
//! vocabularies are read from the engine's own constants, so the document and the engine cannot drift apart. `POST /api/v1/decisions` documents its first act's payload too.

use reqwest::Method;
use serde_json::{json, Value};

use super::api;

fn proposal(proposer_type: &str, extra: Value) -> Value {
    let mut payload = json!({ "title": "公共停车场收费办法", "organ": "示范市人民政府", "proposer_type": proposer_type,
        "proposer": "示范市交通运输局", "summary": "调整收费标准。" });
    for (k, v) in extra.as_object().into_iter().flatten() {
        payload[k] = v.clone();
    }
    json!({ "workflow": "national", "act": { "name": "submit_proposal", "payload": payload } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allowed_values_are_enums_and_required_fields_are_the_engines() {
    let a = api().await;
    let doc = a.get("/api/v1/openapi.json", None).await.body;
    let schemas = &doc["components"]["schemas"];
    let cases: [(&str, &str, &[&str], &str); 5] = [
        ("record_stance", "stance", &["support", "oppose", "support_with_changes", "reserve"], "`oppose` 不同意"),
        ("record_chief_opinion", "decision", &["adopt", "reject"], "`adopt` 通过"),
        ("convene_meeting", "meeting_type", &["executive", "plenary"], "`executive` 常务会议"),
        (
            "issue_legality_opinion",
            "conclusion",
            &["lawful", "lawful_subject_to_changes", "unlawful", "exploratory_with_legal_risk"],
            "`unlawful` 不合法",
        ),
        ("dispose_opinion", "outcome", &["adopted", "partly", "not_adopted"], "`partly` 部分采纳"),
    ];
    for (act, field, codes, label) in cases {
        let property = &schemas[format!("ActPayload.{act}")]["properties"][field];
        assert_eq!(property["enum"], json!(codes), "{act}.{field}: {property}");
        assert!(property["description"].as_str().unwrap_or("").contains(label), "{act}.{field}: {property}");
    }

    // Who proposes is an enum, read from the same constants as the gate that refuses an unknown proposer.
    let proposer = &schemas["ActPayload.submit_proposal"]["properties"]["proposer_type"];
    assert!(proposer["enum"].as_array().is_some_and(|e| e.contains(&json!("npc_deputy"))), "{proposer}");
    let unknown = proposal("mayor_friend", json!({}));
    assert!(a.schemas.check_request("POST", "/api/v1/decisions", &unknown).is_err(), "the document admits it");
    let answer = a.call(Method::POST, "/api/v1/decisions", Some("office"), Some(unknown)).await;
    assert_eq!(answer.status.as_u16(), 422, "the engine admits it: {}", answer.body);
    let leader = proposal("leader", json!({}));
    assert!(a.schemas.check_request("POST", "/api/v1/decisions", &leader).is_ok());
    a.call(Method::POST, "/api/v1/decisions", Some("office"), Some(leader)).await.expect(201, "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_a_record_documents_its_first_acts_payload() {
    let a = api().await;
    let doc = a.get("/api/v1/openapi.json", None).await.body;
    let op = &doc["paths"]["/api/v1/decisions"]["post"];
    for (workflow, act) in
        [("national", "submit_proposal"), ("catalogue", "create_catalogue"), ("expert_pool", "create_pool")]
    {
        let opening = op["x-opening-acts"][workflow].as_array().cloned().unwrap_or_default();
        assert!(opening.contains(&json!(act)), "{workflow}: {opening:?}");
        assert_eq!(op["x-act-payloads"][act]["$ref"], format!("#/components/schemas/ActPayload.{act}"), "{act}");
    }
    // Only opening acts: a later act is documented on the acts endpoint, not here.
    assert!(op["x-act-payloads"].get("record_stance").is_none(), "{}", op["x-act-payloads"]);
}
