//! The expert pool (Art. 21): fallback to the superior's pool, the
//! reproducible draw, and the integrity and exit rules (Art. 41).

use chrono::{TimeZone, Utc};
use juece_engine::act::Act;
use juece_engine::actor::{Actor, Role};
use juece_engine::orchestrator::ActRequest;
use juece_engine::orchestrator::{AdjustmentRequest, Engine};
use juece_engine::Error;
use juece_tests::{engine, sqlite_url};
use serde_json::json;

pub(crate) fn who(id: &str, unit: &str, role: Role) -> Actor {
    Actor {
        user_id: id.into(),
        name: id.into(),
        unit: unit.into(),
        position: "p".into(),
        roles: vec![role],
        former_units: Vec::new(),
    }
}

pub(crate) async fn pool(e: &Engine, id: &str, jurisdiction: &str, superior: Option<&str>, experts: &[(&str, &str)]) {
    let m = who("manager", "司法局", Role::PoolManager);
    let now = Utc::now();
    e.open(
        "expert_pool",
        ActRequest::new(
            id,
            &Act::new("create_pool", json!({ "jurisdiction": jurisdiction, "superior": superior })),
            &m,
            now,
        ),
    )
    .await
    .unwrap();
    for (eid, field) in experts {
        let admit = json!({ "id": eid, "name": format!("专家{eid}"), "fields": [field], "affiliation": "某大学" });
        e.apply(ActRequest::new(id, &Act::new("admit_expert", admit), &m, now)).await.unwrap();
    }
}

/// A decision in the expert-consultation stage, every earlier conditional stage skipped.
pub(crate) async fn decision_at_experts(e: &Engine) -> (Actor, chrono::DateTime<Utc>) {
    let office = who("office", "办公厅", Role::GeneralOffice);
    let drafter = who("drafter", "县发改局", Role::Drafter);
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    let p =
        json!({ "title": "t", "organ": "某县人民政府", "proposer_type": "leader", "proposer": "p", "summary": "s" });
    e.open("national", ActRequest::new("d", &Act::new("submit_proposal", p), &office, now)).await.unwrap();
    let start = json!({ "category": 4, "undertaking_units": ["县发改局"] });
    e.apply(ActRequest::new("d", &Act::new("start_decision", start), &office, now)).await.unwrap();
    let draft = json!({ "text": "x", "explanation": "e", "legal_basis": ["法"] });
    e.apply(ActRequest::new("d", &Act::new("record_draft", draft), &drafter, now)).await.unwrap();
    e.apply(ActRequest::new("d", &Act::new("finish_drafting", json!({})), &drafter, now)).await.unwrap();
    for (stage, skip) in [
        ("cost_benefit", "skip_cost_benefit"),
        ("public_participation", "skip_public_participation"),
        ("hearing", "skip_hearing"),
    ] {
        // Public participation is never passed over by a determination (Art. 14(1)): held and closed.
        let acts = if stage == "public_participation" {
            let symposium = json!({ "method": "symposium", "participant_types": ["群众代表"], "summary": "座谈会" });
            [("record_activity", symposium), ("close_participation", json!({}))]
        } else {
            let det = json!({ "stage": stage, "outcome": "not_applicable", "reason": "r" });
            [("determine_applicability", det), (skip, json!({}))]
        };
        for (name, payload) in acts {
            e.apply(ActRequest::new("d", &Act::new(name, payload), &drafter, now)).await.unwrap();
        }
    }
    (drafter, now)
}

/// Expert `id` declares no direct interest, undertakes confidentiality and gives a signed opinion on decision `d`.
pub(crate) async fn expert_opinion(e: &Engine, id: &str, at: chrono::DateTime<Utc>) {
    let expert = who(id, "某大学", Role::Expert);
    for act in ["declare_no_direct_interest", "acknowledge_confidentiality"] {
        e.apply(ActRequest::new("d", &Act::new(act, json!({ "expert_id": id })), &expert, at)).await.unwrap();
    }
    let o =
        json!({ "expert_id": id, "necessity": "n", "feasibility": "f", "scientific_soundness": "s", "signature": id });
    e.apply(ActRequest::new("d", &Act::new("submit_expert_opinion", o), &expert, at)).await.unwrap();
}

#[tokio::test]
async fn a_county_draws_from_its_superiors_pool_reproducibly() {
    let (_dir, url) = sqlite_url();
    let e = engine(&url).await;
    pool(
        &e,
        "pool-city",
        "某市",
        None,
        &[("c1", "交通"), ("c2", "交通"), ("c3", "交通"), ("c4", "环境"), ("c5", "交通")],
    )
    .await;
    pool(&e, "pool-county", "某县", Some("pool-city"), &[("k1", "交通")]).await;
    let (drafter, now) = decision_at_experts(&e).await;
    // Whoever draws may not choose the seed: with the candidates known, a chosen seed chooses the panel.
    let chosen_seed = json!({ "pool": "pool-county", "seed": 20260302, "count": 3, "fields": ["交通"] });
    let before = e.load("d").await.unwrap().version;
    match e.apply(ActRequest::new("d", &Act::new("draw_experts", chosen_seed), &drafter, now)).await {
        Err(Error::Refused(r)) => assert_eq!(r.reason_code(), "art20_draw_seed_chosen"),
        other => panic!("{other:?}"),
    }
    assert_eq!(e.load("d").await.unwrap().version, before, "nothing written");
    let draw = json!({ "pool": "pool-county", "count": 3, "fields": ["交通"], "conflicted": ["c2"] });
    e.apply(ActRequest::new("d", &Act::new("draw_experts", draw), &drafter, now)).await.unwrap();
    let d = e.load("d").await.unwrap();
    let rec = &d.facts.draws[0];
    // The engine's seed, derived from what the record keeps: the decision, the draw's place, the server's instant.
    assert_eq!(rec.seed, juece_engine::procedure::acts::engine_seed("d", 0, rec.at));
    // The county's own expert and the city's, minus the conflicted and the wrong field.
    assert_eq!(rec.candidates.iter().map(String::as_str).collect::<Vec<_>>(), ["k1", "c1", "c3", "c5"]);
    assert_eq!(rec.chosen.len(), 3);
    // Anyone can re-run the draw from the record and get the same panel.
    assert_eq!(juece_engine::procedure::acts::draw(&rec.candidates, rec.seed, 3), rec.chosen);
    assert_ne!(
        juece_engine::procedure::acts::draw(&rec.candidates, rec.seed.wrapping_add(1), 4),
        juece_engine::procedure::acts::draw(&rec.candidates, rec.seed, 4)
    );
    assert_eq!(d.facts.experts.len(), 3);
    // Asking for more than the pools can supply is refused, and nothing is written.
    let too_many = json!({ "pool": "pool-county", "count": 9, "fields": ["交通"] });
    let version = d.version;
    match e.apply(ActRequest::new("d", &Act::new("draw_experts", too_many), &drafter, now)).await {
        Err(Error::Refused(r)) => assert_eq!(r.reason_code(), "art21_panel_not_filled"),
        other => panic!("{other:?}"),
    }
    assert_eq!(e.load("d").await.unwrap().version, version);
    let missing = json!({ "pool": "pool-nowhere", "count": 1 });
    match e.apply(ActRequest::new("d", &Act::new("draw_experts", missing), &drafter, now)).await {
        Err(Error::Refused(r)) => assert_eq!(r.reason_code(), "art21_pool_not_found"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn exited_and_disqualified_experts_cannot_be_selected() {
    let (_dir, url) = sqlite_url();
    let e = engine(&url).await;
    pool(&e, "pool-city", "某市", None, &[("c1", "交通"), ("c2", "交通"), ("c3", "交通")]).await;
    let m = who("manager", "司法局", Role::PoolManager);
    let now = Utc::now();
    let exit = json!({ "id": "c1", "status": "exited", "reason": "本人申请退出" });
    e.apply(ActRequest::new("pool-city", &Act::new("set_expert_status", exit), &m, now)).await.unwrap();
    let sanction = json!({ "id": "c2", "kind": "取消评估资格", "text": "论证意见弄虚作假" });
    e.apply(ActRequest::new("pool-city", &Act::new("record_integrity_fact", sanction), &m, now)).await.unwrap();
    let p = e.load("pool-city").await.unwrap().facts.pool.unwrap();
    assert_eq!(p.experts[1].status, "disqualified");
    assert_eq!(p.experts[1].integrity[0].kind, "取消评估资格");

    let (drafter, now) = decision_at_experts(&e).await;
    for id in ["c1", "c2"] {
        let pick = json!({ "pool": "pool-city", "expert_id": id, "name": id, "field": "交通" });
        match e.apply(ActRequest::new("d", &Act::new("select_expert", pick), &drafter, now)).await {
            Err(Error::Refused(r)) => assert_eq!(r.reason_code(), "art21_expert_not_eligible", "{id}"),
            other => panic!("{id}: {other:?}"),
        }
    }
    let pick = json!({ "pool": "pool-city", "expert_id": "c3", "name": "c3", "field": "交通" });
    e.apply(ActRequest::new("d", &Act::new("select_expert", pick), &drafter, now)).await.unwrap();
    // The draw never offers them either.
    let draw = json!({ "pool": "pool-city", "count": 1, "fields": ["交通"] });
    match e.apply(ActRequest::new("d", &Act::new("draw_experts", draw), &drafter, now)).await {
        Err(Error::Refused(r)) => assert_eq!(r.reason_code(), "art21_panel_not_filled"),
        other => panic!("{other:?}"),
    }
    // Only the pool manager keeps the pool.
    let admit = json!({ "id": "x", "name": "x", "fields": [], "affiliation": "a" });
    match e.apply(ActRequest::new("pool-city", &Act::new("admit_expert", admit), &drafter, now)).await {
        Err(Error::Refused(r)) => assert_eq!(r.reason_code(), "role_not_permitted"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_adjustment_is_a_child_decision_that_runs_the_procedure_again() {
    let (_dir, url) = sqlite_url();
    let e = engine(&url).await;
    juece_api::demo::run(&e, None, &mut Vec::new()).await.unwrap();
    let parent_id = e.store().versions().await.unwrap()[0].0.clone();
    let office = who("u-office", "示范市人民政府办公室", Role::GeneralOffice);
    let now = Utc::now();
    let first = Act::new(
        "submit_proposal",
        json!({ "title": "关于调整大气污染防治实施办法的决策", "organ": "示范市人民政府", "proposer_type": "leader", "proposer": "市长", "summary": "后评估建议调整" }),
    );
    // The demo's decision is archived and closed: no adjustment can hang off it any more.
    let (child_id, reason) = ("child-1", "后评估建议调整");
    let request = AdjustmentRequest { child_id, reason, first_act: &first, from_evaluation: false };
    match e.open_adjustment(&parent_id, request, &office, now, None).await {
        Err(Error::Refused(r)) => assert_eq!(r.reason_code(), "act_not_allowed_in_stage"),
        other => panic!("{other:?}"),
    }
    assert!(e.load("child-1").await.is_err(), "nothing was created");
}

#[tokio::test]
async fn a_decision_in_execution_is_adjusted_by_a_linked_child() {
    let (_dir, url) = sqlite_url();
    let e = engine(&url).await;
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    juece_tests::drive_to_execution(&e, "parent", now).await;
    let office = who("office", "办公厅", Role::GeneralOffice);
    let first = Act::new(
        "submit_proposal",
        json!({ "title": "调整", "organ": "某市人民政府", "proposer_type": "leader", "proposer": "p", "summary": "s" }),
    );
    let (child_id, reason) = ("child", "执行中发现上位法修改");
    let request = AdjustmentRequest { child_id, reason, first_act: &first, from_evaluation: false };
    let (parent, child) = e.open_adjustment("parent", request, &office, now, None).await.unwrap();
    assert_eq!(parent.decision.facts.adjustments[0].child_id, "child");
    assert_eq!(child.decision.parent.as_deref(), Some("parent"));
    assert_eq!(child.decision.stage, "proposal");
    // The parent's published text is untouched, and the child must pass the
    // legality review like any decision: its shortcut is refused.
    assert_eq!(parent.decision.facts.drafts.len(), 1);
    let drafter = who("drafter", "生态环境局", Role::Drafter);
    match e.apply(ActRequest::new("child", &Act::new("submit_package", json!({})), &drafter, now)).await {
        Err(Error::Refused(r)) => assert_eq!(r.reason_code(), "act_not_allowed_in_stage"),
        other => panic!("{other:?}"),
    }
    // Suspension is the chief executive's, with a linked Art. 35 report.
    let exec = who("exec", "生态环境局", Role::ExecutingUnit);
    e.apply(ActRequest::new(
        "parent",
        &Act::new("file_execution_report", json!({ "kind": "major_change", "text": "上位法修改" })),
        &exec,
        now,
    ))
    .await
    .unwrap();
    let suspend = json!({ "report": 1, "urgency_reason": "继续执行将违反新法" });
    match e.apply(ActRequest::new("parent", &Act::new("suspend", suspend.clone()), &office, now)).await {
        Err(Error::Refused(r)) => assert_eq!(r.reason_code(), "role_not_permitted"),
        other => panic!("{other:?}"),
    }
    let chief = who("chief", "政府", Role::ChiefExecutive);
    let s = e.apply(ActRequest::new("parent", &Act::new("suspend", suspend), &chief, now)).await.unwrap();
    assert_eq!(s.decision.stage, "suspended");
    let outbox = e.store().outbox("parent").await.unwrap();
    assert!(outbox.iter().any(|m| m.recipient_role == "chief_executive"), "the chief was told of the problem report");
}
