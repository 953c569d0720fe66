//! Each user's main job, in the browser.

use fantoccini::Locator;
use juece_tests::http::{api, Api};
use serde_json::json;

use super::{chrome, ONE_AT_A_TIME};

/// A decision in public participation with a 30-day comment notice published today.
async fn open_for_comment(api: &Api, title: &str) -> String {
    let id = api.at_stage(title, "public_participation").await;
    let notice =
        json!({ "channels": ["website"], "submission_methods": ["网上提交"], "start": api.today(), "days": 30 });
    api.ok("drafter", &id, "publish_comment_notice", notice).await;
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_drafter_starts_a_decision_and_publishes_a_comment_notice() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let api = api().await;
    let Some(c) = chrome(&api, "drafter").await else { return };
    c.open("/").await;
    assert!(c.path().await.starts_with("/login"), "the tasks need a sign-in");
    c.check_page("login").await;
    c.sign_in("drafter").await;
    c.check_page("tasks").await;
    c.click_link("启动决策事项").await;
    c.check_page("new-decision").await;
    for (name, text) in [
        ("title", "示范市电动自行车管理办法"),
        ("organ", "示范市人民政府"),
        ("proposer", "示范市生态环境局"),
        ("summary", "规范电动自行车通行和停放"),
        ("main_problem", "电动自行车事故多发"),
        ("reasons_and_basis", "《道路交通安全法》"),
        ("preliminary_solution", "登记上牌、规范停放"),
        ("necessity", "保障群众安全"),
        ("feasibility", "已有管理基础"),
    ] {
        c.fill(&format!("[name='{name}']"), text).await;
    }
    c.choose("proposer_type", "department").await;
    c.click("button[value='submit']").await;
    let path = c.path().await;
    assert!(path.contains("?done=submit_proposal"), "{path}");
    assert!(c.text().await.contains("示范市电动自行车管理办法"));
    c.check_page("decision").await;
    let id = path.trim_start_matches("/decisions/").split('?').next().expect("id").to_string();
    // The office starts it and the drafting is done (over the API); the drafter publishes the notice in the browser.
    api.ok("office", &id, "start_decision", json!({ "category": 1, "undertaking_units": ["示范市生态环境局"] })).await;
    let draft = json!({ "text": "第一条 为加强电动自行车管理……", "explanation": "依据上位法起草。", "legal_basis": ["《道路交通安全法》"] });
    api.ok("drafter", &id, "record_draft", draft).await;
    api.ok(
        "drafter",
        &id,
        "record_consultation",
        json!({ "unit": "示范市公安局", "agreed": true, "opinion": "同意。" }),
    )
    .await;
    api.ok("drafter", &id, "finish_drafting", json!({})).await;
    api.pass_over(&id, "cost_benefit", "skip_cost_benefit").await;
    c.open(&format!("/decisions/{id}")).await;
    c.check_page("decision-participation").await;
    c.click_link("发布征求意见公告").await;
    c.fill("[name='channels']", "website\ngazette").await;
    c.fill("[name='submission_methods']", "电子邮件 typed-in-browser@example.gov.cn").await;
    let today = api.today().to_string();
    c.client
        .execute(&format!("document.querySelector(\"[name='start']\").value = '{today}';"), vec![])
        .await
        .expect("date");
    c.fill("[name='days']", "20").await;
    c.click("button[value='check']").await;
    let checked = c.text().await;
    assert!(checked.contains("检查未通过"), "{checked}");
    assert!(checked.contains("Art. 15"), "the article is shown: {checked}");
    c.click("button[value='submit']").await;
    let refused = c.text().await;
    assert!(refused.contains("存在问题"), "an error summary: {refused}");
    assert!(refused.contains("art15_min_30_days"));
    let kept = c
        .client
        .find(Locator::Css("[name='submission_methods']"))
        .await
        .expect("field")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(kept.as_deref(), Some("电子邮件 typed-in-browser@example.gov.cn"), "what was typed survives");
    c.check_page("refused").await;
    c.fill("[name='days']", "30").await;
    c.click("button[value='submit']").await;
    assert!(c.path().await.contains("?done=publish_comment_notice"));
    assert!(c.text().await.contains("已办理：发布征求意见公告"));
    c.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_reads_the_draft_and_comments() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let api = api().await;
    let id = open_for_comment(&api, "示范市公园管理条例").await;
    let Some(c) = chrome(&api, "public").await else { return };
    c.open("/public").await;
    c.check_page("portal").await;
    c.click_link("示范市公园管理条例").await;
    assert_eq!(c.path().await, format!("/public/decisions/{id}"));
    let page = c.text().await;
    assert!(page.contains("第一条 为规范"), "the draft: {page}");
    assert!(page.contains("24时") && page.contains("距截止还有"), "the period and a countdown: {page}");
    c.check_page("consultation").await;
    c.fill("#content", "建议延长夜间开放时间。").await;
    c.fill("#name", "市民丙").await;
    c.click("form[action$='/comment'] button[type=submit]").await;
    let receipt = c.text().await;
    assert!(receipt.contains("回执编号"), "{receipt}");
    c.check_page("receipt").await;
    let d = api.get(&format!("/api/v1/decisions/{id}/opinions"), Some("drafter")).await;
    assert_eq!(d.body["items"][0]["content"], json!("建议延长夜间开放时间。"));
    c.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expert_declares_no_interest_gives_the_undertaking_and_submits_a_signed_opinion() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let api = api().await;
    let id = api.at_stage("示范市地下水保护办法", "expert_consultation").await;
    api.ok("drafter", &id, "select_expert", json!({ "expert_id": "e-1", "name": "赵教授", "field": "水文地质" })).await;
    let Some(c) = chrome(&api, "expert").await else { return };
    c.sign_in("e-1").await;
    assert!(c.text().await.contains("示范市地下水保护办法"), "the assignment is among the expert's tasks");
    // The declaration of interests comes first: the opinion is refused without it (Art. 20).
    c.click_link("声明无直接利害关系").await;
    c.check_page("declaration").await;
    c.click("button[value='submit']").await;
    assert!(c.path().await.contains("?done=declare_no_direct_interest"));
    c.click_link("签署保密承诺").await;
    c.check_page("undertaking").await;
    c.click("button[value='submit']").await;
    assert!(c.path().await.contains("?done=acknowledge_confidentiality"));
    c.click_link("提交专家论证意见").await;
    c.check_page("opinion-form").await;
    c.fill("[name='necessity']", "确有必要").await;
    c.fill("[name='feasibility']", "基本可行").await;
    c.fill("[name='scientific_soundness']", "监测布点科学").await;
    c.fill("[name='signature']", "赵教授").await;
    c.click("button[value='submit']").await;
    let confirm = c.text().await;
    assert!(confirm.contains("请核对后签署"), "check your answers before signing: {confirm}");
    assert!(confirm.contains("监测布点科学"));
    c.check_page("opinion-confirm").await;
    c.click("button[value='sign']").await;
    assert!(c.path().await.contains("?done=submit_expert_opinion"), "{}", c.text().await);
    let d = api.get(&format!("/api/v1/decisions/{id}"), Some("drafter")).await;
    assert_eq!(d.body["facts"]["experts"][0]["opinion"]["scientific_soundness"], json!("监测布点科学"));
    c.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reviewer_issues_a_legality_opinion() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let api = api().await;
    let id = api.at_stage("示范市餐饮油烟管理办法", "legality_review").await;
    api.submit_for_review(&id).await;
    api.ok("adviser", &id, "record_lawyer_opinion", json!({ "capacity": "公职律师", "opinion": "未发现违法情形。" }))
        .await;
    let Some(c) = chrome(&api, "reviewer").await else { return };
    c.sign_in("reviewer").await;
    c.open(&format!("/decisions/{id}")).await;
    c.check_page("decision").await;
    c.click_link("出具合法性审查意见").await;
    c.fill("[name='authority']", "在法定权限内").await;
    c.fill("[name='procedure']", "程序完备").await;
    c.fill("[name='content']", "内容符合上位法").await;
    c.choose("conclusion", "lawful").await;
    c.check_page("opinion-form").await;
    c.click("button[value='submit']").await;
    assert!(c.text().await.contains("请核对后签署"));
    c.click("button[value='sign']").await;
    assert!(c.path().await.contains("?done=issue_legality_opinion"), "{}", c.text().await);
    let d = api.get(&format!("/api/v1/decisions/{id}"), Some("drafter")).await;
    assert_eq!(d.body["facts"]["legality_opinion"]["conclusion"], json!("lawful"));
    c.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_state_their_stances_and_the_chief_departing_from_the_majority_gives_the_reason() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let api = api().await;
    let id = crate::api::scenarios::to_meeting(&api).await;
    let members = json!([{ "name": "郑副市长", "user": "member" }, "王文", { "name": "张市长", "user": "chief" }]);
    api.ok(
        "office",
        &id,
        "convene_meeting",
        json!({ "meeting_type": "executive", "date": api.today(), "members": members }),
    )
    .await;
    let Some(c) = chrome(&api, "meeting").await else { return };
    c.sign_in("member").await;
    c.open(&format!("/decisions/{id}")).await;
    c.click_link("发表意见").await;
    c.check_page("stance-form").await;
    c.choose("stance", "oppose").await;
    c.fill("[name='words']", "时机尚不成熟。").await;
    c.click("button[value='submit']").await;
    assert!(c.path().await.contains("?done=record_stance"), "{}", c.text().await);
    c.sign_out().await;
    api.ok("office", &id, "record_stance", json!({ "member": "王文", "stance": "oppose", "words": "建议暂缓。" }))
        .await;
    c.sign_in("chief").await;
    c.open(&format!("/decisions/{id}")).await;
    c.check_page("meeting").await;
    c.click_link("行政首长发表意见").await;
    assert!(c.text().await.contains("郑副市长"), "the roster beside the form");
    c.choose("decision", "adopt").await;
    c.fill("[name='words']", "同意通过。").await;
    c.click("button[value='submit']").await;
    let asked = c.text().await;
    assert!(asked.contains("art30_divergence_reason"), "departing from the majority asks for the reason: {asked}");
    assert!(asked.contains("Art. 30"));
    let kept = c.client.find(Locator::Css("[name='words']")).await.expect("field").prop("value").await.expect("value");
    assert_eq!(kept.as_deref(), Some("同意通过。"));
    c.check_page("chief-asked").await;
    c.fill("[name='divergence_reason']", "事关全市发展大局，须按期推进。").await;
    c.click("button[value='submit']").await;
    assert!(c.text().await.contains("请核对后签署"));
    c.click("button[value='sign']").await;
    assert!(c.path().await.contains("?done=record_chief_opinion"), "{}", c.text().await);
    c.close().await;
}
