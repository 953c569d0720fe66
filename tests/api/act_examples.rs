//! Every act in the API document has an example, and the engine accepts each (issue 16, item 3). An act the demo
//! takes has the demo's payload as its example, so it cannot rot: the demo is run, and every act it takes with a
//! payload must carry exactly that payload as its example. Every other act's example is taken verbatim on a record
//! in the right stage by the tour (`act_examples_tour`). An act of any workflow without an example fails here,
//! as does an example that does not match its act's schema in the served document (strict: no undocumented field).

use std::collections::BTreeSet;

use juece_api::routes::act_payloads::{ACT_PATHS, OPEN_PATH};
use juece_tests::{engine, sqlite_url};
use reqwest::Method;

use super::act_examples_tour::tour;
use super::api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_act_has_an_example_the_engine_accepts_and_that_matches_its_schema() {
    let (_dir, url) = sqlite_url();
    let demo = juece_api::demo::accepted_payloads(&engine(&url).await).await.expect("the demo runs");
    let shown = juece_api::routes::act_payloads::examples();
    assert!(demo.len() > 30, "{} acts in the demo", demo.len());
    let differ: Vec<&String> = demo.keys().filter(|a| demo.get(*a) != shown.get(*a)).collect();
    assert!(
        differ.is_empty(),
        "the examples of {differ:?} are not the demo's payloads; the demo's are:\n{}",
        serde_json::to_string_pretty(&demo).expect("json")
    );
    // The acts the demo does not take, each with its example on a record of its own (a fresh database).
    let (_other, url) = sqlite_url();
    let toured = tour(&engine(&url).await).await;

    let a = api().await;
    let doc = a.get("/api/v1/openapi.json", None).await.body;
    // Every act a client may send: the acts endpoints' and the opening endpoint's `x-act-payloads`.
    let mut acts = BTreeSet::new();
    for path in ACT_PATHS.into_iter().chain([OPEN_PATH]) {
        let listed = doc["paths"][path]["post"]["x-act-payloads"].as_object().cloned().unwrap_or_default();
        assert!(!listed.is_empty(), "{path}: no x-act-payloads");
        acts.extend(listed.keys().cloned());
    }
    assert!(acts.len() >= 97, "{} acts documented", acts.len());
    let without: Vec<&String> = acts.iter().filter(|act| !shown.contains_key(*act)).collect();
    assert!(without.is_empty(), "acts without an example in api/src/routes/act_examples.json: {without:?}");
    let stale: Vec<&String> = shown.keys().filter(|act| !acts.contains(*act)).collect();
    assert!(stale.is_empty(), "examples of acts no workflow declares: {stale:?}");
    let untaken: Vec<&String> = acts.iter().filter(|act| !demo.contains_key(*act) && !toured.contains(*act)).collect();
    assert!(
        untaken.is_empty(),
        "examples neither the demo nor the tour takes (add them to act_examples_tour): {untaken:?}"
    );

    let op = "/api/v1/decisions/{id}/acts/{act}";
    for (act, example) in &shown {
        let schema = &doc["components"]["schemas"][format!("ActPayload.{act}")];
        assert_eq!(schema["examples"][0], *example, "`{act}`: the document shows no example");
        // The example is a body the act's operation admits (checked against the document in strict mode).
        a.schemas.check_request("POST", &format!("/api/v1/decisions/x/acts/{act}"), example).unwrap_or_else(|e| {
            panic!("{op} `{act}`: the example does not match the schema: {e}");
        });
    }
}

/// `POST /api/v1/decisions` shows a whole body for each kind of record, and each opens one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_opening_example_opens_a_record() {
    let a = api().await;
    a.add_user("pm", "示范市司法局", "pool_manager").await;
    let doc = a.get("/api/v1/openapi.json", None).await.body;
    let examples = doc["paths"][OPEN_PATH]["post"]["requestBody"]["content"]["application/json"]["examples"].clone();
    let examples = examples.as_object().cloned().unwrap_or_default();
    for name in ["national.submit_proposal", "catalogue.create_catalogue", "expert_pool.create_pool"] {
        assert!(examples.contains_key(name), "no `{name}` example: {:?}", examples.keys());
    }
    for (name, example) in &examples {
        let who = if name.ends_with("create_pool") { "pm" } else { "office" };
        let body = example["value"].clone();
        assert_eq!(
            body["act"]["payload"],
            juece_api::routes::act_payloads::examples()[name.split('.').nth(1).unwrap_or("")]
        );
        let opened = a.call(Method::POST, OPEN_PATH, Some(who), Some(body)).await;
        opened.expect(201, "");
        assert!(opened.body["decision_id"].is_string(), "{name}: {}", opened.body);
    }
}

/// `/api/v1/docs` shows each act's fields — name, type, required, allowed values, description — and its example,
/// rendered on the server and escaped, not the request body's `anyOf` of `$ref`s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_page_shows_each_acts_fields_and_example() {
    let a = api().await;
    let page = a.get("/api/v1/docs", None).await.body.as_str().expect("HTML").to_string();
    let start = page.find("id=\"act-submit_proposal\"").expect("submit_proposal's section");
    let section = &page[start..start + page[start..].find("</div>").expect("end")];
    let row = |field: &str| {
        let at = section.find(&format!("<td><code>{field}</code></td>")).unwrap_or_else(|| panic!("{field} row"));
        &section[at..at + section[at..].find("</tr>").expect("row end")]
    };
    // The fields every proposal needs are marked required, the arguments (a gate requires them of departments
    // only) optional; a vocabulary lists its codes with their Chinese labels.
    for field in ["title", "organ", "proposer_type", "proposer", "summary"] {
        assert!(row(field).contains("<td>required</td>"), "{}", row(field));
    }
    assert!(row("main_problem").contains("<td>optional</td>"), "{}", row("main_problem"));
    let kind = row("proposer_type");
    assert!(kind.contains("department") && kind.contains("<td>string</td>") && kind.contains("所属部门"), "{kind}");
    assert!(section.contains("class=\"example\"") && section.contains("示范市大气污染防治条例实施办法"), "{section}");
    let acts = &page[page.find("id=\"acts\"").expect("acts")..page.find("<main id=\"ops\">").expect("ops")];
    assert!(!acts.contains("anyOf") && !acts.contains("$ref"), "raw schema in the acts section");
    // An act without fields says what to send.
    assert!(page.contains("id=\"act-finish_drafting\""), "finish_drafting listed");
}
