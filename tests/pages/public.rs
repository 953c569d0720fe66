//! The public portal: no sign-in, the draft open for comment with its
//! period as the law reads it, a comment answered with a receipt number,
//! user text escaped, a refused comment shown with its reason and kept.

use chrono::Duration;
use juece_tests::http::api;
use reqwest::StatusCode;
use serde_json::json;

use super::Browser;

/// A decision of the cast's drafter with a 30-day comment notice published today.
async fn consultation(api: &juece_tests::http::Api, title: &str) -> String {
    let id = api.at_stage(title, "public_participation").await;
    let notice =
        json!({ "channels": ["website"], "submission_methods": ["网上提交"], "start": api.today(), "days": 30 });
    api.ok("drafter", &id, "publish_comment_notice", notice).await;
    id
}

#[tokio::test]
async fn the_public_reads_the_draft_and_comments_with_a_receipt() {
    let api = api().await;
    let id = consultation(&api, "示范市垃圾分类管理办法").await;
    let b = Browser::new(&api);
    let home = b.get("/public").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("示范市垃圾分类管理办法"), "listed as open for comment");
    let page = b.get(&format!("/public/decisions/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("第一条 为规范"), "the draft text");
    assert!(page.body.contains("24时"), "the period ends at 24:00 China time: {}", page.body);
    assert!(page.body.contains("距截止还有"), "a countdown");
    assert!(!page.body.contains("法规科科长"), "nothing of the internal record");
    let comment = "<script>alert('x')</script> 建议增加厨余垃圾处理设施。";
    let sent = b
        .post(
            &format!("/public/decisions/{id}/comment"),
            &[("_csrf", &page.csrf()), ("_key", &page.key()), ("content", comment), ("name", "市民乙")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let receipt = b.follow(&sent).await;
    assert!(receipt.body.contains("意见已收到"));
    assert!(receipt.body.contains("回执编号"));
    // The receipt page is the comment's own: its text (escaped), when it came, that it waits for a disposition.
    assert!(receipt.body.contains("&lt;script&gt;alert") && receipt.body.contains("尚未处理"), "{}", receipt.body);
    assert!(!receipt.body.contains("市民乙"), "the sender's name is not repeated on a page anyone with the link reads");
    // The drafter sees the comment in the ledger, escaped, with who sent it.
    let drafter = Browser::new(&api);
    drafter.sign_in("drafter").await;
    let d = api.get(&format!("/api/v1/decisions/{id}/opinions"), Some("drafter")).await;
    assert_eq!(d.body["items"][0]["content"], json!(comment));
    assert_eq!(d.body["items"][0]["submitter"], json!("市民乙"));
    let ledger = drafter.get(&format!("/decisions/{id}/opinions")).await;
    assert!(ledger.body.contains("&lt;script&gt;alert") && ledger.body.contains("市民乙"), "{}", ledger.body);
    let form = drafter.get(&format!("/decisions/{id}/acts/dispose_opinion")).await;
    assert_eq!(form.status, StatusCode::OK);
    for page in [&receipt.body, &form.body, &ledger.body] {
        assert!(!page.contains("<script>alert"), "user text never reaches a page unescaped");
    }
}

#[tokio::test]
async fn a_comment_after_the_period_is_refused_with_its_reason_and_kept() {
    let api = api().await;
    let id = consultation(&api, "示范市噪声管理办法").await;
    let b = Browser::new(&api);
    let page = b.get(&format!("/public/decisions/{id}")).await;
    api.app.clock.advance(Duration::days(40));
    let typed = "期限届满后提交的意见 kept-text";
    let refused = b
        .post(
            &format!("/public/decisions/{id}/comment"),
            &[("_csrf", &page.csrf()), ("_key", &page.key()), ("content", typed)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("存在问题"));
    assert!(refused.body.contains("Art. 15"), "{}", refused.body);
    let d = api.get(&format!("/api/v1/decisions/{id}/opinions"), Some("drafter")).await;
    assert_eq!(d.body["items"], json!([]), "nothing written");
    // The consultation never silently vanishes: it stays on the public list, marked as ended (Art. 15).
    let listed = api.get("/api/v1/public/consultations", None).await;
    let items = listed.body["items"].as_array().cloned().unwrap_or_default();
    let item = items.iter().find(|i| i["id"] == json!(id)).unwrap_or_else(|| panic!("still listed: {}", listed.body));
    assert_eq!(item["facts"]["consultation"]["status"], json!("ended"), "{item}");
    assert!(item["facts"]["consultation"]["ended_at"].is_string());
    assert!(item["facts"]["draft"].is_null(), "the draft is shown only while open");
    let home = b.get("/public").await;
    assert!(home.body.contains("已结束的征求意见"), "{}", home.body);
    assert!(home.body.contains("示范市噪声管理办法"));
}

/// Art. 16(2)–(3): a hearing's notice is public from its publication — time, place, sides, the draft — and
/// its participant list once published; never what the record keeps of them (delivery dates, signatures).
#[tokio::test]
async fn a_hearing_notice_is_public_with_its_participant_list_once_published() {
    let api = api().await;
    let id = api.at_stage("示范市停车收费标准调整方案", "hearing").await;
    let date = api.today() + Duration::days(20);
    let notice = json!({ "date": date, "place": "市民中心三楼听证室", "sides": ["居民", "经营者"] });
    api.ok("drafter", &id, "publish_hearing_notice", notice).await;
    let method = json!({ "criteria": "自愿报名、随机抽取", "quota_per_side": 3 });
    api.ok("drafter", &id, "publish_hearing_selection_method", method).await;
    let p = json!({ "name": "市民丙", "side": "居民", "materials_delivered_on": date - Duration::days(10) });
    api.ok("drafter", &id, "add_hearing_participant", p).await;
    let q = json!({ "name": "商户丁", "side": "经营者", "materials_delivered_on": date - Duration::days(10) });
    api.ok("drafter", &id, "add_hearing_participant", q).await;

    let listed = api.get("/api/v1/public/hearings", None).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let item = listed.body["items"].as_array().and_then(|i| i.iter().find(|d| d["id"] == json!(id))).cloned();
    let item = item.unwrap_or_else(|| panic!("the announced hearing is listed: {}", listed.body));
    assert_eq!(item["facts"]["hearing"]["place"], json!("市民中心三楼听证室"));
    assert_eq!(item["facts"]["hearing"]["selection_method"]["quota_per_side"], json!(3));
    assert_eq!(item["facts"]["hearing"]["participants"], json!([]), "no names before the list is published");

    let b = Browser::new(&api);
    let home = b.get("/public").await;
    assert!(home.body.contains("听证会公告") && home.body.contains("示范市停车收费标准调整方案"), "{}", home.body);
    let page = b.get(&format!("/public/decisions/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("市民中心三楼听证室") && page.body.contains("经营者"), "{}", page.body);
    assert!(page.body.contains("每方3名"), "the selection method");
    assert!(page.body.contains("第一条 为规范"), "the draft is public before the hearing");
    assert!(!page.body.contains("市民丙"), "the participant list is not public before it is published");

    api.ok("drafter", &id, "publish_hearing_participant_list", json!({})).await;
    let page = b.get(&format!("/public/decisions/{id}")).await;
    assert!(page.body.contains("听证参加人名单") && page.body.contains("市民丙"), "{}", page.body);
    let listed = api.get("/api/v1/public/hearings", None).await;
    let item = listed.body["items"].as_array().and_then(|i| i.iter().find(|d| d["id"] == json!(id))).cloned();
    let item = item.unwrap_or_else(|| panic!("still listed: {}", listed.body));
    let names = json!([{ "name": "市民丙", "side": "居民" }, { "name": "商户丁", "side": "经营者" }]);
    assert_eq!(item["facts"]["hearing"]["participants"], names);
    let body = item.to_string();
    assert!(!body.contains("materials_delivered_on") && !body.contains("\"signed\""), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_decision_shows_the_text_as_decided_and_when_it_was_published() {
    let api = api().await;
    let reviewed = api.reviewed("示范市餐厨垃圾管理办法", "lawful").await;
    // Before publication the public reads nothing of a decision.
    let b = Browser::new(&api);
    assert_ne!(b.get(&format!("/public/decisions/{reviewed}")).await.status, StatusCode::OK);
    let id = api.published("示范市建筑垃圾管理办法").await;
    let listed = api.get("/api/v1/public/decisions", None).await;
    let item = listed.body["items"].as_array().into_iter().flatten().find(|d| d["id"] == id.as_str()).cloned();
    let item = item.unwrap_or_else(|| panic!("the published decision is listed: {}", listed.body));
    assert_eq!(item["facts"]["decided_text"]["text"], "第一条 为规范……", "{item}");
    assert!(item["facts"]["decided_text"].get("by").is_none(), "no author in the public view");
    let page = b.get(&format!("/public/decisions/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("决策文本") && page.body.contains("第一条 为规范……"), "{}", page.body);
    assert!(page.body.contains("公布时间"), "{}", page.body);
}
