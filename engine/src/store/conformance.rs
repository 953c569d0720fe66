//! The store conformance suite: what every [`Store`] must do, checked the
//! same way against each backend. [`run_all`] takes a freshly migrated,
//! empty store and panics, naming the check and the broken promise, at the
//! first failure. It is compiled into the library only with the `testing`
//! feature (and for the engine's own tests), so that integration tests and
//! benchmarks elsewhere can run it too:
//!
//! ```no_run
//! # async fn demo() -> Result<(), juece_engine::store::StoreError> {
//! use juece_engine::store::{conformance, SqliteStore, Store};
//! let store = SqliteStore::connect("sqlite::memory:").await?;
//! store.migrate().await?;
//! conformance::run_all(std::sync::Arc::new(store)).await;
//! # Ok(()) }
//! ```

mod keys;
mod leases;
pub mod races;
mod reports;

use std::collections::BTreeSet;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{
    Assumed, DeadlineRow, DeadlineStatus, DecisionFilter, OutboxMessage, Store, StoreError, StoredMemo,
    TransitionCommit,
};
use crate::actor::{Actor, Role};
use crate::audit::{self, sha256_hex, AuditRecord, GENESIS};
use crate::decision::Decision;
use crate::definition::DeadlineKind;
use crate::effect::DeadlineSpec;

/// Raw SQL on a store's database, which the suite needs to show that the
/// database itself (not only the engine) refuses to rewrite the record.
#[async_trait]
pub trait RawSql: Store {
    /// Execute `sql` as-is and return the rows affected. Tests and tamper drills only.
    async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError>;
}

/// Run every check against `store`, which must be migrated and hold no decision.
pub async fn run_all<S: RawSql + 'static>(store: Arc<S>) {
    let existing = store.versions().await.expect("versions() on the store under test");
    assert!(existing.is_empty(), "store conformance needs an empty store; it holds {existing:?}");
    let s = &*store;
    check("migrate is idempotent and ready", Box::pin(migrate_and_ready(s))).await;
    check("create, load, create twice", Box::pin(create_and_load(s))).await;
    check("update; stale and malformed commits write nothing", Box::pin(update_and_stale(s))).await;
    check("load_many reads as load does", Box::pin(load_many(s))).await;
    check("an act that read nothing commits only while what it assumed holds", Box::pin(assumed(s))).await;
    check("an act commits only while no opinion arrived since it read", Box::pin(opinions_since(s))).await;
    check("each commit of a batch stands alone", Box::pin(batch(s))).await;
    check("commit_all writes every commit or none", Box::pin(all_or_nothing(s))).await;
    check("racing acts: one wins, the rest conflict", Box::pin(racing_acts(store.clone()))).await;
    check("audit records come back in order", Box::pin(audit_order(s))).await;
    check("audit records and memos are append-only", Box::pin(append_only(s))).await;
    check("deadlines: set, claim, cancel", Box::pin(deadlines(s))).await;
    check("racing schedulers claim each deadline once", Box::pin(racing_claims(store.clone()))).await;
    check("leased auto-act deadlines fire only with their holder's act", Box::pin(leases::leases(s))).await;
    check("list, versions", Box::pin(list_and_versions(s))).await;
    check("the names on each decision follow its acts", Box::pin(names_follow_acts(s))).await;
    check("idempotency keys answered in the act's commit", Box::pin(keys::keys_in_commit(s))).await;
    check("idempotency keys expire and are purged", Box::pin(keys::keys_expire(s))).await;
    check("a report is numbered once, from the acts' counters", Box::pin(reports::issued_once(store.clone()))).await;
}

/// Each check's future is boxed by the caller: held inline, the largest of
/// them (decisions and their facts across awaits) would size the whole run's
/// future, and debug builds overflow a test thread's stack.
async fn check(name: &str, body: impl std::future::Future<Output = ()>) {
    eprintln!("store conformance: {name}");
    // On the heap: the checks' futures hold whole decisions, and a test thread's stack is small.
    Box::pin(body).await;
}

// ---- fixtures ---------------------------------------------------------------

/// 2031-03-01T08:00:00.123456Z: microsecond precision, as stored.
pub(crate) fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp_micros(1_930_118_400_123_456).expect("t0 in range")
}

/// Far beyond any `now` the suite claims with.
fn far_future() -> DateTime<Utc> {
    t0() + Duration::days(365 * 170)
}

/// A decision under test and the head of its chain.
#[derive(Clone)]
pub(crate) struct Chain {
    decision: Decision,
    head: String,
}

impl Chain {
    pub(crate) fn new(id: &str, stage: &str, at: DateTime<Utc>) -> Chain {
        let mut decision = Decision::new(id, "conformance", 1, stage, at);
        decision.facts.title = format!("决策 {id}");
        Chain { decision, head: GENESIS.to_string() }
    }

    /// The commit of the next act, moving to `stage` and rendering `memos`.
    pub(crate) fn next(&self, act: &str, stage: &str, at: DateTime<Utc>, memos: &[&str]) -> TransitionCommit {
        let mut d = self.decision.clone();
        d.version += 1;
        d.stage = stage.to_string();
        d.updated_at = at;
        let memos: Vec<StoredMemo> = memos.iter().map(|m| memo(&d.id, d.version, m, at)).collect();
        let hashes = memos.iter().map(|m| m.sha256.clone()).collect();
        let payload = json!({ "act": act, "note": "审议通过" });
        let audit = AuditRecord::next(
            &d.id,
            d.version,
            act,
            &self.decision.stage,
            stage,
            &Actor::system(),
            at,
            &payload,
            hashes,
            &self.head,
        );
        TransitionCommit::bare(d, self.decision.version, audit, memos)
    }

    fn accept(&mut self, c: &TransitionCommit) {
        self.decision = c.decision.clone();
        self.head = c.audit.hash.clone();
    }
}

fn memo(decision_id: &str, seq: i64, name: &str, at: DateTime<Utc>) -> StoredMemo {
    let body = format!("# {name}\n\n决策 {decision_id}，第 {seq} 号记录。");
    StoredMemo {
        decision_id: decision_id.to_string(),
        seq,
        memo: name.to_string(),
        lang: "zh".into(),
        format: "md".into(),
        sha256: sha256_hex(body.as_bytes()),
        body,
        template_sha256: sha256_hex(name.as_bytes()),
        data: json!({ "name": name }).to_string(),
        created_at: at,
    }
}

fn deadline(decision_id: &str, name: &str, due_at: DateTime<Utc>) -> DeadlineRow {
    DeadlineRow {
        id: uuid::Uuid::new_v4().to_string(),
        decision_id: decision_id.to_string(),
        spec: DeadlineSpec {
            name: name.to_string(),
            kind: DeadlineKind::AutoAct,
            due_at,
            act: Some("expire".into()),
            notify: Some(Role::GeneralOffice),
            basis: json!({ "rule": "working_days", "n": 20 }),
        },
        status: DeadlineStatus::Pending,
        fired_at: None,
    }
}

fn notice(decision_id: &str, subject: &str, at: DateTime<Utc>) -> OutboxMessage {
    OutboxMessage {
        id: uuid::Uuid::new_v4().to_string(),
        decision_id: decision_id.to_string(),
        recipient_role: Role::Drafter.as_str().into(),
        subject: subject.to_string(),
        created_at: at,
    }
}

async fn commit1(store: &dyn Store, c: TransitionCommit) -> Result<(), StoreError> {
    let mut results = store.commit(vec![c]).await;
    assert_eq!(results.len(), 1, "commit returns one result per commit");
    results.remove(0)
}

/// Everything stored about one decision.
#[derive(Debug, PartialEq)]
struct Snapshot {
    decision: Option<Decision>,
    audit: Vec<AuditRecord>,
    memos: Vec<StoredMemo>,
    deadlines: Vec<DeadlineRow>,
    outbox: Vec<OutboxMessage>,
}

async fn snapshot(store: &dyn Store, id: &str) -> Snapshot {
    Snapshot {
        decision: store.load(id).await.expect("load").map(|l| l.decision),
        audit: store.audit_records(id).await.expect("audit_records"),
        memos: store.memos(id).await.expect("memos"),
        deadlines: store.deadlines(id).await.expect("deadlines"),
        outbox: store.outbox(id).await.expect("outbox"),
    }
}

async fn assert_chain(store: &dyn Store, id: &str, version: i64) {
    let records = store.audit_records(id).await.expect("audit_records");
    if let Err(broken) = audit::verify_chain(id, &records, version) {
        panic!("chain of {id} does not verify: {broken}");
    }
}

/// Decision `id` created by a first act into `stage`, its chain ready for the next act.
async fn started(store: &dyn Store, id: &str, stage: &str) -> Chain {
    let mut chain = Chain::new(id, "proposal", t0());
    let create = chain.next("start", stage, t0(), &[]);
    commit1(store, create.clone()).await.unwrap_or_else(|e| panic!("create {id}: {e}"));
    chain.accept(&create);
    chain
}

fn is_conflict(r: &Result<(), StoreError>) -> bool {
    matches!(r, Err(StoreError::Conflict { .. }))
}

// ---- checks -----------------------------------------------------------------

async fn migrate_and_ready(store: &dyn Store) {
    store.migrate().await.expect("a second migrate is a no-op");
    assert!(store.ready().await.expect("ready answers"), "a migrated store is ready");
}

async fn create_and_load(store: &dyn Store) {
    let id = "conf-create";
    let chain = Chain::new(id, "proposal", t0());
    let mut c = chain.next("start", "drafting", t0(), &["受理通知", "立项登记"]);
    c.set_deadlines = vec![deadline(id, "draft_due", far_future())];
    c.outbox = vec![notice(id, "请起草决策草案", t0())];
    commit1(store, c.clone()).await.expect("creating a decision");

    let loaded = store.load(id).await.expect("load").expect("the created decision loads");
    assert_eq!(loaded.decision, c.decision, "the loaded state equals the committed state");
    assert_eq!(loaded.last_hash, c.audit.hash, "last_hash is the hash of the latest audit record");
    assert_eq!(loaded.opinions, Some(0), "no opinion received on a decision just created");
    assert_eq!(store.audit_records(id).await.expect("audit_records"), vec![c.audit.clone()]);
    assert_eq!(store.memos(id).await.expect("memos"), c.memos, "memos round trip");
    assert_eq!(store.deadlines(id).await.expect("deadlines"), c.set_deadlines, "deadlines round trip");
    assert_eq!(store.outbox(id).await.expect("outbox"), c.outbox, "outbox round trips");
    assert!(store.load("conf-missing").await.expect("load").is_none(), "an unknown id loads as None");

    let before = snapshot(store, id).await;
    let again = commit1(store, c).await;
    assert!(matches!(&again, Err(StoreError::AlreadyExists(x)) if x == id), "creating twice: {again:?}");
    let mut other = Chain::new(id, "other", t0()).next("start", "other", t0(), &["另一份"]);
    other.outbox = vec![notice(id, "不应写入", t0())];
    let again = commit1(store, other).await;
    assert!(matches!(again, Err(StoreError::AlreadyExists(_))), "creating twice: {again:?}");
    assert_eq!(snapshot(store, id).await, before, "a refused create writes nothing");
}

/// Two decisions the checks before wrote, named among 600 ids that do not exist (two statements' worth): each is
/// read as `load` reads it, and the missing ones are left out.
async fn load_many(store: &dyn Store) {
    let mut ids: Vec<String> = (0..600).map(|i| format!("conf-missing-{i}")).collect();
    ids.insert(3, "conf-update".into());
    ids.push("conf-create".into());
    let named: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut many = store.load_many(&named).await.expect("load_many");
    many.sort_by(|a, b| a.decision.id.cmp(&b.decision.id));
    assert_eq!(many.len(), 2, "only the decisions that exist");
    for got in many {
        let one = store.load(&got.decision.id).await.expect("load").expect("exists");
        assert_eq!(got.decision, one.decision, "{}: the same state", one.decision.id);
        assert_eq!(got.last_hash, one.last_hash, "{}: the same record head", one.decision.id);
        assert_eq!((got.calendar_notices, got.opinions), (one.calendar_notices, one.opinions));
    }
    assert!(store.load_many(&[]).await.expect("no ids").is_empty());
}

/// An act that took its record as its process last wrote it, instead of reading it ([`Assumed`]), commits only
/// while the record's version, the number of calendar notices, the kinds of opinion on it and the row's count of
/// opinions are what it took them to be; otherwise it conflicts and writes nothing.
async fn assumed<S: RawSql>(store: &S) {
    let id = "conf-assumed";
    let mut chain = started(store, id, "drafting").await;
    let notices = store.calendar_notice_count().await.expect("notice count");
    let quiet = Assumed { calendar_notices: notices, opinion_kinds: 0, opinions: 0 };
    let at = t0() + Duration::minutes(1);
    let wrong = [
        (Assumed { calendar_notices: notices + 1, ..quiet }, 0),
        (Assumed { opinion_kinds: 1, ..quiet }, 0),
        (Assumed { opinions: 1, ..quiet }, 1),
    ];
    for (assumed, opinions) in wrong {
        let mut c = chain.next("record", "drafting", at, &["备忘"]);
        (c.assumed, c.opinions) = (Some(assumed), opinions);
        let before = snapshot(store, id).await;
        let r = commit1(store, c).await;
        assert!(is_conflict(&r), "assuming {assumed:?} where {quiet:?} holds conflicts: {r:?}");
        assert!(snapshot(store, id).await == before, "and writes nothing");
    }
    let mut ahead = chain.clone();
    ahead.decision.version = 5;
    let mut wrong_version = ahead.next("record", "drafting", at, &[]);
    wrong_version.assumed = Some(quiet);
    let r = commit1(store, wrong_version).await;
    assert!(is_conflict(&r), "what it assumed holds, but not the version: conflicts: {r:?}");
    let mut c = chain.next("record", "drafting", at, &[]);
    c.assumed = Some(quiet);
    commit1(store, c.clone()).await.expect("what it assumed holds: it commits");
    chain.accept(&c);
    // A kind of opinion comes in, as a replica of a version before the row's count writes it (its head only).
    let head = format!("insert into opinion_heads (decision_id, kind, count, head) values ('{id}', 'comment', 1, 'h')");
    store.execute_raw(&head).await.expect("an opinion's head");
    let mut c = chain.next("record", "drafting", at, &[]);
    c.assumed = Some(quiet);
    let r = commit1(store, c.clone()).await;
    assert!(is_conflict(&r), "assuming no kind of opinion after one came in conflicts: {r:?}");
    c.assumed = Some(Assumed { opinion_kinds: 1, ..quiet });
    commit1(store, c).await.expect("assuming the kind, it commits");
    assert_eq!(store.load(id).await.expect("load").expect("exists").decision.version, 3);
}

/// An opinion as the intake takes it: `text` on `decision_id`, checked against its version `checked`.
fn incoming(decision_id: &str, checked: i64, text: &str) -> super::opinions::Incoming {
    use crate::ledger::{cluster::Fingerprint, new_receipt, Kind, Submission};
    super::opinions::Incoming {
        decision_id: decision_id.into(),
        checked_version: checked,
        submission: Submission { kind: Kind::Comment, content: text.into(), submitter: None, notice: None },
        received_at: t0(),
        receipt: new_receipt(Kind::Comment),
        fingerprint: Fingerprint::of(text),
        answer: None,
        notify_at: None,
    }
}

/// An act may decide on the opinions it read with its record (a period closed with their count and chain head): it
/// commits only while the record has received no other since. The intake counts each opinion on the decision's row
/// in the opinion's own transaction; an update naming another count conflicts and writes nothing; an opinion checked
/// against a version that moved on is refused and not counted; opinions on another record do not count.
async fn opinions_since(store: &dyn Store) {
    let id = "conf-opinions";
    let mut chain = started(store, id, "participation").await;
    started(store, "conf-opinions-other", "participation").await;
    let count = |id: &'static str| async move { store.load(id).await.expect("load").expect("exists").opinions };
    assert_eq!(count(id).await, Some(0), "none received yet");

    let taken =
        store.receive(vec![incoming(id, 1, "同意"), incoming(id, 1, "反对"), incoming("conf-opinions-other", 1, "另")]);
    assert!(taken.await.expect("receive").iter().all(Result::is_ok), "three opinions taken");
    assert_eq!(count(id).await, Some(2), "two on the record");
    assert_eq!(count("conf-opinions-other").await, Some(1), "one on the other");
    assert_eq!(store.load(id).await.expect("load").expect("exists").decision.version, 1, "the version stays");

    let at = t0() + Duration::minutes(1);
    for seen in [0, 1, 3] {
        let mut c = chain.next("close", "review", at, &["意见汇总"]);
        c.opinions = seen;
        let before = snapshot(store, id).await;
        let r = commit1(store, c).await;
        assert!(is_conflict(&r), "an act that read {seen} opinions where 2 were received conflicts: {r:?}");
        assert!(snapshot(store, id).await == before, "and writes nothing");
    }
    let mut c = chain.next("close", "review", at, &["意见汇总"]);
    c.opinions = 2;
    commit1(store, c.clone()).await.expect("an act that read both commits");
    chain.accept(&c);

    let late = store.receive(vec![incoming(id, 1, "迟到的意见")]).await.expect("receive");
    assert!(matches!(late.as_slice(), [Err(StoreError::Conflict { .. })]), "checked against version 1: {late:?}");
    assert_eq!(count(id).await, Some(2), "a refused opinion is not counted");
}

async fn update_and_stale(store: &dyn Store) {
    let id = "conf-update";
    let mut chain = started(store, id, "drafting").await;
    let v1 = chain.clone();

    let at = t0() + Duration::minutes(5);
    let mut update = chain.next("submit_draft", "participation", at, &["草案说明"]);
    update.set_deadlines = vec![deadline(id, "comment_period", far_future())];
    update.outbox = vec![notice(id, "草案已提交", at)];
    commit1(store, update.clone()).await.expect("an update naming the current version");
    chain.accept(&update);
    let loaded = store.load(id).await.expect("load").expect("exists");
    assert_eq!((loaded.decision, loaded.last_hash), (update.decision.clone(), update.audit.hash.clone()));

    let before = snapshot(store, id).await;
    let mut stale = v1.next("submit_draft", "withdrawn", at, &["过期备忘"]);
    stale.set_deadlines = vec![deadline(id, "stale", t0())];
    stale.cancel_deadlines = vec!["comment_period".into()];
    stale.outbox = vec![notice(id, "不应写入", at)];
    let r = commit1(store, stale).await;
    assert!(
        matches!(&r, Err(StoreError::Conflict { decision_id, expected: 1 }) if decision_id == id),
        "a stale version conflicts: {r:?}"
    );
    let mut ahead = chain.clone();
    ahead.decision.version = 5;
    assert!(is_conflict(&commit1(store, ahead.next("x", "y", at, &[])).await), "a future version conflicts");
    let ghost = Chain::new("conf-ghost", "a", t0());
    let mut ghost_v1 = ghost.clone();
    ghost_v1.decision.version = 1;
    let r = commit1(store, ghost_v1.next("x", "y", at, &[])).await;
    assert!(is_conflict(&r), "updating a decision that does not exist conflicts: {r:?}");
    assert!(store.load("conf-ghost").await.expect("load").is_none());

    let mut skips = chain.next("x", "y", at, &[]);
    skips.decision.version += 1;
    let r = commit1(store, skips).await;
    assert!(matches!(r, Err(StoreError::Corrupt(_))), "a version that skips is refused: {r:?}");
    let mut misnumbered = chain.next("x", "y", at, &[]);
    misnumbered.audit.seq += 1;
    let r = commit1(store, misnumbered).await;
    assert!(matches!(r, Err(StoreError::Corrupt(_))), "an audit seq off the version is refused: {r:?}");
    let r = commit1(store, fails_at_last_row(&chain, at)).await;
    assert!(
        matches!(r, Err(StoreError::Database(_) | StoreError::Sqlite(_))),
        "a duplicate deadline id is a database error: {r:?}"
    );
    assert_eq!(snapshot(store, id).await, before, "refused commits write nothing");
    assert_chain(store, id, 2).await;
}

/// A valid act whose last row breaks a constraint (a deadline id used twice),
/// after its state, audit record and memo are written.
fn fails_at_last_row(chain: &Chain, at: DateTime<Utc>) -> TransitionCommit {
    let mut c = chain.next("late_failure", "s-late", at, &["半途备忘"]);
    let twin = deadline(&c.decision.id, "twin", far_future());
    c.set_deadlines = vec![twin.clone(), twin];
    c
}

async fn batch(store: &dyn Store) {
    let (a, b) = ("conf-batch-a", "conf-batch-b");
    let mut chain_a = Chain::new(a, "s0", t0());
    let create_a = chain_a.next("start", "s1", t0(), &[]);
    commit1(store, create_a.clone()).await.expect("create a");
    chain_a.accept(&create_a);
    let v1 = chain_a.clone();
    let before_a = snapshot(store, a).await;

    let good_a = chain_a.next("advance", "s2", t0(), &["甲"]);
    let mut stale_a = v1.next("advance", "s9", t0(), &["乙"]);
    stale_a.outbox = vec![notice(a, "不应写入", t0())];
    let create_b = Chain::new(b, "s0", t0()).next("start", "s1", t0(), &[]);
    let dup_b = Chain::new(b, "s0", t0()).next("start", "other", t0(), &["丙"]);
    let mut after_good = chain_a.clone();
    after_good.accept(&good_a);
    let broken_a = fails_at_last_row(&after_good, t0());
    let results = store.commit(vec![good_a.clone(), stale_a, create_b.clone(), dup_b, broken_a]).await;
    assert_eq!(results.len(), 5, "one result per commit, in order");
    assert!(results[0].is_ok(), "batch[0] (good update): {:?}", results[0]);
    assert!(is_conflict(&results[1]), "batch[1] (stale update): {:?}", results[1]);
    assert!(results[2].is_ok(), "batch[2] (create): {:?}", results[2]);
    assert!(matches!(results[3], Err(StoreError::AlreadyExists(_))), "batch[3] (duplicate): {:?}", results[3]);
    assert!(
        matches!(results[4], Err(StoreError::Database(_) | StoreError::Sqlite(_))),
        "batch[4] (fails late): {:?}",
        results[4]
    );

    let after_a = snapshot(store, a).await;
    assert_eq!(after_a.decision.as_ref(), Some(&good_a.decision), "the good update stands, no failed one");
    assert_eq!(after_a.memos, good_a.memos, "only the winning commit's memos are stored");
    assert!(after_a.deadlines.is_empty(), "the commit that failed late left no deadline");
    assert_eq!(after_a.outbox, before_a.outbox, "the stale commit queued nothing");
    assert_eq!(store.load(b).await.expect("load").map(|l| l.decision), Some(create_b.decision));
    assert!(store.memos(b).await.expect("memos").is_empty(), "the duplicate create stored nothing");
    assert_chain(store, a, 2).await;
    assert_chain(store, b, 1).await;
}

/// An act and the acts it causes on other records (`commit_all`): a new
/// record, two acts on it and one on an existing record stand or fall together.
async fn all_or_nothing(store: &dyn Store) {
    let (a, b) = ("conf-all-a", "conf-all-b");
    let mut chain_a = Chain::new(a, "s0", t0());
    let create_a = chain_a.next("start", "s1", t0(), &[]);
    commit1(store, create_a.clone()).await.expect("create a");
    chain_a.accept(&create_a);
    let before_a = snapshot(store, a).await;

    let chain_b = Chain::new(b, "s0", t0());
    let mut create_b = chain_b.next("start", "s1", t0(), &["乙"]);
    create_b.outbox = vec![notice(b, "不应写入", t0())];
    create_b.set_deadlines = vec![deadline(b, "due", far_future())];
    let mut b1 = chain_b.clone();
    b1.accept(&create_b);
    let link_b = b1.next("link", "s2", t0(), &[]);
    let good_a = chain_a.next("record_link", "s1", t0(), &["甲"]);
    let stale_a = chain_a.next("record_link", "s9", t0(), &[]);
    let mut after_good = chain_a.clone();
    after_good.accept(&good_a);
    let broken_a = fails_at_last_row(&after_good, t0());
    let empty = snapshot(store, "conf-all-none").await;
    let stale = store.commit_all(vec![create_b.clone(), link_b.clone(), good_a.clone(), stale_a]).await;
    assert!(is_conflict(&stale), "a stale last commit: {stale:?}");
    assert_eq!(snapshot(store, b).await, empty, "the stale commit undid the new record");
    assert_eq!(snapshot(store, a).await, before_a, "the stale commit undid the act on a");
    let late = store.commit_all(vec![create_b.clone(), link_b.clone(), good_a.clone(), broken_a]).await;
    assert!(matches!(late, Err(StoreError::Database(_) | StoreError::Sqlite(_))), "a commit failing late: {late:?}");
    assert_eq!(snapshot(store, b).await, empty, "the late failure undid the new record");
    assert_eq!(snapshot(store, a).await, before_a, "the late failure undid the act on a");
    store.commit_all(vec![create_b.clone(), link_b.clone(), good_a.clone()]).await.expect("a consistent batch");
    assert_eq!(store.load(b).await.expect("load").map(|l| l.decision), Some(link_b.decision));
    assert_eq!(store.load(a).await.expect("load").map(|l| l.decision), Some(good_a.decision));
    assert_eq!(store.outbox(b).await.expect("outbox"), create_b.outbox);
    assert_chain(store, a, 2).await;
    assert_chain(store, b, 2).await;
}

async fn racing_acts<S: RawSql + 'static>(store: Arc<S>) {
    let id = "conf-race";
    let mut chain = Chain::new(id, "meeting", t0());
    let create = chain.next("start", "deliberation", t0(), &[]);
    commit1(&*store, create.clone()).await.expect("create");
    chain.accept(&create);

    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..8 {
        let mut c = chain.next(&format!("vote_{i}"), "decided", t0() + Duration::seconds(i), &["会议纪要"]);
        c.outbox = vec![notice(id, &format!("第 {i} 号结果"), t0())];
        let store = store.clone();
        tasks.spawn(async move { commit1(&*store, c).await });
    }
    let results: Vec<_> = tasks.join_all().await;
    let won = results.iter().filter(|r| r.is_ok()).count();
    let lost = results.iter().filter(|r| is_conflict(r)).count();
    assert_eq!((won, lost), (1, 7), "8 racing acts on version 1: {results:?}");
    assert_chain(&*store, id, 2).await;
    assert_eq!(store.outbox(id).await.expect("outbox").len(), 1, "losers queued nothing");
    assert_eq!(store.memos(id).await.expect("memos").len(), 1, "losers stored no memo");

    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..8 {
        let c = Chain::new("conf-race-create", "s0", t0()).next(&format!("start_{i}"), "s1", t0(), &[]);
        let store = store.clone();
        tasks.spawn(async move { commit1(&*store, c).await });
    }
    let results: Vec<_> = tasks.join_all().await;
    let created = results.iter().filter(|r| r.is_ok()).count();
    let refused = results.iter().filter(|r| matches!(r, Err(StoreError::AlreadyExists(_)))).count();
    assert_eq!((created, refused), (1, 7), "8 racing creates of one id: {results:?}");
    assert_chain(&*store, "conf-race-create", 1).await;
}

async fn audit_order(store: &dyn Store) {
    let id = "conf-audit";
    let mut chain = Chain::new(id, "s0", t0());
    let mut written = Vec::new();
    for n in 1..=6i64 {
        let c = chain.next(&format!("act_{n}"), &format!("s{n}"), t0() + Duration::hours(n), &[]);
        commit1(store, c.clone()).await.expect("commit");
        chain.accept(&c);
        written.push(c.audit);
    }
    let stored = store.audit_records(id).await.expect("audit_records");
    assert_eq!(stored, written, "records come back in seq order, field for field");
    assert_chain(store, id, 6).await;
    assert!(audit::verify_chain(id, &stored, 7).is_err(), "a missing tail is detected");
    let versions = store.versions().await.expect("versions");
    assert!(versions.contains(&(id.to_string(), 6)), "versions() lists {id} at 6: {versions:?}");
}

async fn append_only<S: RawSql>(store: &S) {
    let id = "conf-append-only";
    let c = Chain::new(id, "s0", t0()).next("start", "s1", t0(), &["备忘"]);
    commit1(store, c).await.expect("create");
    let before = snapshot(store, id).await;
    for sql in [
        format!("update audit_records set act = 'x' where decision_id = '{id}'"),
        "update audit_records set hash = prev_hash".to_string(),
        format!("delete from audit_records where decision_id = '{id}'"),
        "delete from audit_records".to_string(),
        format!("update memos set body = 'x' where decision_id = '{id}'"),
        "delete from memos".to_string(),
    ] {
        match store.execute_raw(&sql).await {
            Ok(n) => panic!("the database accepted `{sql}` ({n} rows)"),
            Err(e) => assert!(e.to_string().contains("append-only"), "`{sql}` refused for the wrong reason: {e}"),
        }
    }
    let r = store.execute_raw(&format!("delete from decisions where id = '{id}'")).await;
    assert!(r.is_err(), "a decision with a record cannot be deleted: {r:?}");
    assert_eq!(snapshot(store, id).await, before, "tampering changed nothing");
    assert_chain(store, id, 1).await;
}

async fn deadlines(store: &dyn Store) {
    let id = "conf-deadlines";
    let now = t0();
    let mut chain = Chain::new(id, "s0", now);
    let mut c = chain.next("start", "s1", now - Duration::days(1), &[]);
    let past = deadline(id, "past", now - Duration::hours(1));
    let due = deadline(id, "due_now", now);
    let soon = deadline(id, "one_microsecond_late", now + Duration::microseconds(1));
    let far = deadline(id, "far", now + Duration::days(1));
    let doomed = deadline(id, "doomed", now - Duration::hours(2));
    c.set_deadlines = vec![soon.clone(), due.clone(), far.clone(), past.clone(), doomed.clone()];
    commit1(store, c.clone()).await.expect("create with deadlines");
    chain.accept(&c);
    let mut c = chain.next("cancel", "s2", now - Duration::days(1), &[]);
    c.cancel_deadlines = vec!["doomed".into(), "no_such_deadline".into()];
    commit1(store, c.clone()).await.expect("cancel one");
    chain.accept(&c);

    let claimed = store.claim_due(now, 10).await.expect("claim_due");
    let names: Vec<_> = claimed.iter().map(|d| d.spec.name.as_str()).collect();
    assert_eq!(names, ["past", "due_now"], "claims the due ones, earliest first; never later or cancelled ones");
    for (got, set) in claimed.iter().zip([&past, &due]) {
        assert_eq!((&got.id, &got.spec, got.status), (&set.id, &set.spec, DeadlineStatus::Fired));
        assert_eq!(got.fired_at, Some(now), "fired_at is the claim's now");
    }
    assert!(store.claim_due(now, 10).await.expect("claim_due").is_empty(), "a fired deadline is not claimed again");

    let mut c = chain.next("cancel_more", "s3", now, &[]);
    c.cancel_deadlines = vec!["past".into(), "far".into()];
    commit1(store, c).await.expect("cancel a fired and a pending one");
    let status = |rows: &[DeadlineRow], name: &str| rows.iter().find(|d| d.spec.name == name).map(|d| d.status);
    let rows = store.deadlines(id).await.expect("deadlines");
    assert_eq!(rows.len(), 5);
    assert_eq!(status(&rows, "doomed"), Some(DeadlineStatus::Cancelled));
    assert_eq!(status(&rows, "past"), Some(DeadlineStatus::Fired), "cancelling acts on pending deadlines only");
    assert_eq!(status(&rows, "far"), Some(DeadlineStatus::Cancelled));
    assert_eq!(status(&rows, "one_microsecond_late"), Some(DeadlineStatus::Pending));
    let ids = [id.to_string(), "conf-no-such-decision".to_string()];
    let pending = store.pending_deadlines(&ids).await.expect("pending_deadlines");
    let got: Vec<_> = pending.iter().map(|(d, n)| (d.spec.name.as_str(), d.decision_id.as_str(), *n)).collect();
    assert_eq!(got, [("one_microsecond_late", id, 0)], "only the pending one, of the decisions asked");
    assert!(store.pending_deadlines(&[]).await.expect("none asked").is_empty());

    let later = now + Duration::microseconds(1);
    let claimed = store.claim_due(later, 10).await.expect("claim_due");
    assert_eq!(claimed.iter().map(|d| &d.id).collect::<Vec<_>>(), [&soon.id], "due once its time comes");
    assert!(store.pending_deadlines(&ids).await.expect("pending_deadlines").is_empty(), "a fired one is not pending");
    assert!(store.claim_due(later, 0).await.expect("claim_due").is_empty(), "limit 0 claims nothing");
    let after_far = now + Duration::days(2);
    assert!(store.claim_due(after_far, 10).await.expect("claim_due").is_empty(), "cancelled is never claimed");
}

async fn racing_claims<S: RawSql + 'static>(store: Arc<S>) {
    let id = "conf-claims";
    let now = t0() - Duration::days(30);
    let c = {
        let mut c = Chain::new(id, "s0", now).next("start", "s1", now, &[]);
        c.set_deadlines = (0..200).map(|i| deadline(id, &format!("d{i}"), now - Duration::seconds(i))).collect();
        c
    };
    let expected: BTreeSet<String> = c.set_deadlines.iter().map(|d| d.id.clone()).collect();
    commit1(&*store, c).await.expect("create with 200 deadlines");

    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let store = store.clone();
        tasks.spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = store.claim_due(now, 10).await.expect("claim_due");
                assert!(got.len() <= 10, "claim_due exceeded its limit: {}", got.len());
                assert!(got.windows(2).all(|w| w[0].spec.due_at <= w[1].spec.due_at), "claims are earliest first");
                if got.is_empty() {
                    return mine;
                }
                mine.extend(got.into_iter().map(|d| d.id));
            }
        });
    }
    let claimed: Vec<String> = tasks.join_all().await.into_iter().flatten().collect();
    let unique: BTreeSet<String> = claimed.iter().cloned().collect();
    assert_eq!(claimed.len(), 200, "200 deadlines claimed {} times in total", claimed.len());
    assert_eq!(unique, expected, "every deadline claimed exactly once");
    let rows = store.deadlines(id).await.expect("deadlines");
    assert!(rows.iter().all(|d| d.status == DeadlineStatus::Fired), "all 200 are fired");
}

async fn list_and_versions(store: &dyn Store) {
    let stage = "conf-listing";
    let mut ids = Vec::new();
    for i in 0..5i64 {
        let id = format!("conf-list-{i}");
        let mut c = Chain::new(&id, "s0", t0() + Duration::seconds(i)).next("start", stage, t0(), &[]);
        // Names a `like` pattern would take for wildcards, unless they are escaped.
        c.decision.facts.executing_unit =
            [None, Some("单位%"), None, Some("单位_1"), None][i as usize].map(str::to_string);
        commit1(store, c).await.expect("create");
        ids.push(id);
    }
    ids.reverse(); // newest first
    let page = |limit, offset| DecisionFilter { stage: Some(stage.to_string()), limit, offset, ..Default::default() };
    let listed = |rows: Vec<super::DecisionSummary>| rows.into_iter().map(|s| s.id).collect::<Vec<_>>();
    assert_eq!(listed(store.list(&page(2, 0)).await.expect("list")), ids[..2], "first page, newest first");
    assert_eq!(listed(store.list(&page(2, 2)).await.expect("list")), ids[2..4], "second page");
    assert_eq!(listed(store.list(&page(2, 4)).await.expect("list")), ids[4..], "last page");
    assert_eq!(listed(store.list(&page(0, 0)).await.expect("list")), ids, "limit 0 means the default");
    let first = &store.list(&page(1, 0)).await.expect("list")[0];
    assert_eq!(
        (first.title.as_str(), first.workflow_key.as_str(), first.stage.as_str(), first.version),
        ("决策 conf-list-4", "conformance", stage, 1)
    );
    let everything = store.list(&DecisionFilter { limit: 1000, ..Default::default() }).await.expect("list");
    assert!(everything.len() > ids.len(), "no stage filter lists every stage");
    let none = DecisionFilter { stage: Some("no-such-stage".into()), ..Default::default() };
    assert!(store.list(&none).await.expect("list").is_empty());
    // Bounded to stages of a procedure: the workflow, its version and the stage must all match.
    let of = |key: &str, version, stage: &str| super::StageOf {
        workflow_key: key.into(),
        workflow_version: version,
        stage: stage.into(),
    };
    let at = |places: Vec<super::StageOf>, stage: Option<&str>| DecisionFilter {
        at: places,
        stage: stage.map(str::to_string),
        parties: None,
        limit: 3,
        offset: 1,
    };
    let here = vec![of("conformance", 1, stage), of("conformance", 1, "no-such-stage")];
    assert_eq!(
        listed(store.list(&at(here.clone(), None)).await.expect("list")),
        ids[1..4],
        "a page of those at a stage"
    );
    assert_eq!(listed(store.list(&at(here, Some(stage))).await.expect("list")), ids[1..4], "and at the stage named");
    let elsewhere =
        vec![of("conformance", 2, stage), of("other", 1, stage), of("conformance", 1, "conf-listing-elsewhere")];
    assert!(store.list(&at(elsewhere, None)).await.expect("list").is_empty(), "another version, procedure or stage");
    // Bounded to decisions naming a party: found whole, wildcards taken as they are written.
    let naming = |party: &str| DecisionFilter {
        at: vec![of("conformance", 1, stage)],
        parties: Some(vec!["user:nobody".into(), party.into()]),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(listed(store.list(&naming("unit:单位%")).await.expect("list")), ["conf-list-1"]);
    assert_eq!(listed(store.list(&naming("unit:单位_1")).await.expect("list")), ["conf-list-3"]);
    assert!(store.list(&naming("unit:单位")).await.expect("list").is_empty(), "a name is not a prefix of another");

    let versions = store.versions().await.expect("versions");
    assert_eq!(versions.len(), everything.len(), "versions() lists every decision");
    for id in &ids {
        assert!(versions.contains(&(id.clone(), 1)), "versions() lists {id}");
    }
    for (id, version) in &versions {
        assert_chain(store, id, *version).await;
    }
}

/// A worklist finds a reader's decisions through the names each commit writes (`decision_parties`, migration
/// 0018): the names an act changes are found afresh and the old ones no longer, and a decision whose names were not
/// written with its state is found by every reader, whatever it names.
async fn names_follow_acts<S: RawSql>(store: &S) {
    let stage = "conf-naming";
    let found = |party| naming(store, "conformance", stage, party);
    let mut chains = Vec::new();
    for (id, unit) in [("conf-named-a", Some("甲局")), ("conf-named-b", None)] {
        let mut chain = Chain::new(id, "s0", t0());
        let mut c = chain.next("start", stage, t0(), &[]);
        c.decision.facts.executing_unit = unit.map(str::to_string);
        commit1(store, c.clone()).await.expect("create");
        chain.accept(&c);
        chains.push(chain);
    }
    assert_eq!(found("unit:甲局").await, ["conf-named-a"]);
    assert!(found("unit:乙局").await.is_empty() && found("user:nobody").await.is_empty());

    // An act that names another unit: found under the new name only.
    let a = &mut chains[0];
    let mut c = a.next("reassign", stage, t0() + Duration::seconds(1), &[]);
    c.decision.facts.executing_unit = Some("乙局".into());
    commit1(store, c.clone()).await.expect("reassigned");
    a.accept(&c);
    assert!(found("unit:甲局").await.is_empty(), "the former name no longer finds it");
    assert_eq!(found("unit:乙局").await, ["conf-named-a"]);
    // An act that keeps the names keeps them found.
    let c = a.next("note", stage, t0() + Duration::seconds(2), &[]);
    commit1(store, c.clone()).await.expect("noted");
    a.accept(&c);
    assert_eq!(found("unit:乙局").await, ["conf-named-a"]);

    // Written as a replica from before migration 0017 writes it (state and version, no names): every reader
    // examines it, until its names are written with its state again.
    store
        .execute_raw("update decisions set version = version + 1 where id = 'conf-named-b'")
        .await
        .expect("an old replica's write");
    assert_eq!(found("user:nobody").await, ["conf-named-b"], "unnamed: found by any reader");
    assert_eq!(found("unit:乙局").await, ["conf-named-a", "conf-named-b"]);
    store
        .execute_raw("update decisions set version = version - 1 where id = 'conf-named-b'")
        .await
        .expect("back to the version its names were written for");
    assert!(found("user:nobody").await.is_empty(), "named again: found by its names only");
    assert_eq!(found("unit:乙局").await, ["conf-named-a"]);
}

/// The ids, sorted, of the decisions at `stage` of version 1 of procedure `workflow` that a reader named `party`
/// is looked for among (`DecisionFilter::parties`).
async fn naming(store: &dyn Store, workflow: &str, stage: &str, party: &str) -> Vec<String> {
    let filter = DecisionFilter {
        at: vec![super::StageOf { workflow_key: workflow.into(), workflow_version: 1, stage: stage.into() }],
        parties: Some(vec![party.into()]),
        limit: 10,
        ..Default::default()
    };
    let mut ids: Vec<String> = store.list(&filter).await.expect("list").into_iter().map(|s| s.id).collect();
    ids.sort_unstable();
    ids
}

/// Decisions stored before migration 0018, for [`names_from_before_0018`]: one named with its state (`|…|`, as
/// 0017's writers leave it), one never named, one named for an older state (written since by an older replica).
#[cfg(test)]
pub(crate) async fn seed_before_0018<S: RawSql>(store: &S) {
    for (id, parties, parties_version) in [
        ("old-named", "'|unit:甲局|user:li|'", "2"),
        ("old-unnamed", "null", "null"),
        ("old-stale", "'|unit:甲局|'", "1"),
    ] {
        let sql = format!(
            "insert into decisions (id, workflow_key, workflow_version, stage, version, title, parent_id, state_json, \
             created_at, updated_at, parties, parties_version) values ('{id}', 'national', 1, 'drafting', 2, 't', \
             null, '{{}}', '2026-01-05T01:00:00.000000Z', '2026-01-05T01:00:00.000000Z', {parties}, \
             {parties_version})"
        );
        store.execute_raw(&sql).await.expect("a decision of before");
    }
}

/// After migration 0018 (and before any fill): the decisions [`seed_before_0018`] stored are found by the names
/// written with their state, and those whose names were not are found by every reader.
#[cfg(test)]
pub(crate) async fn names_from_before_0018(store: &dyn Store) {
    let found = |party| naming(store, "national", "drafting", party);
    assert_eq!(found("unit:甲局").await, ["old-named", "old-stale", "old-unnamed"]);
    assert_eq!(found("user:li").await, ["old-named", "old-stale", "old-unnamed"]);
    assert_eq!(found("user:wang").await, ["old-stale", "old-unnamed"], "the named row is found by its names only");
}
