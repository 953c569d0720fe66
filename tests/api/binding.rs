//! Binding and stopping over HTTP (issue items 11–13): risk work bound to
//! the draft it assessed and Art. 24 blocking the decision with its lawful
//! route; a decision in force changed or stopped only through procedure
//! (Art. 37), a decided adjustment superseding its parent on every read;
//! a post-evaluation finished only with its report.

use reqwest::Method;
use serde_json::json;

use super::{api, Api};

/// Risk assessed and judged controllable on the first draft, the legality review done: in submission.
async fn assessed_and_reviewed(a: &Api, title: &str) -> String {
    let id = a.at_stage(title, "risk_assessment").await;
    let report = json!({ "assessor": "示范市社会稳定风险评估中心", "methods": ["重点走访", "舆情跟踪"],
        "departments_consulted": ["示范市公安局"], "risk_points": ["周边居民集体反映"], "measures": ["分步实施"],
        "contingency_plan": "信访应急处置预案", "level": "medium" });
    a.ok("drafter", &id, "submit_risk_report", report).await;
    a.ok("office", &id, "judge_controllability", json!({ "controllable": true })).await;
    a.ok("drafter", &id, "close_risk_assessment", json!({})).await;
    a.submit_for_review(&id).await;
    a.review(&id, Api::opinion("lawful")).await;
    a.ok("drafter", &id, "close_legality_review", json!({})).await;
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ra7_risk_work_is_bound_to_the_draft_and_an_uncontrollable_risk_blocks_the_decision() {
    let a = api().await;
    let id = assessed_and_reviewed(&a, "示范市化工园区安全管理办法").await;
    let draft = json!({ "text": "第一条 为规范……（第二稿）", "explanation": "根据审查意见修改。", "legal_basis": ["《安全生产法》"] });
    a.ok("drafter", &id, "record_draft", draft).await;
    a.ok("reviewer", &id, "confirm_opinion_unaffected", json!({ "statement": "文字调整，不影响合法性。" })).await;
    let stale = (422, "art24_risk_work_stale", "Art. 24");
    let got = a.refused("drafter", &id, "submit_package", json!({}), stale).await;
    assert!(got.body["detail"].as_str().unwrap_or("").contains("risk report"), "{}", got.body);
    a.ok("drafter", &id, "confirm_risk_unaffected", json!({ "statement": "修改不涉及风险点和防范措施。" })).await;
    let got = a.refused("drafter", &id, "submit_package", json!({}), stale).await;
    assert!(got.body["detail"].as_str().unwrap_or("").contains("controllability judgement"), "{}", got.body);
    // The decision organ judges the new draft: uncontrollable. The package may go; the decision may not.
    a.ok("office", &id, "judge_controllability", json!({ "controllable": false })).await;
    a.ok("drafter", &id, "submit_package", json!({})).await;
    let members = json!([{ "name": "郑副市长", "user": "member" }]);
    a.ok(
        "office",
        &id,
        "convene_meeting",
        json!({ "meeting_type": "executive", "date": a.today(), "members": members }),
    )
    .await;
    a.ok("member", &id, "record_stance", json!({ "member": "郑副市长", "stance": "support", "words": "同意。" })).await;
    a.ok("chief", &id, "record_chief_opinion", json!({ "decision": "adopt", "words": "同意通过。" })).await;
    let got = a.refused("chief", &id, "decide", json!({}), (422, "art24_uncontrollable", "Art. 24")).await;
    let zh = got.body["message_zh"].as_str().unwrap_or("");
    assert!(zh.contains("调整决策草案") && zh.contains("重新判断风险可控"), "the lawful route: {}", got.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ad1_a_decision_in_force_changes_or_stops_only_through_procedure() {
    let a = api().await;
    let engine = &a.app.state.engine;
    juece_tests::drive_to_execution(engine, "parent", a.app.clock.now()).await;
    // The drafter of the parent's undertaking unit (the cast's drafter is of another unit).
    a.add_user("unit-drafter", "生态环境局", "drafter").await;
    let art37 = (422, "art37_no_change_without_procedure", "Art. 37");
    let edit = json!({ "text": "第一条 改为……", "explanation": "直接修改已公布文本。", "legal_basis": ["法"] });
    a.refused("unit-drafter", "parent", "record_draft", edit, art37).await;
    a.refused("office", "parent", "end_execution", json!({}), art37).await;
    // An adjustment opened is not yet decided: execution still cannot end.
    let open = json!({ "reason": "上位法修改", "act": { "name": "submit_proposal", "payload": {
        "title": "关于调整实施办法的决策", "organ": "示范市人民政府", "proposer_type": "leader", "proposer": "市长",
        "summary": "依上位法调整" } } });
    let opened = a.call(Method::POST, "/api/v1/decisions/parent/adjustments", Some("office"), Some(open)).await;
    opened.expect(201, "");
    let child = opened.body["decision_id"].as_str().expect("child").to_string();
    a.refused("office", "parent", "end_execution", json!({}), art37).await;
    // The child runs the procedure and is decided: the parent is superseded in its state, record and public list.
    let start = json!({ "category": 1, "undertaking_units": ["生态环境局"] });
    juece_tests::drive_opened(engine, &child, a.app.clock.now(), start, "decide").await;
    let parent = a.get("/api/v1/decisions/parent", Some("oversight")).await;
    assert_eq!(parent.body["facts"]["superseded_by"]["child_id"], child.as_str(), "{}", parent.body);
    let record = a.get("/api/v1/decisions/parent/record", Some("oversight")).await;
    assert!(record.body.to_string().contains("record_superseded"), "on the parent's record");
    let public = a.get("/api/v1/public/decisions", None).await;
    let listed = (public.body["items"].as_array().into_iter().flatten()).find(|d| d["id"] == "parent").cloned();
    let listed = listed.unwrap_or_else(|| panic!("the parent is listed: {}", public.body));
    assert_eq!(listed["facts"]["superseded_by"]["child_id"], child.as_str(), "{listed}");
    assert_eq!(a.ok("office", "parent", "end_execution", json!({})).await.body["stage"], "archive");
    let ended = a.get("/api/v1/decisions/parent", Some("oversight")).await;
    assert_eq!(ended.body["facts"]["execution_end"]["ground"], "superseded", "{}", ended.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ad1_a_completion_report_ends_execution_and_a_post_evaluation_ends_with_its_report() {
    let a = api().await;
    juece_tests::drive_to_execution(&a.app.state.engine, "done", a.app.clock.now()).await;
    a.add_user("unit-exec", "生态环境局", "executing_unit").await;
    a.ok(
        "office",
        "done",
        "start_post_evaluation",
        json!({ "trigger": "执行满一年", "evaluator": "示范市发展研究中心" }),
    )
    .await;
    let no_report = (422, "art36_evaluation_report_missing_on_finish", "Art. 36(4)");
    a.refused("office", "done", "finish_post_evaluation", json!({}), no_report).await;
    let report = json!({ "report": "达到预期效果。", "recommendation": "keep", "public_opinion_collection": "网上问卷",
        "participants": ["人大代表"] });
    a.ok("office", "done", "submit_post_evaluation_report", report).await;
    a.ok("office", "done", "finish_post_evaluation", json!({})).await;
    a.refused("office", "done", "end_execution", json!({}), (422, "art37_no_change_without_procedure", "Art. 37"))
        .await;
    a.ok("unit-exec", "done", "file_execution_report", json!({ "kind": "completion", "text": "各项措施已执行完毕。" }))
        .await;
    assert_eq!(a.ok("office", "done", "end_execution", json!({})).await.body["stage"], "archive");
    let done = a.get("/api/v1/decisions/done", Some("oversight")).await;
    assert_eq!(done.body["facts"]["execution_end"]["ground"], "completed", "{}", done.body);
}
