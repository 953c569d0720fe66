//! One structured log line per act, accepted or refused (target `juece::act`):
//! the decision, the act, the actor, the outcome with its reason codes and the
//! time it took — never the payload.

use juece_engine::orchestrator::ActRequest;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use juece_engine::act::Act;
use juece_engine::actor::Role;
use juece_tests::person;
use serde_json::{json, Value};

/// A log sink the test reads back.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("sink").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Sink {
    type Writer = Sink;
    fn make_writer(&'a self) -> Sink {
        self.clone()
    }
}

/// A decision id no other test uses: the sink holds every test's lines.
const ID: &str = "logs-every-act-one-line";

#[tokio::test(flavor = "current_thread")]
async fn every_act_is_one_log_line_with_its_outcome_and_never_its_payload() {
    // The process-wide subscriber: a subscriber for this thread alone loses lines under load, because tracing
    // caches per call site whether anyone listens, and other tests meet those call sites first with no
    // subscriber. Every test's lines land in the sink; this one reads only its own decision's.
    let sink = Sink::default();
    let logs = tracing_subscriber::fmt().json().with_writer(sink.clone()).with_max_level(tracing::Level::INFO).finish();
    tracing::subscriber::set_global_default(logs).expect("the only test that sets the process's subscriber");
    let (_dir, url) = juece_tests::sqlite_url();
    let engine = juece_tests::engine(&url).await;
    let office = person("office", "办公厅", Role::GeneralOffice);
    let now = Utc::now();
    let p =
        json!({ "title": "t", "organ": "某市人民政府", "proposer_type": "leader", "proposer": "p", "summary": "s" });
    engine.open("national", ActRequest::new(ID, &Act::new("submit_proposal", p), &office, now)).await.expect("open");
    let start = json!({ "category": 1, "undertaking_units": ["保密的承办单位名"] });
    engine.apply(ActRequest::new(ID, &Act::new("start_decision", start), &office, now)).await.expect("start");
    let chief = person("chief", "政府", Role::ChiefExecutive);
    assert!(engine.apply(ActRequest::new(ID, &Act::new("decide", json!({})), &chief, now)).await.is_err());

    let text = String::from_utf8(sink.0.lock().expect("sink").clone()).expect("utf-8");
    let lines: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|l| l["target"] == "juece::act" && l["fields"]["decision"] == ID)
        .collect();
    let of = |act: &str| lines.iter().filter(|l| l["fields"]["act"] == act).cloned().collect::<Vec<_>>();
    // The first act, which opens the record, is logged like the others.
    let opened = of("submit_proposal");
    assert_eq!(opened.len(), 1, "one line: {text}");
    assert_eq!(
        (opened[0]["fields"]["message"].as_str(), opened[0]["fields"]["version"].as_i64()),
        (Some("accepted"), Some(1))
    );
    let started = of("start_decision");
    assert_eq!(started.len(), 1, "one line: {text}");
    let f = &started[0]["fields"];
    assert_eq!(
        (f["message"].as_str(), f["decision"].as_str(), f["actor"].as_str()),
        (Some("accepted"), Some(ID), Some("office"))
    );
    assert!(f["ms"].is_number() && f["version"].is_number(), "{f}");
    let refused = of("decide");
    assert_eq!(refused.len(), 1, "{text}");
    let f = &refused[0]["fields"];
    assert_eq!(f["message"], "refused");
    assert!(f["reasons"].as_str().is_some_and(|r| r.contains("act_not_allowed_in_stage")), "{f}");
    assert!(!text.contains("保密的承办单位名"), "the payload is never logged: {text}");
}
