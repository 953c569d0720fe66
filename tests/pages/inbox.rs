//! Notifications on the home page: unread ones marked, marked read by the
//! reader with a form (CSRF-checked), a mark only for the reader's own inbox.

use std::sync::Arc;

use juece_engine::scheduler::{ManualClock, Scheduler};
use juece_tests::http::api;
use reqwest::StatusCode;
use serde_json::json;

use super::Browser;

#[tokio::test]
async fn a_notification_is_marked_read_from_the_home_page_by_its_reader_only() {
    let api = api().await;
    let id = api.at_stage("示范市河长制实施办法", "public_participation").await;
    let notice =
        json!({ "channels": ["website"], "submission_methods": ["电子邮件"], "start": api.today(), "days": 30 });
    api.ok("drafter", &id, "publish_comment_notice", notice).await;
    api.wait_days(33);
    let scheduler = Scheduler::new(api.app.state.engine.clone(), Arc::new(ManualClock::new(api.app.clock.now())));
    assert_eq!(scheduler.tick().await.expect("tick").len(), 1);

    let b = Browser::new(&api);
    b.sign_in("drafter").await;
    let home = b.get("/").await;
    assert!(home.body.contains("公开征求意见期限届满") && home.body.contains("未读"), "{}", home.body);
    let action = home
        .body
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.starts_with("/inbox/"))
        .unwrap_or_else(|| panic!("a mark-read form: {}", home.body))
        .to_string();
    // Another unit's drafter cannot mark it (not in their inbox), nor anyone without the token.
    let other = Browser::new(&api);
    other.sign_in("other-drafter").await;
    let theirs = other.post(&action, &[("_csrf", &other.get("/").await.csrf())]).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(b.post(&action, &[("_csrf", "forged")]).await.status, StatusCode::FORBIDDEN);
    let inbox = api.get("/api/v1/inbox", Some("drafter")).await;
    assert!(inbox.body.as_array().into_iter().flatten().all(|m| m["read_at"].is_null()), "{}", inbox.body);

    let marked = b.post(&action, &[("_csrf", &home.csrf())]).await;
    assert_eq!(marked.status, StatusCode::SEE_OTHER, "{}", marked.body);
    let after = b.follow(&marked).await;
    assert!(after.body.contains("公开征求意见期限届满"), "still listed: {}", after.body);
    assert!(!after.body.contains(&action), "no longer offered to mark: {}", after.body);
    let unread = |html: &str| html.matches("action=\"/inbox/").count();
    assert_eq!(unread(&after.body), unread(&home.body) - 1, "that one only");
}
