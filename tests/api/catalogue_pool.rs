//! EX-6 over HTTP: under the district example (洞头-like), an expert selected
//! for a matter on the catalogue comes from the expert pool.

use juece_engine::act::Act;
use juece_engine::actor::{Actor, Role};
use juece_engine::orchestrator::ActRequest;
use serde_json::json;

use super::api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ex6_an_ad_hoc_expert_on_a_catalogue_item_is_refused_under_the_district_profile() {
    let a = api().await;
    // The district's pool, kept by its manager (the cast has none: set up through the engine).
    let manager = Actor {
        user_id: "pool-manager".into(),
        name: "库管员".into(),
        unit: "示例区司法局".into(),
        position: "科长".into(),
        roles: vec![Role::PoolManager],
        former_units: Vec::new(),
    };
    let (engine, now) = (&a.app.state.engine, a.app.clock.now());
    let create = Act::new("create_pool", json!({ "jurisdiction": "示例区" }));
    engine.open("expert_pool", ActRequest::new("pool-district", &create, &manager, now)).await.expect("pool");
    let admit = json!({ "id": "e-1", "name": "赵教授", "fields": ["大气环境"], "affiliation": "示范大学" });
    engine
        .apply(ActRequest::new("pool-district", &Act::new("admit_expert", admit), &manager, now))
        .await
        .expect("admitted");

    let listed = json!({ "catalogue_item": "2026年第7项" });
    let id = a.at_stage_in("example-district", "城区交通组织优化方案", "expert_consultation", listed).await;
    let refusal = (422, "ex6_catalogue_item_must_use_pool", "Art. 21; 洞头 2025 Arts. 4–6");
    let ad_hoc = json!({ "expert_id": "e-2", "name": "钱研究员", "field": "大气环境" });
    a.refused("drafter", &id, "select_expert", ad_hoc, refusal).await;
    let outsider = json!({ "expert_id": "e-2", "name": "钱研究员", "field": "大气环境", "pool": "pool-district" });
    a.refused("drafter", &id, "select_expert", outsider, refusal).await;
    let pooled = json!({ "expert_id": "e-1", "name": "赵教授", "field": "大气环境", "pool": "pool-district" });
    a.ok("drafter", &id, "select_expert", pooled).await;
    // A matter not on the catalogue may still consult an expert from outside the pool.
    let other = a.at_stage_in("example-district", "临时事项", "expert_consultation", json!({})).await;
    a.ok("drafter", &other, "select_expert", json!({ "expert_id": "e-2", "name": "钱研究员", "field": "大气环境" }))
        .await;
}
