//! The directory on both stores: adding, resolving with close matches, renaming (the old name still leads to the
//! unit, its users take the new one), parents without cycles, and the memo manifest's 机关代字.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{TimeZone, Utc};

use super::*;
use crate::store::{PgTestDb, SqliteStore};

fn code(err: UnitError) -> String {
    match err {
        UnitError::Refused(r) | UnitError::Forbidden(r) => r.reason_code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn new(name: &str, code: Option<&str>, parent: Option<&str>) -> NewUnit {
    NewUnit { name: name.into(), code: code.map(Into::into), parent: parent.map(Into::into) }
}

async fn directory<S: Store + 'static>(store: Arc<S>) {
    a_unit_keeps_its_names_its_parent_line_and_its_organs_code(store).await;
}

/// Everything the directory promises, on any store.
async fn a_unit_keeps_its_names_its_parent_line_and_its_organs_code(store: Arc<dyn Store>) {
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).single().expect("t");
    let organs = BTreeMap::from([("示范市人民政府".to_string(), "示政".to_string())]);
    let units = Units::new(store.clone()).with_organ_codes(organs);
    // The manifest's organ takes its code; another code is refused.
    let gov = units.add(new("示范市人民政府", None, None), at).await.expect("government");
    assert_eq!(gov.code.as_deref(), Some("示政"));
    assert_eq!(
        code(units.add(new("示范市人民政府办公室", None, Some("示范市政府")), at).await.unwrap_err()),
        "unit_parent_unknown"
    );
    let bureau = units.add(new("示范市生态环境局", Some("示环"), Some("示范市人民政府")), at).await.expect("bureau");
    assert_eq!(bureau.parent_id.as_deref(), Some(gov.id.as_str()));
    let office = units.add(new("法规科", None, Some("示范市生态环境局")), at).await.expect("section");
    assert_eq!(code(units.add(new(" 示范市生态环境局 ", None, None), at).await.unwrap_err()), "unit_name_taken");
    let disagreeing = UnitChange { code: Some(Some("示府".into())), ..UnitChange::default() };
    assert_eq!(code(units.change_named("示范市人民政府", disagreeing, at).await.unwrap_err()), "unit_code_disagrees");

    // Unknown: the closest names are offered.
    match units.resolve("示范市生态环境厅").await.unwrap_err() {
        UnitError::Refused(r) => {
            assert_eq!(r.reason_code, "unit_unknown");
            assert!(r.detail.as_deref().unwrap_or("").contains("示范市生态环境局"), "{r:?}");
        }
        other => panic!("{other:?}"),
    }

    // A unit cannot sit under its own sub-unit.
    let cycle = UnitChange { parent: Some(Some("法规科".into())), ..UnitChange::default() };
    assert_eq!(code(units.change_named("示范市生态环境局", cycle, at).await.unwrap_err()), "unit_parent_cycle");

    // Renamed: the former name still leads to it, is not a name to place users under, and no one else takes it.
    let later = at + chrono::Duration::days(30);
    let rename = UnitChange { name: Some("示范市生态环境保护局".into()), ..UnitChange::default() };
    let renamed = units.change_named("示范市生态环境局", rename, later).await.expect("renamed");
    assert_eq!(
        (renamed.id.as_str(), renamed.former_names.as_slice()),
        (bureau.id.as_str(), ["示范市生态环境局".to_string()].as_slice())
    );
    assert_eq!(units.named("示范市生态环境局").await.expect("named").map(|u| u.id), Some(bureau.id.clone()));
    assert_eq!(code(units.resolve("示范市生态环境局").await.unwrap_err()), "unit_renamed");
    assert_eq!(code(units.add(new("示范市生态环境局", None, None), later).await.unwrap_err()), "unit_name_taken");
    let listed = units.list().await.expect("list");
    let names: Vec<&str> = listed.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(listed.iter().find(|u| u.id == office.id).and_then(|u| u.parent_id.clone()), Some(bureau.id.clone()));

    // Only administrators manage it.
    let drafter = Actor {
        user_id: "li".into(),
        name: "李明".into(),
        unit: "示范市生态环境保护局".into(),
        position: "科长".into(),
        roles: vec![Role::Drafter],
        former_units: vec![],
    };
    assert_eq!(code(units.add_by(&drafter, new("x", None, None), at).await.unwrap_err()), "role_not_permitted");
}

#[tokio::test]
async fn directory_on_sqlite() {
    let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
    store.migrate().await.expect("migrate");
    directory(Arc::new(store)).await;
}

#[tokio::test]
async fn directory_on_postgres() {
    if let Some(db) = PgTestDb::create().await {
        db.run(directory).await;
    }
}

#[test]
fn close_matches_are_few_characters_away_or_contain_each_other() {
    let names = ["示范市生态环境局", "示范市交通运输局", "示范市司法局", "生态环境局"];
    assert_eq!(close_matches("示范市生态环境厅", names.into_iter()), ["示范市生态环境局"]);
    assert_eq!(close_matches("示范市生态环境局法规科", names.into_iter()), ["示范市生态环境局", "生态环境局"]);
    assert!(close_matches("某县人民政府", names.into_iter()).is_empty());
}
