//! Duties the clock drives, fired by the scheduler on an injected clock:
//! A13 reminders of an overdue expert opinion (drafter and pool manager),
//! IM-1/AC-5 periodic execution reports and their overdue flags, and AC-2
//! escalations of catalogue items past their planned dates.

use juece_engine::orchestrator::ActRequest;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use juece_engine::act::Act;
use juece_engine::actor::{Actor, Role};
use juece_engine::audit::format_instant;
use juece_engine::orchestrator::Engine;
use juece_engine::scheduler::{ManualClock, Scheduler};
use juece_engine::store::DeadlineStatus;
use juece_tests::databases::databases;
use juece_tests::{drive_to_execution, drive_to_execution_from, engine, refusal_code};
use serde_json::json;

use super::pool::{decision_at_experts, expert_opinion, pool, who};

fn cst(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    let china = FixedOffset::east_opt(8 * 3600).unwrap();
    china.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap().with_timezone(&Utc)
}

/// The scheduler of `engine` on a clock the test sets.
struct Clocked {
    clock: Arc<ManualClock>,
    scheduler: Scheduler,
}

impl Clocked {
    fn new(engine: &Arc<Engine>) -> Clocked {
        let clock = Arc::new(ManualClock::new(cst(2026, 1, 1, 0, 0)));
        Clocked { scheduler: Scheduler::new(engine.clone(), clock.clone()), clock }
    }

    /// What fires at `at`, by deadline name, sorted.
    async fn tick_at(&self, at: DateTime<Utc>) -> Vec<String> {
        self.clock.set(at);
        let mut names: Vec<String> =
            self.scheduler.tick().await.unwrap().into_iter().map(|f| f.fired.deadline.spec.name).collect();
        names.sort();
        names
    }
}

/// Pending deadlines of `id` whose name starts with `prefix`: (name, due).
async fn pending(e: &Engine, id: &str, prefix: &str) -> Vec<(String, DateTime<Utc>)> {
    let rows = e.store().deadlines(id).await.unwrap();
    let mut out: Vec<_> = rows
        .into_iter()
        .filter(|d| d.status == DeadlineStatus::Pending && d.spec.name.starts_with(prefix))
        .map(|d| (d.spec.name, d.spec.due_at))
        .collect();
    out.sort();
    out
}

/// Notices to `role` on `id` whose subject mentions `needle`.
async fn notices(e: &Engine, id: &str, role: &str, needle: &str) -> usize {
    let outbox = e.store().outbox(id).await.unwrap();
    outbox.iter().filter(|m| m.recipient_role == role && m.subject.contains(needle)).count()
}

fn select(id: &str, due_on: &str) -> Act {
    Act::new(
        "select_expert",
        json!({ "pool": "pool-city", "expert_id": id, "name": id, "field": "交通", "due_on": due_on }),
    )
}

#[tokio::test]
async fn a13_an_overdue_opinion_reminds_the_drafter_and_the_pool_manager_each_working_day_until_replaced() {
    for db in databases().await {
        let e = Arc::new(engine(&db.url).await);
        let s = Clocked::new(&e);
        pool(&e, "pool-city", "某市", None, &[("c1", "交通"), ("c2", "交通"), ("c3", "交通")]).await;
        let (drafter, now) = decision_at_experts(&e).await;
        // Opinions due Friday 6 March: the first reminder is 09:00 on the next working day, Monday 9 March.
        for id in ["c1", "c2"] {
            e.apply(ActRequest::new("d", &select(id, "2026-03-06"), &drafter, now)).await.unwrap();
        }
        let monday = cst(2026, 3, 9, 9, 0);
        let both = |id: &str| {
            [(format!("expert_opinion_overdue:{id}"), monday), (format!("expert_opinion_overdue_pool:{id}"), monday)]
        };
        let mut expected: Vec<_> = both("c1").into_iter().chain(both("c2")).collect();
        expected.sort();
        assert_eq!(pending(&e, "d", "expert_opinion_overdue").await, expected, "{}", db.kind);

        // c1 answers in time: its reminders are cancelled in the same act.
        expert_opinion(&e, "c1", cst(2026, 3, 5, 15, 0)).await;
        assert!(s.tick_at(cst(2026, 3, 7, 9, 0)).await.is_empty(), "Saturday: no reminder");
        assert!(s.tick_at(monday - chrono::Duration::seconds(1)).await.is_empty(), "never early");
        assert_eq!(s.tick_at(monday).await, ["expert_opinion_overdue:c2", "expert_opinion_overdue_pool:c2"]);
        assert_eq!(notices(&e, "d", "drafter", "expert_opinion_overdue:c2").await, 2, "set, then the reminder");
        assert_eq!(notices(&e, "d", "pool_manager", "expert_opinion_overdue_pool:c2").await, 2);
        assert_eq!(e.load("d").await.unwrap().stage, "expert_consultation", "the stage stays in progress");
        let office = who("office", "办公厅", Role::GeneralOffice);
        let views = e.read_deadlines("d", &office, monday).await.unwrap();
        let c2 = views.iter().find(|v| v.row.spec.name == "expert_opinion_overdue:c2").unwrap();
        assert!(c2.overdue && c2.occurrences == 1, "{}: flagged overdue", db.kind);
        // The drafter's worklist says what the decision page says: "d" waits on them, overdue, due when its
        // earliest pending deadline is (the page's deadlines are read for many decisions at once there).
        let tasks = e.worklist(&drafter, monday).await.unwrap();
        assert!(!tasks.partial, "{}: a handful of decisions, all examined", db.kind);
        let task = tasks.tasks.iter().find(|t| t.decision.id == "d").expect("d is on the drafter's worklist");
        let pending_views = views.iter().filter(|v| v.row.status == DeadlineStatus::Pending);
        let earliest = pending_views.map(|v| juece_engine::procedure::deadline::obligation_due(&v.row.spec)).min();
        assert!(earliest.is_some() && task.due == earliest, "{}: {:?} against {earliest:?}", db.kind, task.due);
        assert!(task.overdue, "{}: overdue on the worklist too", db.kind);
        assert_eq!(s.tick_at(cst(2026, 3, 10, 9, 0)).await.len(), 2, "again the next working day");

        // The drafter extends c2's date to Friday 13 March: the series moves to Monday 16 March.
        let extend = Act::new("set_expert_due", json!({ "expert_id": "c2", "due_on": "2026-03-13" }));
        e.apply(ActRequest::new("d", &extend, &drafter, cst(2026, 3, 10, 10, 0))).await.unwrap();
        let next_monday = cst(2026, 3, 16, 9, 0);
        let expected = both("c2").map(|(n, _)| (n, next_monday)).to_vec();
        assert_eq!(pending(&e, "d", "expert_opinion_overdue").await, expected, "{}", db.kind);
        assert!(s.tick_at(cst(2026, 3, 11, 9, 0)).await.is_empty(), "extended");

        // Replaced (the fact goes to the pool record): c2's reminders end, c3's start from its own date.
        let replace = json!({
            "pool": "pool-city", "expert_id": "c3", "name": "c3", "field": "交通", "due_on": "2026-03-13",
            "replaces": "c2", "replacement_reason": "逾期未提交论证意见", "non_submission": true,
        });
        e.apply(ActRequest::new("d", &Act::new("select_expert", replace), &drafter, cst(2026, 3, 11, 10, 0)))
            .await
            .unwrap();
        let expected = both("c3").map(|(n, _)| (n, next_monday)).to_vec();
        assert_eq!(pending(&e, "d", "expert_opinion_overdue").await, expected, "{}", db.kind);
        expert_opinion(&e, "c3", cst(2026, 3, 12, 9, 0)).await;
        assert!(pending(&e, "d", "expert_opinion_overdue").await.is_empty(), "{}", db.kind);
        assert!(s.tick_at(next_monday).await.is_empty());
        db.finish().await;
    }
}

#[tokio::test]
async fn im1_ac5_execution_reports_fall_due_each_interval_and_a_late_one_is_flagged() {
    for db in databases().await {
        let e = Arc::new(engine(&db.url).await);
        let s = Clocked::new(&e);
        drive_to_execution(&e, "d", cst(2026, 3, 2, 9, 0)).await;
        // 90 days from Monday 2 March end on Sunday 31 May, rolled to Monday 1 June; late from 09:00 on 2 June.
        assert_eq!(
            pending(&e, "d", "execution_report_due").await,
            [("execution_report_due".into(), cst(2026, 6, 2, 9, 0))]
        );
        assert_eq!(notices(&e, "d", "executing_unit", "deadline `execution_report_due` set").await, 1);

        // A report resets the duty: the next is due 90 days after it (Tuesday 30 June).
        let exec = who("exec", "生态环境局", Role::ExecutingUnit);
        let report = |kind: &str| Act::new("file_execution_report", json!({ "kind": kind, "text": "进展" }));
        e.apply(ActRequest::new("d", &report("progress"), &exec, cst(2026, 4, 1, 10, 0))).await.unwrap();
        let july_1 = cst(2026, 7, 1, 9, 0);
        assert_eq!(pending(&e, "d", "execution_report_due").await, [("execution_report_due".into(), july_1)]);
        assert!(s.tick_at(july_1 - chrono::Duration::seconds(1)).await.is_empty(), "never early");
        assert_eq!(s.tick_at(july_1).await, ["execution_report_due"], "{}", db.kind);
        assert_eq!(
            notices(&e, "d", "executing_unit", "periodic duty: an execution report is due (`execution_report_due`")
                .await,
            1
        );
        let office = who("office", "办公厅", Role::GeneralOffice);
        let views = e.read_deadlines("d", &office, july_1).await.unwrap();
        let late = views.iter().find(|v| v.row.status == DeadlineStatus::Pending).unwrap();
        assert!(late.overdue && late.occurrences == 1, "{}: flagged in the decision's deadlines", db.kind);

        // The late report, once filed, stays on the annual report's overdue list.
        e.apply(ActRequest::new("d", &report("major_change"), &exec, cst(2026, 7, 1, 10, 0))).await.unwrap();
        let annual = juece_engine::report::annual(&e, "某市人民政府", 2026, cst(2026, 7, 2, 0, 0));
        let overdue = annual.await.unwrap().overdue;
        let listed = overdue.iter().find(|o| o.decision_id == "d" && o.deadline == "execution_report_due");
        assert_eq!(listed.map(|o| o.due_at.clone()), Some(format_instant(&cst(2026, 7, 1, 0, 0))), "{overdue:?}");

        // Suspension pauses the duty; resuming starts a new interval; ending execution ends it.
        let chief = who("chief", "政府", Role::ChiefExecutive);
        let suspend = json!({ "report": 2, "urgency_reason": "继续执行将违反新法" });
        e.apply(ActRequest::new("d", &Act::new("suspend", suspend), &chief, cst(2026, 7, 1, 11, 0))).await.unwrap();
        assert!(pending(&e, "d", "execution_report_due").await.is_empty(), "{}: paused", db.kind);
        assert!(s.tick_at(cst(2026, 10, 9, 9, 0)).await.is_empty(), "nothing falls due while suspended");
        e.apply(ActRequest::new("d", &Act::new("resume", json!({})), &chief, cst(2026, 10, 9, 10, 0))).await.unwrap();
        let rows = e.store().deadlines("d").await.unwrap();
        let resumed = rows.iter().find(|d| d.status == DeadlineStatus::Pending).expect("a new interval");
        assert_eq!(resumed.spec.basis["start"], "2026-10-09", "{}", db.kind);
        // Execution ends on the executing unit's completion report (Art. 37).
        e.apply(ActRequest::new("d", &report("completion"), &exec, cst(2026, 10, 10, 9, 0))).await.unwrap();
        e.apply(ActRequest::new("d", &Act::new("end_execution", json!({})), &office, cst(2026, 10, 10, 10, 0)))
            .await
            .unwrap();
        assert!(pending(&e, "d", "execution_report_due").await.is_empty(), "{}: ended", db.kind);
        db.finish().await;
    }
}

fn item(name: &str, planned: &str) -> serde_json::Value {
    json!({ "name": name, "undertaking_unit": "生态环境局", "planned": planned })
}

#[tokio::test]
async fn ac2_a_catalogue_item_past_its_planned_date_without_a_decision_is_escalated() {
    let (noise, fares) = ("环境噪声管理办法", "公交票价调整");
    for db in databases().await {
        let e = Arc::new(engine(&db.url).await);
        let s = Clocked::new(&e);
        let office = who("office", "办公厅", Role::GeneralOffice);
        let at = cst(2026, 3, 2, 9, 0);
        let create =
            |items| Act::new("create_catalogue", json!({ "organ": "某市人民政府", "year": 2026, "items": items }));
        let undated = json!([item(noise, "2026年第一季度"), item(fares, "视情推进")]);
        let undated = e.open("catalogue", ActRequest::new("cat", &create(undated), &office, at)).await;
        assert_eq!(refusal_code(undated), "invalid_payload", "an item without a date");
        let mut dated = item(fares, "视情推进");
        dated["planned_by"] = json!("2026-04-15");
        e.open(
            "catalogue",
            ActRequest::new("cat", &create(json!([item(noise, "2026年第一季度"), dated])), &office, at),
        )
        .await
        .unwrap();
        let consent = json!({ "version": 1, "reference": "市委办〔2026〕1号", "date": "2026-02-27" });
        e.apply(ActRequest::new("cat", &Act::new("record_party_consent", consent), &office, at)).await.unwrap();
        e.apply(ActRequest::new(
            "cat",
            &Act::new("publish_catalogue", json!({ "channels": ["website"] })),
            &office,
            at,
        ))
        .await
        .unwrap();
        // 31 March (read from 第一季度) → 09:00 on 1 April; 15 April → 09:00 on 16 April.
        let escalation = |name: &str| format!("catalogue_item_overdue:{name}");
        assert_eq!(
            pending(&e, "cat", "catalogue_item_overdue").await,
            [(escalation(fares), cst(2026, 4, 16, 9, 0)), (escalation(noise), cst(2026, 4, 1, 9, 0))]
        );

        // A decision naming an item the catalogue does not list is refused at its start.
        let p = json!({ "title": "t", "organ": "某市人民政府", "proposer_type": "leader", "proposer": "p", "summary": "s" });
        e.open("national", ActRequest::new("d0", &Act::new("submit_proposal", p), &office, at)).await.unwrap();
        let start = json!({ "category": 1, "undertaking_units": ["生态环境局"], "catalogue": "cat", "catalogue_item": "未列入事项" });
        let cat_version = e.load("cat").await.unwrap().version;
        let unknown = e.apply(ActRequest::new("d0", &Act::new("start_decision", start), &office, at)).await;
        assert_eq!(refusal_code(unknown), "catalogue_item_unknown");
        assert_eq!((e.load("d0").await.unwrap().version, e.load("cat").await.unwrap().version), (1, cat_version));

        assert_eq!(s.tick_at(cst(2026, 4, 1, 9, 0)).await, [escalation(noise)], "{}", db.kind);
        assert_eq!(notices(&e, "cat", "general_office", &escalation(noise)).await, 2, "set, then escalated");
        // The fares item is decided on 10 April: its escalation ends in the decision's transaction.
        let start =
            json!({ "category": 1, "undertaking_units": ["生态环境局"], "catalogue": "cat", "catalogue_item": fares });
        drive_to_execution_from(&e, "d", cst(2026, 4, 10, 9, 0), start).await;
        assert_eq!(
            s.tick_at(cst(2026, 4, 16, 9, 0)).await,
            [escalation(noise)],
            "{}: only the undecided item",
            db.kind
        );
        let cat = e.load("cat").await.unwrap().facts.catalogue.unwrap();
        let watched = cat.watch.iter().find(|w| w.name == fares).unwrap();
        assert_eq!(watched.decided.as_ref().map(|d| d.decision_id.as_str()), Some("d"));
        let acts: Vec<(String, Actor)> =
            e.store().audit_records("cat").await.unwrap().into_iter().map(|r| (r.act, r.actor)).collect();
        let by_engine: Vec<&str> =
            acts.iter().filter(|(_, a)| a.roles == [Role::System]).map(|(n, _)| n.as_str()).collect();
        assert_eq!(by_engine, ["record_item_taken_up", "record_item_decided"], "{}", db.kind);
        db.finish().await;
    }
}
