//! Dates the caller must not control, over HTTP (issue 12, items 8 and 10): a comment period never starts
//! before its notice went out, a shorter one needs the general office's prior approval, and a hearing is never
//! recorded as held before its announced day.

use chrono::Duration;
use juece_engine::calendar::cst;
use serde_json::json;

use super::{api, Api};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art15_a_backdated_or_unapproved_short_comment_period_is_refused() {
    let a = api().await;
    let id = a.at_stage("示范市户外广告设置规划", "public_participation").await;
    let notice = |start: chrono::NaiveDate, days: u32| {
        json!({ "channels": ["website"], "submission_methods": ["电子邮件"], "start": start, "days": days,
            "shortening_reason": "汛期临近，情况紧急" })
    };
    let backdated = a
        .refused(
            "drafter",
            &id,
            "publish_comment_notice",
            notice(a.today() - Duration::days(3), 30),
            (422, "art15_start_backdated", "Art. 15"),
        )
        .await;
    let today = (cst::day_zh(a.today()), cst::day_en(a.today()));
    let detail = backdated.body["detail"].as_str().unwrap_or("");
    assert!(detail.contains(&today.0) && detail.contains(&today.1), "{}", backdated.body);
    let article = "Art. 15; general-office approval of a soft floor (regulation.md §6), an engine rule";
    a.refused(
        "drafter",
        &id,
        "publish_comment_notice",
        notice(a.today(), 20),
        (422, "art15_shortening_not_approved", article),
    )
    .await;
    a.act("drafter", &id, "approve_comment_shortening", json!({ "days": 20, "reason": "情况紧急" }))
        .await
        .expect(403, "role_not_permitted");
    a.ok("office", &id, "approve_comment_shortening", json!({ "days": 20, "reason": "汛期临近，情况紧急" })).await;
    a.ok("drafter", &id, "publish_comment_notice", notice(a.today(), 20)).await;
    let d = a.get(&format!("/api/v1/decisions/{id}"), Some("oversight")).await;
    let approval = &d.body["facts"]["shortening_approvals"][0];
    assert_eq!((approval["days"].as_u64(), approval["notice"].as_u64()), (Some(20), Some(1)), "{approval}");
    assert!(approval["by"].as_str().unwrap_or("").contains("王文"), "{approval}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art17_a_hearing_is_recorded_only_from_its_announced_day() {
    let a = api().await;
    let id = a.at_stage("示范市公交线网优化方案", "hearing").await;
    let date = a.today() + Duration::days(15);
    // Everyone who registers attends: no selection, so no selection method is needed (Art. 16(3) "需要遴选的").
    let notice = json!({ "date": date, "place": "市民中心", "sides": ["乘客"], "participants_selected": false });
    a.ok("drafter", &id, "publish_hearing_notice", notice).await;
    let p = json!({ "name": "乘客代表甲", "side": "乘客", "materials_delivered_on": a.today() });
    a.ok("drafter", &id, "add_hearing_participant", p).await;
    a.ok("drafter", &id, "publish_hearing_participant_list", json!({})).await;
    let late = json!({ "name": "乘客代表乙", "side": "乘客", "materials_delivered_on": a.today() });
    let closed = (422, "art16_list_already_published", "Art. 16(3)");
    a.refused("drafter", &id, "add_hearing_participant", late, closed).await;
    let segments = json!({ "presentation": "承办单位说明线网调整依据", "statements": "乘客代表发言、质询" });
    let early = (422, "art17_hearing_not_yet_held", "Art. 17");
    let r = a.refused("drafter", &id, "record_hearing_segments", segments.clone(), early).await;
    let detail = r.body["detail"].as_str().unwrap_or("");
    assert!(detail.contains(&cst::day_zh(date)) && detail.contains(&cst::day_en(date)), "{}", r.body);
    a.refused("drafter", &id, "confirm_hearing_record", json!({ "participant": "乘客代表甲", "signed": true }), early)
        .await;
    a.wait_days(15);
    a.ok("drafter", &id, "record_hearing_segments", segments).await;
    a.ok("drafter", &id, "confirm_hearing_record", json!({ "participant": "乘客代表甲", "signed": true })).await;
    assert_eq!(a.ok("drafter", &id, "close_hearing", json!({})).await.body["stage"], "expert_consultation");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art26_the_review_counts_from_the_reviewers_receipt_and_a_shorter_one_needs_its_acknowledgement() {
    let a = api().await;
    let id = a.at_stage("示范市防汛应急排涝设施改造方案", "legality_review").await;
    // Declared received ten days ago, due in three: the server's day counts, so the floor is not met.
    let backdated = json!({ "legal_basis": ["《中华人民共和国防洪法》"], "procedure_explanation": "已履行法定程序。",
        "received_complete_on": a.today() - Duration::days(10), "requested_due": a.today() + Duration::days(3) });
    a.refused("drafter", &id, "submit_for_legality_review", backdated, (422, "art26_min_7_working_days", "Art. 26(2)"))
        .await;
    let urgent = json!({ "legal_basis": ["《中华人民共和国防洪法》"], "procedure_explanation": "已履行法定程序。",
        "received_complete_on": a.today(), "requested_due": a.today() + Duration::days(3), "urgency_reason": "汛期临近，情况紧急" });
    a.ok("drafter", &id, "submit_for_legality_review", urgent).await;
    a.ok("adviser", &id, "record_lawyer_opinion", json!({ "capacity": "公职律师", "opinion": "未发现违法情形。" }))
        .await;
    let unacknowledged = (
        422,
        "art26_urgency_not_acknowledged",
        "Art. 26(2); reviewer acknowledgement of a soft floor (regulation.md §6), an engine rule",
    );
    a.refused("reviewer", &id, "issue_legality_opinion", Api::opinion("lawful"), unacknowledged).await;
    a.wait_days(1);
    let from_receipt = (422, "art26_review_time_from_receipt", "Art. 26(2)");
    a.refused("reviewer", &id, "record_review_receipt", json!({}), from_receipt).await;
    a.act("drafter", &id, "record_review_receipt", json!({ "acknowledge_urgency": true }))
        .await
        .expect(403, "role_not_permitted");
    a.ok("reviewer", &id, "record_review_receipt", json!({ "acknowledge_urgency": true })).await;
    a.ok("reviewer", &id, "issue_legality_opinion", Api::opinion("lawful")).await;
    let sub =
        &a.get(&format!("/api/v1/decisions/{id}"), Some("oversight")).await.body["facts"]["legality_submissions"][0];
    assert_eq!(sub["receipt_recorded_on"], json!(a.today()), "{sub}");
    assert!(sub["urgency_acknowledged_by"].as_str().unwrap_or("").contains("吴审"), "{sub}");
    // The annual report counts the shortened review, with its reason and who acknowledged it.
    let year = a.today().format("%Y").to_string();
    let organ = a.get(&format!("/api/v1/decisions/{id}"), Some("oversight")).await.body["facts"]["organ"].clone();
    let path = format!("/api/v1/reports/annual?organ={}&year={year}", organ.as_str().unwrap_or(""));
    let report = a.get(&path, Some("oversight")).await.body;
    let line = &report["shortened_reviews"][0];
    assert_eq!(line["reason"], "汛期临近，情况紧急", "{report}");
    assert!(line["acknowledged_by"].as_str().unwrap_or("").contains("吴审"), "{line}");
}
