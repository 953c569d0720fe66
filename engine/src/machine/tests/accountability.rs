//! Responsibility tracing (Arts. 38–41): a case names people and acts of the record, is concluded once with a
//! finding and its reasoning, and is taken by oversight only.

use serde_json::json;

use super::{actor, drafter, office, S};
use crate::actor::{Actor, Role};

fn oversight() -> Actor {
    actor("监察", "示范市监察委员会", Role::Oversight)
}

fn case(acts: serde_json::Value) -> serde_json::Value {
    json!({
        "article": "Art. 39", "grounds": "未经公开征求意见即提请审议",
        "persons": [{ "name": "李明", "unit": "生态环境局", "position": "法规科科长" }], "acts": acts,
    })
}

#[test]
fn a_case_names_people_and_recorded_acts_and_is_concluded_once() {
    let mut s = S::started("national");
    // Four acts are in the record: proposal, start, draft, consultation.
    assert_eq!(s.d.version, 4);
    s.refused(&office(), "open_accountability_case", case(json!([3])), "role_not_permitted");
    s.refused(&drafter(), "open_accountability_case", case(json!([3])), "role_not_permitted");
    s.refused(&oversight(), "open_accountability_case", case(json!([3, 5])), "art38_act_not_in_record");
    s.refused(&oversight(), "open_accountability_case", case(json!([0])), "art38_act_not_in_record");
    let mut nobody = case(json!([3]));
    nobody["persons"] = json!([]);
    s.refused(&oversight(), "open_accountability_case", nobody, "art38_case_incomplete");
    let mut blank = case(json!([3]));
    blank["persons"][0]["position"] = json!(" ");
    s.refused(&oversight(), "open_accountability_case", blank, "art38_case_incomplete");
    let mut wrong = case(json!([3]));
    wrong["article"] = json!("Art. 12");
    s.refused(&oversight(), "open_accountability_case", wrong, "art38_case_incomplete");
    let mut extra = case(json!([3]));
    extra["persons"][0]["rank"] = json!("x");
    s.refused(&oversight(), "open_accountability_case", extra, "invalid_payload");

    s.ok(&oversight(), "open_accountability_case", case(json!([3])));
    let opened = &s.d.facts.accountability[0];
    assert_eq!((opened.number, opened.article.as_str(), opened.acts.as_slice()), (1, "Art. 39", &[3][..]));
    assert_eq!(opened.persons[0].name, "李明");
    assert!(opened.opened_by.starts_with("监察（示范市监察委员会") && opened.conclusion.is_none());

    let liable = json!({ "case": 1, "finding": "liable", "reasoning": "程序违法，情节较轻" });
    s.refused(&oversight(), "conclude_accountability_case", liable, "art38_conclusion_unreasoned");
    let unknown = json!({ "case": 2, "finding": "not_liable", "reasoning": "r" });
    s.refused(&oversight(), "conclude_accountability_case", unknown, "art38_case_not_open");
    let done = json!({ "case": 1, "finding": "liable", "measures": "诫勉谈话", "reasoning": "程序违法，情节较轻" });
    s.ok(&oversight(), "conclude_accountability_case", done.clone());
    let end = s.d.facts.accountability[0].conclusion.clone().expect("concluded");
    assert_eq!((end.finding.as_str(), end.measures.as_str()), ("liable", "诫勉谈话"));
    // A conclusion is never replaced.
    let again = json!({ "case": 1, "finding": "not_liable", "reasoning": "改判" });
    s.refused(&oversight(), "conclude_accountability_case", again, "art38_case_not_open");
    assert_eq!(s.d.facts.accountability[0].conclusion, Some(end));
}
