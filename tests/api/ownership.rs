//! Acting needs at least the rights reading needs: before the start, a
//! proposal belongs to the unit that opened it, and a drafter opens
//! proposals only in their own unit's name (Art. 10).

use reqwest::Method;
use serde_json::{json, Value};

use super::api;

fn proposal(title: &str, proposer: &str) -> Value {
    json!({ "title": title, "organ": "示范市人民政府", "proposer_type": "department", "proposer": proposer,
        "summary": "概要", "main_problem": "问题", "reasons_and_basis": "依据", "preliminary_solution": "方案",
        "necessity": "必要", "feasibility": "可行" })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_units_drafter_cannot_overwrite_a_proposal_before_the_start() {
    let a = api().await;
    let id = a.open("本单位的提议").await;
    // other-drafter cannot read it, so cannot act on it either: in their own name or the owner's.
    a.get(&format!("/api/v1/decisions/{id}"), Some("other-drafter")).await.expect(403, "not_assigned");
    for proposer in ["示范市交通运输局", "示范市生态环境局"] {
        let got = a.act("other-drafter", &id, "submit_proposal", proposal("被改写的提议", proposer)).await;
        got.expect(403, "not_assigned");
    }
    let (d, records) = a.state_of(&id).await;
    assert_eq!((d["title"].as_str(), records), (Some("本单位的提议"), 1), "nothing written: {d}");
    // The owner's drafter still reads and revises it.
    a.get(&format!("/api/v1/decisions/{id}"), Some("drafter")).await.expect(200, "");
    a.ok("drafter", &id, "submit_proposal", proposal("本单位的提议（修改）", "示范市生态环境局")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drafter_opens_a_proposal_only_in_their_own_units_name() {
    let a = api().await;
    let open = |title: &str, proposer: &str| json!({ "workflow": "national", "act": { "name": "submit_proposal", "payload": proposal(title, proposer) } });
    let before = a.get("/api/v1/decisions?limit=200", Some("office")).await.body["items"].as_array().map(Vec::len);
    let forged = a
        .call(Method::POST, "/api/v1/decisions", Some("other-drafter"), Some(open("冒名提议", "示范市生态环境局")))
        .await;
    forged.expect(403, "not_assigned");
    let after = a.get("/api/v1/decisions?limit=200", Some("office")).await.body["items"].as_array().map(Vec::len);
    assert_eq!(before, after, "no decision opened");
    let own = a
        .call(Method::POST, "/api/v1/decisions", Some("other-drafter"), Some(open("本局提议", "示范市交通运输局")))
        .await;
    own.expect(201, "");
    let id = own.body["decision_id"].as_str().expect("id");
    a.get(&format!("/api/v1/decisions/{id}"), Some("other-drafter")).await.expect(200, "");
    a.get(&format!("/api/v1/decisions/{id}"), Some("drafter")).await.expect(403, "not_assigned");
}
