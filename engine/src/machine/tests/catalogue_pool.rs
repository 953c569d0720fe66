//! EX-6 (洞头, P8): under the district example an expert selected for a
//! matter on the catalogue comes from the expert pool, never ad hoc.

use serde_json::{json, Value};

use super::{drafter, office, S};
use crate::procedure::facts::{ExpertPool, PoolExpert};

fn district_pool() -> (String, ExpertPool) {
    let expert = PoolExpert {
        id: "p1".into(),
        name: "库内专家".into(),
        fields: vec!["交通".into()],
        affiliation: "某大学".into(),
        official: false,
        institution: false,
        status: "active".into(),
        integrity: Vec::new(),
    };
    let pool = ExpertPool { jurisdiction: "示例区".into(), superior: None, experts: vec![expert] };
    ("pool-district".into(), pool)
}

/// A decision of `key` in expert consultation, started with `start` (which
/// may name a catalogue item), the earlier conditional stages passed over.
fn at_experts(key: &str, start: Value) -> S {
    let mut s = S::proposed(key);
    s.ok(&office(), "start_decision", start);
    s.ok(&drafter(), "record_draft", json!({ "text": "x", "explanation": "e", "legal_basis": ["某法"] }));
    s.ok(&drafter(), "finish_drafting", json!({}));
    for (stage, skip) in [
        ("cost_benefit", "skip_cost_benefit"),
        ("public_participation", "skip_public_participation"),
        ("hearing", "skip_hearing"),
    ] {
        s.skip(stage, skip);
    }
    assert_eq!(s.d.stage, "expert_consultation");
    s.pools = vec![district_pool()];
    s
}

fn listed() -> Value {
    json!({ "category": 1, "undertaking_units": ["生态环境局"], "catalogue_item": "2026-03" })
}

fn ad_hoc() -> Value {
    json!({ "expert_id": "x1", "name": "外聘专家", "field": "交通" })
}

#[test]
fn ex6_an_expert_on_a_catalogue_item_comes_from_the_pool() {
    let mut s = at_experts("example-district", listed());
    const CODE: &str = "ex6_catalogue_item_must_use_pool";
    s.refused(&drafter(), "select_expert", ad_hoc(), CODE);
    assert!(s.refusal_detail(&drafter(), "select_expert", ad_hoc(), CODE).contains("names no pool"));
    // Naming the pool does not make an outsider a pool expert.
    let outsider = json!({ "expert_id": "x1", "name": "外聘专家", "field": "交通", "pool": "pool-district" });
    let detail = s.refusal_detail(&drafter(), "select_expert", outsider.clone(), CODE);
    assert!(detail.contains("not in pool `pool-district`"), "{detail}");
    s.refused(&drafter(), "select_expert", outsider, CODE);
    let pooled = json!({ "expert_id": "p1", "name": "库内专家", "field": "交通", "pool": "pool-district" });
    s.ok(&drafter(), "select_expert", pooled);
    assert_eq!(s.d.facts.experts.len(), 1);
}

#[test]
fn ex6_binds_only_catalogue_items_and_only_under_the_profile() {
    let mut s = at_experts("example-district", json!({ "category": 1, "undertaking_units": ["生态环境局"] }));
    s.ok(&drafter(), "select_expert", ad_hoc());
    let mut s = at_experts("national", listed());
    s.ok(&drafter(), "select_expert", ad_hoc());
}
