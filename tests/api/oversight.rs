//! Scenarios of the public feedback and catalogue endpoints, the
//! accountability queries, the annual report and the calendar, through HTTP.

use reqwest::Method;
use serde_json::json;

use super::api;

const THRESHOLD_TASK: &str = "公众意见已达100条";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_feedback_reaches_the_decision_and_crosses_the_threshold_once() {
    let a = api().await;
    let id = "feedback-1";
    juece_tests::drive_to_execution(&a.app.state.engine, id, a.app.clock.now()).await;
    let path = format!("/api/v1/public/decisions/{id}/feedback");
    let tasks = || async {
        let inbox = a.app.state.engine.store().inbox("general_office", 500).await.expect("inbox");
        inbox.iter().filter(|m| m.decision_id == id && m.subject.contains(THRESHOLD_TASK)).count()
    };
    let first = a
        .call(
            Method::POST,
            &path,
            None,
            Some(json!({ "content": "执行中噪声扰民", "name": "市民甲", "contact": "138" })),
        )
        .await;
    first.expect(201, "");
    assert_eq!(first.body["feedback_id"], 1, "{}", first.body);
    for i in 2..=99 {
        a.call(Method::POST, &path, None, Some(json!({ "content": format!("意见{i}") }))).await.expect(201, "");
    }
    assert_eq!(tasks().await, 0, "no task below the threshold");
    let hundredth = a.call(Method::POST, &path, None, Some(json!({ "content": "意见100" }))).await;
    assert_eq!(hundredth.body["feedback_id"], 100);
    assert_eq!(tasks().await, 1, "the hundredth raises the task");
    a.call(Method::POST, &path, None, Some(json!({ "content": "意见101" }))).await.expect(201, "");
    assert_eq!(tasks().await, 1, "exactly one task");
    // The feedback is kept as the decision's opinions, with who sent it (for oversight and the drafters only),
    // and the stage is unchanged.
    let d = a.get(&format!("/api/v1/decisions/{id}"), Some("office")).await;
    assert_eq!(d.body["stage"], "execution");
    let listed = format!("/api/v1/decisions/{id}/opinions?kind=feedback&limit=200");
    let fb = a.get(&listed, Some("oversight")).await.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(fb.len(), 101);
    assert_eq!(fb[0]["submitter"], "市民甲 (138)");
    let seen = a.get(&listed, Some("office")).await.body;
    assert!(seen["items"][0]["submitter"].is_null() && seen["items"][0]["submitter_withheld"] == true, "{seen}");
    assert!(!seen.to_string().contains("(138)"), "{seen}");
    // Blank feedback is refused by the engine with its reason, and writes nothing.
    let blank = a.call(Method::POST, &path, None, Some(json!({ "content": "  " }))).await;
    assert_eq!(blank.status, 422, "{}", blank.body);
    let counts = a.get(&format!("/api/v1/decisions/{id}/opinions/counts"), Some("office")).await.body;
    assert_eq!(counts[0]["kind"], "feedback", "{counts}");
    assert_eq!(counts[0]["received"], 101, "{counts}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalogue_is_public_only_while_its_version_is_published() {
    let a = api().await;
    let item =
        |name: &str| json!({ "name": name, "undertaking_unit": "示范市生态环境局", "planned": "2026年第三季度" });
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
    let public = || async { a.get("/api/v1/public/catalogues", None).await.body["items"].clone() };
    assert_eq!(public().await, json!([]), "a draft is not public");
    a.act("office", &id, "publish_catalogue", json!({ "channels": ["website"] }))
        .await
        .expect(422, "art3_party_consent_missing");
    a.ok(
        "office",
        &id,
        "record_party_consent",
        json!({ "version": 1, "reference": "市委同意〔2026〕1号", "date": "2026-02-20" }),
    )
    .await;
    a.ok("office", &id, "publish_catalogue", json!({ "channels": ["website"] })).await;
    let shown = public().await;
    assert_eq!(shown[0]["id"], id.as_str(), "{shown}");
    assert_eq!(shown[0]["version"], 1);
    assert_eq!(shown[0]["items"][0]["name"], "大气污染防治实施办法");
    // An adjustment is a new version in draft: it drops out until consented and published.
    a.ok(
        "office",
        &id,
        "adjust_catalogue",
        json!({ "items": [item("大气污染防治实施办法"), item("扬尘治理办法")], "reason": "新增事项" }),
    )
    .await;
    assert_eq!(public().await, json!([]));
    a.ok(
        "office",
        &id,
        "record_party_consent",
        json!({ "version": 2, "reference": "市委同意〔2026〕5号", "date": "2026-06-01" }),
    )
    .await;
    a.ok("office", &id, "publish_catalogue", json!({ "channels": ["website"] })).await;
    let shown = public().await;
    assert_eq!(shown[0]["version"], 2);
    assert_eq!(shown[0]["items"].as_array().map(Vec::len), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accountability_queries_return_the_demos_stances_and_refuse_a_drafter() {
    let a = api().await;
    let engine = &a.app.state.engine;
    juece_api::demo::run(engine, None, &mut Vec::new()).await.expect("demo");
    let id = a.app.state.engine.store().versions().await.expect("versions")[0].0.clone();

    let st = a.get(&format!("/api/v1/accountability/decisions/{id}/stances"), Some("oversight")).await;
    st.expect(200, "");
    let rows = st.body.as_array().cloned().unwrap_or_default();
    assert_eq!(rows[0]["member"], "郑副市长");
    assert_eq!(rows[1]["words"], "同意，建议明确过渡期。");
    assert!(rows.last().is_some_and(|r| r["chief"] == true && r["stance"] == "adopt"));
    let member =
        a.get("/api/v1/accountability/members/%E9%83%91%E5%89%AF%E5%B8%82%E9%95%BF/stances", Some("office")).await;
    assert_eq!(member.body.as_array().map(Vec::len), Some(1), "{}", member.body);
    let acts = a.get("/api/v1/accountability/acts?person=u-drafter", Some("oversight")).await;
    let acts = acts.body.as_array().cloned().unwrap_or_default();
    assert!(acts.len() >= 20 && acts.iter().all(|r| r["actor"]["name"] == "李明"));
    a.get("/api/v1/accountability/overrides", Some("oversight")).await.expect(200, "");
    a.get("/api/v1/accountability/decisions/nope/stances", Some("oversight")).await.expect(404, "not_found");
    for path in [
        format!("/api/v1/accountability/decisions/{id}/stances"),
        "/api/v1/accountability/acts?person=u-drafter".to_string(),
        format!("/api/v1/decisions/{id}/dossier"),
        "/api/v1/reports/annual?organ=示范市人民政府&year=2026".to_string(),
    ] {
        a.get(&path, Some("drafter")).await.expect(403, "role_not_permitted");
    }

    // The dossier document carries the same hashes an export writes, and the record's memo hashes.
    let dossier = a.get(&format!("/api/v1/decisions/{id}/dossier"), Some("oversight")).await;
    dossier.expect(200, "");
    let dir = tempfile::tempdir().expect("dir");
    let key = juece_engine::anchor::ServerKey::generate();
    let store = a.app.state.engine.store().as_ref();
    let manifest =
        juece_engine::accountability::export_dossier(store, &id, dir.path(), a.app.clock.now(), Some(&key), None)
            .await
            .expect("export");
    assert_eq!(dossier.body["manifest"], serde_json::to_value(&manifest).expect("json"));
    juece_engine::accountability::verify_dossier(dir.path(), &key.public()).expect("export verifies");
    let memos = dossier.body["memos"].as_array().cloned().unwrap_or_default();
    assert!(!memos.is_empty());
    let records = dossier.body["records"].as_array().cloned().unwrap_or_default();
    assert!(memos
        .iter()
        .all(|m| records.iter().any(|r| r["memo_hashes"].as_array().is_some_and(|h| h.contains(&m["sha256"])))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_annual_report_over_http_equals_the_engines() {
    let a = api().await;
    juece_api::demo::run(&a.app.state.engine, None, &mut Vec::new()).await.expect("demo");
    let got = a.get("/api/v1/reports/annual?organ=示范市人民政府&year=2026", Some("office")).await;
    got.expect(200, "");
    let want = juece_engine::report::annual(&a.app.state.engine, "示范市人民政府", 2026, a.app.clock.now())
        .await
        .expect("report");
    // The addressee is the superior the unit directory names, never a placeholder.
    assert_eq!(got.body["addressee"], "示范省人民政府");
    assert!(want.started >= 1 && want.decided >= 1, "the demo's decision is in the report");
    assert_eq!(got.body, serde_json::to_value(&want).expect("json"));
    a.get("/api/v1/reports/annual?organ=x", Some("office")).await.expect(400, "invalid_query");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calendars_show_rest_and_makeup_days_and_count_periods() {
    let a = api().await;
    let y = a.get("/api/v1/calendars/2026", None).await;
    y.expect(200, "");
    assert_eq!(y.body["provisional"], false, "2026 has an official notice loaded");
    let rest: Vec<String> = y.body["rest_days"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["date"].as_str().map(str::to_string))
        .collect();
    assert!(rest.contains(&"2026-10-01".to_string()), "{rest:?}");
    assert!(!y.body["makeup_days"].as_array().is_some_and(Vec::is_empty));
    let far = a.get("/api/v1/calendars/2099", None).await;
    assert_eq!(far.body["provisional"], true);
    a.get("/api/v1/calendars/3000", None).await.expect(400, "invalid_year");
    // Five working days from 30 September skip the National Day holiday.
    let wd = a.get("/api/v1/calendars/working-days?from=2026-09-30&n=5", None).await;
    wd.expect(200, "");
    let last = wd.body["last_day"].as_str().unwrap_or("").to_string();
    assert!(last.as_str() > "2026-10-07", "{last}");
    let p = a.get("/api/v1/calendars/period?from=2026-09-20&days=12", Some("drafter")).await;
    p.expect(200, "");
    assert!(p.body["last_day"].as_str().unwrap_or("") > "2026-10-02", "a rest day at the end rolls forward");
    a.get("/api/v1/calendars/period?from=2026-09-20&days=999999", None).await.expect(400, "invalid_query");
}
