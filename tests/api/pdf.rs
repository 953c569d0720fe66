//! Memos as PDF (`…/memos/{seq}/<memo>.<lang>.pdf`): printed by headless
//! Chromium when the server has one configured, an A4 page with its fonts
//! embedded; 503 `pdf_unavailable` when it has none; and read through the same
//! rule as the HTML it prints, so a memo withheld from the reader is refused
//! in PDF too, whether or not a browser is there.
//!
//! The print test runs when Debian's chromium is installed and says it skipped
//! otherwise, unless `JUECE_REQUIRE_BROWSER=1` (CI), where a missing browser fails.

use reqwest::Method;
use serde_json::json;

use super::{api, api_with};
use juece_api::pdf::Browser;
use juece_api::server::ServerConfig;

const CHROMIUM: &str = "/usr/bin/chromium";

/// A decision whose start letter (D2, numbered, with its red mark) is its latest memo; its path as PDF.
async fn started(a: &super::Api) -> String {
    let id = a.open("PDF测试").await;
    a.ok("office", &id, "start_decision", json!({ "category": 1, "undertaking_units": ["示范市生态环境局"] })).await;
    let memos = a.get(&format!("/api/v1/decisions/{id}/memos"), Some("office")).await;
    let start = memos.body.as_array().into_iter().flatten().find(|m| m["memo"] == "start_decision").cloned();
    let start = start.expect("the start decision's memo");
    format!("/api/v1/decisions/{id}/memos/{}/start_decision.zh.pdf", start["seq"])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_browser_pdf_is_unavailable_and_says_how_to_get_it() {
    let a = api().await;
    let path = started(&a).await;
    let got = a.get(&path, Some("office")).await;
    got.expect(503, "pdf_unavailable");
    let detail = got.body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("JUECE_BROWSER") && detail.contains("chromium"), "{}", got.body);
    // Who may not read the memo is refused as for its HTML, before the question of a browser.
    a.get(&path, Some("other-drafter")).await.expect(403, "not_assigned");
    a.get(&path.replace(".pdf", ".html"), Some("other-drafter")).await.expect(403, "not_assigned");
}

/// The `/MediaBox` sizes of a PDF, in points.
fn media_boxes(pdf: &[u8]) -> Vec<(f64, f64)> {
    let text = String::from_utf8_lossy(pdf);
    text.split("/MediaBox [0 0 ")
        .skip(1)
        .filter_map(|rest| {
            let mut n = rest.split([' ', ']']).filter(|s| !s.is_empty()).map(str::parse::<f64>);
            Some((n.next()?.ok()?, n.next()?.ok()?))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_memo_prints_as_an_a4_pdf_with_its_fonts_embedded() {
    if !std::path::Path::new(CHROMIUM).exists() {
        let required = std::env::var("JUECE_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(!required, "JUECE_REQUIRE_BROWSER=1 but {CHROMIUM} is missing");
        eprintln!("PDF print skipped: install Debian's chromium and fonts-noto-cjk");
        return;
    }
    let browser = Browser::at(std::path::Path::new(CHROMIUM)).expect("the browser");
    let config = ServerConfig { insecure_cookies: true, browser: Some(browser), ..Default::default() };
    let a = api_with(config).await;
    let path = started(&a).await;
    let _one = crate::browser::ONE_AT_A_TIME.lock().await;
    let got = a.req(Method::GET, &path, Some("office")).send().await.expect("request");
    assert_eq!(got.status(), 200, "{:?}", got.text().await);
    let content_type = got.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(content_type, "application/pdf");
    let pdf = got.bytes().await.expect("body").to_vec();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF: {:?}", &pdf[..pdf.len().min(16)]);
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/FontFile"), "the fonts are embedded");
    let fonts: Vec<&str> =
        text.split("/BaseFont /").skip(1).filter_map(|s| s.split(['/', ' ', '\n', '>']).next()).collect();
    // The Chinese text is set in an embedded CJK font (AR PL UMing, which .ci/test installs beside Noto CJK).
    if std::path::Path::new("/usr/share/fonts/truetype/arphic").exists() {
        assert!(fonts.iter().any(|f| f.contains("UMing")), "a CJK font printed the Chinese text: {fonts:?}");
    }
    let boxes = media_boxes(&pdf);
    assert!(!boxes.is_empty(), "pages have a media box");
    for (w, h) in &boxes {
        assert!((w - 595.28).abs() < 1.0 && (h - 841.89).abs() < 1.0, "A4 (595 × 842 pt), not {w} × {h}");
    }
    // The annual report prints the same way.
    let report = "/api/v1/reports/annual?organ=示范市人民政府&year=2026&format=pdf";
    let got = a.req(Method::GET, report, Some("office")).send().await.expect("request");
    assert_eq!(got.status(), 200);
    let pdf = got.bytes().await.expect("body").to_vec();
    assert!(pdf.starts_with(b"%PDF-") && String::from_utf8_lossy(&pdf).contains("/FontFile"), "an embedded-font PDF");
    let boxes = media_boxes(&pdf);
    assert!(!boxes.is_empty() && boxes.iter().all(|(w, h)| (w - 595.28).abs() < 1.0 && (h - 841.89).abs() < 1.0));
    // The same rule as the HTML: another unit's drafter is refused, and the refusal is all they get.
    let other = a.get(&path, Some("other-drafter")).await;
    other.expect(403, "not_assigned");
    assert!(!other.body.to_string().contains("%PDF"), "{}", other.body);
}
