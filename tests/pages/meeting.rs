//! The meeting screen: the roster with each member's stance, a changed stance
//! kept and marked superseded (never replaced), the count as the engine keeps
//! it, who recorded each member's stance, and only the reader's own acts.

use juece_tests::http::api;
use reqwest::StatusCode;
use serde_json::json;

use super::Browser;

#[tokio::test]
async fn the_meeting_screen_shows_every_stance_with_superseded_ones_kept_and_the_count() {
    let api = api().await;
    let id = api.reviewed("示范市户外广告设置管理办法", "lawful").await;
    api.ok("drafter", &id, "submit_package", json!({})).await;
    let members = json!([{ "name": "郑副市长", "user": "member" }, "王文", "钱委员"]);
    api.ok(
        "office",
        &id,
        "convene_meeting",
        json!({ "meeting_type": "executive", "date": api.today(), "members": members }),
    )
    .await;
    let say = |stance: &str, words: &str| json!({ "member": "郑副市长", "stance": stance, "words": words });
    api.ok("member", &id, "record_stance", say("oppose", "建议暂缓。")).await;
    api.ok("member", &id, "record_stance", say("support", "修改后同意。")).await;
    api.ok("office", &id, "record_stance", json!({ "member": "王文", "stance": "reserve", "words": "保留意见。" }))
        .await;

    let member = Browser::new(&api);
    member.sign_in("member").await;
    let decision = member.get(&format!("/decisions/{id}")).await;
    assert!(decision.body.contains(&format!("/decisions/{id}/meeting")), "linked from the decision page");
    let page = member.get(&format!("/decisions/{id}/meeting")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    assert!(body.contains("<del>") && body.contains("建议暂缓。"), "the earlier stance kept, struck through: {body}");
    assert!(body.contains("已被后来的意见取代") && body.contains("修改后同意。"), "{body}");
    assert!(body.contains("赞成1人，反对0人，保留1人（计入2人）"), "the engine's count: {body}");
    assert!(body.contains("本人记录") && body.contains("由办公厅记录"), "who recorded each: {body}");
    assert!(body.contains("会议进行中"), "{body}");
    assert!(
        body.contains("/acts/record_stance") && !body.contains("/acts/decide"),
        "only the member's own acts: {body}"
    );

    // Another unit's drafter does not read the meeting.
    let other = Browser::new(&api);
    other.sign_in("other-drafter").await;
    let theirs = other.get(&format!("/decisions/{id}/meeting")).await;
    assert_ne!(theirs.status, StatusCode::OK);
    assert!(!theirs.body.contains("建议暂缓。"), "{}", theirs.body);
}
