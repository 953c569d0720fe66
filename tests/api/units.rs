//! The unit directory over HTTP (issue 16, item 9): administrators manage units; a user's unit is one of them
//! (an unknown one is refused naming the close ones, writing nothing); access follows a unit by its identity —
//! renamed, it keeps its decisions, and acts already recorded keep the name as it was — and never a parent's
//! drafters into a sub-unit's decisions; the memo templates' 机关代字 and the directory agree.

use reqwest::Method;
use serde_json::{json, Value};

use super::{api, Api};
use juece_tests::steps::UNIT;

async fn units(a: &Api) -> Vec<Value> {
    let got = a.get("/api/v1/units", Some("admin")).await;
    got.expect(200, "");
    got.body.as_array().cloned().unwrap_or_default()
}

fn unit<'a>(list: &'a [Value], name: &str) -> &'a Value {
    list.iter().find(|u| u["name"] == name).unwrap_or_else(|| panic!("no {name} in {list:?}"))
}

/// What a refused request must leave as it was: the directory and the users.
async fn directory_and_users(a: &Api) -> (Value, Value) {
    (json!(units(a).await), a.get("/api/v1/users", Some("admin")).await.body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn units_are_managed_by_administrators_and_users_are_placed_in_them() {
    let a = api().await;
    let list = units(&a).await;
    // The organ of the memo templates carries their 机关代字; a unit they do not name has none until given.
    assert_eq!(unit(&list, "示范市人民政府")["code"], "示政");
    assert_eq!(unit(&list, UNIT)["code"], Value::Null);
    a.get("/api/v1/units", Some("drafter")).await.expect(403, "role_not_permitted");
    let added = a.call(Method::POST, "/api/v1/units", Some("drafter"), Some(json!({ "name": "某局" }))).await;
    added.expect(403, "role_not_permitted");

    // A section under its bureau.
    let section = json!({ "name": "示范市生态环境局法规科", "code": "示环法", "parent": UNIT });
    let added = a.call(Method::POST, "/api/v1/units", Some("admin"), Some(section)).await;
    added.expect(201, "");
    assert_eq!(added.body["parent_id"], unit(&list, UNIT)["id"]);
    assert_eq!((added.body["code"].as_str(), added.body["former_names"].clone()), (Some("示环法"), json!([])));

    // Refusals, each writing nothing.
    let before = directory_and_users(&a).await;
    let refusals = [
        (json!({ "name": UNIT }), 409, "unit_name_taken"),
        (json!({ "name": "某科", "parent": "示范市生态环境厅" }), 422, "unit_parent_unknown"),
        (json!({ "name": "示范市司法局二处", "code": "" }), 422, "invalid_unit"),
    ];
    for (body, status, code) in refusals {
        let got = a.call(Method::POST, "/api/v1/units", Some("admin"), Some(body)).await;
        got.expect(status, code);
        assert_eq!(got.body["article"], "unit directory (access policy)", "{}", got.body);
    }
    let close = a.call(
        Method::POST,
        "/api/v1/units",
        Some("admin"),
        Some(json!({ "name": "某科", "parent": "示范市生态环境厅" })),
    );
    assert!(close.await.body["detail"].as_str().unwrap_or("").contains(UNIT), "the parent's close match is named");
    let congress = unit(&list, "示范市人大常委会")["id"].as_str().expect("id").to_string();
    let government = unit(&list, "示范市人民政府")["id"].as_str().expect("id").to_string();
    let path = format!("/api/v1/units/{government}");
    let got = a.call(Method::PATCH, &path, Some("admin"), Some(json!({ "code": "示府" }))).await;
    got.expect(422, "unit_code_disagrees");
    assert!(got.body["detail"].as_str().unwrap_or("").contains("示政"), "{}", got.body);
    let cycle = json!({ "parent": "示范市生态环境局法规科" });
    let bureau = unit(&list, UNIT)["id"].as_str().expect("id").to_string();
    a.call(Method::PATCH, &format!("/api/v1/units/{bureau}"), Some("admin"), Some(cycle))
        .await
        .expect(422, "unit_parent_cycle");
    a.call(Method::PATCH, "/api/v1/units/nowhere", Some("admin"), Some(json!({ "code": "某" })))
        .await
        .expect(404, "not_found");

    // A user in a unit the directory lacks is refused, naming the close ones; so is a move there.
    let user = json!({ "name": "zhou", "unit": "示范市生态环境厅", "position": "科员", "roles": ["drafter"], "initial_token": true });
    let got = a.call(Method::POST, "/api/v1/users", Some("admin"), Some(user)).await;
    got.expect(422, "unit_unknown");
    assert!(got.body["detail"].as_str().unwrap_or("").contains(UNIT), "{}", got.body);
    let got =
        a.call(Method::PATCH, "/api/v1/users/drafter", Some("admin"), Some(json!({ "unit": "示范市交通局" }))).await;
    got.expect(422, "unit_unknown");
    assert!(got.body["detail"].as_str().unwrap_or("").contains("示范市交通运输局"), "{}", got.body);
    assert_eq!(directory_and_users(&a).await, before, "refusals wrote nothing");

    // The code cleared and set again; the congress now on its own line.
    let path = format!("/api/v1/units/{congress}");
    let set = a.call(Method::PATCH, &path, Some("admin"), Some(json!({ "code": "示人", "parent": null }))).await;
    set.expect(200, "");
    assert_eq!((set.body["code"].as_str(), set.body["parent_id"].clone()), (Some("示人"), Value::Null));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renamed_unit_keeps_its_decisions_and_its_record_keeps_the_old_name() {
    let a = api().await;
    let id = a.drafting("示范市扬尘污染防治办法").await;
    let bureau = unit(&units(&a).await, UNIT)["id"].as_str().expect("id").to_string();
    let renamed = json!({ "name": "示范市生态环境保护局" });
    let got = a.call(Method::PATCH, &format!("/api/v1/units/{bureau}"), Some("admin"), Some(renamed)).await;
    got.expect(200, "");
    assert_eq!((got.body["id"].as_str(), got.body["former_names"].clone()), (Some(bureau.as_str()), json!([UNIT])));
    // The drafter follows the unit: the decision that names it by its old name is still theirs.
    let me = a.get("/api/v1/users/drafter", Some("admin")).await;
    assert_eq!(me.body["unit"], "示范市生态环境保护局");
    a.get(&format!("/api/v1/decisions/{id}"), Some("drafter")).await.expect(200, "");
    let draft = json!({ "text": "第一条（第二稿）", "explanation": "修改。", "legal_basis": ["《大气污染防治法》"] });
    a.ok("drafter", &id, "record_draft", draft).await;
    // Acts recorded before keep the unit's name as it was then; the new one records the name now.
    let record = a.get(&format!("/api/v1/decisions/{id}/record"), Some("oversight")).await;
    let drafts: Vec<&Value> =
        record.body.as_array().into_iter().flatten().filter(|r| r["act"] == "record_draft").collect();
    let units_then: Vec<&str> = drafts.iter().filter_map(|r| r["actor"]["unit"].as_str()).collect();
    assert_eq!(units_then, [UNIT, "示范市生态环境保护局"], "{}", record.body);
    // The old name is the unit's for ever: no one else takes it.
    let got = a.call(Method::POST, "/api/v1/units", Some("admin"), Some(json!({ "name": UNIT }))).await;
    got.expect(409, "unit_name_taken");
    assert!(got.body["detail"].as_str().unwrap_or("").contains("示范市生态环境保护局"), "{}", got.body);
    // Nor is a user placed under it: the answer gives the name now.
    let user = json!({ "name": "zhou", "unit": UNIT, "position": "科员", "roles": ["drafter"], "initial_token": true });
    let got = a.call(Method::POST, "/api/v1/users", Some("admin"), Some(user)).await;
    got.expect(422, "unit_renamed");
    assert!(got.body["detail"].as_str().unwrap_or("").contains("示范市生态环境保护局"), "{}", got.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_units_drafters_do_not_read_a_sub_units_decisions_nor_the_other_way() {
    let a = api().await;
    let section = json!({ "name": "示范市生态环境局法规科", "parent": UNIT });
    a.call(Method::POST, "/api/v1/units", Some("admin"), Some(section)).await.expect(201, "");
    a.add_user("section-drafter", "示范市生态环境局法规科", "drafter").await;
    // The bureau's decision: its section's drafter is not assigned.
    let bureaus = a.drafting("示范市机动车排放管控办法").await;
    a.get(&format!("/api/v1/decisions/{bureaus}"), Some("section-drafter")).await.expect(403, "not_assigned");
    // The section's decision: the bureau's drafter is not assigned; the section's is.
    let sections = a.open("示范市环境执法规范").await;
    let start = json!({ "category": 1, "undertaking_units": ["示范市生态环境局法规科"] });
    a.ok("office", &sections, "start_decision", start).await;
    a.get(&format!("/api/v1/decisions/{sections}"), Some("drafter")).await.expect(403, "not_assigned");
    a.get(&format!("/api/v1/decisions/{sections}"), Some("section-drafter")).await.expect(200, "");
    let draft = json!({ "text": "第一条", "explanation": "说明。", "legal_basis": ["《环境保护法》"] });
    a.act("drafter", &sections, "record_draft", draft.clone()).await.expect(403, "not_assigned");
    a.ok("section-drafter", &sections, "record_draft", draft).await;
}
