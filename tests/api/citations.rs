//! Citations over HTTP (issue 12, item 14): each refusal cites the article it enforces, and a rule from
//! another source (a profile, the Fair Competition Review Regulation) says so instead of borrowing an article
//! of the Decree.

use serde_json::{json, Value};

use super::{api, Api};

/// The article of the act `name` of the national procedure, as `GET /api/v1/workflows` serves it.
fn act_article<'a>(workflows: &'a Value, name: &str) -> &'a str {
    let national = workflows.as_array().into_iter().flatten().find(|w| w["key"] == "national").expect("national");
    let act = national["acts"].as_array().into_iter().flatten().find(|a| a["name"] == name).expect("act");
    act["article"].as_str().unwrap_or("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acts_and_refusals_cite_their_own_articles() {
    let a = api().await;
    let workflows = a.get("/api/v1/workflows", Some("office")).await.body;
    assert_eq!(act_article(&workflows, "end_execution"), "Art. 37");
    assert!(act_article(&workflows, "file_execution_report").starts_with("Art. 34"));
    let flags = act_article(&workflows, "set_flags");
    for cite in [
        "Art. 19(1) technical",
        "Art. 32 high_public_concern",
        "Art. 29(1) affects_market_entities",
        "Art. 14(3) specific_group_interest",
        "Art. 8 npc_report_required",
    ] {
        assert!(flags.contains(cite), "{flags}");
    }
    // An unknown act has no article, and cites none (not Art. 6).
    let id = a.drafting("示范市公共自行车管理办法").await;
    let unknown = a.act("office", &id, "teleport", json!({})).await;
    unknown.expect(422, "unknown_act");
    assert_eq!(unknown.body["article"], "", "{}", unknown.body);
    // A profile's rule says it is one.
    let province = a.open_in("example-province", "某省级事项").await;
    let start = json!({ "category": 1, "undertaking_units": ["示范市生态环境局"] });
    let r = a.act("office", &province, "start_decision", start).await;
    r.expect(422, "catalogue_item_required");
    assert!(r.body["article"].as_str().unwrap_or("").starts_with("profile rule"), "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_negative_fair_competition_review_blocks_issuance_not_the_discussion() {
    let a = api().await;
    let id = a.drafting("示范市出租汽车经营权管理办法").await;
    a.ok("drafter", &id, "set_flags", json!({ "affects_market_entities": true })).await;
    a.ok("drafter", &id, "finish_drafting", json!({})).await;
    for (stage, skip) in juece_tests::steps::CONDITIONAL {
        a.pass_over(&id, stage, skip).await;
    }
    a.submit_for_review(&id).await;
    a.review(&id, Api::opinion("lawful")).await;
    a.ok("drafter", &id, "close_legality_review", json!({})).await;
    let missing = a.act("drafter", &id, "submit_package", json!({})).await;
    missing.expect(422, "art29_1_fair_competition");
    assert_eq!(missing.body["article"], "Art. 29(1)");
    let negative = json!({ "initial_review": "起草单位初审", "regulator_conclusion": "限定经营者数量，违反审查标准", "passed": false });
    a.ok("drafter", &id, "record_fair_competition", negative).await;
    // Art. 29(1) wants the review in the package; a negative one does not bar the discussion.
    assert_eq!(a.ok("drafter", &id, "submit_package", json!({})).await.body["stage"], "collective_discussion");
    let meeting = json!({ "meeting_type": "executive", "date": a.today(), "members": ["钱副市长"] });
    a.ok("office", &id, "convene_meeting", meeting).await;
    a.ok("office", &id, "record_stance", json!({ "member": "钱副市长", "stance": "support", "words": "同意。" })).await;
    a.ok("chief", &id, "record_chief_opinion", json!({ "decision": "adopt", "words": "同意通过。" })).await;
    a.ok("chief", &id, "decide", json!({})).await;
    a.ok("office", &id, "close_meeting", json!({})).await;
    a.ok("office", &id, "designate_executing_unit", json!({ "unit": "示范市生态环境局" })).await;
    a.ok("office", &id, "report_to_party", json!({ "reference_no": "示政请〔2026〕11号" })).await;
    a.ok("office", &id, "record_party_response", json!({ "response": "同意。" })).await;
    // The Fair Competition Review Regulation bars its issuance, and the refusal says whose rule it is.
    let publish = json!({ "channels": ["gazette", "website"] });
    let r = a
        .refused(
            "office",
            &id,
            "publish_decision",
            publish,
            (422, "fcr_negative_blocks_issuance", "公平竞争审查条例 (S3), not Decree 713"),
        )
        .await;
    assert!(r.body["message_zh"].as_str().unwrap_or("").contains("不得出台"), "{}", r.body);
}
