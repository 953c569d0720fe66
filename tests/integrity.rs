//! EX-8 / A13: replacing an expert who gave no opinion in time records the
//! non-submission on the expert's pool record in the replacement's own
//! transaction — both audit chains extended, or nothing written at all —
//! and only the engine can write that fact.

use juece_engine::accountability::integrity_record;
use juece_engine::act::Act;
use juece_engine::actor::Role;
use juece_engine::orchestrator::ActRequest;
use juece_engine::orchestrator::{verify_store, Engine};
use juece_tests::databases::databases;
use juece_tests::{engine, refusal_code};
use serde_json::{json, Value};

use super::definitions::copy_dir;
use super::pool::{decision_at_experts, expert_opinion, pool, who};

/// A panel of c1 (who gave an opinion) and c2 (who did not), from the city pool.
async fn panel_with_a_late_expert(e: &Engine) {
    pool(e, "pool-city", "某市", None, &[("c1", "交通"), ("c2", "交通"), ("c3", "交通")]).await;
    let (drafter, now) = decision_at_experts(e).await;
    for id in ["c1", "c2"] {
        let pick = json!({ "pool": "pool-city", "expert_id": id, "name": id, "field": "交通" });
        e.apply(ActRequest::new("d", &Act::new("select_expert", pick), &drafter, now)).await.unwrap();
    }
    opinion(e, "c1").await;
    e.apply(ActRequest::new(
        "d",
        &Act::new("record_expert_adoption_summary", json!({ "text": "采纳" })),
        &drafter,
        now,
    ))
    .await
    .unwrap();
}

async fn opinion(e: &Engine, id: &str) {
    expert_opinion(e, id, e.load("d").await.unwrap().updated_at).await;
}

fn replace_c2(extra: Value) -> Act {
    let mut p = json!({
        "pool": "pool-city", "expert_id": "c3", "name": "c3", "field": "交通",
        "replaces": "c2", "replacement_reason": "逾期未提交论证意见", "non_submission": true,
    });
    if let (Some(p), Value::Object(extra)) = (p.as_object_mut(), extra) {
        p.extend(extra);
    }
    Act::new("select_expert", p)
}

/// Versions and audit lengths of the decision and the pool.
async fn written(e: &Engine) -> (i64, i64, usize, usize) {
    let store = e.store();
    (
        e.load("d").await.unwrap().version,
        e.load("pool-city").await.unwrap().version,
        store.audit_records("d").await.unwrap().len(),
        store.audit_records("pool-city").await.unwrap().len(),
    )
}

#[tokio::test]
async fn ex8_a13_the_non_submission_fact_is_written_on_the_pool_record_with_the_replacement() {
    for db in databases().await {
        let e = engine(&db.url).await;
        panel_with_a_late_expert(&e).await;
        let drafter = who("drafter", "县发改局", Role::Drafter);
        let now = e.load("d").await.unwrap().updated_at;
        let close = Act::new("close_expert_consultation", json!({}));
        assert_eq!(
            refusal_code(e.apply(ActRequest::new("d", &close, &drafter, now)).await),
            "expert_opinions_incomplete"
        );

        let (d0, p0, _, pool_records) = written(&e).await;
        e.apply(ActRequest::new("d", &replace_c2(json!({})), &drafter, now)).await.unwrap();
        assert_eq!(written(&e).await, (d0 + 1, p0 + 1, (d0 + 1) as usize, pool_records + 1), "{}", db.kind);

        // The fact on the pool record: what, which decision, who replaced; not a sanction.
        let pool_facts = e.load("pool-city").await.unwrap().facts.pool.unwrap();
        let c2 = pool_facts.experts.iter().find(|x| x.id == "c2").unwrap();
        assert_eq!(c2.status, "active", "a fact, not a sanction");
        let fact = &c2.integrity[0];
        assert_eq!((fact.kind.as_str(), fact.text.as_str()), ("non_submission", "逾期未提交论证意见"));
        assert_eq!(fact.decision_id.as_deref(), Some("d"));
        assert!(fact.by.starts_with("drafter"), "names who replaced the expert: {}", fact.by);
        // The pool's chain names the act and the engine as its actor; both chains verify.
        let last = e.store().audit_records("pool-city").await.unwrap().pop().unwrap();
        assert_eq!(
            (last.act.as_str(), last.actor.roles.as_slice()),
            ("record_non_submission", [Role::System].as_slice())
        );
        let report = verify_store(e.store().as_ref()).await.unwrap();
        assert!(report.breaks.is_empty(), "{}: {:?}", db.kind, report.breaks);
        // `juece audit integrity` reads it from the pool record, once.
        let record = integrity_record(e.store().as_ref(), "c2").await.unwrap();
        assert_eq!(record.len(), 1, "{record:?}");
        assert_eq!((record[0].source.as_str(), record[0].kind.as_str()), ("pool-city", "non_submission"));

        opinion(&e, "c3").await;
        e.apply(ActRequest::new("d", &close, &drafter, now)).await.unwrap();
        db.finish().await;
    }
}

#[tokio::test]
async fn ex8_a_refused_replacement_writes_nothing_on_either_record() {
    for db in databases().await {
        let e = engine(&db.url).await;
        panel_with_a_late_expert(&e).await;
        let drafter = who("drafter", "县发改局", Role::Drafter);
        let now = e.load("d").await.unwrap().updated_at;
        let before = written(&e).await;
        // The handler links the fact, then a gate refuses the act: the replacement has a direct interest.
        let conflicted = replace_c2(json!({ "conflict": "所在单位承担本项目设计" }));
        assert_eq!(
            refusal_code(e.apply(ActRequest::new("d", &conflicted, &drafter, now)).await),
            "art20_direct_interest"
        );
        assert_eq!(written(&e).await, before, "{}: nothing written", db.kind);
        assert!(e.load("pool-city").await.unwrap().facts.pool.unwrap().experts[1].integrity.is_empty());
        db.finish().await;
    }
}

#[tokio::test]
async fn ex8_a_refused_pool_fact_refuses_the_replacement_too() {
    // A pool procedure that does not let the engine record the fact: the pool's half is refused.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&juece_tests::workflows(), dir.path());
    let pool_wf = dir.path().join("expert_pool/workflow.toml");
    let text = std::fs::read_to_string(&pool_wf).unwrap();
    let locked = text.replace(
        "name = \"record_non_submission\"\nstages = [\"open\"]\nroles = [\"system\"]",
        "name = \"record_non_submission\"\nstages = [\"open\"]\nroles = [\"pool_manager\"]",
    );
    assert_ne!(locked, text, "the pool workflow declares record_non_submission for the system role");
    std::fs::write(&pool_wf, locked).unwrap();
    for db in databases().await {
        let e = juece_api::setup::open_engine(&db.url, dir.path()).await.unwrap();
        panel_with_a_late_expert(&e).await;
        let drafter = who("drafter", "县发改局", Role::Drafter);
        let now = e.load("d").await.unwrap().updated_at;
        let before = written(&e).await;
        // The what-if says so too: it steps the linked act as `apply` does.
        let checked = e.check("d", &replace_c2(json!({})), &drafter, now).await;
        assert_eq!(refusal_code(checked), "role_not_permitted", "{}: check runs the linked act", db.kind);
        assert_eq!(
            refusal_code(e.apply(ActRequest::new("d", &replace_c2(json!({})), &drafter, now)).await),
            "role_not_permitted"
        );
        assert_eq!(written(&e).await, before, "{}: the decision's half was not written either", db.kind);
        let d = e.load("d").await.unwrap();
        assert!(d.facts.experts.iter().all(|x| x.replaced_reason.is_none()), "c2 is still on the panel");
        db.finish().await;
    }
}

#[tokio::test]
async fn ex8_only_the_engine_records_a_non_submission_and_only_the_manager_sanctions() {
    for db in databases().await {
        let e = engine(&db.url).await;
        panel_with_a_late_expert(&e).await;
        let now = e.load("d").await.unwrap().updated_at;
        let before = written(&e).await;
        let fact = json!({ "id": "c2", "decision_id": "d", "reason": "逾期", "by": "某人" });
        for (user, role) in
            [("manager", Role::PoolManager), ("drafter", Role::Drafter), ("chief", Role::ChiefExecutive)]
        {
            let act = Act::new("record_non_submission", fact.clone());
            let code = refusal_code(e.apply(ActRequest::new("pool-city", &act, &who(user, "司法局", role), now)).await);
            assert_eq!(code, "role_not_permitted", "{user}");
        }
        let sanction = json!({ "id": "c2", "kind": "通报批评", "text": "逾期" });
        let drafter = who("drafter", "县发改局", Role::Drafter);
        let code = refusal_code(
            e.apply(ActRequest::new("pool-city", &Act::new("record_integrity_fact", sanction), &drafter, now)).await,
        );
        assert_eq!(code, "role_not_permitted", "sanctions are the pool manager's (EX-8)");
        assert_eq!(written(&e).await, before, "{}", db.kind);
        db.finish().await;
    }
}
