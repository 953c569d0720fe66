//! The complete sample decision (`juece demo`: consultation, hearing,
//! experts, review, meeting, publication, execution, suspension,
//! evaluation, archive) read through every read endpoint by several
//! callers: each answer goes through the strict check of `support::schema`,
//! so the richest facts the engine records are shown to match the document.

use serde_json::{json, Value};

use super::api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_read_of_the_complete_sample_decision_matches_the_document() {
    let a = api().await;
    let mut story = Vec::new();
    juece_api::demo::run(&a.app.state.engine, None, &mut story).await.expect("the demo completes");
    // Past the demo's last act, so its deadlines and periods are all behind.
    a.wait_days(400);
    let list = a.get("/api/v1/decisions", Some("office")).await;
    let ids: Vec<String> = list.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["id"].as_str().map(String::from))
        .collect();
    let id = ids.iter().find(|i| i.starts_with("demo-")).cloned().unwrap_or_else(|| panic!("{}", list.body));
    let readers = [Some("office"), Some("oversight"), Some("member"), Some("drafter"), Some("e-1"), None];
    let mut paths = vec![
        format!("/api/v1/decisions/{id}"),
        format!("/api/v1/decisions/{id}/record"),
        format!("/api/v1/decisions/{id}/memos"),
        format!("/api/v1/decisions/{id}/deadlines"),
        format!("/api/v1/decisions/{id}/dossier"),
        format!("/api/v1/accountability/decisions/{id}/stances"),
        "/api/v1/accountability/overrides".into(),
        "/api/v1/reports/annual?organ=示范市人民政府&year=2026".into(),
        "/api/v1/public/decisions".into(),
        "/api/v1/public/consultations".into(),
        "/api/v1/public/catalogues".into(),
        "/api/v1/calendars/2026".into(),
        "/api/v1/calendars/working-days?from=2026-09-30&n=5".into(),
        "/api/v1/calendars/period?from=2026-09-20&days=10".into(),
        "/api/v1/workflows".into(),
        "/api/v1/users".into(),
        "/api/v1/tokens".into(),
        "/api/v1/auth/me".into(),
    ];
    for format in ["dot", "mermaid", "svg"] {
        paths.push(format!("/api/v1/workflows/national/graph?format={format}"));
    }
    let record = a.get(&format!("/api/v1/decisions/{id}/record"), Some("office")).await;
    let mut people: Vec<String> =
        record.body.as_array().into_iter().flatten().filter_map(|r| text(&r["actor"]["user_id"])).collect();
    people.sort();
    people.dedup();
    for p in &people {
        paths.push(format!("/api/v1/accountability/acts?person={p}"));
        paths.push(format!("/api/v1/accountability/experts/{p}/integrity"));
    }
    for member in ["郑副市长", "王文", "张市长"] {
        paths.push(format!("/api/v1/accountability/members/{member}/stances"));
    }
    let memos = a.get(&format!("/api/v1/decisions/{id}/memos"), Some("office")).await;
    for m in memos.body.as_array().into_iter().flatten() {
        let file = [&m["memo"], &m["lang"], &m["format"]].map(|v| text(v).unwrap_or_default()).join(".");
        paths.push(format!("/api/v1/decisions/{id}/memos/{}/{file}", m["seq"]));
    }
    let mut ok = 0;
    for path in &paths {
        for reader in readers {
            // Each answer is checked against the document by the client itself.
            ok += usize::from(a.get(path, reader).await.status == 200);
        }
    }
    // A flattened view (`allOf` in the document) is as strict as any other: nothing added, nothing left out.
    let path = format!("/api/v1/decisions/{id}/deadlines");
    let deadlines = a.get(&path, Some("office")).await.body;
    let check = |body: &Value| a.schemas.check("GET", &path, 200, "application/json", body);
    assert_eq!(check(&deadlines), Ok(()));
    let (mut added, mut left_out) = (deadlines.clone(), deadlines.clone());
    added[0]["claimed_by"] = json!("scheduler-1");
    left_out[0].as_object_mut().expect("a deadline").remove("overdue");
    assert!(check(&added).is_err() && check(&left_out).is_err(), "{deadlines}");
    println!("{} answers checked against the document", a.schemas.checked.load(std::sync::atomic::Ordering::Relaxed));
    assert!(people.len() >= 8, "the sample's people: {people:?}");
    assert!(ok >= paths.len(), "{ok} answers of 200 for {} paths", paths.len());
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(String::from)
}
