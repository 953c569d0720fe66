//! Acceptance scenarios A16–A19 (regulation.md §4) through HTTP: the
//! legality review and the Art. 29 package.

use juece_engine::calendar::period::add_working_days;
use juece_tests::steps::reason_codes;
use serde_json::json;

use super::{api, Api};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a16_a_consultation_comment_is_not_a_legality_review() {
    let a = api().await;
    // The justice bureau commented in the inter-departmental consultation while drafting.
    let id = a.at_stage("城市道路占用挖掘管理办法", "legality_review").await;
    let d = a.get(&format!("/api/v1/decisions/{id}"), Some("office")).await;
    assert_eq!(d.body["facts"]["consultations"][0]["unit"], "示范市司法局");
    let no_review = (422, "art25_no_legality_review", "Art. 25(2)");
    a.refused("drafter", &id, "close_legality_review", json!({}), no_review).await;
    a.submit_for_review(&id).await;
    a.review(&id, Api::opinion("lawful")).await;
    a.ok("drafter", &id, "close_legality_review", json!({})).await;
    assert_eq!(a.ok("drafter", &id, "submit_package", json!({})).await.body["stage"], "collective_discussion");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a17_an_unlawful_opinion_blocks_the_package_until_a_new_review_of_the_revision() {
    let a = api().await;
    let id = a.reviewed("住宅专项维修资金管理办法", "unlawful").await;
    a.refused("drafter", &id, "submit_package", json!({}), (422, "art25_unlawful", "Art. 25(2)")).await;
    // The drafter revises; the old opinion still binds nothing to the new text.
    let revision = json!({ "text": "第一条（修订）", "explanation": "删除超越法定权限的条款。", "legal_basis": ["《物业管理条例》"] });
    a.ok("drafter", &id, "record_draft", revision).await;
    let got = a.refused("drafter", &id, "submit_package", json!({}), (422, "art25_unlawful", "Art. 25(2)")).await;
    assert!(reason_codes(&got).contains(&"art25_opinion_stale".to_string()), "{}", got.body);
    // The new review has its own 7-working-day floor.
    let received = a.today();
    let short = add_working_days(&a.app.state.engine.calendar(), received, 6).last_day;
    let hurried = json!({ "legal_basis": ["《物业管理条例》"], "procedure_explanation": "已履行法定程序。",
        "received_complete_on": received, "requested_due": short });
    a.refused("drafter", &id, "submit_for_legality_review", hurried, (422, "art26_min_7_working_days", "Art. 26(2)"))
        .await;
    a.submit_for_review(&id).await;
    a.review(&id, Api::opinion("lawful")).await;
    assert_eq!(a.ok("drafter", &id, "submit_package", json!({})).await.body["stage"], "collective_discussion");
}

/// The text of one memo the `reader` may read.
async fn memo_text(a: &Api, id: &str, memo: &str, reader: &str) -> String {
    let list = a.get(&format!("/api/v1/decisions/{id}/memos"), Some(reader)).await;
    let m = list
        .body
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["memo"] == memo && m["lang"] == "zh" && m["format"] == "md");
    let m = m.cloned().unwrap_or_else(|| panic!("no {memo} memo for {reader}: {}", list.body));
    let path = format!("/api/v1/decisions/{id}/memos/{}/{memo}.zh.md", m["seq"]);
    a.get(&path, Some(reader)).await.body.as_str().expect("text").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a18_an_exploratory_reform_carries_its_legal_risk_statement_to_the_meeting() {
    let a = api().await;
    let id = a.at_stage("数据要素市场化配置改革试点方案", "legality_review").await;
    a.submit_for_review(&id).await;
    let mut opinion = Api::opinion("exploratory_with_legal_risk");
    a.ok("adviser", &id, "record_lawyer_opinion", json!({ "capacity": "公职律师", "opinion": "存在一定法律风险。" }))
        .await;
    let no_statement = (422, "art25_exploratory_statement", "Art. 25(2)");
    a.refused("reviewer", &id, "issue_legality_opinion", opinion.clone(), no_statement).await;
    const STATEMENT: &str = "试点突破现行规章第十二条，存在被撤销的风险";
    opinion["legal_risk_statement"] = json!(STATEMENT);
    a.ok("reviewer", &id, "issue_legality_opinion", opinion).await;
    a.ok("drafter", &id, "close_legality_review", json!({})).await;
    a.ok("drafter", &id, "submit_package", json!({})).await;
    let members = json!([{ "name": "郑副市长", "user": "member" }, "张市长"]);
    a.ok(
        "office",
        &id,
        "convene_meeting",
        json!({ "meeting_type": "executive", "date": a.today(), "members": members }),
    )
    .await;
    // The member's materials carry the statement.
    assert!(memo_text(&a, &id, "package", "member").await.contains(STATEMENT), "the package shows the statement");
    a.ok("member", &id, "record_stance", json!({ "member": "郑副市长", "stance": "support", "words": "同意试点。" }))
        .await;
    a.ok("chief", &id, "record_chief_opinion", json!({ "decision": "adopt", "words": "同意，注意防控风险。" })).await;
    a.ok("office", &id, "close_meeting", json!({})).await;
    assert!(memo_text(&a, &id, "minutes", "member").await.contains(STATEMENT), "the minutes reference the statement");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a19_an_incomplete_package_names_every_missing_item() {
    let a = api().await;
    let id = a.drafting("农贸市场布局调整方案").await;
    a.ok("drafter", &id, "set_flags", json!({ "affects_market_entities": true })).await;
    a.ok("drafter", &id, "finish_drafting", json!({})).await;
    a.pass_over(&id, "cost_benefit", "skip_cost_benefit").await;
    // Public participation applies: a notice runs its 30 days; no adoption summary is written.
    let notice = json!({ "channels": ["website"], "submission_methods": ["电子邮件"], "start": a.today(), "days": 30 });
    a.ok("drafter", &id, "publish_comment_notice", notice).await;
    a.wait_days(31);
    a.ok("drafter", &id, "close_participation", json!({})).await;
    a.pass_over(&id, "hearing", "skip_hearing").await;
    a.pass_over(&id, "expert_consultation", "skip_expert_consultation").await;
    // Risk assessment applies: the report cannot be left out of the package, because the stage
    // is not left without it (nor passed over without a determination).
    let no_report = (422, "art22_risk_report_missing", "Art. 22");
    a.refused("drafter", &id, "close_risk_assessment", json!({}), no_report).await;
    let undetermined = (422, "applicability_not_determined", "Art. 22");
    a.refused("drafter", &id, "skip_risk_assessment", json!({}), undetermined).await;
    let report = json!({ "assessor": "示范市社会稳定风险评估中心", "methods": ["走访"], "departments_consulted": ["公安局"],
        "risk_points": ["商户搬迁"], "measures": ["过渡安置"], "contingency_plan": "设立协调专班", "level": "low" });
    a.ok("drafter", &id, "submit_risk_report", report).await;
    a.ok("office", &id, "judge_controllability", json!({ "controllable": true })).await;
    a.ok("drafter", &id, "close_risk_assessment", json!({})).await;
    a.submit_for_review(&id).await;
    a.review(&id, Api::opinion("lawful")).await;
    a.ok("drafter", &id, "close_legality_review", json!({})).await;
    // The package lacks the public-opinion adoption summary and the fair-competition review: both named.
    let got =
        a.refused("drafter", &id, "submit_package", json!({}), (422, "art29_1_fair_competition", "Art. 29(1)")).await;
    assert_eq!(reason_codes(&got), ["art29_1_fair_competition", "art29_2_public_opinion_adoption"], "{}", got.body);
    assert_eq!(got.body["reasons"][1]["article"], "Art. 29(2)");
    a.ok("drafter", &id, "record_public_adoption_summary", json!({ "text": "共收到意见0条。" })).await;
    let review =
        json!({ "initial_review": "起草单位初审", "regulator_conclusion": "符合公平竞争审查标准", "passed": true });
    a.ok("drafter", &id, "record_fair_competition", review).await;
    assert_eq!(a.ok("drafter", &id, "submit_package", json!({})).await.body["stage"], "collective_discussion");
}
