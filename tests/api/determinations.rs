//! What an applicability determination may not waive, over HTTP (issue 12, items 1–4): public participation
//! is passed over only for a non-disclosable matter (Art. 14(1)); "done elsewhere" is the risk assessment's
//! alone (Art. 22(2)); a begun stage is never declared not applicable; a flagged matter keeps its
//! participation (PP-3); a determination changes only by a revision that keeps the old one in view.

use chrono::Duration;
use serde_json::{json, Value};

use super::{api, Api};

fn waive(stage: &str, outcome: &str) -> Value {
    json!({ "stage": stage, "outcome": outcome, "reason": "经研判不适用", "reference": "示规〔2026〕3号" })
}

async fn facts(a: &Api, id: &str) -> Value {
    a.get(&format!("/api/v1/decisions/{id}"), Some("oversight")).await.body["facts"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pp1_public_participation_is_never_determined_away() {
    let a = api().await;
    let id = a.at_stage("示范市停车收费调整方案", "public_participation").await;
    let mandatory = (422, "art14_participation_mandatory", "Art. 14(1)");
    a.refused("drafter", &id, "determine_applicability", waive("public_participation", "not_applicable"), mandatory)
        .await;
    a.refused("drafter", &id, "determine_applicability", waive("public_participation", "already_done"), mandatory)
        .await;
    let skip = a.refused("drafter", &id, "skip_public_participation", json!({}), mandatory).await;
    assert!(skip.body["message_zh"].as_str().unwrap_or("").contains("依法不予公开"), "{}", skip.body);
    assert!(facts(&a, &id).await["applicability"].get("public_participation").is_none());
    // A published consultation ends only by closing it, and stays on record with how it ended.
    let notice = json!({ "channels": ["website"], "submission_methods": ["电子邮件"], "start": a.today(), "days": 30 });
    a.ok("drafter", &id, "publish_comment_notice", notice).await;
    a.refused("drafter", &id, "skip_public_participation", json!({}), (422, "art15_notice_published", "Art. 15")).await;
    a.wait_days(31);
    a.ok("drafter", &id, "record_public_adoption_summary", json!({ "text": "未收到意见。" })).await;
    assert_eq!(a.ok("drafter", &id, "close_participation", json!({})).await.body["stage"], "hearing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ra2_already_done_is_lawful_only_for_the_risk_assessment() {
    let a = api().await;
    let id = a.at_stage("示范市垃圾分类实施方案", "cost_benefit").await;
    let only_risk = (422, "art22_already_done_only_risk", "Art. 22(2)");
    for stage in ["cost_benefit", "hearing", "expert_consultation"] {
        a.refused("drafter", &id, "determine_applicability", waive(stage, "already_done"), only_risk).await;
    }
    a.ok("drafter", &id, "determine_applicability", waive("risk_assessment", "already_done")).await;
    let risk = &facts(&a, &id).await["applicability"]["risk_assessment"];
    assert_eq!((risk["outcome"].as_str(), risk["reference"].as_str()), (Some("already_done"), Some("示规〔2026〕3号")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_begun_hearing_cannot_be_declared_not_applicable_and_a_revision_keeps_the_old_determination() {
    let a = api().await;
    let id = a.at_stage("示范市水价调整方案", "hearing").await;
    let date = a.today() + Duration::days(20);
    a.ok("drafter", &id, "publish_hearing_notice", json!({ "date": date, "place": "市民中心", "sides": ["居民"] }))
        .await;
    let begun = (422, "art16_hearing_begun", "Art. 16(2)");
    let r = a.refused("drafter", &id, "determine_applicability", waive("hearing", "not_applicable"), begun).await;
    assert!(r.body["detail"].as_str().unwrap_or("").contains("hearing notice was published"), "{}", r.body);

    // Recorded once; changed only by a revision, which keeps the earlier determination visible.
    let other = a.at_stage("示范市燃气价格调整方案", "cost_benefit").await;
    a.ok("drafter", &other, "determine_applicability", waive("hearing", "not_applicable")).await;
    let again = (422, "determination_already_recorded", "Art. 33");
    a.refused("drafter", &other, "determine_applicability", waive("hearing", "applicable"), again).await;
    let revision = json!({ "stage": "hearing", "outcome": "applicable", "reason": "分歧较大，举行听证",
        "revision_reason": "居民反映强烈" });
    a.ok("drafter", &other, "revise_applicability", revision).await;
    let f = facts(&a, &other).await;
    assert_eq!(f["applicability"]["hearing"]["outcome"], "applicable");
    let old = &f["superseded_determinations"][0];
    assert_eq!(
        (old["stage"].as_str(), old["determination"]["outcome"].as_str()),
        (Some("hearing"), Some("not_applicable"))
    );
    assert_eq!(old["why"], "居民反映强烈");
    let record = a.get(&format!("/api/v1/decisions/{other}/record"), Some("oversight")).await;
    let acts: Vec<&str> = record.body.as_array().into_iter().flatten().filter_map(|r| r["act"].as_str()).collect();
    assert!(acts.contains(&"determine_applicability") && acts.contains(&"revise_applicability"), "{acts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pp3_a_flagged_matter_keeps_its_participation() {
    let a = api().await;
    let id = a.drafting("示范市残疾人就业补贴办法").await;
    let ground = json!({ "legal_ground": "personal_privacy", "legal_basis": "《政府信息公开条例》第十五条" });
    a.ok("office", &id, "declare_non_disclosable", ground).await;
    a.ok("drafter", &id, "set_flags", json!({ "specific_group_interest": true })).await;
    a.ok("drafter", &id, "finish_drafting", json!({})).await;
    a.pass_over(&id, "cost_benefit", "skip_cost_benefit").await;
    let flagged = (422, "art14_flagged_participation", "Art. 14(1), 14(3)");
    let r = a.refused("drafter", &id, "skip_public_participation", json!({}), flagged).await;
    assert!(r.body["detail"].as_str().unwrap_or("").contains("specific_group_interest"), "{}", r.body);
    // The lawful path: the people's organisations are consulted and the stage closes.
    let symposium = json!({ "method": "symposium", "participant_types": ["人民团体"], "summary": "与残联座谈" });
    a.ok("drafter", &id, "record_activity", symposium).await;
    assert_eq!(a.ok("drafter", &id, "close_participation", json!({})).await.body["stage"], "hearing");
}
