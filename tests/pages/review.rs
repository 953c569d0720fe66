//! The legality reviewer's queue: every submitted draft the reviewer may read,
//! the one still waiting first, with whether its materials were received and
//! its due date; the nav shows it only to reviewers.

use juece_tests::http::api;
use reqwest::StatusCode;

use super::Browser;

#[tokio::test]
async fn the_reviewer_sees_waiting_submissions_first_with_their_due_dates() {
    let api = api().await;
    api.reviewed("示范市扬尘污染防治办法", "lawful").await;
    let waiting = api.at_stage("示范市餐饮油烟管理规定", "legality_review").await;
    api.submit_for_review(&waiting).await;
    api.at_stage("示范市噪声污染防治办法", "legality_review").await;

    let b = Browser::new(&api);
    b.sign_in("reviewer").await;
    let home = b.get("/").await;
    assert!(home.body.contains("href=\"/review\""), "the reviewer's navigation: {}", home.body);
    let queue = b.get("/review").await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    let body = &queue.body;
    let (w, d) = (body.find("示范市餐饮油烟管理规定"), body.find("示范市扬尘污染防治办法"));
    assert!(w.is_some() && d.is_some() && w < d, "the waiting submission first: {body}");
    assert!(body.contains("待审查") && body.contains("已出具审查意见") && body.contains("合法"), "{body}");
    assert!(!body.contains("示范市噪声污染防治办法"), "a draft never submitted is not the reviewer's: {body}");

    let drafter = Browser::new(&api);
    drafter.sign_in("drafter").await;
    let home = drafter.get("/").await;
    assert!(!home.body.contains("href=\"/review\""), "not in a drafter's navigation");
}
