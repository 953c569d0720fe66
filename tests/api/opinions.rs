//! The opinions over HTTP: a comment answered with a receipt its sender looks up without signing in; the CSV
//! export (byte-order mark, header, every row) with the sender only for those who may read it; a stale cursor
//! refused as a bad query.

use reqwest::Method;
use serde_json::{json, Value};

use super::api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_is_answered_with_a_receipt_and_exported_with_its_disposition() {
    let a = api().await;
    let id = super::hearing_suggestions::open_for_comment(&a, "national", "示范市停车收费办法").await;
    let path = format!("/api/v1/public/consultations/{id}/comments");
    let sent = json!({ "content": "建议夜间停车免费，\"减轻\"居民负担。", "name": "市民丁", "contact": "139" });
    let r = a.call(Method::POST, &path, None, Some(sent)).await;
    r.expect(201, "");
    let receipt = r.body["receipt"].as_str().expect("a receipt").to_string();
    assert!(receipt.starts_with('C') && receipt.len() == 11, "{receipt}");
    for n in 2..=3 {
        a.call(Method::POST, &path, None, Some(json!({ "content": format!("第{n}条意见") }))).await.expect(201, "");
    }
    a.ok("drafter", &id, "dispose_opinion", json!({ "opinion_id": 1, "outcome": "adopted", "reason": "已采纳" })).await;

    // The sender's receipt: no sign-in, the text and the disposition, nothing of who sent it.
    let seen = a.get(&format!("/api/v1/public/receipts/{receipt}"), None).await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    assert_eq!((seen.body["seq"].as_i64(), seen.body["outcome"].as_str()), (Some(1), Some("adopted")), "{}", seen.body);
    assert!(!seen.body.to_string().contains("市民丁"), "{}", seen.body);
    a.get("/api/v1/public/receipts/C000000000", None).await.expect(404, "not_found");

    // The export: BOM, header, one line per comment; the sender for the drafter, not for the chief executive.
    let csv = |who: &'static str| {
        let a = &a;
        let url = format!("/api/v1/decisions/{id}/opinions/export.csv");
        async move {
            let got = a.get(&url, Some(who)).await;
            assert_eq!(got.status, 200, "{who}: {}", got.body);
            assert!(got.content_type.starts_with("text/csv"), "{}", got.content_type);
            match got.body {
                Value::String(s) => s,
                other => other.to_string(),
            }
        }
    };
    let drafter = csv("drafter").await;
    assert!(drafter.starts_with("\u{feff}kind,seq,notice,received_at,campaign,content,submitter"), "{drafter}");
    assert_eq!(drafter.lines().count(), 4, "{drafter}");
    assert!(drafter.contains("\"建议夜间停车免费，\"\"减轻\"\"居民负担。\",市民丁 (139),adopted,已采纳"), "{drafter}");
    let chief = csv("chief").await;
    assert!(chief.contains("adopted,已采纳") && !chief.contains("市民丁"), "{chief}");
    a.get(&format!("/api/v1/decisions/{id}/opinions/export.csv"), None).await.expect(401, "unauthenticated");

    let bad = a.get(&format!("/api/v1/decisions/{id}/opinions?after=nonsense"), Some("drafter")).await;
    bad.expect(400, "invalid_query");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_consultation_flooded_is_answered_429_and_another_is_not() {
    let config = juece_api::server::ServerConfig {
        insecure_cookies: true,
        public_per_minute: 10_000,
        public_burst: 10_000,
        consultation_per_second: 2,
        ..Default::default()
    };
    let a = juece_tests::http::api_with(config).await;
    let flooded = super::hearing_suggestions::open_for_comment(&a, "national", "示范市供暖价格调整方案").await;
    let quiet = super::hearing_suggestions::open_for_comment(&a, "national", "示范市公园管理办法").await;
    let send = |id: &str, n: usize| {
        let (a, path) = (&a, format!("/api/v1/public/consultations/{id}/comments"));
        async move { a.call(Method::POST, &path, None, Some(json!({ "content": format!("第{n}条意见") }))).await }
    };
    let mut statuses = Vec::new();
    for n in 0..5 {
        statuses.push(send(&flooded, n).await.status.as_u16());
    }
    assert_eq!(&statuses[..2], [201, 201], "{statuses:?}");
    assert!(statuses[2..].contains(&429), "{statuses:?}");
    let limited = send(&flooded, 9).await;
    if limited.status == 429 {
        limited.expect(429, "rate_limited");
        assert!(limited.headers.contains_key("retry-after"));
    }
    send(&quiet, 0).await.expect(201, "");
}
