//! Shared helpers for the integration tests: paths, a fresh database per
//! test, an engine on the repository's workflows, and the HTTP server with
//! its client (`app`, `http`) and the procedure's steps over HTTP (`steps`).

use juece_engine::orchestrator::ActRequest;
use std::path::PathBuf;

pub mod app;
pub mod bilingual;
pub mod databases;
pub mod held;
pub mod http;
pub mod schema;
pub mod steps;

use juece_engine::orchestrator::Engine;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn workflows() -> PathBuf {
    repo_root().join("workflows")
}

/// A SQLite URL in a fresh temporary folder (kept alive by the returned guard).
pub fn sqlite_url() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("juece.db").display());
    (dir, url)
}

/// Check a memo file `juece demo --out` wrote (`039-D25-decision.zh.md`): a Markdown file is one its record
/// vouches for byte for byte; an HTML page is the layout of the Markdown beside it, which its record vouches for.
#[track_caller]
pub fn assert_vouched_memo_file(path: &std::path::Path, records: &[juece_engine::audit::AuditRecord]) {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let seq: i64 = name.split('-').next().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{name}: sequence"));
    let (stem, format) = name.rsplit_once('.').unwrap_or_else(|| panic!("{name}: format"));
    let lang = stem.rsplit_once('.').map(|(_, l)| l).unwrap_or_else(|| panic!("{name}: language"));
    assert!(matches!(lang, "zh" | "en"), "{name}: language {lang}");
    let md = std::fs::read_to_string(path.with_extension("md")).unwrap_or_else(|e| panic!("{name}: {e}"));
    match format {
        "md" => {}
        "html" => {
            let page = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(page, juece_engine::render::html::page(&md, lang), "{name}: the page of its Markdown");
        }
        other => panic!("{name}: format {other}"),
    }
    let hash = juece_engine::audit::sha256_hex(md.as_bytes());
    let record = records.iter().find(|r| r.seq == seq).unwrap_or_else(|| panic!("{name}: no record #{seq}"));
    assert!(record.memo_hashes.contains(&hash), "{name}: not the memo record #{seq} vouches for");
}

/// The fixture of an official notice for 2027 (National Day rest 1–7 October, made up on 26 September and
/// 9 October), a year file as `juece calendar load` and the API take it.
pub fn notice_2027() -> String {
    std::fs::read_to_string(repo_root().join("tests/fixtures/calendar-notice-2027.toml")).expect("the fixture")
}

/// The PostgreSQL server to test against, when one is configured.
pub fn postgres_url() -> Option<String> {
    std::env::var("JUECE_TEST_POSTGRES_URL").ok().filter(|s| !s.is_empty())
}

/// The reason code of a refused act (anything else fails the test).
#[track_caller]
pub fn refusal_code<T: std::fmt::Debug>(result: Result<T, juece_engine::Error>) -> String {
    match result {
        Err(juece_engine::Error::Refused(r)) => r.reason_code().to_string(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Run `test` on a fresh SQLite file, then on a fresh PostgreSQL database when one is configured (dropped
/// afterwards, even when the test panics). `test` gets the database URL.
pub async fn on_each_database<F, Fut>(test: F)
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (_dir, url) = sqlite_url();
    test(url).await;
    let Some(admin_url) = postgres_url() else {
        eprintln!("PostgreSQL half skipped: JUECE_TEST_POSTGRES_URL not set");
        return;
    };
    let admin = juece_engine::store::PgStore::connect(&admin_url).await.expect("postgres reachable");
    let name = format!("juece_it_{}", uuid::Uuid::new_v4().simple());
    admin.execute_raw(&format!("create database {name}")).await.expect("create database");
    let (base, _) = admin_url.rsplit_once('/').expect("a database URL names a database");
    let outcome = tokio::spawn(test(format!("{base}/{name}"))).await;
    let _ = admin.execute_raw(&format!("drop database if exists {name} with (force)")).await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// An actor of one role, named and identified by `name`.
pub fn person(name: &str, unit: &str, role: juece_engine::actor::Role) -> juece_engine::actor::Actor {
    juece_engine::actor::Actor {
        user_id: name.into(),
        name: name.into(),
        unit: unit.into(),
        position: "p".into(),
        roles: vec![role],
        former_units: Vec::new(),
    }
}

pub async fn engine(url: &str) -> Engine {
    juece_api::setup::open_engine(url, &workflows()).await.expect("engine opens")
}

/// Drive a new decision `id` through the national procedure to execution,
/// passing over every conditional stage with a recorded determination.
pub async fn drive_to_execution(engine: &Engine, id: &str, now: chrono::DateTime<chrono::Utc>) {
    let start = serde_json::json!({ "category": 1, "undertaking_units": ["生态环境局"] });
    drive_to_execution_from(engine, id, now, start).await;
}

/// [`drive_to_execution`] with the `start_decision` payload given.
pub async fn drive_to_execution_from(
    engine: &Engine,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
    start: serde_json::Value,
) {
    use juece_engine::act::Act;
    use juece_engine::actor::Role;
    use serde_json::json;
    let office = person("office", "办公厅", Role::GeneralOffice);
    let p =
        json!({ "title": "t", "organ": "某市人民政府", "proposer_type": "leader", "proposer": "p", "summary": "s" });
    engine.open("national", ActRequest::new(id, &Act::new("submit_proposal", p), &office, now)).await.expect("open");
    drive_opened(engine, id, now, start, "begin_execution").await;
}

/// A decision `id` already proposed, driven from `start_decision` (with `start`) through the procedure up to and
/// including the act `last` (e.g. `close_meeting`: decided, minutes recorded).
pub async fn drive_opened(
    engine: &Engine,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
    start: serde_json::Value,
    last: &str,
) {
    use juece_engine::act::Act;
    use juece_engine::actor::{Actor, Role};
    use serde_json::json;
    let who = person;
    let office = who("office", "办公厅", Role::GeneralOffice);
    let drafter = who("drafter", "生态环境局", Role::Drafter);
    let chief = who("chief", "政府", Role::ChiefExecutive);
    let today = now.date_naive();
    let mut steps: Vec<(&Actor, &str, serde_json::Value)> = vec![
        (&office, "start_decision", start),
        (&drafter, "record_draft", json!({ "text": "x", "explanation": "e", "legal_basis": ["法"] })),
        (&drafter, "finish_drafting", json!({})),
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
            steps.push((&drafter, "record_activity", symposium));
            steps.push((&drafter, "record_public_adoption_summary", json!({ "text": "座谈会意见已研究采纳" })));
            steps.push((&drafter, "close_participation", json!({})));
            continue;
        }
        steps.push((
            &drafter,
            "determine_applicability",
            json!({ "stage": stage, "outcome": "not_applicable", "reason": "r" }),
        ));
        steps.push((&drafter, skip, json!({})));
    }
    let lawyer = who("lawyer", "司法局", Role::LegalAdviser);
    let reviewer = who("reviewer", "司法局", Role::LegalityReviewer);
    steps.extend([
        (&drafter, "submit_for_legality_review", json!({ "legal_basis": ["法"], "procedure_explanation": "p", "received_complete_on": today, "requested_due": today + chrono::Duration::days(30) })),
        (&lawyer, "record_lawyer_opinion", json!({ "capacity": "公职律师", "opinion": "o" })),
        (&reviewer, "issue_legality_opinion", json!({ "authority": "a", "procedure": "p", "content": "c", "conclusion": "lawful" })),
        (&drafter, "close_legality_review", json!({})),
        (&drafter, "submit_package", json!({})),
        (&office, "convene_meeting", json!({ "meeting_type": "executive", "date": today, "members": ["甲"] })),
        (&office, "record_stance", json!({ "member": "甲", "stance": "support", "words": "同意" })),
        (&chief, "record_chief_opinion", json!({ "decision": "adopt", "words": "通过" })),
        (&chief, "decide", json!({})),
        (&office, "close_meeting", json!({})),
        (&office, "designate_executing_unit", json!({ "unit": "生态环境局" })),
        (&office, "report_to_party", json!({ "reference_no": "r" })),
        (&office, "record_party_response", json!({ "response": "同意" })),
        (&office, "publish_decision", json!({ "channels": ["gazette", "website"] })),
        (&office, "begin_execution", json!({})),
    ]);
    for (actor, name, payload) in steps {
        if let Err(e) = engine.apply(ActRequest::new(id, &Act::new(name, payload), actor, now)).await {
            panic!("{name}: {e}");
        }
        if name == last {
            break;
        }
    }
}

/// A new national decision `id` in public participation, for the drafter of 生态环境局, with a 30-day comment
/// notice published at `now` (cost-benefit passed over); the notice as recorded.
pub async fn comment_notice_published(
    engine: &Engine,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> juece_engine::procedure::facts::CommentNotice {
    use juece_engine::act::Act;
    use juece_engine::actor::Role;
    use serde_json::json;
    let office = person("office", "办公厅", Role::GeneralOffice);
    let drafter = person("drafter", "生态环境局", Role::Drafter);
    let p =
        json!({ "title": "t", "organ": "某市人民政府", "proposer_type": "leader", "proposer": "p", "summary": "s" });
    engine.open("national", ActRequest::new(id, &Act::new("submit_proposal", p), &office, now)).await.expect("open");
    let not_applicable = json!({ "stage": "cost_benefit", "outcome": "not_applicable", "reason": "r" });
    let notice =
        json!({ "channels": ["website"], "submission_methods": ["邮件"], "start": now.date_naive(), "days": 30 });
    let steps = [
        (&office, "start_decision", json!({ "category": 1, "undertaking_units": ["生态环境局"] })),
        (&drafter, "record_draft", json!({ "text": "x", "explanation": "e", "legal_basis": ["法"] })),
        (&drafter, "finish_drafting", json!({})),
        (&drafter, "determine_applicability", not_applicable),
        (&drafter, "skip_cost_benefit", json!({})),
        (&drafter, "publish_comment_notice", notice),
    ];
    for (actor, name, payload) in steps {
        if let Err(e) = engine.apply(ActRequest::new(id, &Act::new(name, payload), actor, now)).await {
            panic!("{name}: {e}");
        }
    }
    engine.load(id).await.expect("load").facts.comment_notices.last().cloned().expect("a notice")
}

/// A comment from an anonymous member of the public on `id`, through the engine's intake, now.
pub async fn comment(
    engine: &Engine,
    id: &str,
    content: &str,
) -> Result<juece_engine::ledger::Opinion, juece_engine::Error> {
    let public = person("anonymous", "", juece_engine::actor::Role::Public);
    let act = juece_engine::act::Act::new("receive_comment", serde_json::json!({ "content": content }));
    let request = juece_engine::orchestrator::OpinionRequest {
        decision_id: id,
        act: &act,
        actor: &public,
        now: chrono::Utc::now(),
        answer: None,
    };
    engine.receive(request).await
}

/// Every opinion of `kind` on `id`, by number, read page by page from the store.
pub async fn opinions(
    engine: &Engine,
    id: &str,
    kind: juece_engine::ledger::Kind,
) -> Vec<juece_engine::ledger::Opinion> {
    let mut all = Vec::new();
    loop {
        let q = juece_engine::ledger::OpinionQuery {
            decision_id: id.to_string(),
            kind: Some(kind),
            after: all.last().map(|o: &juece_engine::ledger::Opinion| (kind, o.seq)),
            limit: 1000,
            ..Default::default()
        };
        let page = engine.store().opinions(&q).await.expect("opinions");
        let done = page.len() < 1000;
        all.extend(page);
        if done {
            return all;
        }
    }
}
