//! The signed-in pages: tasks, the decision page, act forms.

use juece_tests::http::api;
use reqwest::StatusCode;
use serde_json::json;

use super::Browser;

#[tokio::test]
async fn pages_ask_for_sign_in_and_come_back() {
    let api = api().await;
    let b = Browser::new(&api);
    let home = b.get("/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.location.as_deref(), Some("/login?next=%2F"));
    let login = b.get("/login?next=%2Fdecisions").await;
    assert!(login.body.contains(r#"<html lang="zh-CN">"#), "Chinese by default");
    assert!(login.body.contains("登录"));
    let wrong = b.post("/login", &[("_csrf", &login.csrf()), ("name", "drafter"), ("password", "not it")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("用户名或密码错误"), "one message whether or not the account exists");
    let unknown = b.post("/login", &[("_csrf", &login.csrf()), ("name", "nobody"), ("password", "not it")]).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(unknown.body.contains("用户名或密码错误"));
    b.sign_in("drafter").await;
    let tasks = b.get("/").await;
    assert_eq!(tasks.status, StatusCode::OK);
    assert!(tasks.body.contains("我的待办"));
    assert!(tasks.body.contains("李明"), "the signed-in person is named");
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_and_writes_nothing() {
    let api = api().await;
    let id = api.drafting("CSRF 测试").await;
    let b = Browser::new(&api);
    b.sign_in("drafter").await;
    let before = api.state_of(&id).await;
    let forged = b.post(&format!("/decisions/{id}/acts/finish_drafting"), &[("_csrf", "0".repeat(64).as_str())]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.body.contains("表单已过期或来源不明"));
    let missing = b.post(&format!("/decisions/{id}/acts/finish_drafting"), &[]).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert_eq!(api.state_of(&id).await, before, "nothing written");
    // Another site cannot sign a person in either.
    let login =
        Browser::new(&api).post("/login", &[("name", "drafter"), ("password", juece_tests::app::PASSWORD)]).await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_decision_page_shows_the_stage_map_what_is_missing_and_the_record() {
    let api = api().await;
    let id = api.drafting("示范市扬尘治理办法").await;
    let b = Browser::new(&api);
    b.sign_in("drafter").await;
    let page = b.get(&format!("/decisions/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let html = &page.body;
    assert!(html.contains("示范市扬尘治理办法"));
    // The stage map: Chinese stage names, the current one marked.
    assert!(html.contains(r#"aria-current="step""#));
    assert!(html.contains("决策草案起草"));
    assert!(html.contains("合法性审查"));
    // The record: who, unit, position.
    assert!(html.contains("提交决策草案"));
    assert!(html.contains("示范市生态环境局"));
    assert!(html.contains("法规科科长"));
    // The acts open to the drafter, each a link to its form.
    assert!(html.contains(&format!("/decisions/{id}/acts/finish_drafting")));
    // Tasks list the decision with its acts.
    let tasks = b.get("/").await;
    assert!(tasks.body.contains("示范市扬尘治理办法"));
    // A drafter of another unit is not shown it.
    let other = Browser::new(&api);
    other.sign_in("other-drafter").await;
    let refused = other.get(&format!("/decisions/{id}")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains("示范市扬尘治理办法"), "nothing of the decision shown");
}

#[tokio::test]
async fn a_refused_act_comes_back_with_every_reason_its_article_and_what_was_typed() {
    let api = api().await;
    let id = api.at_stage("征求意见期限测试", "public_participation").await;
    let b = Browser::new(&api);
    b.sign_in("drafter").await;
    let form = b.get(&format!("/decisions/{id}/acts/publish_comment_notice")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    // Generated from the payload schema: a date input for the start, a number for the days.
    assert!(form.body.contains(r#"type="date""#), "{}", form.body);
    assert!(form.body.contains(r#"name="days""#));
    let today = api.today().to_string();
    let path = format!("/decisions/{id}/acts/publish_comment_notice");
    let before = api.state_of(&id).await;
    let sent = [
        ("_csrf", form.csrf()),
        ("_key", form.key()),
        ("channels", "website\ngazette".to_string()),
        ("submission_methods", "电子邮件 typed-by-the-drafter@example.gov.cn".to_string()),
        ("start", today.clone()),
        ("days", "20".to_string()),
    ];
    let pairs: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let checked = b.post(&path, &[pairs.as_slice(), &[("_intent", "check")]].concat()).await;
    assert_eq!(checked.status, StatusCode::OK);
    assert!(checked.body.contains("art15_min_30_days"), "the check lists the refusal: {}", checked.body);
    let refused = b.post(&path, &pairs).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("存在问题"), "an error summary");
    assert!(refused.body.contains("art15_min_30_days"));
    assert!(refused.body.contains("Art. 15"), "the article");
    assert!(refused.body.contains("typed-by-the-drafter@example.gov.cn"), "what was typed survives");
    assert_eq!(api.state_of(&id).await, before, "nothing written");
    // Corrected, it is accepted and answered with a redirect to the decision.
    let fixed: Vec<(&str, &str)> =
        pairs.iter().map(|(k, v)| if *k == "days" { (*k, "30") } else { (*k, *v) }).collect();
    let done = b.post(&path, &fixed).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = b.follow(&done).await;
    assert!(page.body.contains("已办理：发布征求意见公告"));
    let (_, records) = api.state_of(&id).await;
    assert_eq!(records, before.1 + 1);
}

#[tokio::test]
async fn the_same_form_sent_twice_acts_once() {
    let api = api().await;
    let id = api.drafting("重复提交测试").await;
    let b = Browser::new(&api);
    b.sign_in("drafter").await;
    let form = b.get(&format!("/decisions/{id}/acts/record_consultation")).await;
    let path = format!("/decisions/{id}/acts/record_consultation");
    let (csrf, key) = (form.csrf(), form.key());
    let pairs = [
        ("_csrf", csrf.as_str()),
        ("_key", key.as_str()),
        ("unit", "示范市财政局"),
        ("agreed", "true"),
        ("opinion", "同意。"),
    ];
    let (_, before) = api.state_of(&id).await;
    let (first, second) = tokio::join!(b.post(&path, &pairs), b.post(&path, &pairs));
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    assert_eq!(second.status, StatusCode::SEE_OTHER, "{}", second.body);
    assert_eq!(first.location, second.location);
    let third = b.post(&path, &pairs).await;
    assert_eq!(third.location, first.location, "a reload is answered like the first");
    let (_, after) = api.state_of(&id).await;
    assert_eq!(after, before + 1, "one act for three submissions of one form");
}

#[tokio::test]
async fn a_new_decision_is_started_from_its_generated_form() {
    let api = api().await;
    let b = Browser::new(&api);
    b.sign_in("drafter").await;
    let form = b.get("/decisions/new").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains(r#"name="title""#));
    // Fields in the order the payload type declares them: the title first, the summary before the reasoning.
    let at = |name: &str| form.body.find(&format!(r#"name="{name}""#)).unwrap_or_else(|| panic!("field {name}"));
    assert!(at("title") < at("organ") && at("organ") < at("summary") && at("summary") < at("main_problem"));
    let key = form.key();
    let pairs = [
        ("_csrf", form.csrf()),
        ("_key", key.clone()),
        ("title", "示范市停车管理办法".into()),
        ("organ", "示范市人民政府".into()),
        ("proposer_type", "department".into()),
        ("proposer", "示范市生态环境局".into()),
        ("summary", "规范停车秩序".into()),
        ("main_problem", "停车难".into()),
        ("reasons_and_basis", "《道路交通安全法》".into()),
        ("preliminary_solution", "分区定价".into()),
        ("necessity", "必要".into()),
        ("feasibility", "可行".into()),
    ];
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = b.post("/decisions/new", &pairs).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some(format!("/decisions/{key}?done=submit_proposal").as_str()));
    let page = b.follow(&done).await;
    assert!(page.body.contains("示范市停车管理办法"));
    let d = api.get(&format!("/api/v1/decisions/{key}"), Some("office")).await;
    assert_eq!(d.body["facts"]["proposal"]["proposer"], json!("示范市生态环境局"));
}

#[tokio::test]
async fn english_by_switch_and_the_choice_is_remembered() {
    let api = api().await;
    let b = Browser::new(&api);
    b.sign_in("drafter").await;
    let zh = b.get("/").await;
    let switched = b.post("/lang", &[("_csrf", &zh.csrf()), ("to", "en"), ("back", "/")]).await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location.as_deref(), Some("/"));
    let en = b.get("/").await;
    assert!(en.body.contains(r#"<html lang="en">"#));
    assert!(en.body.contains("My tasks"));
    // A switch never sends the reader to another site.
    let away = b.post("/lang", &[("_csrf", &en.csrf()), ("to", "zh"), ("back", "//evil.example/")]).await;
    assert_eq!(away.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn oversight_asks_who_did_what_and_others_may_not() {
    let api = api().await;
    api.drafting("责任查询测试").await;
    let office = Browser::new(&api);
    office.sign_in("oversight").await;
    let found = office.get("/accountability?person=drafter").await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert!(found.body.contains("责任查询测试"));
    assert!(found.body.contains("提交决策草案"));
    assert!(found.body.contains("法规科科长"), "the position as of the act");
    let drafter = Browser::new(&api);
    drafter.sign_in("drafter").await;
    let refused = drafter.get("/accountability?person=office").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains("责任查询测试"));
}

#[tokio::test]
async fn the_decision_page_shows_what_changed_between_draft_versions() {
    let api = api().await;
    let id = api.drafting("草案对比测试").await;
    let second = json!({ "text": "第一条 为规范……\n第二条 新增的夜间施工条款。", "explanation": "根据意见修改。",
        "legal_basis": ["《中华人民共和国大气污染防治法》"] });
    api.ok("drafter", &id, "record_draft", second).await;
    let b = Browser::new(&api);
    b.sign_in("drafter").await;
    let page = b.get(&format!("/decisions/{id}")).await;
    assert!(page.body.contains("与上一稿相比的修改"), "{}", page.body);
    assert!(page.body.contains("第二条 新增的夜间施工条款。</ins>"), "{}", page.body);
}
