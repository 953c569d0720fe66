//! Responsibility tracing (Arts. 38–41) through HTTP, and the annual report
//! that counts it: JSON, the document and the CSV of its counts, the
//! document byte for byte what `juece report annual` writes, a draft until
//! the general office issues it under its number, once.

use chrono::{Datelike, Utc};
use juece_api::cli::{run, Cli};
use serde_json::{json, Value};

use juece_tests::http::api_on_system_clock;
use juece_tests::workflows;

async fn juece_report(url: &str, year: i32, format: &str, out: &std::path::Path) {
    let w = workflows();
    let (year, out) = (year.to_string(), out.to_string_lossy().to_string());
    let argv = [
        "juece",
        "--workflows",
        w.to_str().unwrap_or_default(),
        "--database-url",
        url,
        "report",
        "annual",
        "--organ",
        "示范市人民政府",
        "--year",
        &year,
        "--format",
        format,
        "--out",
        &out,
    ];
    use clap::Parser;
    assert_eq!(run(Cli::try_parse_from(argv).expect("arguments")).await.expect("report"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_is_opened_concluded_and_counted_and_the_report_is_the_commands_bytes() {
    let a = api_on_system_clock().await;
    juece_api::demo::run(&a.app.state.engine, None, &mut Vec::new()).await.expect("demo");
    let id = a.app.state.engine.store().versions().await.expect("versions")[0].0.clone();
    let record = a.get(&format!("/api/v1/decisions/{id}/record"), Some("oversight")).await;
    let opinion = (record.body.as_array().into_iter().flatten()).find(|r| r["act"] == "issue_legality_opinion");
    let seq = opinion.and_then(|r| r["seq"].as_i64()).unwrap_or_else(|| panic!("no opinion: {}", record.body));
    let case = json!({
        "article": "Art. 39", "grounds": "合法性审查意见未载明法律风险",
        "persons": [{ "name": "吴审", "unit": "示范市司法局", "position": "合法性审查科科长" }], "acts": [seq],
    });
    a.act("office", &id, "open_accountability_case", case.clone()).await.expect(403, "role_not_permitted");
    let mut unknown = case.clone();
    unknown["acts"] = json!([seq, 9999]);
    a.refused("oversight", &id, "open_accountability_case", unknown, (422, "art38_act_not_in_record", "Art. 38")).await;
    a.ok("oversight", &id, "open_accountability_case", case).await;
    let bare = json!({ "case": 1, "finding": "liable", "reasoning": "未尽审查职责" });
    a.refused("oversight", &id, "conclude_accountability_case", bare, (422, "art38_conclusion_unreasoned", "Art. 38"))
        .await;
    let end = json!({ "case": 1, "finding": "liable", "measures": "诫勉谈话", "reasoning": "未尽审查职责" });
    a.ok("oversight", &id, "conclude_accountability_case", end.clone()).await;
    a.refused("oversight", &id, "conclude_accountability_case", end, (422, "art38_case_not_open", "Art. 38")).await;
    let seen = a.get(&format!("/api/v1/decisions/{id}"), Some("oversight")).await;
    let kept = &seen.body["facts"]["accountability"][0];
    assert_eq!((kept["acts"][0].as_i64(), &kept["conclusion"]["measures"]), (Some(seq), &json!("诫勉谈话")), "{kept}");

    // The report of this year counts the case and reads decisions by their numbers.
    let year = (Utc::now() + chrono::Duration::hours(8)).year();
    let path = format!("/api/v1/reports/annual?organ=示范市人民政府&year={year}");
    let r = a.get(&path, Some("office")).await;
    r.expect(200, "");
    assert_eq!((r.body["cases_opened"].as_u64(), r.body["cases_concluded"].as_u64()), (Some(1), Some(1)), "{}", r.body);
    assert_eq!(r.body["cases"][0]["persons"][0], "吴审（示范市司法局，合法性审查科科长）");
    let numbers: Vec<&str> =
        (r.body["decisions"].as_array().into_iter().flatten()).filter_map(|d| d["number"].as_str()).collect();
    assert!(!numbers.is_empty() && numbers.iter().all(|n| n.starts_with("示政")), "{numbers:?}");

    let dir = tempfile::tempdir().expect("dir");
    for (format, query, accept) in
        [("md", "&format=md", None), ("html", "&format=html", None), ("csv", "", Some("text/csv"))]
    {
        let mut req = a.req(reqwest::Method::GET, &format!("{path}{query}"), Some("office"));
        if let Some(accept) = accept {
            req = req.header("accept", accept);
        }
        let got = a.send(req).await;
        got.expect(200, "");
        let body = got.body.as_str().unwrap_or_else(|| panic!("{format}: text, not {}", got.body)).to_string();
        let file = dir.path().join(format!("report.{format}"));
        juece_report(&a.app.database_url, year, format, &file).await;
        let written = std::fs::read_to_string(&file).expect("the command's file");
        assert_eq!(body, written, "{format}: the endpoint and the command give the same bytes");
        match format {
            "md" => {
                assert!(body.contains("## 十、责任追究情况") && body.contains("启动责任追究1件，办结1件"), "{body}");
                assert!(body.contains("（送审稿，未编号"), "a draft until issued: {body}");
            }
            "html" => assert!(got.content_type.starts_with("text/html") && body.contains("示范省人民政府："), "{body}"),
            _ => {
                assert!(got.content_type.starts_with("text/csv"), "{}", got.content_type);
                let row = format!("示范市人民政府,{year},accountability_cases_opened,,1");
                assert!(body.starts_with("organ,year,indicator,key,value\n") && body.contains(&row), "{body}");
            }
        }
    }
    // As PDF it needs a browser, which this server lacks: it says so, after checking who asks.
    a.get(&format!("{path}&format=pdf"), Some("drafter")).await.expect(403, "role_not_permitted");
    a.get(&format!("{path}&format=pdf"), Some("office")).await.expect(503, "pdf_unavailable");
    let json_again: Value = a.get(&path, Some("office")).await.body;
    assert_eq!(json_again, r.body, "reading the report changes nothing");
    assert!(r.body["number"].is_null(), "a draft until issued: {}", r.body);

    // The general office issues it once: numbered in the organ's report series, its figures frozen; asking
    // again takes no number, and the command then prints the issued report, byte for byte the endpoint's.
    let issue = |y: i32, organ: &str| json!({ "organ": organ, "year": y });
    let post = |who: &'static str, body: Value| {
        a.call(reqwest::Method::POST, "/api/v1/reports/annual/issue", Some(who), Some(body))
    };
    post("oversight", issue(year, "示范市人民政府")).await.expect(403, "role_not_permitted");
    post("office", issue(year + 1, "示范市人民政府")).await.expect(422, "report_year_not_started");
    post("office", issue(year, "某县人民政府")).await.expect(422, "unit_directory_incomplete");
    let store = &a.app.state.engine.store();
    assert_eq!(
        store.issued_report("示范市人民政府", "annual", year).await.expect("read"),
        None,
        "refusals write nothing"
    );
    let first = post("office", issue(year, "示范市人民政府")).await;
    first.expect(201, "");
    let number = format!("示政报〔{year}〕1号");
    assert_eq!((first.body["number"].as_str(), first.body["signer"].as_str()), (Some(number.as_str()), Some("李明")));
    let again = post("office", issue(year, "示范市人民政府")).await;
    again.expect(200, "");
    assert_eq!(again.body, first.body, "issued once: the same number on the same figures");
    assert_eq!(a.get(&path, Some("oversight")).await.body, first.body, "the issued report is the one read");
    assert_eq!(store.next_number("示范市人民政府", "示政报", year).await.expect("next"), 2, "one number taken");
    let md = a.get(&format!("{path}&format=md"), Some("office")).await;
    let md = md.body.as_str().unwrap_or_default().to_string();
    assert!(md.contains(&format!("{number}　　签发人：李明")) && !md.contains("未编号"), "{md}");
    let file = dir.path().join("issued.md");
    juece_report(&a.app.database_url, year, "md", &file).await;
    assert_eq!(std::fs::read_to_string(&file).expect("the command's file"), md, "the command prints the issued report");
}
