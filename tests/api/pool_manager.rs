//! The expert pool through HTTP, from a fresh database: the A11 variant as
//! regulation.md §4 states it (issue item 19) — an expert picked from the
//! pool declares a conflict after assignment and is replaced, and the
//! `excluded_conflict` mark survives in the record, D14 and the package —
//! and the pool manager reading the pool's records and integrity facts
//! (item 21).

use reqwest::Method;
use serde_json::{json, Value};

use super::{api, Api};

/// A pool of the city, opened and filled by its manager `pm` (司法局) over HTTP; its record id.
async fn pool(a: &Api) -> String {
    a.add_user("pm", "示范市司法局", "pool_manager").await;
    let create =
        json!({ "workflow": "expert_pool", "act": { "name": "create_pool", "payload": { "jurisdiction": "示范市" } } });
    let opened = a.call(Method::POST, "/api/v1/decisions", Some("pm"), Some(create)).await;
    opened.expect(201, "");
    let pool = opened.body["decision_id"].as_str().expect("pool id").to_string();
    for (id, name) in [("e-1", "赵教授"), ("e-2", "钱研究员"), ("e-3", "孙工")] {
        let admit = json!({ "id": id, "name": name, "fields": ["大气环境"], "affiliation": "示范大学" });
        a.ok("pm", &pool, "admit_expert", admit).await;
    }
    pool
}

fn pick(expert: &str, name: &str, pool: &str) -> Value {
    json!({ "expert_id": expert, "name": name, "field": "大气环境", "pool": pool })
}

async fn opine(a: &Api, id: &str, expert: &str) {
    a.ok(expert, id, "declare_no_direct_interest", json!({ "expert_id": expert })).await;
    a.ok(expert, id, "acknowledge_confidentiality", json!({ "expert_id": expert })).await;
    let opinion = json!({ "expert_id": expert, "necessity": "必要", "feasibility": "可行", "scientific_soundness": "科学",
        "signature": expert });
    a.ok(expert, id, "submit_expert_opinion", opinion).await;
}

fn expert<'a>(facts: &'a Value, id: &str) -> &'a Value {
    let found = facts["experts"].as_array().and_then(|l| l.iter().find(|e| e["expert_id"] == id));
    found.unwrap_or_else(|| panic!("{id} not among {}", facts["experts"]))
}

async fn memo_zh(a: &Api, id: &str, memo: &str) -> String {
    let list = a.get(&format!("/api/v1/decisions/{id}/memos"), Some("office")).await;
    let all: Vec<&Value> = list.body.as_array().into_iter().flatten().collect();
    let m = all.into_iter().rev().find(|m| m["memo"] == memo && m["lang"] == "zh" && m["format"] == "md");
    let m = m.cloned().unwrap_or_else(|| panic!("no {memo} memo in {}", list.body));
    let path = format!("/api/v1/decisions/{id}/memos/{}/{memo}.zh.md", m["seq"]);
    a.get(&path, Some("office")).await.body.as_str().expect("text").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a11_variant_a_replaced_experts_conflict_stays_marked_in_the_record_d14_and_the_package() {
    let a = api().await;
    let pool = pool(&a).await;
    let id = a.at_stage("污水处理厂扩建方案", "expert_consultation").await;
    // E's declaration says E's institute is commissioned to design the project: refused.
    let mut conflicted = pick("e-1", "赵教授", &pool);
    conflicted["conflict"] = json!("所在院受托承担该项目设计");
    a.refused("drafter", &id, "select_expert", conflicted, (422, "art20_direct_interest", "Art. 20")).await;
    // Variant: E is picked, gives an opinion, then declares the conflict; E is replaced.
    a.ok("drafter", &id, "select_expert", pick("e-1", "赵教授", &pool)).await;
    a.ok("drafter", &id, "select_expert", pick("e-2", "钱研究员", &pool)).await;
    opine(&a, &id, "e-1").await;
    opine(&a, &id, "e-2").await;
    a.ok("e-1", &id, "declare_expert_conflict", json!({ "expert_id": "e-1", "conflict": "所在院受托承担该项目设计" }))
        .await;
    let mut replacement = pick("e-3", "孙工", &pool);
    replacement["replaces"] = json!("e-1");
    replacement["replacement_reason"] = json!("赵教授申报利害关系，予以更换");
    a.ok("drafter", &id, "select_expert", replacement).await;
    opine(&a, &id, "e-3").await;
    let facts = a.get(&format!("/api/v1/decisions/{id}"), Some("office")).await.body["facts"].clone();
    let e1 = expert(&facts, "e-1");
    assert_eq!((e1["excluded_conflict"].as_bool(), e1["replaced_by"].as_str()), (Some(true), Some("e-3")), "{e1}");
    assert!(e1["replaced_reason"].as_str().unwrap_or("").starts_with("excluded_conflict"), "{e1}");
    assert!(e1["opinion"].is_object(), "the opinion is kept in the record: {e1}");
    a.ok("drafter", &id, "record_expert_adoption_summary", json!({ "text": "采纳钱研究员、孙工的意见。" })).await;
    a.ok("drafter", &id, "close_expert_consultation", json!({})).await;
    let d14 = memo_zh(&a, &id, "expert_selection").await;
    assert!(d14.contains("因利害关系回避（excluded_conflict）") && d14.contains("由e-3接替"), "{d14}");
    // The package lists E as excluded, not counted.
    a.pass_over(&id, "risk_assessment", "skip_risk_assessment").await;
    a.submit_for_review(&id).await;
    a.review(&id, Api::opinion("lawful")).await;
    a.ok("drafter", &id, "close_legality_review", json!({})).await;
    a.ok("drafter", &id, "submit_package", json!({})).await;
    let facts = a.get(&format!("/api/v1/decisions/{id}"), Some("office")).await.body["facts"].clone();
    let listed = &facts["package"]["experts"];
    assert_eq!(
        listed,
        &json!([
            { "expert_id": "e-1", "name": "赵教授", "status": "excluded_conflict" },
            { "expert_id": "e-2", "name": "钱研究员", "status": "counted" },
            { "expert_id": "e-3", "name": "孙工", "status": "counted" },
        ])
    );
    assert!(memo_zh(&a, &id, "package").await.contains("赵教授（因利害关系回避，意见不予采用）"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ex8_the_pool_manager_reads_the_pool_record_and_a_non_submission_on_it() {
    let a = api().await;
    let pool = pool(&a).await;
    let read = a.get(&format!("/api/v1/decisions/{pool}"), Some("pm")).await;
    read.expect(200, "");
    assert_eq!(read.body["access"], "full");
    assert_eq!(read.body["facts"]["pool"]["experts"].as_array().map(Vec::len), Some(3));
    // An expert from the pool misses the due day and is replaced: the fact lands on the pool record.
    let id = a.at_stage("大气污染联防联控方案", "expert_consultation").await;
    a.ok("drafter", &id, "select_expert", pick("e-1", "赵教授", &pool)).await;
    let mut replacement = pick("e-2", "钱研究员", &pool);
    replacement["replaces"] = json!("e-1");
    replacement["replacement_reason"] = json!("逾期未提交论证意见");
    replacement["non_submission"] = json!(true);
    a.ok("drafter", &id, "select_expert", replacement).await;
    let read = a.get(&format!("/api/v1/decisions/{pool}"), Some("pm")).await;
    let e1 = (read.body["facts"]["pool"]["experts"].as_array().into_iter().flatten()).find(|e| e["id"] == "e-1");
    let e1 = e1.cloned().unwrap_or_else(|| panic!("{}", read.body));
    assert_eq!(
        (e1["integrity"][0]["kind"].as_str(), e1["integrity"][0]["text"].as_str()),
        (Some("non_submission"), Some("逾期未提交论证意见")),
        "{e1}"
    );
    let record = a.get(&format!("/api/v1/decisions/{pool}/record"), Some("pm")).await;
    record.expect(200, "");
    assert!(record.body.to_string().contains("record_non_submission"), "{}", record.body);
    let integrity = a.get("/api/v1/accountability/experts/e-1/integrity", Some("pm")).await;
    integrity.expect(200, "");
    assert_eq!(integrity.body[0]["kind"], "non_submission", "{}", integrity.body);
    // The pool manager keeps pools, not decisions.
    a.get(&format!("/api/v1/decisions/{id}"), Some("pm")).await.expect(403, "role_not_permitted");
}
