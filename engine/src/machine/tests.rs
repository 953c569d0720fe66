//! The transition function, act by act: each legal rule refuses with its
//! exact reason code, and a refusal never changes the state.

use std::path::PathBuf;

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};

use super::{step, Context};
use crate::act::Act;
use crate::actor::{Actor, Role};
use crate::bind;
use crate::calendar::WorkCalendar;
use crate::decision::Decision;
use crate::definition::Workflow;

mod accountability;
mod applicability;
mod binding;
mod catalogue_pool;
mod dates;
mod hearing_experts;
mod hearing_suggestions;
mod late_shortening;
mod meeting;
mod opinions;
mod participation;
mod preconditions;
mod release;
mod review;
mod start;
mod warnings;

fn workflows_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../workflows")
}

fn load(key: &str) -> (Workflow, WorkCalendar) {
    let all = bind::load_dir(&workflows_dir()).expect("workflows prove");
    let wf = all.into_iter().find(|w| w.key == key).expect("workflow present");
    let cal = WorkCalendar::load_dir(&workflows_dir().join("calendars")).expect("calendars load");
    (wf, cal)
}

fn actor(name: &str, unit: &str, role: Role) -> Actor {
    crate::sample::who(name, unit, role)
}

fn office() -> Actor {
    actor("office", "办公厅", Role::GeneralOffice)
}
fn drafter() -> Actor {
    actor("drafter", "生态环境局", Role::Drafter)
}

struct S {
    pools: Vec<(String, crate::procedure::facts::ExpertPool)>,
    /// The decision's opinions, as the store would keep them.
    ledger: crate::ledger::memory::MemoryLedger,
    wf: Workflow,
    cal: WorkCalendar,
    d: Decision,
    now: DateTime<Utc>,
}

impl S {
    fn new(key: &str) -> S {
        let (wf, cal) = load(key);
        // 09:00 CST, Monday 2 March 2026.
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
        let d = Decision::new("d1", &wf.key, wf.version, &wf.start, now);
        S { pools: Vec::new(), ledger: Default::default(), wf, cal, d, now }
    }

    /// What the orchestrator reads of the opinions before it steps `act`.
    fn standing(&self, act: &Act) -> crate::ledger::Standing {
        self.ledger.standing(&crate::ledger::Targets::of(&act.name, &act.payload))
    }

    fn try_act(&mut self, who: &Actor, name: &str, payload: Value) -> Result<(), Vec<String>> {
        let act = Act::new(name, payload);
        let standing = self.standing(&act);
        let ctx = Context { workflow: &self.wf, calendar: &self.cal, pools: &self.pools, ledger: &standing };
        let before = self.d.clone();
        match step(ctx, &self.d, &act, who, self.now) {
            Ok(o) => {
                let received = o.effects.iter().find_map(|e| match e {
                    crate::effect::Effect::Receive(s) => Some(s.clone()),
                    _ => None,
                });
                if let Some(submission) = received {
                    assert_eq!(o.decision, before, "an opinion leaves the decision as it was");
                    self.ledger.receive(&self.d.id, submission, self.now);
                    return Ok(());
                }
                assert_eq!(o.decision.version, before.version + 1);
                for e in &o.effects {
                    if let crate::effect::Effect::Ledger(w) = e {
                        self.ledger.apply(w);
                    }
                }
                self.d = o.decision;
                Ok(())
            }
            Err(r) => {
                assert_eq!(self.d, before, "a refusal must not change the state");
                assert!(r
                    .reasons
                    .iter()
                    // An unknown act has no article to cite, and cites none.
                    .all(|x| (x.reason_code == "unknown_act" || !x.article.is_empty())
                        && !x.message_zh.is_empty()
                        && !x.message_en.is_empty()));
                Err(r.codes().iter().map(|c| c.to_string()).collect())
            }
        }
    }

    fn ok(&mut self, who: &Actor, name: &str, payload: Value) {
        if let Err(codes) = self.try_act(who, name, payload.clone()) {
            panic!("{name} {payload} refused: {codes:?}");
        }
    }

    fn refused(&mut self, who: &Actor, name: &str, payload: Value, code: &str) {
        match self.try_act(who, name, payload) {
            Ok(()) => panic!("{name} accepted, expected {code}"),
            Err(codes) => assert!(codes.iter().any(|c| c == code), "{name}: expected {code}, got {codes:?}"),
        }
    }

    fn today(&self) -> chrono::NaiveDate {
        self.now.with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
    }

    /// A new decision with a leader's proposal submitted.
    fn proposed(key: &str) -> S {
        let mut s = S::new(key);
        let p = json!({ "title": "t", "organ": "o", "proposer_type": "leader", "proposer": "p", "summary": "s" });
        s.ok(&office(), "submit_proposal", p);
        s
    }

    /// Determine a conditional stage not applicable and pass over it. Public participation is never passed
    /// over by a determination (Art. 14(1)): it is held (a symposium) and closed instead.
    fn skip(&mut self, stage: &str, act: &str) {
        if stage == "public_participation" {
            let symposium = json!({ "method": "symposium", "participant_types": ["群众代表"], "summary": "座谈会" });
            self.ok(&drafter(), "record_activity", symposium);
            self.ok(&drafter(), "record_public_adoption_summary", json!({ "text": "座谈会意见已研究采纳" }));
            self.ok(&drafter(), "close_participation", json!({}));
            return;
        }
        let det = json!({ "stage": stage, "outcome": "not_applicable", "reason": "r" });
        self.ok(&drafter(), "determine_applicability", det);
        self.ok(&drafter(), act, json!({}));
    }

    fn started(key: &str) -> S {
        let mut s = S::new(key);
        s.ok(
            &office(),
            "submit_proposal",
            json!({
                "title": "t", "organ": "某市人民政府", "proposer_type": "leader", "proposer": "市长", "summary": "s",
            }),
        );
        s.ok(
            &office(),
            "start_decision",
            json!({ "category": 1, "undertaking_units": ["生态环境局"], "catalogue_item": "2026-03" }),
        );
        s.ok(&drafter(), "record_draft", json!({ "text": "x", "explanation": "e", "legal_basis": ["某法"] }));
        // The justice bureau comments in the inter-departmental consultation;
        // that never counts as the legality review (Art. 25(1), A16).
        s.ok(&drafter(), "record_consultation", json!({ "unit": "司法局", "agreed": true, "opinion": "无意见" }));
        s
    }

    /// Skip every conditional stage with a recorded determination.
    fn at_legality_review(key: &str) -> S {
        let mut s = S::started(key);
        s.ok(&drafter(), "finish_drafting", json!({}));
        for (stage, skip) in [
            ("cost_benefit", "skip_cost_benefit"),
            ("public_participation", "skip_public_participation"),
            ("hearing", "skip_hearing"),
            ("expert_consultation", "skip_expert_consultation"),
            ("risk_assessment", "skip_risk_assessment"),
        ] {
            s.skip(stage, skip);
        }
        assert_eq!(s.d.stage, "legality_review");
        s
    }

    fn reviewed(key: &str, conclusion: &str) -> S {
        let mut s = S::at_legality_review(key);
        let today = s.today();
        s.ok(
            &drafter(),
            "submit_for_legality_review",
            json!({
                "legal_basis": ["某法"], "procedure_explanation": "已履行", "received_complete_on": today,
                "requested_due": today + Duration::days(20),
            }),
        );
        s.ok(
            &actor("lawyer", "司法局", Role::LegalAdviser),
            "record_lawyer_opinion",
            json!({ "capacity": "公职律师", "opinion": "o" }),
        );
        s.ok(
            &actor("rev", "司法局", Role::LegalityReviewer),
            "issue_legality_opinion",
            json!({
                "authority": "a", "procedure": "p", "content": "c", "conclusion": conclusion,
            }),
        );
        s.ok(&drafter(), "close_legality_review", json!({}));
        s
    }

    /// Decided, executing unit designated, reported to the Party committee
    /// and answered: ready to publish.
    fn ready_to_publish(&mut self) {
        let chief = actor("市长", "政府", Role::ChiefExecutive);
        self.ok(&chief, "record_chief_opinion", json!({ "decision": "adopt", "words": "通过" }));
        self.ok(&chief, "decide", json!({}));
        self.ok(&office(), "close_meeting", json!({}));
        self.ok(&office(), "designate_executing_unit", json!({ "unit": "生态环境局" }));
        self.ok(&office(), "report_to_party", json!({ "reference_no": "r1" }));
        self.ok(&office(), "record_party_response", json!({ "response": "同意" }));
    }

    /// In the collective discussion, every member has spoken.
    fn in_meeting(key: &str) -> S {
        let mut s = S::reviewed(key, "lawful");
        s.ok(&drafter(), "submit_package", json!({}));
        let today = s.today();
        s.ok(
            &office(),
            "convene_meeting",
            // 甲 signs in (as the account `甲`) to record their own stance; the others are minuted by the office.
            json!({ "meeting_type": "executive", "date": today, "members": [{ "name": "甲", "user": "甲" }, "乙", "丙"] }),
        );
        // Every member present speaks before the chief executive (Art. 30(2)).
        for m in ["甲", "乙", "丙"] {
            s.ok(&office(), "record_stance", json!({ "member": m, "stance": "support", "words": "同意" }));
        }
        s
    }
}

#[test]
fn drafters_act_only_for_their_unit_and_unknown_fields_are_refused() {
    let mut s = S::started("national");
    s.refused(&actor("x", "交通局", Role::Drafter), "finish_drafting", json!({}), "not_assigned");
    s.refused(&drafter(), "finish_drafting", json!({ "extra": 1 }), "invalid_payload");
    s.refused(&drafter(), "no_such_act", json!({}), "unknown_act");
}

/// Acts a fuzzer may try, with plausible payloads.
fn any_act() -> impl Strategy<Value = (usize, String)> {
    let (wf, _) = load("national");
    let names: Vec<String> = wf.acts.keys().cloned().collect();
    (0usize..Role::ALL.len(), proptest::sample::select(names))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Random acts by random roles (with empty payloads, the common way to
    /// try to "just move on") never reach the decision or publication
    /// without the unconditional stages' records, and never change state on
    /// a refusal.
    #[test]
    fn random_acts_never_bypass_the_unconditional_stages(seq in proptest::collection::vec(any_act(), 1..60)) {
        let mut s = S::started("national");
        for (role, name) in seq {
            let who = Actor { user_id: "u".into(), name: "u".into(), unit: "生态环境局".into(), position: "p".into(), roles: vec![Role::ALL[role]], former_units: Vec::new() };
            let _ = s.try_act(&who, &name, json!({}));
            s.now += Duration::days(3);
            let f = &s.d.facts;
            if f.outcome.is_some() || s.d.stage == "decided" {
                prop_assert!(f.legality_opinion.is_some() && f.meeting.is_some());
            }
            if f.publication.is_some() {
                prop_assert!(f.party_report.as_ref().is_some_and(|p| p.response.is_some()));
            }
        }
    }
}

/// Drafting → public participation, cost-benefit passed over.
fn at_participation() -> S {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    s
}
