//! AD-1 and PE-4: an Art. 37 adjustment is a child decision written in one
//! transaction with its parent's link — a refused link leaves no child —
//! and a post-evaluation recommending `adjust` or `stop` opens one that
//! records the report it came from; `keep` cannot.

use chrono::{DateTime, TimeZone, Utc};
use juece_engine::act::Act;
use juece_engine::actor::Role;
use juece_engine::audit::sha256_hex;
use juece_engine::orchestrator::ActRequest;
use juece_engine::orchestrator::{verify_store, AdjustmentRequest, Engine};
use juece_engine::Error;
use juece_tests::databases::databases;
use juece_tests::{drive_to_execution, engine, refusal_code};
use serde_json::json;

use super::pool::who;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
}

fn proposal() -> Act {
    Act::new(
        "submit_proposal",
        json!({ "title": "关于调整实施办法的决策", "organ": "某市人民政府", "proposer_type": "leader", "proposer": "市长", "summary": "s" }),
    )
}

/// Evaluate the parent and report `recommendation`, then hand back to execution.
async fn evaluate(e: &Engine, recommendation: &str) {
    let office = who("office", "办公厅", Role::GeneralOffice);
    let start = json!({ "trigger": "实施后客观情况发生重大变化", "evaluator": "某市发展研究中心" });
    e.apply(ActRequest::new("parent", &Act::new("start_post_evaluation", start), &office, now())).await.unwrap();
    let report = json!({
        "report": format!("评估结论：{recommendation}"), "recommendation": recommendation,
        "public_opinion_collection": "问卷", "participants": ["人大代表"],
    });
    e.apply(ActRequest::new("parent", &Act::new("submit_post_evaluation_report", report), &office, now()))
        .await
        .unwrap();
    e.apply(ActRequest::new("parent", &Act::new("finish_post_evaluation", json!({})), &office, now())).await.unwrap();
}

async fn open(e: &Engine, child: &str, from_evaluation: bool) -> Result<(), Error> {
    let office = who("office", "办公厅", Role::GeneralOffice);
    let first = proposal();
    let request =
        AdjustmentRequest { child_id: child, reason: "后评估建议调整", first_act: &first, from_evaluation };
    e.open_adjustment("parent", request, &office, now(), None).await.map(|_| ())
}

#[tokio::test]
async fn ad1_parent_link_and_child_are_written_together_and_a_refused_link_leaves_no_child() {
    for db in databases().await {
        let e = engine(&db.url).await;
        drive_to_execution(&e, "parent", now()).await;
        let parent_version = e.load("parent").await.unwrap().version;
        // The parent refuses (no evaluation to adjust on): no child, no link.
        assert_eq!(refusal_code(open(&e, "child-x", true).await), "art36_evaluation_report_missing", "{}", db.kind);
        assert!(matches!(e.load("child-x").await, Err(Error::NotFound(_))), "{}: no child", db.kind);
        assert_eq!(e.load("parent").await.unwrap().version, parent_version);
        // The child refuses (its first act is malformed): no link on the parent either.
        let office = who("office", "办公厅", Role::GeneralOffice);
        let bad = Act::new("submit_proposal", json!({ "title": "x" }));
        let request = AdjustmentRequest { child_id: "child-y", reason: "r", first_act: &bad, from_evaluation: false };
        let refused = e.open_adjustment("parent", request, &office, now(), None).await.map(|_| ());
        assert_eq!(refusal_code(refused), "invalid_payload");
        assert!(e.load("child-y").await.is_err());
        assert_eq!(e.load("parent").await.unwrap().version, parent_version, "{}: no dangling link", db.kind);

        open(&e, "child", false).await.unwrap();
        let (parent, child) = (e.load("parent").await.unwrap(), e.load("child").await.unwrap());
        assert_eq!(parent.facts.adjustments[0].child_id, "child");
        assert_eq!(child.parent.as_deref(), Some("parent"));
        let origin = child.facts.origin.as_ref().expect("the child records its origin");
        assert_eq!((origin.parent.as_str(), origin.reason.as_str()), ("parent", "后评估建议调整"));
        assert!(origin.evaluation.is_none());
        let acts: Vec<String> = e.store().audit_records("child").await.unwrap().into_iter().map(|r| r.act).collect();
        assert_eq!(acts, ["submit_proposal", "record_origin"], "{}", db.kind);
        assert!(verify_store(e.store().as_ref()).await.unwrap().breaks.is_empty(), "{}", db.kind);
        db.finish().await;
    }
}

#[tokio::test]
async fn pe4_an_evaluation_recommending_adjust_opens_a_linked_adjustment_and_keep_cannot() {
    for db in databases().await {
        let e = engine(&db.url).await;
        drive_to_execution(&e, "parent", now()).await;
        evaluate(&e, "keep").await;
        let version = e.load("parent").await.unwrap().version;
        assert_eq!(refusal_code(open(&e, "child-keep", true).await), "art36_recommendation_keep", "{}", db.kind);
        assert!(e.load("child-keep").await.is_err(), "{}: no child", db.kind);
        assert_eq!(e.load("parent").await.unwrap().version, version);

        evaluate(&e, "adjust").await;
        open(&e, "child", true).await.unwrap();
        let parent = e.load("parent").await.unwrap();
        let link = parent.facts.adjustments[0].evaluation.clone().expect("the parent's record shows the report");
        assert_eq!(link.recommendation, "adjust");
        assert_eq!(link.evaluator, "某市发展研究中心");
        assert_eq!(link.report_sha256, sha256_hex("评估结论：adjust".as_bytes()));
        assert!(link.reported_at.is_some());
        let child = e.load("child").await.unwrap();
        let origin = child.facts.origin.expect("origin");
        assert_eq!(origin.evaluation, Some(link), "{}: the child records the same report", db.kind);
        db.finish().await;
    }
}

/// An opinion on the parent (a published decision takes the public's feedback, Art. 35) that commits while the
/// adjustment waits to commit makes the parent's update conflict; the parent is read again and the adjustment
/// opened on it, not turned away.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_adjustment_waiting_on_an_opinion_on_its_parent_is_opened_on_the_parent_read_again() {
    for db in databases().await {
        let e = engine(&db.url).await;
        drive_to_execution(&e, "parent", now()).await;
        let before = e.store().load("parent").await.unwrap().expect("the parent");
        let held = juece_tests::held::Held::take(&db.url, "parent", &[]).await;
        let office = who("office", "办公厅", Role::GeneralOffice);
        let first = proposal();
        let request =
            AdjustmentRequest { child_id: "child", reason: "情况变化", first_act: &first, from_evaluation: false };
        let (opened, ()) =
            tokio::join!(e.open_adjustment("parent", request, &office, now(), None), held.commit_once_waited_on());
        let (parent, child) = opened.unwrap_or_else(|err| panic!("{}: read again, not turned away: {err}", db.kind));
        assert_eq!(parent.decision.version, before.decision.version + 1, "{}", db.kind);
        assert_eq!(child.decision.parent.as_deref(), Some("parent"), "{}", db.kind);
        let after = e.store().load("parent").await.unwrap().expect("the parent");
        assert_eq!((after.opinions, after.decision.facts.adjustments.len()), (Some(1), 1), "{}", db.kind);
        assert!(verify_store(e.store().as_ref()).await.unwrap().breaks.is_empty(), "{}", db.kind);
        db.finish().await;
    }
}
