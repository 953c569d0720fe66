//! Acceptance scenarios A2 and A3 (regulation.md §4) through HTTP: the scope
//! of the Decree and the annual catalogue.

use juece_tests::steps::{assert_refusal, UNIT};
use reqwest::Method;
use serde_json::json;

use super::api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a2_an_excluded_matter_is_never_started() {
    let a = api().await;
    let id = a.open("防汛应急处置方案").await;
    let excluded = json!({ "category": 5, "exclusion": "emergency_response", "undertaking_units": [UNIT] });
    a.refused("office", &id, "start_decision", excluded, (422, "excluded_by_art3", "Art. 3(2)")).await;
    let (d, records) = a.state_of(&id).await;
    assert_eq!((d["stage"].as_str(), records), (Some("proposal"), 1), "not started: {d}");
    let deadlines = a.get(&format!("/api/v1/decisions/{id}/deadlines"), Some("office")).await;
    assert_eq!(deadlines.body, json!([]), "no period runs for an excluded matter");
    // A matter within the Decree starts.
    let within = a.open("大气污染防治实施办法").await;
    let started =
        a.ok("office", &within, "start_decision", json!({ "category": 1, "undertaking_units": [UNIT] })).await;
    assert_eq!(started.body["stage"], "drafting");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a3_each_catalogue_version_needs_party_consent_before_publication() {
    let a = api().await;
    let item = |name: &str| json!({ "name": name, "undertaking_unit": UNIT, "planned": "2026年第三季度" });
    let opened = a
        .call(
            Method::POST,
            "/api/v1/decisions",
            Some("office"),
            Some(json!({ "workflow": "catalogue", "act": { "name": "create_catalogue", "payload": {
                "organ": "示范市人民政府", "year": 2026, "items": [item("大气污染防治实施办法")] }}})),
        )
        .await;
    opened.expect(201, "");
    let id = opened.body["decision_id"].as_str().expect("id").to_string();
    let publish = json!({ "channels": ["website"] });
    let consent_missing = (422, "art3_party_consent_missing", "Art. 3(3)");
    a.refused("office", &id, "publish_catalogue", publish.clone(), consent_missing).await;
    let public = || async { a.get("/api/v1/public/catalogues", None).await.body["items"].clone() };
    assert_eq!(public().await, json!([]), "not public");
    // Consent to another version than the one in draft is refused too.
    let consent =
        |version: i64, reference: &str| json!({ "version": version, "reference": reference, "date": "2026-02-20" });
    let got = a.act("office", &id, "record_party_consent", consent(2, "市委同意〔2026〕1号")).await;
    assert_refusal(&got, (422, "catalogue_consent_version", "Art. 3(3)"), "consent to v2");
    a.ok("office", &id, "record_party_consent", consent(1, "市委同意〔2026〕1号")).await;
    a.ok("office", &id, "publish_catalogue", publish.clone()).await;
    assert_eq!(public().await[0]["version"], 1);
    // A new item: version 2 in draft, withdrawn from the public list, refused again without new consent.
    let items = json!([item("大气污染防治实施办法"), item("公交票价调整")]);
    let adjusted =
        a.ok("office", &id, "adjust_catalogue", json!({ "items": items, "reason": "新增公交票价调整事项" })).await;
    assert_eq!(adjusted.body["stage"], "draft");
    a.refused("office", &id, "publish_catalogue", publish.clone(), consent_missing).await;
    assert_eq!(public().await, json!([]));
    a.ok("office", &id, "record_party_consent", consent(2, "市委同意〔2026〕5号")).await;
    a.ok("office", &id, "publish_catalogue", publish).await;
    let shown = public().await;
    assert_eq!((shown[0]["version"].as_i64(), shown[0]["items"].as_array().map(Vec::len)), (Some(2), Some(2)));
}
