//! The opinion ledger: many opinions disposed of with one form, each one act in
//! the record; every disposition checked before any is taken (Art. 18); a
//! double submission acts once; no other unit reads it.

use juece_tests::http::api;
use reqwest::StatusCode;
use serde_json::json;

use super::Browser;

#[tokio::test]
async fn the_drafter_disposes_of_many_opinions_at_once_each_recorded() {
    let api = api().await;
    let id = api.at_stage("示范市共享单车停放管理办法", "public_participation").await;
    let notice =
        json!({ "channels": ["website"], "submission_methods": ["网上提交"], "start": api.today(), "days": 30 });
    api.ok("drafter", &id, "publish_comment_notice", notice).await;
    let comments = format!("/api/v1/public/consultations/{id}/comments");
    for text in ["建议划定停放区。", "建议在地铁站周边增设停放点。", "建议增加<b>电子围栏</b>。"]
    {
        let sent = api.call(reqwest::Method::POST, &comments, None, Some(json!({ "content": text }))).await;
        assert_eq!(sent.status, 201, "{}", sent.body);
    }
    let b = Browser::new(&api);
    b.sign_in("drafter").await;
    let path = format!("/decisions/{id}/opinions");
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("共3条意见，待处理3条（组）"), "{}", page.body);
    assert!(page.body.contains("&lt;b&gt;电子围栏"), "user text escaped: {}", page.body);

    // Not adopted without a reason: refused for the whole batch, nothing written, the selection kept.
    let (csrf, key) = (page.csrf(), page.key());
    let blank = [("_csrf", csrf.as_str()), ("_key", key.as_str()), ("o", "1"), ("o", "2"), ("outcome", "not_adopted")];
    let refused = b.post(&path, &blank).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("art18_disposition_reason") && refused.body.contains("Art. 18"), "{}", refused.body);
    assert!(refused.body.contains("value=\"1\" id=\"o-1\" checked"), "the selection is kept: {}", refused.body);
    let listed = format!("/api/v1/decisions/{id}/opinions");
    let d = api.get(&listed, Some("drafter")).await;
    assert!(d.body["items"].as_array().unwrap().iter().all(|o| o["settled"].is_null()), "nothing written: {}", d.body);

    let reason = "停放区设置已在第八条规定，不再重复。";
    let form = [
        ("_csrf", csrf.as_str()),
        ("_key", key.as_str()),
        ("o", "1"),
        ("o", "2"),
        ("outcome", "not_adopted"),
        ("reason", reason),
    ];
    let sent = b.post(&path, &form).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let after = b.follow(&sent).await;
    assert!(after.body.contains("已处理2条（组）意见") && after.body.contains("待处理1条（组）"), "{}", after.body);
    // A second click of the same form acts no more.
    let again = b.post(&path, &form).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let d = api.get(&listed, Some("drafter")).await;
    let ops = d.body["items"].as_array().unwrap();
    assert_eq!(ops[0]["settled"]["reason"], json!(reason));
    assert_eq!(ops[1]["settled"]["outcome"], json!("not_adopted"));
    assert!(ops[2]["settled"].is_null());
    let record = api.get(&format!("/api/v1/decisions/{id}/record"), Some("drafter")).await;
    let disposals = record.body.as_array().unwrap().iter().filter(|r| r["act"] == "dispose_opinion").count();
    assert_eq!(disposals, 2, "one act per opinion, once: {}", record.body);

    // Another unit's drafter neither reads nor disposes.
    let other = Browser::new(&api);
    other.sign_in("other-drafter").await;
    let theirs = other.get(&path).await;
    assert!(!theirs.body.contains("电子围栏") && !theirs.body.contains(reason), "{}", theirs.body);
    let tried = other.post(&path, &[("_csrf", &theirs.csrf()), ("o", "3"), ("outcome", "adopted")]).await;
    assert_ne!(tried.status, StatusCode::SEE_OTHER);
    let d = api.get(&listed, Some("drafter")).await;
    assert!(d.body["items"][2]["settled"].is_null());
}
