//! The acts the demo does not take — the catalogue, the expert pool, the hearing, the legality review's returns,
//! adjustments, accountability, the engine's own acts — each taken once with its example from the API document
//! (`api/src/routes/act_examples.json`), verbatim, on a record in the right stage: an example the engine refuses
//! fails here, naming the act and the reason. Records have fixed ids and the clock is fixed, so that examples may
//! name them (a pool, a suggestion number, a decision).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use juece_engine::act::Act;
use juece_engine::actor::{Actor, Role};
use juece_engine::orchestrator::{ActRequest, Engine, OpinionRequest};
use serde_json::{json, Value};

/// Who takes the acts: the people of the demo, and the engine.
struct Cast {
    office: Actor,
    drafter: Actor,
    adviser: Actor,
    reviewer: Actor,
    chief: Actor,
    oversight: Actor,
    manager: Actor,
    public: Actor,
}

fn someone(id: &str, name: &str, unit: &str, position: &str, role: Role) -> Actor {
    Actor {
        user_id: id.into(),
        name: name.into(),
        unit: unit.into(),
        position: position.into(),
        roles: vec![role],
        former_units: Vec::new(),
    }
}

fn cast() -> Cast {
    Cast {
        office: someone("office", "王文", "示范市人民政府办公室", "秘书长", Role::GeneralOffice),
        drafter: someone("drafter", "李明", UNIT, "法规科科长", Role::Drafter),
        adviser: someone("adviser", "周律师", "示范市司法局", "公职律师", Role::LegalAdviser),
        reviewer: someone("reviewer", "吴审", "示范市司法局", "合法性审查科科长", Role::LegalityReviewer),
        chief: someone("chief", "张市长", "示范市人民政府", "市长", Role::ChiefExecutive),
        oversight: someone("oversight", "人大监督", "示范市人大常委会", "监督员", Role::Oversight),
        manager: someone("pm", "库管员", "示范市司法局", "科长", Role::PoolManager),
        public: someone("anonymous", "公众", "public", "", Role::Public),
    }
}

/// The undertaking unit of the tour's decisions.
const UNIT: &str = "示范市生态环境局";

/// Every engine call is boxed: debug builds give each temporary of an async fn its own stack slot, and test
/// threads have small stacks.
///
/// The tour's state: the engine, its clock, the examples, and the acts whose example was accepted.
struct Tour<'a> {
    engine: &'a Engine,
    now: DateTime<Utc>,
    examples: BTreeMap<String, Value>,
    taken: BTreeSet<String>,
}

impl Tour<'_> {
    /// `act`'s example, as the document shows it.
    fn example(&self, act: &str) -> Value {
        self.examples.get(act).cloned().unwrap_or_else(|| panic!("`{act}` has no example in act_examples.json"))
    }

    /// A step that sets the scene (its payload is not an example): it must be accepted.
    async fn step(&self, who: &Actor, id: &str, act: &str, payload: Value) {
        let a = Act::new(act, payload);
        if let Err(e) = Box::pin(self.engine.apply(ActRequest::new(id, &a, who, self.now))).await {
            panic!("{id}: setting the scene, `{act}` was refused: {e}");
        }
    }

    /// `act` taken on `id` with its example, verbatim: it must be accepted.
    async fn take(&mut self, who: &Actor, id: &str, act: &str) {
        let a = Act::new(act, self.example(act));
        if juece_engine::ledger::Kind::of_act(act).is_some() {
            let request = OpinionRequest { decision_id: id, act: &a, actor: who, now: self.now, answer: None };
            if let Err(e) = self.engine.receive(request).await {
                panic!("{id}: the example of `{act}` was refused: {e:?}\nexample: {}", self.example(act));
            }
            self.taken.insert(act.to_string());
            return;
        }
        if let Err(e) = Box::pin(self.engine.apply(ActRequest::new(id, &a, who, self.now))).await {
            panic!("{id}: the example of `{act}` was refused: {e:?}\nexample: {}", self.example(act));
        }
        self.taken.insert(act.to_string());
    }

    /// `act`, which the engine took on `id` itself as the effect of another act, was recorded with its example.
    async fn recorded(&mut self, id: &str, act: &str) {
        let records = self.engine.store().audit_records(id).await.expect("the record");
        let taken = records.iter().find(|r| r.act == act).unwrap_or_else(|| panic!("{id}: no `{act}` on record"));
        let payload: Value = serde_json::from_str(&taken.payload).expect("a recorded payload is JSON");
        assert_eq!(payload, self.example(act), "{id}: `{act}` was recorded with another payload than its example");
        self.taken.insert(act.to_string());
    }

    /// A record of `workflow` opened as `id` with `act`'s example.
    async fn open_with(&mut self, workflow: &str, who: &Actor, id: &str, act: &str) {
        let a = Act::new(act, self.example(act));
        if let Err(e) = Box::pin(self.engine.open(workflow, ActRequest::new(id, &a, who, self.now))).await {
            panic!("{id}: the example of `{act}` did not open a `{workflow}` record: {e:?}");
        }
        self.taken.insert(act.to_string());
    }

    /// A national decision `id` proposed by the general office (the proposal is the demo's act).
    async fn propose(&self, who: &Actor, id: &str, title: &str) {
        let p = json!({ "title": title, "organ": "示范市人民政府", "proposer_type": "department", "proposer": UNIT,
            "summary": "制定实施办法。", "main_problem": "PM2.5超标", "reasons_and_basis": "《大气污染防治法》",
            "preliminary_solution": "分区管控", "necessity": "迫切", "feasibility": "可行" });
        let a = Act::new("submit_proposal", p);
        Box::pin(self.engine.open("national", ActRequest::new(id, &a, who, self.now))).await.expect("proposed");
    }

    /// [`Tour::propose`], started for [`UNIT`] with a first draft and the justice bureau's comment: in drafting.
    async fn drafting(&self, c: &Cast, id: &str, title: &str) {
        self.propose(&c.office, id, title).await;
        self.step(&c.office, id, "start_decision", json!({ "category": 1, "undertaking_units": [UNIT] })).await;
        let draft = json!({ "text": "第一条 为规范……", "explanation": "依据上位法起草。", "legal_basis": ["《大气污染防治法》"] });
        self.step(&c.drafter, id, "record_draft", draft).await;
        let comment = json!({ "unit": "示范市司法局", "agreed": true, "opinion": "原则同意。" });
        self.step(&c.drafter, id, "record_consultation", comment).await;
    }

    /// A recorded determination that `stage` does not apply (the demo's act, so a step).
    async fn not_applicable(&self, c: &Cast, id: &str, stage: &str) {
        let det = json!({ "stage": stage, "outcome": "not_applicable", "reason": "经研判不适用" });
        self.step(&c.drafter, id, "determine_applicability", det).await;
    }
}

/// Take every act the demo does not, each with its example; the acts taken.
pub(super) async fn tour(engine: &Engine) -> BTreeSet<String> {
    let examples = juece_api::routes::act_payloads::examples();
    // 09:00 CST on Monday 2 March 2026, like the demo.
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).single().expect("time");
    let mut t = Tour { engine, now, examples, taken: BTreeSet::new() };
    let c = cast();
    Box::pin(pool(&mut t, &c)).await;
    Box::pin(catalogue(&mut t, &c)).await;
    Box::pin(initiation(&mut t, &c)).await;
    Box::pin(review_and_meeting(&mut t, &c)).await;
    Box::pin(execution(&mut t, &c)).await;
    Box::pin(shortened(&mut t, &c)).await;
    // Last: it moves the clock.
    Box::pin(participation_hearing_experts(&mut t, &c)).await;
    t.taken
}

/// The city's expert pool `tour-pool`: three experts on air quality (the draw takes them all) and one other.
async fn pool(t: &mut Tour<'_>, c: &Cast) {
    let id = "tour-pool";
    t.open_with("expert_pool", &c.manager, id, "create_pool").await;
    t.take(&c.manager, id, "admit_expert").await;
    for (eid, name, field) in [("e-2", "钱研究员", "大气环境"), ("e-3", "孙工", "大气环境"), ("e-4", "冯工", "水环境")]
    {
        let admit = json!({ "id": eid, "name": name, "fields": [field], "affiliation": "省环境科学研究院" });
        t.step(&c.manager, id, "admit_expert", admit).await;
    }
    t.take(&c.manager, id, "record_integrity_fact").await;
    t.take(&c.manager, id, "set_expert_status").await;
}

/// The 2026 catalogue `tour-catalogue`: consented, published, adjusted; the engine's acts on it.
async fn catalogue(t: &mut Tour<'_>, c: &Cast) {
    let id = "tour-catalogue";
    t.open_with("catalogue", &c.office, id, "create_catalogue").await;
    t.take(&c.office, id, "record_party_consent").await;
    t.take(&c.office, id, "publish_catalogue").await;
    t.take(&c.office, id, "adjust_catalogue").await;
    // The engine takes these with a decision's start and its decision: they name one of the catalogue's items.
    t.take(&Actor::engine(), id, "record_item_taken_up").await;
    t.take(&Actor::engine(), id, "record_item_decided").await;
}

/// A proposal declined; a non-disclosable matter passes over public participation, then experts and risk.
async fn initiation(t: &mut Tour<'_>, c: &Cast) {
    t.propose(&c.office, "tour-declined", "示范市某一般事项").await;
    t.take(&c.office, "tour-declined", "decline_proposal").await;

    let id = "tour-secret";
    t.drafting(c, id, "示范市涉密基础设施布局方案").await;
    t.take(&c.office, id, "declare_non_disclosable").await;
    t.take(&c.drafter, id, "record_dispute_statement").await;
    t.step(&c.drafter, id, "finish_drafting", json!({})).await;
    t.not_applicable(c, id, "cost_benefit").await;
    t.take(&c.drafter, id, "skip_cost_benefit").await;
    t.take(&c.drafter, id, "skip_public_participation").await;
    t.step(&c.drafter, id, "skip_hearing", json!({})).await;
    t.not_applicable(c, id, "expert_consultation").await;
    t.take(&c.drafter, id, "skip_expert_consultation").await;
    t.not_applicable(c, id, "risk_assessment").await;
    t.take(&c.drafter, id, "skip_risk_assessment").await;
}

/// `tour-review`: risk assessed; the legality review returned, supplemented, re-bound to a new draft; a package sent back by the
/// meeting. `tour-rejected`: a matter the chief executive rejects.
async fn review_and_meeting(t: &mut Tour<'_>, c: &Cast) {
    let id = "tour-review";
    t.drafting(c, id, "示范市扬尘污染防治办法").await;
    t.step(&c.drafter, id, "finish_drafting", json!({})).await;
    t.not_applicable(c, id, "cost_benefit").await;
    t.step(&c.drafter, id, "skip_cost_benefit", json!({})).await;
    let symposium = json!({ "method": "symposium", "participant_types": ["群众代表"], "summary": "座谈会" });
    t.step(&c.drafter, id, "record_activity", symposium).await;
    t.step(&c.drafter, id, "record_public_adoption_summary", json!({ "text": "座谈会意见已研究采纳。" })).await;
    t.step(&c.drafter, id, "close_participation", json!({})).await;
    t.not_applicable(c, id, "hearing").await;
    t.step(&c.drafter, id, "skip_hearing", json!({})).await;
    t.not_applicable(c, id, "expert_consultation").await;
    t.step(&c.drafter, id, "skip_expert_consultation", json!({})).await;
    let report = json!({ "assessor": "示范市社会稳定风险评估中心", "methods": ["重点走访"], "departments_consulted": ["示范市公安局"],
        "risk_points": ["周边居民集体反映"], "measures": ["分步实施"], "contingency_plan": "信访应急处置预案", "level": "medium" });
    t.step(&c.drafter, id, "submit_risk_report", report).await;
    t.step(&c.office, id, "judge_controllability", json!({ "controllable": true })).await;
    t.step(&c.drafter, id, "close_risk_assessment", json!({})).await;

    let received = t.now.date_naive();
    let due = juece_engine::calendar::period::add_working_days(&t.engine.calendar(), received, 7).last_day;
    let submission = json!({ "legal_basis": ["《大气污染防治法》"], "procedure_explanation": "已履行法定程序。",
        "received_complete_on": received, "requested_due": due });
    t.step(&c.drafter, id, "submit_for_legality_review", submission.clone()).await;
    t.take(&c.reviewer, id, "record_review_receipt").await;
    // Each ends the submission pending: the drafter submits again.
    t.take(&c.reviewer, id, "request_supplement").await;
    t.step(&c.drafter, id, "submit_for_legality_review", submission.clone()).await;
    t.take(&c.reviewer, id, "return_submission").await;
    t.step(&c.drafter, id, "submit_for_legality_review", submission).await;
    t.step(&c.adviser, id, "record_lawyer_opinion", json!({ "capacity": "公职律师", "opinion": "未发现违法情形。" }))
        .await;
    let opinion = json!({ "authority": "在法定权限内", "procedure": "程序完备", "content": "内容符合上位法", "conclusion": "lawful" });
    t.step(&c.reviewer, id, "issue_legality_opinion", opinion).await;
    t.take(&c.drafter, id, "record_fair_competition").await;
    // A second draft after the opinion: the reviewer and the drafter say it changes nothing they assessed.
    let second = json!({ "text": "第一条 为规范……（第二稿）", "explanation": "根据审查意见修改。", "legal_basis": ["《大气污染防治法》"] });
    t.step(&c.drafter, id, "record_draft", second).await;
    t.take(&c.reviewer, id, "confirm_opinion_unaffected").await;
    t.take(&c.drafter, id, "confirm_risk_unaffected").await;
    t.step(&c.office, id, "judge_controllability", json!({ "controllable": true })).await;
    t.step(&c.drafter, id, "close_legality_review", json!({})).await;
    t.step(&c.drafter, id, "submit_package", json!({})).await;
    let meeting = json!({ "meeting_type": "executive", "date": t.now.date_naive(), "members": ["王文"] });
    t.step(&c.office, id, "convene_meeting", meeting).await;
    t.step(&c.office, id, "record_stance", json!({ "member": "王文", "stance": "support", "words": "同意" })).await;
    t.step(&c.office, id, "close_meeting", json!({})).await;
    t.take(&c.chief, id, "send_back").await;

    let rejected = "tour-rejected";
    t.propose(&c.office, rejected, "示范市某收费调整方案").await;
    let start = json!({ "category": 1, "undertaking_units": ["生态环境局"] });
    Box::pin(juece_tests::drive_opened(t.engine, rejected, t.now, start, "submit_package")).await;
    t.take(&c.chief, rejected, "reject_decision").await;
}

/// `tour-decided` reported to the people's congress; `tour-execution` in force: feedback, an adjustment (its child
/// `tour-adjustment`), superseded, and a responsibility-tracing case on its record.
async fn execution(t: &mut Tour<'_>, c: &Cast) {
    let start = json!({ "category": 1, "undertaking_units": ["生态环境局"] });
    t.propose(&c.office, "tour-decided", "示范市机动车限行办法").await;
    Box::pin(juece_tests::drive_opened(t.engine, "tour-decided", t.now, start.clone(), "close_meeting")).await;
    t.take(&c.office, "tour-decided", "record_npc_report").await;

    let id = "tour-execution";
    t.propose(&c.office, id, "示范市大气污染防治条例实施办法").await;
    Box::pin(juece_tests::drive_opened(t.engine, id, t.now, start, "begin_execution")).await;
    t.take(&c.public, id, "submit_feedback").await;
    // The adjustment's own decision exists first; the parent's act writes its origin on it.
    t.propose(&c.office, "tour-adjustment", "关于调整实施办法的决策").await;
    t.take(&c.office, id, "record_adjustment").await;
    t.recorded("tour-adjustment", "record_origin").await;
    t.take(&Actor::engine(), id, "record_superseded").await;
    t.take(&c.oversight, id, "open_accountability_case").await;
    t.take(&c.oversight, id, "conclude_accountability_case").await;
}

/// `tour-shortened`: a 30-day comment period shortened after its notice went out (a new notice would be due).
async fn shortened(t: &mut Tour<'_>, c: &Cast) {
    let id = "tour-shortened";
    t.drafting(c, id, "示范市汛期排水设施建设方案").await;
    t.step(&c.drafter, id, "finish_drafting", json!({})).await;
    t.not_applicable(c, id, "cost_benefit").await;
    t.step(&c.drafter, id, "skip_cost_benefit", json!({})).await;
    let notice =
        json!({ "channels": ["website"], "submission_methods": ["电子邮件"], "start": t.now.date_naive(), "days": 30 });
    t.step(&c.drafter, id, "publish_comment_notice", notice).await;
    t.take(&c.drafter, id, "shorten_comment_period").await;
}

/// `tour-hearing`: the hearing's determination revised; a comment period approved short, a hearing suggested and promised; the period
/// ends; a symposium too; the hearing held on its day; then experts drawn from `tour-pool`.
async fn participation_hearing_experts(t: &mut Tour<'_>, c: &Cast) {
    let id = "tour-hearing";
    t.drafting(c, id, "示范市大气污染防治条例实施办法（听证）").await;
    // The hearing was found not to apply, then applies after all (a revision keeps the first determination).
    t.not_applicable(c, id, "hearing").await;
    t.take(&c.drafter, id, "revise_applicability").await;
    t.step(&c.drafter, id, "finish_drafting", json!({})).await;
    t.not_applicable(c, id, "cost_benefit").await;
    t.step(&c.drafter, id, "skip_cost_benefit", json!({})).await;
    // The general office approves the short period before the notice goes out, which gives its reason.
    t.take(&c.office, id, "approve_comment_shortening").await;
    let approved = t.example("approve_comment_shortening");
    let notice = json!({ "channels": ["website"], "submission_methods": ["电子邮件"], "start": t.now.date_naive(),
        "days": approved["days"], "shortening_reason": approved["reason"] });
    t.step(&c.drafter, id, "publish_comment_notice", notice).await;
    t.take(&c.public, id, "suggest_hearing").await;
    t.take(&c.drafter, id, "decide_hearing_suggestion").await;
    // Two identical comments are one campaign; the second is split off, then hidden for what it discloses.
    t.take(&c.public, id, "receive_comment").await;
    t.take(&c.public, id, "receive_comment").await;
    t.take(&c.drafter, id, "split_opinion").await;
    t.take(&c.office, id, "hide_opinion").await;
    let first = json!({ "opinion_id": 1, "outcome": "adopted", "reason": "增加夜间监测条款", "campaign": true });
    t.step(&c.drafter, id, "dispose_opinion", first).await;
    t.take(&c.drafter, id, "record_activity").await;
    t.now += Duration::days(22);
    t.take(&Actor::system(), id, "end_comment_period").await;
    t.step(
        &c.drafter,
        id,
        "record_public_adoption_summary",
        json!({ "text": "共收到意见2条，采纳1条，另1条因含个人信息已屏蔽。" }),
    )
    .await;
    t.step(&c.drafter, id, "close_participation", json!({})).await;

    t.take(&c.drafter, id, "publish_hearing_notice").await;
    t.take(&c.drafter, id, "publish_hearing_selection_method").await;
    t.take(&c.drafter, id, "add_hearing_participant").await;
    let enterprise = json!({ "name": "企业代表乙", "side": "企业", "materials_delivered_on": "2026-04-10" });
    t.step(&c.drafter, id, "add_hearing_participant", enterprise).await;
    t.take(&c.drafter, id, "publish_hearing_participant_list").await;
    let day = t.example("publish_hearing_notice")["date"].as_str().and_then(|d| d.parse::<NaiveDate>().ok());
    let day = day.expect("the hearing notice's example names its day");
    // The hearing is recorded on its day (Art. 17), 09:00 CST.
    t.now = Utc.from_utc_datetime(&day.and_hms_opt(1, 0, 0).expect("time"));
    t.take(&c.drafter, id, "record_hearing_segments").await;
    t.take(&c.drafter, id, "confirm_hearing_record").await;
    t.step(&c.drafter, id, "confirm_hearing_record", json!({ "participant": "企业代表乙", "signed": true })).await;
    t.take(&c.drafter, id, "close_hearing").await;

    t.take(&c.drafter, id, "draw_experts").await;
    t.take(&c.drafter, id, "set_expert_due").await;
    t.take(&c.drafter, id, "declare_expert_conflict").await;
    // The engine writes a replaced expert's non-submission on the pool's record.
    t.take(&Actor::engine(), "tour-pool", "record_non_submission").await;
}
