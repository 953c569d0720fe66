//! Many people acting on one record at once — the public commenting on one consultation — through two replicas
//! on one database. Acts that name no version are acts on the record as it is: none is turned away because another
//! committed first (within a replica they take turns; across replicas a lost race is stepped again). An act that
//! names the version it read still gets its conflict.

use juece_engine::orchestrator::ActRequest;
use std::sync::Arc;

use chrono::Utc;
use juece_engine::act::Act;
use juece_engine::actor::Role;
use juece_engine::orchestrator::{verify_store, Engine, EngineError};
use serde_json::json;

use juece_tests::databases::databases;
use juece_tests::{engine, person};

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
                    let public = person("anonymous", "", Role::Public);
                    for n in 0..5 {
                        let act = Act::new("receive_comment", json!({ "content": format!("客户{client}第{n}条意见") }));
                        e.apply(ActRequest::new("d", &act, &public, Utc::now())).await.map(|_| ())?;
                    }
                    Ok::<_, EngineError>(())
                })
            })
            .collect();
        for t in tasks {
            t.await.expect("a commenter").unwrap_or_else(|e| panic!("{}: a comment was turned away: {e}", db.kind));
        }
        let d = replicas[1].load("d").await.expect("the consultation");
        assert_eq!(d.facts.opinions.len(), 80, "{}: every comment taken", db.kind);
        let ids: Vec<u32> = d.facts.opinions.iter().map(|o| o.id).collect();
        assert_eq!(ids, (1..=80).collect::<Vec<u32>>(), "{}: numbered once each, in order", db.kind);
        let report = verify_store(replicas[0].store().as_ref()).await.expect("verify");
        assert!(report.breaks.is_empty(), "{}: {:?}", db.kind, report.breaks);

        // Naming the version read: a stale one is a conflict, and nothing is written.
        let stale = Act::new("receive_comment", json!({ "content": "基于旧版本" }));
        let public = person("anonymous", "", Role::Public);
        let got =
            replicas[0].apply(ActRequest::new("d", &stale, &public, Utc::now()).expecting(Some(d.version - 1))).await;
        assert!(matches!(got, Err(EngineError::Conflict { .. })), "{}: {got:?}", db.kind);
        assert_eq!(replicas[0].load("d").await.expect("d").facts.opinions.len(), 80);
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
                    let public = person("anonymous", "", Role::Public);
                    let mut n = 0;
                    while !stop.load(Ordering::Relaxed) {
                        let act = Act::new("receive_comment", json!({ "content": format!("客户{client}第{n}条") }));
                        e.apply(ActRequest::new("d", &act, &public, Utc::now())).await.expect("a comment");
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
