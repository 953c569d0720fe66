//! One commit as the statements that write it: each with its arguments, and
//! what it means when it changes no row or hits a unique key. Built once
//! from a [`TransitionCommit`], run by either driver: sqlx (`sql::write`, both
//! backends) or SQLite's own writer thread (`sqlite_writer`), so both write
//! exactly the same rows and fail the same way.

use std::borrow::Cow;

use super::{idempotency, numbering, opinions, rows, scheduler, StoreError, TransitionCommit};
use crate::anchor::{seal_message, ServerKey};
use crate::audit::{format_instant, sha256_hex};
use crate::ledger::LedgerWrite;

/// One bound value: the stores keep text and 64-bit integers only.
#[derive(Debug)]
pub(super) enum Arg<'a> {
    Text(Cow<'a, str>),
    Int(i64),
    /// A text column left empty.
    Null,
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(t: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(t))
    }
}

impl From<String> for Arg<'_> {
    fn from(t: String) -> Self {
        Arg::Text(Cow::Owned(t))
    }
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}

impl<'a, T: Into<Arg<'a>>> From<Option<T>> for Arg<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Arg::Null, Into::into)
    }
}

/// What a statement's outcome means for its commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fail {
    /// The record moved on since it was read: another act won.
    Conflict,
    /// The record was created by another act first.
    AlreadyExists,
    /// Another act took the commit's `numbers[i]` first.
    NumberTaken(usize),
    /// The request's idempotency key is held by another request now.
    KeyNotHeld,
    /// Another scheduler took the deadline's lease.
    LeaseLost,
}

impl Fail {
    pub fn error(self, c: &TransitionCommit) -> StoreError {
        let conflict = || StoreError::Conflict { decision_id: c.decision.id.clone(), expected: c.expected_version };
        match self {
            Fail::Conflict => conflict(),
            Fail::AlreadyExists => StoreError::AlreadyExists(c.decision.id.clone()),
            Fail::NumberTaken(i) => c.numbers.get(i).map_or_else(conflict, numbering::taken),
            Fail::KeyNotHeld => match &c.idempotency {
                Some(k) => idempotency::convert::not_held(k),
                None => conflict(),
            },
            Fail::LeaseLost => match &c.fires {
                Some(f) => StoreError::LeaseLost { deadline_id: f.deadline_id.clone() },
                None => conflict(),
            },
        }
    }
}

/// One statement of a commit, `$1`… numbered as both databases take them.
#[derive(Debug)]
pub(super) struct Stmt<'a> {
    pub sql: Cow<'static, str>,
    pub args: Vec<Arg<'a>>,
    /// The commit fails this way when the statement changes no row.
    pub if_none: Option<Fail>,
    /// … and this way when it violates a unique key (otherwise that is a database error).
    pub if_taken: Option<Fail>,
}

impl<'a> Stmt<'a> {
    fn new(sql: impl Into<Cow<'static, str>>) -> Self {
        Stmt { sql: sql.into(), args: Vec::new(), if_none: None, if_taken: None }
    }

    fn arg(mut self, a: impl Into<Arg<'a>>) -> Self {
        self.args.push(a.into());
        self
    }

    fn if_none(mut self, f: Fail) -> Self {
        self.if_none = Some(f);
        self
    }

    fn if_taken(mut self, f: Fail) -> Self {
        self.if_taken = Some(f);
        self
    }
}

/// What a commit derives from the state it writes: the state as stored (JSON), its SHA-256, and the server's
/// signature over the audit record's hash and that state hash (see `crate::anchor`).
#[derive(Debug, Clone)]
pub struct Seal {
    state: String,
    state_sha256: String,
    signature: Option<String>,
}

/// `c`'s seal, signed with `key` (none: unsigned, as in a store without a key).
pub(super) fn seal(c: &TransitionCommit, key: Option<&ServerKey>) -> Result<Seal, StoreError> {
    let d = &c.decision;
    let state = rows::to_json(d)?;
    let state_sha256 = sha256_hex(state.as_bytes());
    let signature = key.map(|k| k.sign(&seal_message(&d.id, c.audit.seq, &c.audit.hash, &state_sha256)));
    Ok(Seal { state, state_sha256, signature })
}

/// Every statement of one commit, in the order they must run: the record,
/// its audit record (the chain position is unique: a second act at the same
/// version loses), document numbers, the idempotency answer, memos, deadlines
/// (cancelled before set, so an act that replaces one keeps the new one),
/// notifications, opinion rows and the scheduler's firing.
pub(super) fn commit<'a>(c: &'a TransitionCommit, key: Option<&ServerKey>) -> Result<Vec<Stmt<'a>>, StoreError> {
    let d = &c.decision;
    // Sealed by the caller ahead of the write where it could be (`Store::seal`), otherwise here.
    let (state, state_sha256, signature): (Arg<'a>, Arg<'a>, Arg<'a>) = match &c.sealed {
        Some(s) => (s.state.as_str().into(), s.state_sha256.as_str().into(), s.signature.as_deref().into()),
        None => {
            let s = seal(c, key)?;
            (s.state.into(), s.state_sha256.into(), s.signature.into())
        }
    };
    // The record's columns, in the order both statements number them.
    let record = |sql| {
        Stmt::new(sql)
            .arg(d.id.as_str())
            .arg(d.workflow_key.as_str())
            .arg(i64::from(d.workflow_version))
            .arg(d.stage.as_str())
            .arg(d.version)
            .arg(d.title())
            .arg(d.parent.as_deref())
            .arg(state)
    };
    let parties = parties_text(d);
    let mut plan = Vec::new();
    plan.push(if c.expected_version == 0 {
        record(rows::INSERT_DECISION)
            .arg(format_instant(&d.created_at))
            .arg(format_instant(&d.updated_at))
            .arg(parties)
            .if_taken(Fail::AlreadyExists)
    } else {
        // Optimistic versioning: no row is updated unless the stored version is the one the act read, with the
        // opinions it read (and, for an act that read nothing, what it assumed still holds).
        let moves = c.audit.stage_from != d.stage;
        let update = record(match (&c.assumed, moves) {
            (None, true) => rows::UPDATE_DECISION,
            (None, false) => rows::UPDATE_DECISION_IN_PLACE,
            (Some(_), true) => rows::UPDATE_DECISION_ASSUMING,
            (Some(_), false) => rows::UPDATE_DECISION_ASSUMING_IN_PLACE,
        });
        let update = update.arg(format_instant(&d.updated_at)).arg(c.expected_version).arg(c.opinions);
        match &c.assumed {
            None => update,
            Some(a) => update.arg(a.calendar_notices).arg(a.opinion_kinds),
        }
        .arg(parties)
        .if_none(Fail::Conflict)
    });
    let a = &c.audit;
    plan.push(
        Stmt::new(rows::INSERT_AUDIT)
            .arg(a.decision_id.as_str())
            .arg(a.seq)
            .arg(a.act.as_str())
            .arg(a.stage_from.as_str())
            .arg(a.stage_to.as_str())
            .arg(rows::to_json(&a.actor)?)
            .arg(format_instant(&a.at))
            .arg(a.payload.as_str())
            .arg(a.payload_hash.as_str())
            .arg(rows::to_json(&a.memo_hashes)?)
            .arg(a.prev_hash.as_str())
            .arg(a.hash.as_str())
            .arg(state_sha256)
            .arg(signature)
            // Another writer holds this chain position: it won the race.
            .if_taken(Fail::Conflict),
    );
    numbers(&mut plan, c);
    if let Some(k) = &c.idempotency {
        let r = &k.response;
        plan.push(
            Stmt::new(idempotency::sql::COMPLETE)
                .arg(k.held.key.as_str())
                .arg(k.held.claim.as_str())
                .arg(i64::from(r.status))
                .arg(r.content_type.as_str())
                .arg(r.body.as_str())
                .if_none(Fail::KeyNotHeld),
        );
    }
    for chunk in c.memos.chunks(rows::MEMOS_PER_STATEMENT) {
        let mut s = Stmt::new(rows::insert_memos(chunk.len()));
        for m in chunk {
            s = s
                .arg(m.decision_id.as_str())
                .arg(m.seq)
                .arg(m.memo.as_str())
                .arg(m.lang.as_str())
                .arg(m.format.as_str())
                .arg(m.body.as_str())
                .arg(m.sha256.as_str())
                .arg(m.template_sha256.as_str())
                .arg(m.data.as_str())
                .arg(format_instant(&m.created_at));
        }
        plan.push(s);
    }
    for names in c.cancel_deadlines.chunks(rows::CANCELS_PER_STATEMENT) {
        let s = Stmt::new(rows::cancel_deadlines(names.len())).arg(d.id.as_str());
        plan.push(names.iter().fold(s, |s, name| s.arg(name.as_str())));
    }
    for chunk in c.set_deadlines.chunks(rows::DEADLINES_PER_STATEMENT) {
        let mut s = Stmt::new(rows::insert_deadlines(chunk.len()));
        for x in chunk {
            s = s
                .arg(x.id.as_str())
                .arg(x.decision_id.as_str())
                .arg(x.spec.name.as_str())
                .arg(rows::kind_text(x.spec.kind)?)
                .arg(x.spec.due_at.timestamp_micros())
                .arg(x.spec.act.as_deref())
                .arg(x.spec.notify.map(|r| r.as_str()))
                .arg(rows::to_json(&x.spec.basis)?)
                .arg(x.status.as_str())
                .arg(x.fired_at.as_ref().map(format_instant))
                .arg(rows::act_instant(c));
        }
        plan.push(s);
    }
    outbox(&mut plan, &c.outbox);
    ledger(&mut plan, &d.id, &c.ledger)?;
    if let Some(f) = &c.fires {
        let at = format_instant(&f.at);
        let fired = Stmt::new(scheduler::FIRE_LEASED).arg(f.deadline_id.as_str()).arg(f.holder.as_str()).arg(at);
        plan.push(fired.if_none(Fail::LeaseLost));
    }
    Ok(plan)
}

/// The decision's parties ([`crate::procedure::facts::Facts::parties`]) as stored: each between bars, so that one
/// is found whole by `like '%|<party>|%'` (`store::rows::list_at`).
pub(super) fn parties_text(d: &crate::decision::Decision) -> String {
    let parties = d.facts.parties();
    let mut text = String::from("|");
    for p in parties {
        text.push_str(&p);
        text.push('|');
    }
    text
}

/// Each document number: the series' counter moves from n-1 to n (or starts at 1) only for the act that saw
/// n-1, and the number is registered to its memo once.
fn numbers<'a>(plan: &mut Vec<Stmt<'a>>, c: &'a TransitionCommit) {
    for (i, n) in c.numbers.iter().enumerate() {
        let counter = |sql| Stmt::new(sql).arg(n.organ.as_str()).arg(n.series.as_str()).arg(i64::from(n.year));
        plan.push(if n.number == 1 {
            counter(numbering::sql::FIRST).if_taken(Fail::NumberTaken(i)).if_none(Fail::NumberTaken(i))
        } else {
            counter(numbering::sql::ADVANCE).arg(n.number).arg(n.number - 1).if_none(Fail::NumberTaken(i))
        });
        plan.push(
            counter(numbering::sql::REGISTER)
                .arg(n.number)
                .arg(n.decision_id.as_str())
                .arg(n.seq)
                .arg(n.memo.as_str())
                .if_taken(Fail::NumberTaken(i)),
        );
    }
}

/// Notifications, many to a statement: an act tells several roles at once.
pub(super) fn outbox<'a>(plan: &mut Vec<Stmt<'a>>, messages: &'a [super::OutboxMessage]) {
    for chunk in messages.chunks(rows::OUTBOX_PER_STATEMENT) {
        let mut s = Stmt::new(rows::insert_outbox(chunk.len()));
        for o in chunk {
            s = s
                .arg(o.id.as_str())
                .arg(o.decision_id.as_str())
                .arg(o.recipient_role.as_str())
                .arg(o.subject.as_str())
                .arg(format_instant(&o.created_at));
        }
        plan.push(s);
    }
}

/// What the act does to the decision's opinion rows.
pub(super) fn ledger<'a>(
    plan: &mut Vec<Stmt<'a>>,
    decision_id: &'a str,
    writes: &'a [LedgerWrite],
) -> Result<(), StoreError> {
    use opinions::sql;
    for w in writes {
        let row = |sql: &'static str, kind: crate::ledger::Kind, seq: i64| {
            Stmt::new(sql).arg(decision_id).arg(kind.as_str()).arg(seq)
        };
        match w {
            LedgerWrite::Settle { kind, seq, cluster, settled } => {
                let statement = if *cluster { sql::SETTLE_CAMPAIGN } else { sql::SETTLE_ONE };
                plan.push(row(statement, *kind, *seq).arg(rows::to_json(settled)?).arg(settled.outcome.as_str()));
            }
            // The campaign it leaves has one member fewer, and it leads a campaign of one; then it stands alone.
            LedgerWrite::Split { kind, seq } => {
                plan.push(row(sql::SPLIT_LEAVE, *kind, *seq));
                plan.push(row(sql::SPLIT_ALONE, *kind, *seq));
                plan.push(row(sql::SPLIT, *kind, *seq));
            }
            LedgerWrite::Hide { kind, seq, hidden } => {
                plan.push(row(sql::HIDE, *kind, *seq).arg(rows::to_json(hidden)?));
            }
        }
    }
    Ok(())
}

/// Whether a commit's statements can run as one (`bundle`). One statement must not write a row twice, so not
/// when it holds two document numbers of one series (one counter moved twice), opinion rows (settled, then split)
/// or a deadline's firing (the act it fires may cancel that deadline by name).
pub(super) fn bundles(c: &TransitionCommit) -> bool {
    let series: std::collections::BTreeSet<_> = c.numbers.iter().map(|n| (&n.organ, &n.series, n.year)).collect();
    series.len() == c.numbers.len() && c.fires.is_none() && c.ledger.is_empty()
}

/// A commit's statements as one `with` query (PostgreSQL), so that an act costs one round trip and is atomic on
/// its own, with no `begin` and `commit` around it. The first statement (the record's insert, or its versioned
/// update) returns a row when it writes; every other statement writes only if it did, so a record that moved on
/// writes nothing and the query answers 0. Any other statement that must change a row (a document number's
/// counter, an idempotency answer) is required to have, by `juece_require` (migration 0016): if it changed none,
/// the query fails and writes nothing, and the caller writes the commit statement by statement to name the cause.
/// All steps read the snapshot from before the query: deadlines are cancelled among the rows there were, never
/// among those the same act sets.
pub(super) fn bundle<'s>(statements: &'s [Stmt<'s>]) -> (String, Vec<&'s Arg<'s>>) {
    use std::fmt::Write;
    let mut sql = String::from("with ");
    let mut args = Vec::new();
    let mut required = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        let text = renumber(&s.sql, args.len());
        let mut step = match (i, text.split_once(" values ")) {
            (0, _) => format!("{text} returning 1"),
            (_, Some((head, rows))) => format!("{head} select * from (values {rows}) v where exists (select from s0)"),
            (_, None) => format!("{text} and exists (select from s0)"),
        };
        if let (1.., Some(fail)) = (i, s.if_none) {
            step.push_str(" returning 1");
            required.push(format!("juece_require(exists (select from s{i}), '{fail:?}')"));
        }
        let _ = write!(sql, "{}s{i} as ({step})", if i == 0 { "" } else { ", " });
        args.extend(&s.args);
    }
    sql.push_str(" select count(*) from s0");
    // Asked only of a record that was written: when it was not, nothing else was either.
    if !required.is_empty() {
        let _ = write!(sql, " where {}", required.join(" and "));
    }
    (sql, args)
}

/// `sql` with each placeholder `$n` numbered `$(n + by)`.
fn renumber(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.char_indices().peekable();
    while let Some((_, ch)) = chars.next() {
        out.push(ch);
        if ch != '$' {
            continue;
        }
        let mut n = String::new();
        while let Some((_, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
            n.push(*d);
            chars.next();
        }
        match n.parse::<usize>() {
            Ok(n) => out.push_str(&(n + by).to_string()),
            Err(_) => out.push_str(&n),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::conformance::{t0, Chain};

    #[test]
    fn a_commit_sealed_by_its_caller_writes_what_the_store_would_have_sealed() {
        let key = ServerKey::generate();
        let c = Chain::new("sealed", "proposal", t0()).next("submit_proposal", "drafting", t0(), &["proposal"]);
        let by_store = format!("{:?}", commit(&c, Some(&key)).expect("plan"));
        let mut ahead = c.clone();
        let seal = seal(&ahead, Some(&key)).expect("seal");
        let signature = seal.signature.clone().expect("signed with the key");
        ahead.sealed = Some(seal);
        assert!(by_store.contains(&signature), "Ed25519 signs alike twice: the store's plan carries this signature");
        assert_eq!(format!("{:?}", commit(&ahead, Some(&key)).expect("plan")), by_store);
        // What the caller sealed is written as it is: the store does not sign again.
        assert_eq!(format!("{:?}", commit(&ahead, None).expect("plan")), by_store);
        assert!(!format!("{:?}", commit(&c, None).expect("plan")).contains(&signature), "no key, no signature");
    }

    #[test]
    fn placeholders_are_numbered_on() {
        assert_eq!(
            renumber("update t set a = $2 where id = $1 and v = $10", 5),
            "update t set a = $7 where id = $6 and v = $15"
        );
        assert_eq!(renumber("select '$' || x from t", 3), "select '$' || x from t");
    }

    #[test]
    fn a_bundle_writes_the_rest_only_if_the_record_was_written() {
        let statements = vec![
            Stmt::new("update decisions set v = $2 where id = $1 and v = $3")
                .arg("d")
                .arg(2)
                .arg(1)
                .if_none(Fail::Conflict),
            Stmt::new("insert into audit_records (a, b) values ($1, $2)").arg("d").arg(2),
            Stmt::new("update deadlines set s = 'c' where decision_id = $1 and name in ($2)").arg("d").arg("n"),
        ];
        let (sql, args) = bundle(&statements);
        assert_eq!(
            sql,
            "with s0 as (update decisions set v = $2 where id = $1 and v = $3 returning 1), \
             s1 as (insert into audit_records (a, b) select * from (values ($4, $5)) v where exists (select from s0)), \
             s2 as (update deadlines set s = 'c' where decision_id = $6 and name in ($7) and exists (select from s0)) \
             select count(*) from s0"
        );
        assert_eq!(args.len(), 7);
    }

    /// SQLite writes the stage index's entry again whenever `stage` is named in the update's `set` list, changed or
    /// not: an act that leaves the record at its stage does not name it (and requires the row to be at it still).
    #[test]
    fn only_an_act_that_moves_the_record_sets_its_stage() {
        let chain = Chain::new("in-place", "drafting", t0());
        let moves = chain.next("finish_drafting", "cost_benefit", t0(), &[]);
        let stays = chain.next("record_draft", "drafting", t0(), &[]);
        let update = |c: &TransitionCommit| commit(c, None).expect("plan")[0].sql.to_string();
        let moving = update(&TransitionCommit { expected_version: 1, ..moves });
        let staying = update(&TransitionCommit { expected_version: 1, ..stays });
        assert!(moving.contains("stage = $4,") && !moving.contains("and stage = $4"), "{moving}");
        assert!(!staying.contains("stage = $4,") && staying.contains("where id = $1 and stage = $4"), "{staying}");
    }

    #[test]
    fn a_commit_that_would_write_a_row_twice_is_not_bundled() {
        let c = Chain::new("b", "proposal", t0()).next("start", "drafting", t0(), &["受理通知"]);
        let claim = |series: &str, number| crate::store::numbering::NumberClaim {
            organ: "示范市人民政府".into(),
            series: series.into(),
            year: 2026,
            number,
            decision_id: "b".into(),
            seq: 2,
            memo: "受理通知".into(),
        };
        assert!(bundles(&c));
        let numbered = TransitionCommit { numbers: vec![claim("示政办函", 3), claim("示政发", 1)], ..c.clone() };
        assert!(bundles(&numbered), "one number of each of two series: each counter moves once");
        let twice = TransitionCommit { numbers: vec![claim("示政办函", 3), claim("示政办函", 4)], ..c.clone() };
        assert!(!bundles(&twice), "two numbers of one series move one counter twice");
        let split = crate::ledger::LedgerWrite::Split { kind: crate::ledger::Kind::Comment, seq: 1 };
        assert!(!bundles(&TransitionCommit { ledger: vec![split], ..c.clone() }), "opinion rows");
    }

    #[test]
    fn a_bundle_fails_whole_when_a_step_that_must_write_wrote_nothing() {
        let statements = vec![
            Stmt::new("update decisions set v = $2 where id = $1").arg("d").arg(2).if_none(Fail::Conflict),
            Stmt::new("update document_counters set n = $2 where s = $1 and n = $3")
                .arg("s")
                .arg(5)
                .arg(4)
                .if_none(Fail::NumberTaken(0)),
            Stmt::new("insert into document_numbers (s, n) values ($1, $2)").arg("s").arg(5),
        ];
        let (sql, _) = bundle(&statements);
        assert_eq!(
            sql,
            "with s0 as (update decisions set v = $2 where id = $1 returning 1), \
             s1 as (update document_counters set n = $4 where s = $3 and n = $5 and exists (select from s0) returning 1), \
             s2 as (insert into document_numbers (s, n) select * from (values ($6, $7)) v where exists (select from s0)) \
             select count(*) from s0 where juece_require(exists (select from s1), 'NumberTaken(0)')"
        );
    }
}
