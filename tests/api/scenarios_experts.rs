//! Acceptance scenarios A11, A12 and A13 (regulation.md §4) through HTTP:
//! the experts' conflicts, signatures and seals, and a late expert.

use serde_json::{json, Value};

use super::{api, Api};

/// Put an expert (a user of that id) on the panel.
async fn select(a: &Api, id: &str, expert: &str, institution: bool) {
    let pick = json!({ "expert_id": expert, "name": expert, "field": "大气环境", "institution": institution });
    a.ok("drafter", id, "select_expert", pick).await;
}

fn opinion(expert: &str, signature: Option<&str>, seal: Option<&str>) -> Value {
    json!({ "expert_id": expert, "necessity": "必要", "feasibility": "可行", "scientific_soundness": "科学",
        "signature": signature, "seal": seal })
}

/// The expert's declaration of no direct interest, confidentiality undertaking and signed opinion.
async fn opine(a: &Api, id: &str, expert: &str) {
    a.ok(expert, id, "declare_no_direct_interest", json!({ "expert_id": expert })).await;
    a.ok(expert, id, "acknowledge_confidentiality", json!({ "expert_id": expert })).await;
    a.ok(expert, id, "submit_expert_opinion", opinion(expert, Some(expert), None)).await;
}

/// One expert's assignment as the decision holds it.
async fn assignment(a: &Api, id: &str, expert: &str) -> Value {
    let d = a.get(&format!("/api/v1/decisions/{id}"), Some("office")).await;
    let found =
        d.body["facts"]["experts"].as_array().and_then(|l| l.iter().find(|e| e["expert_id"] == expert)).cloned();
    found.unwrap_or_else(|| panic!("{expert} not on the panel: {}", d.body["facts"]["experts"]))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a11_an_expert_with_a_direct_interest_is_refused_and_a_late_conflict_excludes_the_opinion() {
    let a = api().await;
    let id = a.at_stage("污水处理厂扩建方案", "expert_consultation").await;
    let conflicted =
        json!({ "expert_id": "e-1", "name": "赵教授", "field": "大气环境", "conflict": "所在院承担该项目设计" });
    a.refused("drafter", &id, "select_expert", conflicted, (422, "art20_direct_interest", "Art. 20")).await;
    select(&a, &id, "e-1", false).await;
    select(&a, &id, "e-2", false).await;
    opine(&a, &id, "e-1").await;
    opine(&a, &id, "e-2").await;
    // Variant: e-1 declares a conflict after giving an opinion: excluded, the opinion kept and marked.
    a.ok("e-1", &id, "declare_expert_conflict", json!({ "expert_id": "e-1", "conflict": "亲属任职于项目承建单位" }))
        .await;
    let e1 = assignment(&a, &id, "e-1").await;
    assert!(e1["replaced_reason"].as_str().unwrap_or("").starts_with("excluded_conflict"), "{e1}");
    assert!(e1["opinion"].is_object(), "the opinion stays in the record: {e1}");
    // The replacement joins and gives an opinion; the stage closes and D14 records both.
    select(&a, &id, "e-3", false).await;
    opine(&a, &id, "e-3").await;
    a.ok("drafter", &id, "record_expert_adoption_summary", json!({ "text": "采纳有效专家意见。" })).await;
    assert_eq!(a.ok("drafter", &id, "close_expert_consultation", json!({})).await.body["stage"], "risk_assessment");
    let list = a.get(&format!("/api/v1/decisions/{id}/memos"), Some("office")).await;
    let d14 =
        list.body.as_array().into_iter().flatten().find(|m| m["memo"] == "expert_selection" && m["format"] == "md");
    let d14 = d14.cloned().expect("the expert selection record");
    let path = format!(
        "/api/v1/decisions/{id}/memos/{}/expert_selection.{}.md",
        d14["seq"],
        d14["lang"].as_str().unwrap_or("")
    );
    let memo = a.get(&path, Some("office")).await;
    let text = memo.body.as_str().expect("text");
    assert!(text.contains("excluded_conflict") && text.contains("e-3"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a12_an_institution_seals_and_an_expert_signs() {
    let a = api().await;
    let id = a.at_stage("扬尘治理技术规范", "expert_consultation").await;
    select(&a, &id, "e-2", true).await;
    select(&a, &id, "e-3", false).await;
    // The undertaking comes first.
    let unsealed = opinion("e-2", Some("省环境科学研究院"), None);
    a.refused("e-2", &id, "submit_expert_opinion", unsealed.clone(), (422, "art19_confidentiality", "Art. 19(2)"))
        .await;
    for e in ["e-2", "e-3"] {
        a.ok(e, &id, "declare_no_direct_interest", json!({ "expert_id": e })).await;
        a.ok(e, &id, "acknowledge_confidentiality", json!({ "expert_id": e })).await;
    }
    a.refused("e-2", &id, "submit_expert_opinion", unsealed, (422, "art19_seal_required", "Art. 19(2)")).await;
    let unsigned = opinion("e-3", None, None);
    a.refused("e-3", &id, "submit_expert_opinion", unsigned, (422, "art19_signature_required", "Art. 19(2)")).await;
    a.ok("e-2", &id, "submit_expert_opinion", opinion("e-2", Some("省环境科学研究院"), Some("省环境科学研究院公章")))
        .await;
    a.ok("e-3", &id, "submit_expert_opinion", opinion("e-3", Some("孙工"), None)).await;
    assert_eq!(assignment(&a, &id, "e-2").await["opinion"]["seal"], "省环境科学研究院公章");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a13_a_late_expert_is_replaced_and_the_fact_reaches_the_integrity_record() {
    let a = api().await;
    for login in ["x-4", "x-5", "x-6"] {
        a.add_user(login, "示范大学", "expert").await;
    }
    let id = a.at_stage("大气污染联防联控方案", "expert_consultation").await;
    let panel = ["e-1", "e-2", "e-3", "x-4", "x-5"];
    for e in panel {
        select(&a, &id, e, false).await;
    }
    for e in &panel[..4] {
        opine(&a, &id, e).await;
    }
    a.ok("drafter", &id, "record_expert_adoption_summary", json!({ "text": "专家意见均予采纳。" })).await;
    // x-5 never answers: the stage stays open.
    let incomplete = (422, "expert_opinions_incomplete", "Art. 19");
    a.refused("drafter", &id, "close_expert_consultation", json!({}), incomplete).await;
    assert_eq!(a.state_of(&id).await.0["stage"], "expert_consultation");
    let replace = json!({ "expert_id": "x-6", "name": "x-6", "field": "大气环境", "replaces": "x-5",
        "replacement_reason": "逾期未提交论证意见", "non_submission": true });
    a.ok("drafter", &id, "select_expert", replace).await;
    opine(&a, &id, "x-6").await;
    assert_eq!(a.ok("drafter", &id, "close_expert_consultation", json!({})).await.body["stage"], "risk_assessment");
    // A fact on x-5's integrity record, not a sanction.
    let record = a.get("/api/v1/accountability/experts/x-5/integrity", Some("oversight")).await;
    record.expect(200, "");
    assert_eq!(record.body.as_array().map(Vec::len), Some(1), "{}", record.body);
    assert_eq!(
        (record.body[0]["kind"].as_str(), record.body[0]["text"].as_str()),
        (Some("non_submission"), Some("逾期未提交论证意见"))
    );
    let clean = a.get("/api/v1/accountability/experts/x-6/integrity", Some("oversight")).await;
    assert_eq!(clean.body, json!([]));
}

/// EX-3 (Art. 20) through HTTP: the opinion is refused until the expert has declared, on their own account,
/// that they have no direct interest; the refusal writes nothing; the declaration is in the record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ex3_the_opinion_waits_for_the_experts_own_declaration_of_interests() {
    let a = api().await;
    let id = a.at_stage("示范市河道管理办法", "expert_consultation").await;
    select(&a, &id, "e-1", false).await;
    select(&a, &id, "e-3", false).await;
    a.ok("e-1", &id, "acknowledge_confidentiality", json!({ "expert_id": "e-1" })).await;
    let before = a.state_of(&id).await;
    let undeclared = (422, "art20_interest_undeclared", "Art. 20");
    a.refused("e-1", &id, "submit_expert_opinion", opinion("e-1", Some("e-1"), None), undeclared).await;
    let mine = (403, "not_assigned", "Art. 20");
    a.refused("e-3", &id, "declare_no_direct_interest", json!({ "expert_id": "e-1" }), mine).await;
    assert_eq!(a.state_of(&id).await, before, "nothing written");
    a.ok("e-1", &id, "declare_no_direct_interest", json!({ "expert_id": "e-1" })).await;
    assert!(assignment(&a, &id, "e-1").await["interest_declared_at"].is_string());
    a.ok("e-1", &id, "submit_expert_opinion", opinion("e-1", Some("e-1"), None)).await;
    let record = a.get(&format!("/api/v1/decisions/{id}/record"), Some("office")).await;
    let declared = record.body.as_array().into_iter().flatten().find(|r| r["act"] == "declare_no_direct_interest");
    assert_eq!(declared.map(|r| r["actor"]["user_id"].clone()), Some(json!("e-1")), "{}", record.body);
}

/// The experts on a panel find the decision among their tasks, found by their name stored with it; an expert not on
/// it, and a drafter of another unit, do not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expert_on_the_panel_finds_the_decision_among_their_tasks() {
    use juece_engine::actor::Role;
    use juece_engine::sample::who;
    let a = api().await;
    let id = a.at_stage("示范市噪声污染防治办法", "expert_consultation").await;
    select(&a, &id, "e-1", false).await;
    let a = &a;
    let tasks = |actor| async move {
        let found = a.app.state.engine.worklist(&actor, a.app.clock.now()).await.expect("worklist");
        found.tasks.into_iter().map(|t| t.decision.id).collect::<Vec<_>>()
    };
    assert_eq!(tasks(who("e-1", "示范大学环境学院", Role::Expert)).await, std::slice::from_ref(&id), "on the panel");
    assert!(tasks(who("e-2", "省环境科学研究院", Role::Expert)).await.is_empty(), "not on the panel");
    assert!(tasks(who("other-drafter", "示范市交通运输局", Role::Drafter)).await.is_empty(), "another unit");
    assert_eq!(tasks(who("drafter", "示范市生态环境局", Role::Drafter)).await, [id], "the undertaking unit");
}
