//! A DBA rewriting the record: each kind of tampering `juece audit verify`
//! used to miss, done with raw SQL on the demo's sealed and anchored record
//! (triggers dropped first, as a DBA would), and named by verification
//! against the server key and the anchor log kept outside the database.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use juece_engine::anchor::{self, ServerKey};
use juece_engine::anchoring;
use juece_engine::audit::{format_instant, sha256_hex, AuditRecord};
use juece_engine::store::{SqliteStore, Store};
use juece_engine::verify::{verify_with, Trust, VerifyReport};
use juece_tests::{sqlite_url, workflows};

struct Sealed {
    _dir: tempfile::TempDir,
    url: String,
    key: Arc<ServerKey>,
    log: PathBuf,
    /// The DBA's connection: raw SQL, triggers dropped.
    raw: SqliteStore,
    id: String,
}

/// The demo decision, written by a server holding the key, then anchored.
async fn sealed_demo() -> Sealed {
    let (dir, url) = sqlite_url();
    let key = Arc::new(ServerKey::generate());
    let log = dir.path().join("anchors.jsonl");
    let engine = juece_api::setup::open_sealed_engine(&url, &workflows(), Some(key.clone())).await.expect("engine");
    juece_api::demo::run(&engine, None, &mut Vec::new()).await.expect("demo");
    anchoring::anchor_now(engine.store().as_ref(), &key, &log, Utc::now()).await.expect("anchored");
    let raw = SqliteStore::connect(&url).await.expect("connect");
    for t in ["audit_records_no_update", "audit_records_no_delete", "memos_no_update", "memos_no_delete"] {
        raw.execute_raw(&format!("drop trigger {t}")).await.expect("drop trigger");
    }
    let id = engine.store().versions().await.expect("versions")[0].0.clone();
    Sealed { _dir: dir, url, key, log, raw, id }
}

impl Sealed {
    async fn verify_against(&self, anchored: bool) -> VerifyReport {
        let store = juece_engine::store::connect(&self.url).await.expect("store");
        let anchors = match anchored {
            true => anchor::log::read_verified(&self.log, &self.key.public()).expect("log verifies"),
            false => Vec::new(),
        };
        verify_with(store.as_ref(), &Trust { key: Some(self.key.public()), anchors }).await.expect("verify")
    }

    async fn verify(&self) -> VerifyReport {
        self.verify_against(true).await
    }

    async fn sql(&self, sql: &str) {
        self.raw.execute_raw(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    async fn version(&self) -> i64 {
        self.raw.versions().await.expect("versions")[0].1
    }

    async fn records(&self) -> Vec<AuditRecord> {
        self.raw.audit_records(&self.id).await.expect("records")
    }
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The first break, which must name `what` (and the record `seq`, when given).
#[track_caller]
fn assert_named(report: &VerifyReport, what: &str, seq: Option<i64>) {
    let b = report.breaks.first().unwrap_or_else(|| panic!("not detected: {what}"));
    assert!(b.problem.contains(what), "expected `{what}`, got {b}");
    if let Some(seq) = seq {
        assert_eq!(b.seq, seq, "{b}");
    }
}

#[tokio::test]
async fn the_untouched_record_verifies_with_every_seal_and_the_anchor() {
    let s = sealed_demo().await;
    let report = s.verify().await;
    assert!(report.breaks.is_empty(), "{:?}", report.breaks);
    assert_eq!(report.sealed, s.records().await.len(), "every record of the decision is sealed");
    assert_eq!(report.anchors, 1);
    assert!(report.records > 40 && report.memos > 40, "{report:?}");
}

#[tokio::test]
async fn deleting_the_last_record_and_lowering_the_version_is_caught_by_the_anchor() {
    let s = sealed_demo().await;
    let v = s.version().await;
    let last = s.records().await.pop().expect("a record");
    s.sql(&format!("delete from audit_records where decision_id = {} and seq = {v}", quote(&s.id))).await;
    s.sql(&format!("delete from memos where decision_id = {} and seq = {v}", quote(&s.id))).await;
    s.sql(&format!(
        "update decisions set version = {p}, stage = {st}, \
         state_json = json_set(json_set(state_json, '$.version', {p}), '$.stage', {st}) where id = {id}",
        p = v - 1,
        st = quote(&last.stage_from),
        id = quote(&s.id)
    ))
    .await;
    assert_named(&s.verify().await, "chain cut back: anchor #1 holds", Some(v));
}

#[tokio::test]
async fn a_forged_record_appended_with_a_recomputed_hash_has_no_valid_seal() {
    let s = sealed_demo().await;
    let v = s.version().await;
    let head = s.records().await.pop().expect("a record");
    let forged = AuditRecord::next(
        &s.id,
        v + 1,
        "record_note",
        &head.stage_to,
        &head.stage_to,
        &head.actor,
        Utc::now(),
        &serde_json::json!({ "text": "补记：会议同意" }),
        vec![],
        &head.hash,
    );
    // The DBA signs with a key of their own: the server's public key refuses it.
    let theirs = ServerKey::generate();
    let state = s.raw.load(&s.id).await.expect("load").expect("decision").decision;
    let mut next = state.clone();
    next.version = v + 1;
    let state_json = serde_json::to_string(&next).expect("json");
    let state_sha = sha256_hex(state_json.as_bytes());
    let sig = theirs.sign(&anchor::seal_message(&s.id, v + 1, &forged.hash, &state_sha));
    s.sql(&format!(
        "insert into audit_records (decision_id, seq, act, stage_from, stage_to, actor_json, at, payload, \
         payload_hash, memo_hashes_json, prev_hash, hash, state_sha256, signature) values \
         ({}, {}, {}, {}, {}, {}, {}, {}, {}, '[]', {}, {}, {}, {})",
        quote(&s.id),
        v + 1,
        quote(&forged.act),
        quote(&forged.stage_from),
        quote(&forged.stage_to),
        quote(&serde_json::to_string(&forged.actor).expect("actor")),
        quote(&format_instant(&forged.at)),
        quote(&forged.payload),
        quote(&forged.payload_hash),
        quote(&forged.prev_hash),
        quote(&forged.hash),
        quote(&state_sha),
        quote(&sig),
    ))
    .await;
    s.sql(&format!(
        "update decisions set version = {}, state_json = {} where id = {}",
        v + 1,
        quote(&state_json),
        quote(&s.id)
    ))
    .await;
    assert_named(&s.verify().await, "seal does not verify", Some(v + 1));
    // Left unsigned instead, it is named as unsealed.
    s.sql(&format!("update audit_records set signature = null where seq = {}", v + 1)).await;
    assert_named(&s.verify().await, "unsealed", Some(v + 1));
}

#[tokio::test]
async fn re_chaining_every_record_after_an_edit_is_caught_by_the_anchor_and_the_seals() {
    let s = sealed_demo().await;
    let mut records = s.records().await;
    records[2].payload = records[2].payload.replace("第一条", "第二条");
    assert_ne!(records[2].payload, s.records().await[2].payload, "the demo's third record names 第一条");
    records[2].payload_hash = sha256_hex(records[2].payload.as_bytes());
    for i in 2..records.len() {
        records[i].prev_hash = records[i - 1].hash.clone();
        records[i].hash = records[i].compute_hash();
        let r = &records[i];
        s.sql(&format!(
            "update audit_records set payload = {}, payload_hash = {}, prev_hash = {}, hash = {} \
             where decision_id = {} and seq = {}",
            quote(&r.payload),
            quote(&r.payload_hash),
            quote(&r.prev_hash),
            quote(&r.hash),
            quote(&s.id),
            r.seq
        ))
        .await;
    }
    let v = s.version().await;
    assert_named(&s.verify().await, "rewritten since anchor #1", Some(v));
    // Without the anchor log, the seals still name the first re-chained record.
    assert_named(&s.verify_against(false).await, "seal does not verify", Some(3));
}

#[tokio::test]
async fn an_edited_state_or_stage_no_longer_matches_the_record() {
    let s = sealed_demo().await;
    s.sql(&format!(
        "update decisions set state_json = replace(state_json, '\"version\":', '\"extra\":1,\"version\":') where id = {}",
        quote(&s.id)
    ))
    .await;
    assert_named(&s.verify().await, "no longer hashes to the state hash", None);

    let s = sealed_demo().await;
    s.sql(&format!("update decisions set stage = 'drafting' where id = {}", quote(&s.id))).await;
    assert_named(&s.verify().await, "the row says stage `drafting`", None);
}

#[tokio::test]
async fn a_deleted_memo_or_a_deleted_decision_is_named() {
    let s = sealed_demo().await;
    s.sql(&format!("delete from memos where decision_id = {} and seq = (select min(seq) from memos)", quote(&s.id)))
        .await;
    assert_named(&s.verify().await, "memo missing", None);

    let s = sealed_demo().await;
    s.sql("pragma foreign_keys = off").await;
    for table in ["memos", "audit_records"] {
        s.sql(&format!("delete from {table} where decision_id = {}", quote(&s.id))).await;
    }
    s.sql(&format!("delete from decisions where id = {}", quote(&s.id))).await;
    let report = s.verify().await;
    assert_eq!(report.decisions, 0);
    assert_named(&report, "decision missing: anchor #1 holds it", None);
    assert_eq!(report.breaks[0].decision_id, s.id);
}

#[tokio::test]
async fn records_from_before_the_key_are_vouched_for_by_the_first_anchor_only() {
    let (dir, url) = sqlite_url();
    // Written by a server without a key (before the upgrade): no seals.
    let engine = juece_tests::engine(&url).await;
    juece_api::demo::run(&engine, None, &mut Vec::new()).await.expect("demo");
    let key = ServerKey::generate();
    let log = dir.path().join("anchors.jsonl");
    let trust = |anchors| Trust { key: Some(key.public()), anchors };
    let store = engine.store().as_ref();
    let report = verify_with(store, &trust(Vec::new())).await.expect("verify");
    assert_named(&report, "unsealed", Some(1));
    anchoring::anchor_now(store, &key, &log, Utc::now()).await.expect("first anchor");
    let anchors = anchor::log::read_verified(&log, &key.public()).expect("log");
    let report = verify_with(store, &trust(anchors)).await.expect("verify");
    assert!(report.breaks.is_empty(), "{:?}", report.breaks);
    assert_eq!(report.sealed, 0);
}
