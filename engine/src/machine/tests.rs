//! The transition function, act by act: each legal rule refuses with its
//! exact reason code, and a refusal never changes the state.

use std::path::PathBuf;

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};

use super::{step, Context};
use crate::act::Act;
use crate::actor::{Actor, Role};
use crate::calendar::WorkCalendar;
use crate::decision::Decision;
use crate::definition::{self, Workflow};

mod applicability;
mod binding;
mod catalogue_pool;
mod dates;
mod hearing_experts;
mod hearing_suggestions;
mod late_shortening;
mod meeting;
mod preconditions;
mod warnings;

fn workflows_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../workflows")
}

fn load(key: &str) -> (Workflow, WorkCalendar) {
    let all = definition::load_dir(&workflows_dir()).expect("workflows prove");
    let wf = all.into_iter().find(|w| w.key == key).expect("workflow present");
    let cal = WorkCalendar::load_dir(&workflows_dir().join("calendars")).expect("calendars load");
    (wf, cal)
}

fn actor(name: &str, unit: &str, role: Role) -> Actor {
    Actor { user_id: name.into(), name: name.into(), unit: unit.into(), position: "p".into(), roles: vec![role] }
}

fn office() -> Actor {
    actor("office", "办公厅", Role::GeneralOffice)
}
fn drafter() -> Actor {
    actor("drafter", "生态环境局", Role::Drafter)
}

struct S {
    pools: Vec<(String, crate::facts::ExpertPool)>,
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
        S { pools: Vec::new(), wf, cal, d, now }
    }

    fn try_act(&mut self, who: &Actor, name: &str, payload: Value) -> Result<(), Vec<String>> {
        let ctx = Context { workflow: &self.wf, calendar: &self.cal, pools: &self.pools };
        let before = self.d.clone();
        match step(ctx, &self.d, &Act::new(name, payload), who, self.now) {
            Ok(o) => {
                assert_eq!(o.decision.version, before.version + 1);
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
fn a3_catalogue_needs_party_consent_per_version() {
    let mut s = S::new("catalogue");
    let items = json!([{ "name": "大气污染防治办法", "undertaking_unit": "生态环境局", "planned": "2026年第二季度", "hearing_planned": true }]);
    s.ok(&office(), "create_catalogue", json!({ "organ": "某市人民政府", "year": 2026, "items": items }));
    s.refused(&office(), "publish_catalogue", json!({ "channels": ["website"] }), "art3_party_consent_missing");
    s.refused(
        &office(),
        "record_party_consent",
        json!({ "version": 2, "reference": "市委〔2026〕1号", "date": "2026-01-10" }),
        "catalogue_consent_version",
    );
    s.ok(
        &office(),
        "record_party_consent",
        json!({ "version": 1, "reference": "市委〔2026〕1号", "date": "2026-01-10" }),
    );
    s.ok(&office(), "publish_catalogue", json!({ "channels": ["website"] }));
    assert_eq!(s.d.stage, "published");
    let more = json!([
        { "name": "大气污染防治办法", "undertaking_unit": "生态环境局", "planned": "2026年第二季度" },
        { "name": "公交票价调整", "undertaking_unit": "交通运输局", "planned": "2026年第四季度", "hearing_planned": true },
    ]);
    s.ok(&office(), "adjust_catalogue", json!({ "items": more, "reason": "新增公交票价调整事项" }));
    assert_eq!((s.d.stage.as_str(), s.d.facts.catalogue.as_ref().unwrap().version), ("draft", 2));
    s.refused(&office(), "publish_catalogue", json!({ "channels": ["website"] }), "art3_party_consent_missing");
    s.refused(&drafter(), "adjust_catalogue", json!({ "items": [], "reason": "r" }), "role_not_permitted");
}

#[test]
fn a1_two_units_need_a_lead() {
    let mut s = S::proposed("national");
    s.refused(
        &office(),
        "start_decision",
        json!({ "category": 1, "undertaking_units": ["A", "B"] }),
        "art11_lead_unit_required",
    );
    s.refused(
        &office(),
        "start_decision",
        json!({ "category": 1, "undertaking_units": ["A", "B"], "lead_unit": "C" }),
        "art11_lead_unit_required",
    );
    s.ok(&office(), "start_decision", json!({ "category": 1, "undertaking_units": ["A", "B"], "lead_unit": "A" }));
    assert_eq!(s.d.stage, "drafting");
}

#[test]
fn a2_excluded_matter_and_missing_category() {
    let mut s = S::new("national");
    s.ok(&office(), "submit_proposal", json!({ "title": "防汛应急处置方案", "organ": "o", "proposer_type": "leader", "proposer": "p", "summary": "s" }));
    s.refused(
        &office(),
        "start_decision",
        json!({ "category": 5, "exclusion": "emergency_response", "undertaking_units": ["A"] }),
        "excluded_by_art3",
    );
    s.refused(&office(), "start_decision", json!({ "undertaking_units": ["A"] }), "missing_category");
    assert_eq!(s.d.stage, "proposal");
}

#[test]
fn department_proposal_must_argue_its_case_and_only_the_office_starts() {
    let mut s = S::new("national");
    let p = json!({ "title": "t", "organ": "o", "proposer_type": "department", "proposer": "局", "summary": "s", "main_problem": "m" });
    assert_eq!(s.try_act(&office(), "submit_proposal", p).unwrap_err(), vec!["art10_proposal_fields"]);
    s.ok(
        &office(),
        "submit_proposal",
        json!({ "title": "t", "organ": "o", "proposer_type": "leader", "proposer": "p", "summary": "s" }),
    );
    s.refused(&drafter(), "start_decision", json!({ "category": 1, "undertaking_units": ["A"] }), "role_not_permitted");
}

#[test]
fn a4_a5_comment_period_floor_and_shortening_reason() {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    let today = s.today();
    let short = json!({ "channels": ["website"], "submission_methods": ["邮件"], "start": today, "days": 20 });
    s.refused(&drafter(), "publish_comment_notice", short, "art15_min_30_days");
    s.refused(
        &drafter(),
        "publish_comment_notice",
        json!({ "channels": ["wechat"], "submission_methods": ["邮件"], "start": today, "days": 30 }),
        "art15_notice_fields",
    );
    let shortened = json!({
        "channels": ["website"], "submission_methods": ["邮件"], "start": today, "days": 20, "shortening_reason": "汛期临近，情况紧急",
    });
    // The reason alone is not enough: the general office approves the shorter period first (regulation.md §6).
    s.refused(&drafter(), "publish_comment_notice", shortened.clone(), "art15_shortening_not_approved");
    s.ok(&office(), "approve_comment_shortening", json!({ "days": 20, "reason": "汛期临近，情况紧急" }));
    s.ok(&drafter(), "publish_comment_notice", shortened);
    assert_eq!(s.d.facts.shortening_approvals[0].notice, Some(1));
    let notice = s.d.facts.comment_notices.last().unwrap().clone();
    assert_eq!(notice.shortening_reason.as_deref(), Some("汛期临近，情况紧急"));
    // 2026-03-02 + 20 days = 2026-03-22, a Sunday: the period ends at 24:00 on Monday the 23rd.
    assert_eq!(notice.last_day.to_string(), "2026-03-23");
    s.ok(&actor("anon", "public", Role::Public), "receive_comment", json!({ "content": "意见" }));
    s.refused(&drafter(), "close_participation", json!({}), "art15_period_not_ended");
    s.now = notice.ends_at;
    s.refused(
        &actor("anon", "public", Role::Public),
        "receive_comment",
        json!({ "content": "迟到" }),
        "art15_comment_period_closed",
    );
    s.refused(&drafter(), "close_participation", json!({}), "art18_opinions_undisposed");
    s.refused(
        &drafter(),
        "dispose_opinion",
        json!({ "opinion_id": 1, "outcome": "not_adopted", "reason": "" }),
        "art18_disposition_reason",
    );
    s.ok(&drafter(), "dispose_opinion", json!({ "opinion_id": 1, "outcome": "not_adopted", "reason": "上位法已规定" }));
    s.ok(&drafter(), "close_participation", json!({}));
    assert_eq!(s.d.stage, "hearing");
}

#[test]
fn conditional_stages_need_a_recorded_determination() {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.refused(&drafter(), "skip_cost_benefit", json!({}), "applicability_not_determined");
    s.refused(
        &drafter(),
        "determine_applicability",
        json!({ "stage": "cost_benefit", "outcome": "not_applicable", "reason": " " }),
        "applicability_reason_required",
    );
    s.refused(
        &drafter(),
        "determine_applicability",
        json!({ "stage": "cost_benefit", "outcome": "already_done", "reason": "r" }),
        "applicability_reason_required",
    );
    s.refused(&drafter(), "complete_cost_benefit", json!({}), "art12_cost_benefit_missing");
    s.ok(&drafter(), "record_cost_benefit", json!({ "inputs": "i", "benefits": "b" }));
    s.ok(&drafter(), "complete_cost_benefit", json!({}));
}

#[test]
fn a_profile_can_make_a_stage_always_applicable() {
    let mut s = S::started("example-province");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    s.refused(
        &drafter(),
        "determine_applicability",
        json!({ "stage": "public_participation", "outcome": "not_applicable", "reason": "r" }),
        "profile_stage_always_applicable",
    );
    s.refused(&drafter(), "skip_public_participation", json!({}), "profile_stage_always_applicable");
}

#[test]
fn a7_non_disclosable_needs_a_ground_and_still_needs_review() {
    let mut s = S::started("national");
    s.refused(&office(), "declare_non_disclosable", json!({}), "art14_non_disclosable_ground");
    let ground = json!({ "legal_ground": "state_secret", "legal_basis": "《保守国家秘密法》第十三条" });
    s.ok(&office(), "declare_non_disclosable", ground);
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    s.ok(&drafter(), "skip_public_participation", json!({}));
    s.ok(&drafter(), "skip_hearing", json!({}));
}

#[test]
fn a9_a10_hearing_sides_materials_and_signatures() {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    s.skip("public_participation", "skip_public_participation");
    let hearing = s.today() + Duration::days(20);
    s.ok(
        &drafter(),
        "publish_hearing_notice",
        json!({ "date": hearing, "place": "市民中心", "sides": ["居民", "企业", "环保组织"] }),
    );
    let on_time = hearing - Duration::days(7);
    let a = json!({ "name": "A", "side": "居民", "materials_delivered_on": on_time });
    s.refused(&drafter(), "add_hearing_participant", a.clone(), "art16_selection_method_first");
    s.ok(
        &drafter(),
        "publish_hearing_selection_method",
        json!({ "criteria": "自愿报名、随机抽取", "quota_per_side": 2 }),
    );
    s.ok(&drafter(), "add_hearing_participant", a);
    s.ok(
        &drafter(),
        "add_hearing_participant",
        json!({ "name": "B", "side": "企业", "materials_delivered_on": hearing - Duration::days(6) }),
    );
    let codes = s.try_act(&drafter(), "close_hearing", json!({})).unwrap_err();
    assert!(
        codes.contains(&"art16_side_unrepresented".to_string())
            && codes.contains(&"art16_materials_7_days".to_string()),
        "{codes:?}"
    );
    s.ok(
        &drafter(),
        "add_hearing_participant",
        json!({ "name": "B", "side": "企业", "materials_delivered_on": on_time }),
    );
    s.ok(
        &drafter(),
        "add_hearing_participant",
        json!({ "name": "C", "side": "环保组织", "materials_delivered_on": on_time }),
    );
    let codes = s.try_act(&drafter(), "close_hearing", json!({})).unwrap_err();
    assert!(
        codes.contains(&"art16_list_not_published".into()) && codes.contains(&"art17_record_segments".into()),
        "{codes:?}"
    );
    s.ok(&drafter(), "publish_hearing_participant_list", json!({}));
    // Nothing of the hearing is recorded before its announced day (Art. 17).
    s.refused(
        &drafter(),
        "record_hearing_segments",
        json!({ "presentation": "p", "statements": "s" }),
        "art17_hearing_not_yet_held",
    );
    s.now += Duration::days(20);
    let segments =
        json!({ "presentation": "承办单位说明草案及依据", "statements": "居民代表A质询噪声标准；企业代表B辩论" });
    s.ok(&drafter(), "record_hearing_segments", segments);
    s.ok(&drafter(), "confirm_hearing_record", json!({ "participant": "A", "signed": true }));
    s.ok(&drafter(), "confirm_hearing_record", json!({ "participant": "B", "signed": true }));
    s.refused(&drafter(), "close_hearing", json!({}), "art17_record_unconfirmed");
    s.ok(
        &drafter(),
        "confirm_hearing_record",
        json!({ "participant": "C", "signed": false, "refusal_reason": "不同意记录第3页" }),
    );
    s.ok(&drafter(), "close_hearing", json!({}));
}

#[test]
fn a11_a12_experts_conflict_signature_seal() {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    for (stage, skip) in [
        ("cost_benefit", "skip_cost_benefit"),
        ("public_participation", "skip_public_participation"),
        ("hearing", "skip_hearing"),
    ] {
        s.skip(stage, skip);
    }
    s.refused(
        &drafter(),
        "select_expert",
        json!({ "expert_id": "E", "name": "E", "field": "f", "conflict": "所在院承担项目设计" }),
        "art20_direct_interest",
    );
    s.ok(&drafter(), "select_expert", json!({ "expert_id": "F", "name": "F院", "field": "f", "institution": true }));
    s.ok(&drafter(), "select_expert", json!({ "expert_id": "G", "name": "G", "field": "f" }));
    let f = actor("F", "F院", Role::Expert);
    let op = |id: &str, sig: Option<&str>, seal: Option<&str>| {
        json!({
            "expert_id": id, "necessity": "n", "feasibility": "f", "scientific_soundness": "s", "signature": sig, "seal": seal,
        })
    };
    s.refused(&f, "submit_expert_opinion", op("F", Some("F院"), Some("章")), "art19_confidentiality");
    s.ok(&f, "declare_no_direct_interest", json!({ "expert_id": "F" }));
    s.ok(&f, "acknowledge_confidentiality", json!({ "expert_id": "F" }));
    s.ok(&actor("G", "u", Role::Expert), "declare_no_direct_interest", json!({ "expert_id": "G" }));
    s.ok(&actor("G", "u", Role::Expert), "acknowledge_confidentiality", json!({ "expert_id": "G" }));
    s.refused(&f, "submit_expert_opinion", op("F", Some("F院"), None), "art19_seal_required");
    s.refused(&actor("G", "u", Role::Expert), "submit_expert_opinion", op("G", None, None), "art19_signature_required");
    // An expert acts only on their own assignment.
    s.refused(&f, "submit_expert_opinion", op("G", Some("x"), None), "not_assigned");
    s.ok(&f, "submit_expert_opinion", op("F", Some("F院"), Some("F院公章")));
    s.refused(&drafter(), "close_expert_consultation", json!({}), "expert_opinions_incomplete");
    // G declares a conflict after assignment: removed from the panel, and the
    // stage no longer waits for G (A11 variant); F's opinion stands.
    s.ok(
        &actor("G", "u", Role::Expert),
        "declare_expert_conflict",
        json!({ "expert_id": "G", "conflict": "亲属任职于项目单位" }),
    );
    let g = s.d.facts.experts.iter().find(|e| e.expert_id == "G").unwrap();
    assert!(g.replaced_reason.as_deref().unwrap().starts_with("excluded_conflict"));
    s.refused(&drafter(), "close_expert_consultation", json!({}), "art29_3_expert_adoption");
    s.ok(&drafter(), "record_expert_adoption_summary", json!({ "text": "F院意见予以采纳" }));
    s.ok(&drafter(), "close_expert_consultation", json!({}));
}

#[test]
fn a16_a17_legality_review_is_required_and_binds_to_the_draft() {
    let mut s = S::at_legality_review("national");
    assert!(s.d.facts.consultations.iter().any(|c| c.unit == "司法局"));
    s.refused(&drafter(), "close_legality_review", json!({}), "art25_no_legality_review");
    let mut s = S::reviewed("national", "unlawful");
    s.refused(&drafter(), "submit_package", json!({}), "art25_unlawful");
    let mut s = S::reviewed("national", "lawful");
    s.ok(&drafter(), "record_draft", json!({ "text": "v2", "explanation": "e", "legal_basis": ["某法"] }));
    s.refused(&drafter(), "submit_package", json!({}), "art25_opinion_stale");
    // LR-8: the reviewer may state that the change does not affect legality.
    let rev = actor("rev", "司法局", Role::LegalityReviewer);
    s.refused(&drafter(), "confirm_opinion_unaffected", json!({ "statement": "x" }), "role_not_permitted");
    s.ok(&rev, "confirm_opinion_unaffected", json!({ "statement": "仅修改文字表述，不影响合法性" }));
    let op = s.d.facts.legality_opinion.as_ref().unwrap();
    assert_eq!(op.confirmations.len(), 1);
    assert_ne!(op.confirmations[0].from_hash, op.confirmations[0].to_hash);
    s.ok(&drafter(), "submit_package", json!({}));
}

#[test]
fn review_time_floor_counts_working_days() {
    let mut s = S::at_legality_review("national");
    // Received Monday 2026-03-02 (after the skips, still that day): 7 working days later is 2026-03-11.
    let today = s.today();
    let payload = |due: &str, urgency: Option<&str>| {
        json!({
            "legal_basis": ["某法"], "procedure_explanation": "p", "received_complete_on": today, "requested_due": due, "urgency_reason": urgency,
        })
    };
    s.refused(&drafter(), "submit_for_legality_review", payload("2026-03-10", None), "art26_min_7_working_days");
    s.ok(&drafter(), "submit_for_legality_review", payload("2026-03-11", None));
    s.ok(&drafter(), "submit_for_legality_review", payload("2026-03-05", Some("防汛紧急")));
    s.refused(&drafter(), "submit_for_legality_review", json!({ "legal_basis": ["某法"], "procedure_explanation": "", "received_complete_on": today, "requested_due": "2026-04-01" }), "art26_procedure_explanation");
}

#[test]
fn a_returned_submission_needs_a_new_one_before_any_opinion() {
    let mut s = S::at_legality_review("national");
    let today = s.today();
    let submit = json!({ "legal_basis": ["某法"], "procedure_explanation": "p", "received_complete_on": today, "requested_due": "2026-04-01" });
    s.ok(&drafter(), "submit_for_legality_review", submit);
    let rev = actor("rev", "司法局", Role::LegalityReviewer);
    s.ok(
        &actor("l", "司法局", Role::LegalAdviser),
        "record_lawyer_opinion",
        json!({ "capacity": "法律顾问", "opinion": "o" }),
    );
    s.refused(&drafter(), "return_submission", json!({ "reason": "x" }), "role_not_permitted");
    s.ok(&rev, "request_supplement", json!({ "reason": "缺少风险评估说明" }));
    let opinion = json!({ "authority": "a", "procedure": "p", "content": "c", "conclusion": "lawful" });
    s.refused(&rev, "issue_legality_opinion", opinion.clone(), "art26_not_submitted");
    // The complete set arrives later: the 7 working days count from then.
    s.now += Duration::days(10);
    let later = s.today();
    s.refused(&drafter(), "submit_for_legality_review", json!({
        "legal_basis": ["某法"], "procedure_explanation": "p", "received_complete_on": later, "requested_due": "2026-03-20",
    }), "art26_min_7_working_days");
    s.ok(&drafter(), "submit_for_legality_review", json!({
        "legal_basis": ["某法"], "procedure_explanation": "p", "received_complete_on": later, "requested_due": "2026-04-01", "urgency_reason": "汛期",
    }));
    s.ok(&rev, "issue_legality_opinion", opinion);
}

#[test]
fn execution_problems_reach_the_chief_and_feedback_raises_a_task_not_an_evaluation() {
    let mut s = S::in_meeting("national");
    s.ready_to_publish();
    s.ok(&office(), "publish_decision", json!({ "channels": ["gazette", "website"] }));
    s.ok(&office(), "begin_execution", json!({}));
    let ctx = Context { workflow: &s.wf, calendar: &s.cal, pools: &s.pools };
    let exec = actor("执行", "生态环境局", Role::ExecutingUnit);
    let report = Act::new("file_execution_report", json!({ "kind": "major_change", "text": "上位法修改" }));
    let out = step(ctx, &s.d, &report, &exec, s.now).unwrap();
    let told: Vec<_> = out
        .effects
        .iter()
        .filter_map(|e| match e {
            crate::effect::Effect::Notify { role, .. } => Some(*role),
            _ => None,
        })
        .collect();
    assert_eq!(told, [Role::ChiefExecutive, Role::GeneralOffice]);
    s.refused(
        &actor("x", "交通局", Role::ExecutingUnit),
        "file_execution_report",
        json!({ "kind": "progress", "text": "t" }),
        "not_assigned",
    );
    // Feedback up to the threshold (100 nationally) raises exactly one task.
    let public = actor("anon", "public", Role::Public);
    let mut tasks = 0;
    for i in 1..=101 {
        let ctx = Context { workflow: &s.wf, calendar: &s.cal, pools: &s.pools };
        let out =
            step(ctx, &s.d, &Act::new("submit_feedback", json!({ "content": format!("意见{i}") })), &public, s.now)
                .unwrap();
        tasks += out.effects.iter().filter(|e| matches!(e, crate::effect::Effect::Notify { .. })).count();
        s.d = out.decision;
    }
    assert_eq!(tasks, 1);
    assert_eq!(s.d.stage, "execution", "feedback never starts an evaluation by itself");
    // Post-evaluation: the evaluator cannot be the risk assessor; the report needs its sections.
    s.d.facts.risk_report = Some(crate::facts::RiskReport {
        assessor: "风险评估中心".into(),
        methods: vec![],
        departments_consulted: vec![],
        risk_points: vec![],
        measures: vec![],
        contingency_plan: String::new(),
        level: "low".into(),
        draft_hash: String::new(),
        confirmations: vec![],
    });
    s.refused(
        &office(),
        "start_post_evaluation",
        json!({ "trigger": "feedback", "evaluator": "风险评估中心" }),
        "art36_evaluator_conflict",
    );
    s.ok(&office(), "start_post_evaluation", json!({ "trigger": "feedback", "evaluator": "某大学评估中心" }));
    s.refused(
        &office(),
        "submit_post_evaluation_report",
        json!({ "report": "r", "recommendation": "adjust" }),
        "art36_report_sections",
    );
    s.ok(&office(), "submit_post_evaluation_report", json!({
        "report": "r", "recommendation": "adjust", "public_opinion_collection": "问卷1200份", "participants": ["人大代表", "社会组织"],
    }));
    // The published text can never be edited in place: only an adjustment changes it (Art. 37).
    s.refused(
        &drafter(),
        "record_draft",
        json!({ "text": "改", "explanation": "e", "legal_basis": ["法"] }),
        "art37_no_change_without_procedure",
    );
}

#[test]
fn a18_exploratory_needs_a_statement_and_lawyers_come_first() {
    let mut s = S::at_legality_review("national");
    let today = s.today();
    s.ok(&drafter(), "submit_for_legality_review", json!({
        "legal_basis": ["某法"], "procedure_explanation": "p", "received_complete_on": today, "requested_due": "2026-04-01",
    }));
    let rev = actor("rev", "司法局", Role::LegalityReviewer);
    let opinion =
        json!({ "authority": "a", "procedure": "p", "content": "c", "conclusion": "exploratory_with_legal_risk" });
    s.refused(&rev, "issue_legality_opinion", opinion.clone(), "art28_lawyer_opinion_required");
    s.ok(
        &actor("l", "司法局", Role::LegalAdviser),
        "record_lawyer_opinion",
        json!({ "capacity": "法律顾问", "opinion": "o" }),
    );
    s.refused(&rev, "issue_legality_opinion", opinion, "art25_exploratory_statement");
    s.refused(
        &rev,
        "issue_legality_opinion",
        json!({ "authority": "", "procedure": "p", "content": "c", "conclusion": "lawful" }),
        "art27_findings_required",
    );
}

#[test]
fn a19_package_names_every_missing_item() {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    let today = s.today();
    s.ok(
        &drafter(),
        "publish_comment_notice",
        json!({ "channels": ["website"], "submission_methods": ["m"], "start": today, "days": 30 }),
    );
    s.now += Duration::days(40);
    s.ok(&drafter(), "close_participation", json!({}));
    for (stage, skip) in [("hearing", "skip_hearing"), ("expert_consultation", "skip_expert_consultation")] {
        s.skip(stage, skip);
    }
    // Risk applies: force the close without a report through a determination
    // recorded *after* leaving the stage is impossible, so skip via
    // already_done is the only other way — here we instead test the package
    // with risk applicable by setting the determination back to applicable.
    s.skip("risk_assessment", "skip_risk_assessment");
    s.d.facts.applicability.remove("risk_assessment");
    let today = s.today();
    s.ok(&drafter(), "submit_for_legality_review", json!({ "legal_basis": ["l"], "procedure_explanation": "p", "received_complete_on": today, "requested_due": today + Duration::days(30) }));
    s.ok(
        &actor("l", "司法局", Role::LegalAdviser),
        "record_lawyer_opinion",
        json!({ "capacity": "法律顾问", "opinion": "o" }),
    );
    s.ok(
        &actor("rev", "司法局", Role::LegalityReviewer),
        "issue_legality_opinion",
        json!({ "authority": "a", "procedure": "p", "content": "c", "conclusion": "lawful" }),
    );
    s.ok(&drafter(), "close_legality_review", json!({}));
    let codes = s.try_act(&drafter(), "submit_package", json!({})).unwrap_err();
    assert!(codes.contains(&"art29_2_public_opinion_adoption".into()), "{codes:?}");
    assert!(codes.contains(&"art29_4_risk_report".into()), "{codes:?}");
}

#[test]
fn a20_meeting_type_and_chief_speaks_last() {
    let mut s = S::reviewed("national", "lawful");
    s.ok(&drafter(), "submit_package", json!({}));
    let today = s.today();
    s.refused(
        &office(),
        "convene_meeting",
        json!({ "meeting_type": "topic", "date": today, "members": ["甲"] }),
        "art30_meeting_type",
    );
    let refused = json!({ "meeting_type": "plenary", "date": today, "members": ["甲", "甲"] });
    s.refused(&office(), "convene_meeting", refused, "invalid_payload");
    let refused = json!({ "meeting_type": "plenary", "date": today, "members": [{ "name": "甲", "login": "甲" }] });
    s.refused(&office(), "convene_meeting", refused, "invalid_payload");
    // 甲 signs in as account `u-jia` and records their own stance; 乙 is listed by name, the office records theirs.
    let members = json!([{ "name": "甲", "user": "u-jia" }, "乙"]);
    s.ok(&office(), "convene_meeting", json!({ "meeting_type": "plenary", "date": today, "members": members }));
    let jia = Actor { user_id: "u-jia".into(), ..actor("甲", "政府", Role::MeetingMember) };
    s.refused(
        &office(),
        "record_stance",
        json!({ "member": "丁", "stance": "support", "words": "w" }),
        "art30_not_a_member",
    );
    // A name is not an identity: another member account called 甲 is not on this roster.
    s.refused(
        &actor("甲", "政府", Role::MeetingMember),
        "record_stance",
        json!({ "member": "甲", "stance": "support", "words": "冒名" }),
        "not_assigned",
    );
    // Nor does 甲 speak for 乙.
    let detail = s.refusal_detail(
        &jia,
        "record_stance",
        json!({ "member": "乙", "stance": "support", "words": "w" }),
        "art30_stance_of_another",
    );
    assert!(detail.contains("`甲`") && detail.contains("`乙`"), "{detail}");
    s.ok(&jia, "record_stance", json!({ "member": "甲", "stance": "oppose", "words": "反对" }));
    s.refused(
        &actor("丁", "政府", Role::MeetingMember),
        "record_stance",
        json!({ "member": "丁", "stance": "oppose", "words": "w" }),
        "not_assigned",
    );
    s.ok(&office(), "record_stance", json!({ "member": "乙", "stance": "oppose", "words": "反对" }));
    let chief = actor("市长", "政府", Role::ChiefExecutive);
    s.refused(&chief, "decide", json!({}), "art30_chief_decision_missing");
    s.refused(
        &chief,
        "record_chief_opinion",
        json!({ "decision": "adopt", "words": "通过" }),
        "art30_divergence_reason",
    );
    s.ok(
        &chief,
        "record_chief_opinion",
        json!({ "decision": "adopt", "words": "通过", "divergence_reason": "上级要求限期出台" }),
    );
    s.refused(
        &office(),
        "record_stance",
        json!({ "member": "乙", "stance": "support", "words": "改变" }),
        "art30_chief_speaks_last",
    );
    s.ok(&chief, "decide", json!({}));
    assert_eq!(s.d.facts.outcome.as_ref().unwrap().majority, "oppose");
    s.ok(&office(), "close_meeting", json!({}));
}

#[test]
fn uncontrollable_risk_blocks_the_decision() {
    let mut s = S::in_meeting("national");
    s.d.facts.controllability = Some(crate::facts::Controllability {
        controllable: false,
        by: "office".into(),
        draft_hash: s.d.facts.current_draft_hash().unwrap().into(),
        at: s.now,
    });
    let chief = actor("市长", "政府", Role::ChiefExecutive);
    s.ok(&chief, "record_chief_opinion", json!({ "decision": "adopt", "words": "通过" }));
    s.refused(&chief, "decide", json!({}), "art24_uncontrollable");
}

#[test]
fn a22_publication_needs_the_party_report_and_required_channels() {
    let mut s = S::in_meeting("national");
    let chief = actor("市长", "政府", Role::ChiefExecutive);
    s.ok(&chief, "record_chief_opinion", json!({ "decision": "adopt", "words": "通过" }));
    s.ok(&chief, "decide", json!({}));
    s.ok(&office(), "close_meeting", json!({}));
    s.refused(&office(), "publish_decision", json!({ "channels": ["website"] }), "art31_party_report_missing");
    s.ok(&office(), "report_to_party", json!({ "reference_no": "r1" }));
    let codes = s.try_act(&office(), "publish_decision", json!({ "channels": ["wechat"] })).unwrap_err();
    for c in ["art31_party_report_missing", "art34_executing_unit_required", "art32_required_channels"] {
        assert!(codes.contains(&c.to_string()), "{c} missing from {codes:?}");
    }
    s.ok(&office(), "record_party_response", json!({ "response": "同意" }));
    s.ok(&office(), "designate_executing_unit", json!({ "unit": "生态环境局" }));
    s.ok(&office(), "publish_decision", json!({ "channels": ["gazette", "website"] }));
    assert_eq!(s.d.stage, "publication");
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
            let who = Actor { user_id: "u".into(), name: "u".into(), unit: "生态环境局".into(), position: "p".into(), roles: vec![Role::ALL[role]] };
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

#[test]
fn lr4_cd7_the_procedure_explanation_is_generated_from_the_record() {
    let mut s = S::at_legality_review("national");
    let today = s.today();
    let submit = json!({ "legal_basis": ["某法"], "received_complete_on": today, "requested_due": "2026-04-01" });
    s.ok(&drafter(), "submit_for_legality_review", submit);
    let text = &s.d.facts.legality_submissions[0].procedure_explanation;
    assert!(text.contains("hearing：NotApplicable，理由：r"), "{text}");
    assert!(text.contains("决定启动，承办单位：生态环境局"), "{text}");
    let edited = json!({ "legal_basis": ["某法"], "procedure_explanation": "  ", "received_complete_on": today, "requested_due": "2026-04-01" });
    s.refused(&drafter(), "submit_for_legality_review", edited, "art26_procedure_explanation");
}

#[test]
fn sc1_a_township_profile_keeps_the_mandatory_gates() {
    let mut s = S::started("example-township");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.refused(&drafter(), "submit_package", json!({}), "act_not_allowed_in_stage");
    let mut s = S::at_legality_review("example-township");
    s.refused(&drafter(), "close_legality_review", json!({}), "art25_no_legality_review");
}

#[test]
fn sc5_a_profile_can_require_a_catalogue_item() {
    let mut s = S::proposed("example-province");
    s.refused(
        &office(),
        "start_decision",
        json!({ "category": 1, "undertaking_units": ["A"] }),
        "catalogue_item_required",
    );
    s.ok(
        &office(),
        "start_decision",
        json!({ "category": 1, "undertaking_units": ["A"], "catalogue_item": "2026-01" }),
    );
}

#[test]
fn in3_in6_legal_basis_and_dispute_statement() {
    let mut s = S::started("national");
    s.refused(
        &drafter(),
        "record_draft",
        json!({ "text": "v2", "explanation": "e", "legal_basis": [" "] }),
        "art12_legal_basis_required",
    );
    s.ok(&drafter(), "record_consultation", json!({ "unit": "交通局", "agreed": false, "opinion": "不同意限行范围" }));
    let mut s2 = S::reviewed("national", "lawful");
    s2.d.facts.consultations = s.d.facts.consultations.clone();
    s2.refused(&drafter(), "submit_package", json!({}), "art13_dispute_statement");
    s2.ok(
        &drafter(),
        "record_dispute_statement",
        json!({ "text": "争议：限行范围；交通局意见：缩小；本单位意见及理由：依上位法" }),
    );
    s2.ok(&drafter(), "submit_package", json!({}));
}

#[test]
fn pp2_pp3_activities_and_specific_groups() {
    let mut s = at_participation();
    s.refused(&drafter(), "close_participation", json!({}), "art14_activity_required");
    s.ok(&drafter(), "set_flags", json!({ "specific_group_interest": true }));
    s.ok(
        &drafter(),
        "record_activity",
        json!({ "method": "public_comment", "participant_types": ["公众"], "summary": "网上征求意见" }),
    );
    s.refused(&drafter(), "close_participation", json!({}), "art14_specific_group");
    s.ok(
        &drafter(),
        "record_activity",
        json!({ "method": "symposium", "participant_types": ["群众代表"], "summary": "座谈会" }),
    );
    s.ok(&drafter(), "close_participation", json!({}));
    s.refused(&drafter(), "record_activity", json!({ "method": "x", "summary": "s" }), "act_not_allowed_in_stage");
}

#[test]
fn pp9_hearing_notice_must_come_in_advance() {
    let mut s = at_participation();
    s.skip("public_participation", "skip_public_participation");
    let today = s.today();
    s.refused(
        &drafter(),
        "publish_hearing_notice",
        json!({ "date": today, "place": "p", "sides": ["a"] }),
        "art16_notice_in_advance",
    );
    s.ok(
        &drafter(),
        "publish_hearing_notice",
        json!({ "date": today + Duration::days(1), "place": "p", "sides": ["a"] }),
    );
}

#[test]
fn ex1_a_technical_matter_cannot_waive_experts() {
    let mut s = S::started("national");
    s.ok(&drafter(), "set_flags", json!({ "technical": true }));
    let waive = json!({ "stage": "expert_consultation", "outcome": "not_applicable", "reason": "r" });
    s.refused(&drafter(), "determine_applicability", waive, "art19_technical_requires_experts");
    s.ok(
        &drafter(),
        "determine_applicability",
        json!({ "stage": "hearing", "outcome": "not_applicable", "reason": "r" }),
    );
}

#[test]
fn ex4_profile_panel_size_odd_and_officials_share() {
    let mut s = S::started("example-province");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.ok(&drafter(), "record_cost_benefit", json!({ "inputs": "i", "benefits": "b" }));
    s.ok(&drafter(), "complete_cost_benefit", json!({}));
    let today = s.today();
    s.ok(
        &drafter(),
        "publish_comment_notice",
        json!({ "channels": ["website"], "submission_methods": ["m"], "start": today, "days": 30 }),
    );
    s.now += Duration::days(40);
    s.ok(&drafter(), "record_public_adoption_summary", json!({ "text": "无意见" }));
    s.ok(&drafter(), "close_participation", json!({}));
    s.skip("hearing", "skip_hearing");
    for (i, official) in [(1, true), (2, true), (3, false), (4, false)] {
        s.ok(
            &drafter(),
            "select_expert",
            json!({ "expert_id": format!("x{i}"), "name": format!("x{i}"), "field": "f", "official": official }),
        );
    }
    for i in 1..=4 {
        let e = actor(&format!("x{i}"), "u", Role::Expert);
        s.ok(&e, "declare_no_direct_interest", json!({ "expert_id": format!("x{i}") }));
        s.ok(&e, "acknowledge_confidentiality", json!({ "expert_id": format!("x{i}") }));
        let op = json!({ "expert_id": format!("x{i}"), "necessity": "n", "feasibility": "f", "scientific_soundness": "s", "signature": "x" });
        s.ok(&e, "submit_expert_opinion", op);
    }
    s.ok(&drafter(), "record_expert_adoption_summary", json!({ "text": "采纳" }));
    // 4 experts: below the profile's minimum of 5, and even.
    let codes = s.try_act(&drafter(), "close_expert_consultation", json!({})).unwrap_err();
    assert!(
        codes.contains(&"expert_opinions_incomplete".into()) && codes.contains(&"expert_panel_composition".into()),
        "{codes:?}"
    );
    s.ok(&drafter(), "select_expert", json!({ "expert_id": "x5", "name": "x5", "field": "f" }));
    let e = actor("x5", "u", Role::Expert);
    s.ok(&e, "declare_no_direct_interest", json!({ "expert_id": "x5" }));
    s.ok(&e, "acknowledge_confidentiality", json!({ "expert_id": "x5" }));
    s.ok(&e, "submit_expert_opinion", json!({ "expert_id": "x5", "necessity": "n", "feasibility": "f", "scientific_soundness": "s", "signature": "x" }));
    // 5 experts, 2 officials = 40 % > 33 %.
    s.refused(&drafter(), "close_expert_consultation", json!({}), "expert_panel_composition");
}

#[test]
fn ra1_ra4_risk_report_sections_and_presence() {
    let mut s = at_participation();
    for (stage, skip) in [
        ("public_participation", "skip_public_participation"),
        ("hearing", "skip_hearing"),
        ("expert_consultation", "skip_expert_consultation"),
    ] {
        s.skip(stage, skip);
    }
    s.refused(&drafter(), "close_risk_assessment", json!({}), "art22_risk_report_missing");
    let thin = json!({ "assessor": "中心", "methods": ["舆情跟踪"], "level": "low" });
    s.refused(&drafter(), "submit_risk_report", thin, "art23_report_sections");
    s.refused(&drafter(), "submit_risk_report", json!({ "assessor": "中心", "level": "extreme" }), "invalid_payload");
    s.ok(
        &drafter(),
        "submit_risk_report",
        json!({
            "assessor": "中心", "methods": ["重点走访"], "departments_consulted": ["公安局"], "risk_points": ["上访"],
            "measures": ["分步实施"], "contingency_plan": "应急预案", "level": "medium",
        }),
    );
    s.ok(&drafter(), "close_risk_assessment", json!({}));
}

#[test]
fn ra2_an_assessment_done_elsewhere_satisfies_the_package() {
    let mut s = S::reviewed("national", "lawful");
    s.d.facts.applicability.remove("risk_assessment");
    s.refused(&drafter(), "submit_package", json!({}), "art29_4_risk_report");
    s.d.facts.applicability.insert(
        "risk_assessment".into(),
        crate::facts::Determination {
            outcome: crate::facts::Applicability::AlreadyDone,
            reason: "项目审批时已作社会稳定风险评估".into(),
            reference: Some("发改投资〔2025〕12号".into()),
            by: "drafter".into(),
            at: s.now,
        },
    );
    s.ok(&drafter(), "submit_package", json!({}));
}

#[test]
fn lr9_a_negative_fair_competition_review_blocks_issuance_not_discussion() {
    let mut s = S::reviewed("national", "lawful");
    s.d.facts.flags.affects_market_entities = true;
    s.refused(&drafter(), "submit_package", json!({}), "art29_1_fair_competition");
    let review = json!({ "initial_review": "起草单位初审", "regulator_conclusion": "违反第八条", "passed": false });
    s.ok(&drafter(), "record_fair_competition", review);
    // Art. 29(1) asks that the package include the review; a negative one does not bar the discussion …
    s.ok(&drafter(), "submit_package", json!({}));
    let today = s.today();
    s.ok(&office(), "convene_meeting", json!({ "meeting_type": "executive", "date": today, "members": ["甲"] }));
    s.ok(&office(), "record_stance", json!({ "member": "甲", "stance": "support", "words": "同意" }));
    s.ready_to_publish();
    // … the Fair Competition Review Regulation bars the measure's issuance.
    let codes = s.try_act(&office(), "publish_decision", json!({ "channels": ["gazette", "website"] })).unwrap_err();
    assert_eq!(codes, ["fcr_negative_blocks_issuance"]);
    let article = &s.wf.gates["fcr_negative_blocks_issuance"].article;
    assert!(article.contains("公平竞争审查条例") && article.contains("not Decree 713"), "{article}");
}

#[test]
fn sc8_pb2_pb3_cd8_publication_rules() {
    let mut s = S::in_meeting("national");
    s.ok(
        &actor("甲", "政府", Role::MeetingMember),
        "record_stance",
        json!({ "member": "甲", "stance": "reserve", "words": "保留意见" }),
    );
    s.ready_to_publish();
    s.d.facts.flags.npc_report_required = true;
    s.d.facts.flags.technical = true;
    let publish = json!({ "channels": ["gazette", "website"] });
    let codes = s.try_act(&office(), "publish_decision", publish.clone()).unwrap_err();
    assert!(
        codes.contains(&"art8_npc_report_missing".into()) && codes.contains(&"art32_adoption_explanation".into()),
        "{codes:?}"
    );
    s.ok(&office(), "record_npc_report", json!({ "reference_no": "人大常委会备〔2026〕1号" }));
    s.ok(&office(), "publish_decision", json!({
        "channels": ["gazette", "website"], "adoption_explanation": "专家意见全部采纳", "interpretation_activities": ["政策解读"],
    }));
    // A lawfully non-disclosable decision is released without public channels (PB-3).
    let mut n = S::in_meeting("national");
    n.ready_to_publish();
    n.refused(&office(), "publish_decision", json!({ "channels": [] }), "art32_required_channels");
    n.d.facts.non_disclosure = Some(crate::facts::NonDisclosure {
        legal_ground: "state_secret".into(),
        legal_basis: "b".into(),
        approved_by: "o".into(),
    });
    n.ok(&office(), "publish_decision", json!({ "channels": [] }));
}

#[test]
fn ar1_closing_needs_a_complete_archive() {
    let mut s = S::in_meeting("national");
    s.ready_to_publish();
    s.ok(&office(), "publish_decision", json!({ "channels": ["gazette", "website"] }));
    s.ok(&office(), "begin_execution", json!({}));
    // Execution ends on a completion report (Art. 37).
    let exec = actor("执行", "生态环境局", Role::ExecutingUnit);
    s.ok(&exec, "file_execution_report", json!({ "kind": "completion", "text": "执行完毕" }));
    s.ok(&office(), "end_execution", json!({}));
    // A hearing was held but its record was never confirmed: the manifest lists it as missing.
    s.d.facts.hearing = Some(crate::facts::Hearing {
        participants: vec![crate::facts::HearingParticipant {
            name: "C".into(),
            side: "居民".into(),
            materials_delivered_on: None,
            signed: false,
            refusal_reason: None,
        }],
        ..Default::default()
    });
    let codes = s.try_act(&office(), "archive_decision", json!({ "archivist": "档案室" })).unwrap_err();
    assert_eq!(codes, ["art33_archive_incomplete"]);
    s.d.facts.hearing = None;
    s.ok(&office(), "archive_decision", json!({ "archivist": "档案室" }));
    // Nothing can be done to a closed decision, by anyone.
    for role in Role::ALL {
        let who = Actor {
            user_id: "u".into(),
            name: "u".into(),
            unit: "生态环境局".into(),
            position: "p".into(),
            roles: vec![role],
        };
        s.refused(
            &who,
            "record_draft",
            json!({ "text": "x", "explanation": "e", "legal_basis": ["l"] }),
            "act_not_allowed_in_stage",
        );
    }
}
