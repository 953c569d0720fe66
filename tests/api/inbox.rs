//! `GET /api/v1/inbox`: a person's notifications, only about decisions they may read.

use std::sync::Arc;

use juece_engine::scheduler::{ManualClock, Scheduler};
use reqwest::Method;
use serde_json::json;

use super::api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_holds_what_fell_due_for_my_role_on_decisions_i_may_read() {
    let a = api().await;
    let id = a.at_stage("收件箱测试", "public_participation").await;
    let notice = json!({ "channels": ["website"], "submission_methods": ["电子邮件"], "start": a.today(), "days": 30 });
    a.ok("drafter", &id, "publish_comment_notice", notice).await;
    let ended = |body: &serde_json::Value| {
        body.as_array()
            .into_iter()
            .flatten()
            .any(|m| m["subject"].as_str().unwrap_or("").contains("公开征求意见期限届满"))
    };
    let before = a.get("/api/v1/inbox", Some("drafter")).await;
    assert!(!ended(&before.body), "{}", before.body);
    a.wait_days(33);
    let scheduler = Scheduler::new(a.app.state.engine.clone(), Arc::new(ManualClock::new(a.app.clock.now())));
    assert_eq!(scheduler.tick().await.expect("tick").len(), 1);
    let mine = a.get("/api/v1/inbox", Some("drafter")).await;
    mine.expect(200, "");
    assert!(ended(&mine.body), "{}", mine.body);
    let items = mine.body.as_array().cloned().unwrap_or_default();
    assert!(items.iter().all(|m| m["decision_id"] == json!(id)), "{}", mine.body);
    // A drafter of another unit holds the same role but may not read the decision: nothing of it reaches them.
    let other = a.get("/api/v1/inbox", Some("other-drafter")).await;
    assert_eq!(other.body, json!([]), "{}", other.body);
    // The home page lists the notification too.
    let b = crate::pages::Browser::new(&a);
    b.sign_in("drafter").await;
    assert!(b.get("/").await.body.contains("公开征求意见期限届满"));
    assert_eq!(a.get("/api/v1/inbox", None).await.status.as_u16(), 401);

    // Marking read: the drafter's own mark, kept at its first time; no one else's inbox changes.
    let note = items.iter().find(|m| m["subject"].as_str().unwrap_or("").contains("公开征求意见期限届满"));
    let note_id = note.and_then(|m| m["id"].as_str()).expect("the notification's id").to_string();
    assert!(note.is_some_and(|m| m["read_at"].is_null()), "{}", mine.body);
    let read = format!("/api/v1/inbox/{note_id}/read");
    a.call(Method::POST, &read, Some("other-drafter"), None).await.expect(404, "not_found");
    a.call(Method::POST, "/api/v1/inbox/no-such-id/read", Some("drafter"), None).await.expect(404, "not_found");
    let marked = a.call(Method::POST, &read, Some("drafter"), None).await;
    marked.expect(200, "");
    let first = marked.body["read_at"].clone();
    assert_eq!((&marked.body["id"], first.is_string()), (&json!(note_id), true), "{}", marked.body);
    a.wait_days(1);
    let again = a.call(Method::POST, &read, Some("drafter"), None).await;
    assert_eq!(again.body["read_at"], first, "{}", again.body);
    let listed = a.get("/api/v1/inbox", Some("drafter")).await;
    let row = listed.body.as_array().into_iter().flatten().find(|m| m["id"] == json!(note_id)).cloned();
    assert_eq!(row.map(|m| m["read_at"].clone()), Some(first));
    a.call(Method::POST, &read, None, None).await.expect(401, "unauthenticated");
}
