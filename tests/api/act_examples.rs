//! Each act's example in the API document is the demo's payload (issue 16, item 3), so it cannot rot: the demo is
//! run, and every act it takes with a payload must carry exactly that payload as its example; every example must
//! match its act's schema in the served document (strict: no undocumented field).

use juece_tests::{engine, sqlite_url};

use super::api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_is_the_demos_payload_and_matches_its_schema() {
    let (_dir, url) = sqlite_url();
    let demo = juece_api::demo::accepted_payloads(&engine(&url).await).await.expect("the demo runs");
    let shown = juece_api::routes::act_payloads::examples();
    assert!(demo.len() > 30, "{} acts in the demo", demo.len());
    let differ: Vec<&String> = demo.keys().chain(shown.keys()).filter(|a| demo.get(*a) != shown.get(*a)).collect();
    assert!(
        differ.is_empty(),
        "the examples of {differ:?} are not the demo's payloads; api/src/routes/act_examples.json is:\n{}",
        serde_json::to_string_pretty(&demo).expect("json")
    );

    let a = api().await;
    let doc = a.get("/api/v1/openapi.json", None).await.body;
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
