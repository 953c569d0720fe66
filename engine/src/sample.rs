//! A scripted run of the national procedure: the acts the benchmarks (`juece-bench`, `engine/benches`) and the
//! profiling example drive a decision through, with the people who take them, kept in one place so that their
//! numbers measure the same work. It lives in the library, not beside the benchmarks, because the benchmark
//! command is a crate of its own.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::act::Act;
use crate::actor::{Actor, Role};
use crate::error::Error;
use crate::orchestrator::{ActRequest, Applied, Engine};

/// One act of the script: who takes it, its name and its payload.
pub type Step = (Actor, &'static str, Value);

pub fn who(name: &str, unit: &str, role: Role) -> Actor {
    Actor {
        user_id: name.into(),
        name: name.into(),
        unit: unit.into(),
        position: "p".into(),
        roles: vec![role],
        former_units: Vec::new(),
    }
}

/// The acts that take one decision from its proposal to the legality
/// review: 15 transitions, three of which render memos.
pub fn script() -> Vec<Step> {
    let office = who("office", "办公厅", Role::GeneralOffice);
    let drafter = who("drafter", "生态环境局", Role::Drafter);
    let mut s = vec![
        (
            office.clone(),
            "submit_proposal",
            json!({ "title": "t", "organ": "某市人民政府", "proposer_type": "leader", "proposer": "p", "summary": "s" }),
        ),
        (office, "start_decision", json!({ "category": 1, "undertaking_units": ["生态环境局"] })),
        (drafter.clone(), "record_draft", json!({ "text": "x", "explanation": "e", "legal_basis": ["法"] })),
        (drafter.clone(), "finish_drafting", json!({})),
    ];
    for (stage, skip) in [
        ("cost_benefit", "skip_cost_benefit"),
        ("public_participation", "skip_public_participation"),
        ("hearing", "skip_hearing"),
        ("expert_consultation", "skip_expert_consultation"),
        ("risk_assessment", "skip_risk_assessment"),
    ] {
        // Public participation is never passed over by a determination (Art. 14(1)): held and closed.
        if stage == "public_participation" {
            let symposium = json!({ "method": "symposium", "participant_types": ["群众代表"], "summary": "座谈会" });
            s.push((drafter.clone(), "record_activity", symposium));
            s.push((drafter.clone(), "record_public_adoption_summary", json!({ "text": "座谈会意见已研究采纳" })));
            s.push((drafter.clone(), "close_participation", json!({})));
            continue;
        }
        let det = json!({ "stage": stage, "outcome": "not_applicable", "reason": "r" });
        s.push((drafter.clone(), "determine_applicability", det));
        s.push((drafter.clone(), skip, json!({})));
    }
    s
}

/// How many acts of [`script`] bring a new decision to the public-participation stage.
pub const TO_PARTICIPATION: usize = 6;

/// Take the script's act number `index` on decision `id`: the first opens the decision (on the national
/// procedure), every other one goes through [`Engine::apply`], as the server's acts do.
pub async fn take(engine: &Engine, id: &str, index: usize, step: &Step, now: DateTime<Utc>) -> Result<Applied, Error> {
    let (actor, name, payload) = step;
    let act = Act::new(name, payload.clone());
    let request = ActRequest::new(id, &act, actor, now);
    if index == 0 {
        engine.open("national", request).await
    } else {
        engine.apply(request).await
    }
}
