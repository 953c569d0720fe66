//! Many people acting on one record at once — the public commenting on one consultation — through two replicas
//! on one database. Comments go through the intake: none is turned away because another committed first, each is
//! numbered once and linked into the consultation's chain, and none changes the decision's state.

use juece_engine::orchestrator::ActRequest;
use std::sync::Arc;

use chrono::Utc;
use juece_engine::act::Act;
use juece_engine::actor::Role;
use juece_engine::orchestrator::{verify_store, Engine};
use juece_engine::Error;
use serde_json::json;

use juece_engine::ledger::Kind;
use juece_tests::databases::databases;
use juece_tests::{comment, engine, opinions, person};

pub(crate) async fn open_for_comment(e: &Engine, id: &str) {
    let (office, drafter) =
        (person("office", "办公厅", Role::GeneralOffice), person("drafter", "生态环境局", Role::Drafter));
    let p =
        json!({ "title": "t", "organ": "某市人民政府", "proposer_type": "leader", "proposer": "p", "summary": "s" });
    let now = Utc::now();
    e.open("national", ActRequest::new(id, &Act::new("submit_proposal", p), &office, now)).await.expect("open");
    // 08:00 China Standard Time is UTC+8.
    let today = (now + chrono::Duration::hours(8)).date_naive();
    for (actor, name, payload) in [
        (&office, "start_decision", json!({ "category": 1, "undertaking_units": ["生态环境局"] })),
        (&drafter, "record_draft", json!({ "text": "x", "explanation": "e", "legal_basis": ["法"] })),
        (&drafter, "finish_drafting", json!({})),
        (
            &drafter,
            "determine_applicability",
            json!({ "stage": "cost_benefit", "outcome": "not_applicable", "reason": "r" }),
        ),
        (&drafter, "skip_cost_benefit", json!({})),
        (
            &drafter,
            "publish_comment_notice",
            json!({ "channels": ["website"], "submission_methods": ["网站"], "start": today, "days": 30 }),
        ),
    ] {
        e.apply(ActRequest::new(id, &Act::new(name, payload), actor, now))
            .await
            .unwrap_or_else(|err| panic!("{name}: {err}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_comments_on_one_consultation_are_all_taken_once() {
    for db in databases().await {
        let replicas = [Arc::new(engine(&db.url).await), Arc::new(engine(&db.url).await)];
        open_for_comment(&replicas[0], "d").await;
        let tasks: Vec<_> = (0..16)
            .map(|client| {
                let e = replicas[client % 2].clone();
                tokio::spawn(async move {
                    for n in 0..5 {
                        comment(&e, "d", &format!("客户{client}第{n}条意见")).await?;
                    }
                    Ok::<_, Error>(())
                })
            })
            .collect();
        for t in tasks {
            t.await.expect("a commenter").unwrap_or_else(|e| panic!("{}: a comment was turned away: {e}", db.kind));
        }
        let taken = opinions(&replicas[1], "d", Kind::Comment).await;
        let seqs: Vec<i64> = taken.iter().map(|o| o.seq).collect();
        assert_eq!(seqs, (1..=80).collect::<Vec<i64>>(), "{}: every comment taken, numbered once each", db.kind);
        let texts: std::collections::BTreeSet<&str> = taken.iter().map(|o| o.content.as_str()).collect();
        assert_eq!(texts.len(), 80, "{}: none stored twice", db.kind);
        let report = verify_store(replicas[0].store().as_ref()).await.expect("verify");
        assert!(report.breaks.is_empty(), "{}: {:?}", db.kind, report.breaks);
        assert_eq!(report.opinions, 80, "{}: the chain of 80 links verified", db.kind);

        // The comments left the decision as it was: the state does not grow with them.
        let d = replicas[0].load("d").await.expect("d");
        let before = d.version;
        assert!(serde_json::to_string(&d).expect("json").len() < 8_000, "{}: the state stays small", db.kind);
        comment(&replicas[0], "d", "再一条").await.expect("taken");
        assert_eq!(replicas[0].load("d").await.expect("d").version, before);
        db.finish().await;
    }
}

/// `audit verify` while acts commit: it reads one snapshot, so a chain is never seen longer than its decision's
/// version, nor a memo before its record (before, most runs under load raised such a false alarm).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn verify_while_acts_commit_reads_one_snapshot() {
    use std::sync::atomic::{AtomicBool, Ordering};
    for db in databases().await {
        let e = Arc::new(engine(&db.url).await);
        open_for_comment(&e, "d").await;
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..4)
            .map(|client| {
                let (e, stop) = (e.clone(), stop.clone());
                tokio::spawn(async move {
                    let drafter = person("drafter", "生态环境局", Role::Drafter);
                    let mut n = 0;
                    while !stop.load(Ordering::Relaxed) {
                        // Acts that change the record (an activity each), and comments beside them.
                        let summary = format!("客户{client}第{n}次座谈");
                        let act = Act::new("record_activity", json!({ "method": "symposium", "summary": summary }));
                        e.apply(ActRequest::new("d", &act, &drafter, Utc::now())).await.expect("an act");
                        comment(&e, "d", &format!("客户{client}第{n}条")).await.expect("a comment");
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        // Its own pools, as `juece audit verify` beside a serving replica has.
        let verifier = engine(&db.url).await;
        let mut alarms = Vec::new();
        let runs = 25;
        for _ in 0..runs {
            let report = verify_store(verifier.store().as_ref()).await.expect("verify");
            alarms.extend(report.breaks);
        }
        stop.store(true, Ordering::Relaxed);
        let mut acts = 0;
        for w in writers {
            acts += w.await.expect("a writer");
        }
        assert!(acts > 0, "{}: acts committed during verification", db.kind);
        assert!(alarms.is_empty(), "{}: false alarms in {runs} runs over {acts} acts: {alarms:?}", db.kind);
        let report = verify_store(verifier.store().as_ref()).await.expect("verify");
        assert!(report.breaks.is_empty(), "{}: {:?}", db.kind, report.breaks);
        db.finish().await;
    }
}
