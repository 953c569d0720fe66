//! What the SQLite and PostgreSQL stores share: the SQL text (both accept
//! `$1`-style placeholders), the embedded migrations, the checks a commit
//! must pass before it touches the database, and the conversions between
//! row primitives (text and 64-bit integers) and the engine's structs.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use serde::{de::DeserializeOwned, Serialize};
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{ColumnIndex, Decode, Row, Type};

use super::{
    DeadlineRow, DeadlineStatus, DecisionSummary, Loaded, OutboxMessage, StoreError, StoredMemo, TransitionCommit,
};
use crate::actor::Role;
use crate::audit::{format_instant, AuditRecord, GENESIS};
use crate::decision::Decision;
use crate::definition::DeadlineKind;
use crate::effect::DeadlineSpec;

// ---- migrations -------------------------------------------------------------

/// A migration file compiled into the binary, so a deployed `juece` needs no
/// migrations folder. Named like sqlx's files: `<version>_<description>.sql`.
#[derive(Debug)]
pub(super) struct Embedded {
    pub version: i64,
    pub description: &'static str,
    pub sql: &'static str,
}

/// One migration, for both backends: `migrations/<dir>/<file>_<description>.sql`.
macro_rules! migration {
    ($dir:literal, $version:literal, $file:literal, $description:literal) => {
        Embedded {
            version: $version,
            description: $description,
            sql: include_str!(concat!("../../../migrations/", $dir, "/", $file, "_", $description, ".sql")),
        }
    };
}

/// The migrations, in version order, listed once: each backend has its own folder of the same files, in
/// lockstep (a file missing from one folder fails the build).
macro_rules! migrations {
    ($dir:literal) => {
        &[
            migration!($dir, 1, "0001", "core"),
            migration!($dir, 2, "0002", "scheduler_and_notifications"),
            migration!($dir, 3, "0003", "users_sessions_tokens"),
            migration!($dir, 4, "0004", "document_numbers"),
            migration!($dir, 5, "0005", "calendar_notices"),
            migration!($dir, 6, "0006", "deadline_leases"),
            migration!($dir, 7, "0007", "idempotency_in_commit"),
            migration!($dir, 8, "0008", "key_expiry_and_login_lockout"),
            migration!($dir, 9, "0009", "user_status_and_inbox_reads"),
            migration!($dir, 10, "0010", "record_seals"),
            migration!($dir, 11, "0011", "issued_reports"),
            migration!($dir, 12, "0012", "unit_directory"),
            migration!($dir, 13, "0013", "public_opinions"),
            migration!($dir, 14, "0014", "toast_lz4"),
            migration!($dir, 15, "0015", "opinions_on_the_record"),
            migration!($dir, 16, "0016", "required_steps"),
            migration!($dir, 17, "0017", "decision_parties"),
            migration!($dir, 18, "0018", "party_index"),
        ]
    };
}

pub(super) const SQLITE_MIGRATIONS: &[Embedded] = migrations!("sqlite");
pub(super) const POSTGRES_MIGRATIONS: &[Embedded] = migrations!("postgres");

#[derive(Debug)]
struct EmbeddedSource(&'static [Embedded]);

impl MigrationSource<'static> for EmbeddedSource {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 'static>> {
        let migrations = self
            .0
            .iter()
            .map(|m| Migration::new(m.version, m.description.into(), MigrationType::Simple, m.sql.into(), false))
            .collect();
        Box::pin(async move { Ok(migrations) })
    }
}

/// The sqlx migrator over embedded files (checksums as `sqlx migrate` computes them).
pub(super) async fn migrator(files: &'static [Embedded]) -> Result<Migrator, StoreError> {
    Ok(Migrator::new(EmbeddedSource(files)).await?)
}

/// Whether every embedded migration is among the applied versions.
pub(super) fn all_applied(files: &[Embedded], applied: &[i64]) -> bool {
    files.iter().all(|m| applied.contains(&m.version))
}

// ---- SQL ------------------------------------------------------------------

pub(super) const SELECT_ONE: &str = "select 1";
pub(super) const APPLIED_MIGRATIONS: &str = "select version from _sqlx_migrations where success";

/// Group commit: each commit of a batch runs inside its own savepoint of one
/// database transaction, so it fails alone while the batch pays one sync.
pub(super) const SAVEPOINT: &str = "savepoint juece_commit";
pub(super) const RELEASE: &str = "release savepoint juece_commit";
pub(super) const ROLLBACK_TO: &str = "rollback to savepoint juece_commit";

pub(super) const INSERT_DECISION: &str = "insert into decisions \
     (id, workflow_key, workflow_version, stage, version, title, parent_id, state_json, created_at, updated_at, \
     parties, parties_version) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $5)";
/// Optimistic versioning: no row is updated unless the stored version is the one the act read, and the record has
/// received no opinion since (`$11`, the count the act read): the act may have decided on the opinions it read. Both
/// are conditions on the row itself, so PostgreSQL checks them again on the newest row after waiting for an intake
/// that held it.
pub(super) const UPDATE_DECISION: &str = "update decisions set \
     workflow_key = $2, workflow_version = $3, stage = $4, version = $5, title = $6, parent_id = $7, \
     state_json = $8, updated_at = $9, parties = $12, parties_version = $5 \
     where id = $1 and version = $10 and opinions = $11";
/// [`UPDATE_DECISION`] for an act that took the record as this process last wrote it instead of reading it
/// ([`super::Assumed`]): also only if the calendar notices (`$12`) and the kinds of opinion on the record (`$13`,
/// on the record `$1`) still number what the act assumed.
pub(super) const UPDATE_DECISION_ASSUMING: &str = "update decisions set \
     workflow_key = $2, workflow_version = $3, stage = $4, version = $5, title = $6, parent_id = $7, \
     state_json = $8, updated_at = $9, parties = $14, parties_version = $5 \
     where id = $1 and version = $10 and opinions = $11 and (select count(*) from calendar_notices) = $12 \
     and (select count(*) from opinion_heads h where h.decision_id = $1) = $13";
/// [`UPDATE_DECISION`] and [`UPDATE_DECISION_ASSUMING`] for an act that leaves the record at its stage: `stage` is
/// not in the `set` list (SQLite writes an index's entry again for every column named there, changed or not: one
/// more page in the log for `decisions_stage`), and `$4` is the stage the row must still be at (true whenever the
/// version is: it is there because PostgreSQL refuses a bound argument the statement does not use).
pub(super) const UPDATE_DECISION_IN_PLACE: &str = "update decisions set \
     workflow_key = $2, workflow_version = $3, version = $5, title = $6, parent_id = $7, \
     state_json = $8, updated_at = $9, parties = $12, parties_version = $5 \
     where id = $1 and stage = $4 and version = $10 and opinions = $11";
pub(super) const UPDATE_DECISION_ASSUMING_IN_PLACE: &str = "update decisions set \
     workflow_key = $2, workflow_version = $3, version = $5, title = $6, parent_id = $7, \
     state_json = $8, updated_at = $9, parties = $14, parties_version = $5 \
     where id = $1 and stage = $4 and version = $10 and opinions = $11 \
     and (select count(*) from calendar_notices) = $12 \
     and (select count(*) from opinion_heads h where h.decision_id = $1) = $13";
pub(super) const INSERT_AUDIT: &str = "insert into audit_records \
     (decision_id, seq, act, stage_from, stage_to, actor_json, at, payload, payload_hash, memo_hashes_json, \
     prev_hash, hash, state_sha256, signature) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
const INSERT_MEMOS: &str = "insert into memos \
     (decision_id, seq, memo, lang, format, body, sha256, template_sha256, data, created_at) values ";
/// Columns of one memo row in [`insert_memos`].
pub(super) const MEMO_COLUMNS: usize = 10;
/// Memo rows written by one statement at most (an act issues each memo in four forms).
pub(super) const MEMOS_PER_STATEMENT: usize = 8;

/// `head` followed by `rows` rows of `columns` placeholders each, numbered on: many rows in one round trip.
fn insert_rows(head: &str, columns: usize, rows: usize) -> String {
    let mut sql = String::from(head);
    for r in 0..rows {
        sql.push_str(if r == 0 { "" } else { ", " });
        sql.push_str(&in_list(r * columns + 1, columns));
    }
    sql
}

/// One statement inserting `rows` memos: an act's memos cost one round trip, not one each.
pub(super) fn insert_memos(rows: usize) -> String {
    insert_rows(INSERT_MEMOS, MEMO_COLUMNS, rows)
}

const INSERT_DEADLINES: &str = "insert into deadlines \
     (id, decision_id, name, kind, due_at_us, act, notify, basis_json, status, fired_at, created_at) values ";
/// Columns of one deadline row in [`insert_deadlines`].
pub(super) const DEADLINE_COLUMNS: usize = 11;
/// Deadline rows written by one statement at most (PostgreSQL takes 65,535 parameters, SQLite 32,766).
pub(super) const DEADLINES_PER_STATEMENT: usize = 64;

/// One statement inserting `rows` deadlines: an act sets a stage's deadlines and reminders together.
pub(super) fn insert_deadlines(rows: usize) -> String {
    insert_rows(INSERT_DEADLINES, DEADLINE_COLUMNS, rows)
}

/// Deadline names cancelled by one statement at most.
pub(super) const CANCELS_PER_STATEMENT: usize = 32;

/// `($from, $from+1, …)`: `n` placeholders for an `in` list, which both dialects take alike.
pub(super) fn in_list(from: usize, n: usize) -> String {
    let list: Vec<String> = (from..from + n).map(|i| format!("${i}")).collect();
    format!("({})", list.join(", "))
}

/// One statement cancelling the pending deadlines of decision `$1` named `$2`…: an act cancels
/// several (each stage's deadlines, a family's members) in one round trip.
pub(super) fn cancel_deadlines(names: usize) -> String {
    format!(
        "update deadlines set status = 'cancelled' where decision_id = $1 and name in {} and status = 'pending'",
        in_list(2, names)
    )
}
const INSERT_OUTBOX: &str = "insert into outbox (id, decision_id, recipient_role, subject, created_at) values ";
/// Columns of one outbox row in [`insert_outbox`].
pub(super) const OUTBOX_COLUMNS: usize = 5;
/// Notifications written by one statement at most.
pub(super) const OUTBOX_PER_STATEMENT: usize = 64;

/// One statement queueing `rows` notifications: an act tells several roles at once.
pub(super) fn insert_outbox(rows: usize) -> String {
    insert_rows(INSERT_OUTBOX, OUTBOX_COLUMNS, rows)
}

/// The decision with the hash of its record number `version`: one snapshot,
/// so the hash always belongs to the state read. The calendar notice count,
/// the kinds of opinion received and the row's count of opinions ride along:
/// every act checks them, and a query of their own would cost a round trip
/// per act.
macro_rules! load_select {
    () => {
        "select d.id, d.state_json, d.version, d.opinions, a.hash, \
         (select count(*) from calendar_notices) as calendar_notices, \
         (select count(*) from opinion_heads h where h.decision_id = d.id) as opinion_kinds from decisions d \
         left join audit_records a on a.decision_id = d.id and a.seq = d.version"
    };
}
pub(super) const LOAD: &str = concat!(load_select!(), " where d.id = $1");
/// [`LOAD`] for the decisions `$1`…`$n` at once: a list page's or a worklist's, in one read.
pub(super) fn load_many(n: usize) -> String {
    format!("{} where d.id in {}", load_select!(), in_list(1, n))
}
/// Ids a [`load_many`] statement names: well under either database's limit on parameters.
pub(super) const LOADS_PER_STATEMENT: usize = 500;
pub(super) const LIST_ALL: &str = "select id, title, workflow_key, stage, version from decisions \
     order by created_at desc, id limit $1 offset $2";
pub(super) const LIST_BY_STAGE: &str = "select id, title, workflow_key, stage, version from decisions \
     where stage = $1 order by created_at desc, id limit $2 offset $3";
/// Decisions at one of `places` stages (`(workflow_key, workflow_version, stage)`, three placeholders each), whose
/// stage is one of the next `stages` placeholders (those places' stages, each once: the planners find them through
/// the stage index, where the row comparison alone had PostgreSQL read every decision), at the next stage if
/// `stage`; then limit and offset. With `parties`, see [`list_naming`].
pub(super) fn list_at(places: usize, stages: usize, stage: bool, parties: Option<usize>) -> String {
    let rows: Vec<String> = (0..places).map(|i| in_list(i * 3 + 1, 3)).collect();
    let mut next = places * 3 + 1;
    let mut at = format!(
        "d.stage in {} and (d.workflow_key, d.workflow_version, d.stage) in (values {})",
        in_list(next, stages),
        rows.join(", ")
    );
    next += stages;
    if stage {
        at.push_str(&format!(" and d.stage = ${next}"));
        next += 1;
    }
    match parties {
        Some(n) => list_naming(&at, next, n),
        None => format!(
            "select d.id, d.title, d.workflow_key, d.stage, d.version from decisions d where {at} \
             order by d.created_at desc, d.id limit ${next} offset ${}",
            next + 1
        ),
    }
}

/// The decisions meeting `at` that name one of `n` parties (placeholders from `next`) or are listed under `*` (their
/// names were not written with their state, migration 0018); then limit, offset, and limit + offset. Each name's
/// decisions are read newest first from its key in `decision_parties`, only until limit + offset of them meet `at`
/// (SQLite keeps a cross join's order), so a reader named on few decisions reads few and one named on thousands
/// reads no more than are asked for; then the newest of them all, each once. Newest first, ties by id descending.
fn list_naming(at: &str, next: usize, n: usize) -> String {
    let (limit, offset, first) = (next + n, next + n + 1, next + n + 2);
    let names = std::iter::once("'*'".to_string()).chain((next..next + n).map(|i| format!("${i}")));
    let each: Vec<String> = names
        .map(|name| {
            format!(
                "select * from (select d.id, d.title, d.workflow_key, d.stage, d.version, d.created_at \
                 from decision_parties p cross join decisions d where p.party = {name} and d.id = p.decision_id \
                 and {at} order by p.created_at desc, p.decision_id desc limit ${first}) as n"
            )
        })
        .collect();
    format!(
        "select distinct id, title, workflow_key, stage, version, created_at from ({}) as named \
         order by created_at desc, id desc limit ${limit} offset ${offset}",
        each.join(" union all ")
    )
}
pub(super) const VERSIONS: &str = "select id, version from decisions order by id";
pub(super) const AUDIT_RECORDS: &str = "select decision_id, seq, act, stage_from, stage_to, actor_json, at, \
     payload, payload_hash, memo_hashes_json, prev_hash, hash from audit_records where decision_id = $1 order by seq";
pub(super) const MEMOS: &str = "select decision_id, seq, memo, lang, format, body, sha256, template_sha256, data, \
     created_at from memos where decision_id = $1 order by seq, id";
pub(super) const DEADLINES: &str = "select id, decision_id, name, kind, due_at_us, act, notify, basis_json, status, \
     fired_at from deadlines where decision_id = $1 order by due_at_us, id";
/// Followed by `in ($1, …, $n)`: one placeholder per decision, which both databases take alike.
pub(super) const PENDING_DEADLINES: &str = "select id, decision_id, name, kind, due_at_us, act, notify, basis_json, \
     status, fired_at, occurrences from deadlines where status = 'pending' and decision_id in ";
pub(super) const OUTBOX: &str = "select id, decision_id, recipient_role, subject, created_at from outbox \
     where decision_id = $1 order by created_at, id";

/// SQLite has one writer, so one statement claims atomically.
pub(super) const CLAIM_DUE_SQLITE: &str = "update deadlines set status = 'fired', fired_at = $1 \
     where id in (select id from deadlines where status = 'pending' and due_at_us <= $2 \
     order by due_at_us limit $3) and status = 'pending' \
     returning id, decision_id, name, kind, due_at_us, act, notify, basis_json, status, fired_at";
/// PostgreSQL: concurrent schedulers skip the rows another one is claiming.
/// The claim is a materialized CTE, so the locking `limit` runs exactly once:
/// as an `in (subquery)` the planner may rescan it and fire more than `limit`
/// rows (the conformance suite caught this). `d.status = 'pending'` is
/// re-checked after any wait for a row lock, so no row can fire twice.
pub(super) const CLAIM_DUE_POSTGRES: &str = "with due as materialized (select id from deadlines \
     where status = 'pending' and due_at_us <= $2 order by due_at_us limit $3 for update skip locked) \
     update deadlines d set status = 'fired', fired_at = $1 from due \
     where d.id = due.id and d.status = 'pending' \
     returning d.id, d.decision_id, d.name, d.kind, d.due_at_us, d.act, d.notify, d.basis_json, d.status, d.fired_at";

// ---- checks and parameters ----------------------------------------------------

pub(super) fn corrupt(what: impl Into<String>) -> StoreError {
    StoreError::Corrupt(what.into())
}

pub(super) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Refuse a commit whose parts disagree, before anything is written.
pub(super) fn check_commit(c: &TransitionCommit) -> Result<(), StoreError> {
    let d = &c.decision;
    if c.expected_version < 0 || d.version != c.expected_version + 1 {
        return Err(corrupt(format!(
            "commit for decision {} carries version {} but expects version {}: an act adds exactly one",
            d.id, d.version, c.expected_version
        )));
    }
    if c.audit.decision_id != d.id || c.audit.seq != d.version {
        return Err(corrupt(format!(
            "audit record {}#{} does not match decision {} at version {}",
            c.audit.decision_id, c.audit.seq, d.id, d.version
        )));
    }
    let foreign = c.memos.iter().any(|m| m.decision_id != d.id || m.seq != d.version)
        || c.set_deadlines.iter().any(|x| x.decision_id != d.id)
        || c.outbox.iter().any(|o| o.decision_id != d.id);
    if foreign {
        return Err(corrupt(format!("commit for decision {} carries rows of another decision or act", d.id)));
    }
    Ok(())
}

pub(super) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| corrupt(format!("cannot encode JSON: {e}")))
}

pub(super) fn from_json<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt(format!("{what}: {e}")))
}

/// `DeadlineKind` as its serde (snake_case) name.
pub(super) fn kind_text(kind: DeadlineKind) -> Result<String, StoreError> {
    match serde_json::to_value(kind) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(corrupt(format!("deadline kind {kind:?} has no name"))),
    }
}

pub(super) fn parse_instant(text: &str, what: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt(format!("{what} {text:?} is not an RFC 3339 instant: {e}")))
}

pub(super) fn instant_from_us(us: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_micros(us).ok_or_else(|| corrupt(format!("{us} µs is out of range")))
}

// ---- rows -------------------------------------------------------------------

/// Read one column as a primitive, whatever the backend's row type.
pub(super) trait Cols {
    fn text(&self, col: &str) -> Result<String, StoreError>;
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError>;
    fn int(&self, col: &str) -> Result<i64, StoreError>;
    fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError>;
}

impl<R> Cols for R
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
{
    fn text(&self, col: &str) -> Result<String, StoreError> {
        Ok(self.try_get(col)?)
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError> {
        Ok(self.try_get(col)?)
    }
    fn int(&self, col: &str) -> Result<i64, StoreError> {
        Ok(self.try_get(col)?)
    }
    fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.try_get(col)?)
    }
}

/// A [`load_many`] row, read as [`loaded`] reads one.
pub(super) fn loaded_row(row: &impl Cols) -> Result<Loaded, StoreError> {
    loaded(row, &row.text("id")?)
}

pub(super) fn loaded(row: &impl Cols, id: &str) -> Result<Loaded, StoreError> {
    let decision: Decision = from_json(&row.text("state_json")?, &format!("state of decision {id}"))?;
    let version = row.int("version")?;
    if decision.version != version {
        return Err(corrupt(format!("decision {id}: row version {version} but state version {}", decision.version)));
    }
    let last_hash = match row.opt_text("hash")? {
        Some(hash) => hash,
        None if version == 0 => GENESIS.to_string(),
        None => {
            return Err(corrupt(format!("decision {id} is at version {version} but has no audit record #{version}")))
        }
    };
    Ok(Loaded {
        decision,
        last_hash,
        calendar_notices: Some(row.int("calendar_notices")?),
        opinion_kinds: Some(row.int("opinion_kinds")?),
        opinions: Some(row.int("opinions")?),
    })
}

pub(super) fn summary(row: &impl Cols) -> Result<DecisionSummary, StoreError> {
    Ok(DecisionSummary {
        id: row.text("id")?,
        title: row.text("title")?,
        workflow_key: row.text("workflow_key")?,
        stage: row.text("stage")?,
        version: row.int("version")?,
    })
}

pub(super) fn audit(row: &impl Cols) -> Result<AuditRecord, StoreError> {
    let decision_id = row.text("decision_id")?;
    let seq = row.int("seq")?;
    let what = |field: &str| format!("audit record {decision_id}#{seq} {field}");
    Ok(AuditRecord {
        act: row.text("act")?,
        stage_from: row.text("stage_from")?,
        stage_to: row.text("stage_to")?,
        actor: from_json(&row.text("actor_json")?, &what("actor"))?,
        at: parse_instant(&row.text("at")?, &what("at"))?,
        payload: row.text("payload")?,
        payload_hash: row.text("payload_hash")?,
        memo_hashes: from_json(&row.text("memo_hashes_json")?, &what("memo hashes"))?,
        prev_hash: row.text("prev_hash")?,
        hash: row.text("hash")?,
        decision_id,
        seq,
    })
}

pub(super) fn memo(row: &impl Cols) -> Result<StoredMemo, StoreError> {
    Ok(StoredMemo {
        decision_id: row.text("decision_id")?,
        seq: row.int("seq")?,
        memo: row.text("memo")?,
        lang: row.text("lang")?,
        format: row.text("format")?,
        body: row.text("body")?,
        sha256: row.text("sha256")?,
        template_sha256: row.text("template_sha256")?,
        data: row.text("data")?,
        created_at: parse_instant(&row.text("created_at")?, "memo created_at")?,
    })
}

pub(super) fn deadline(row: &impl Cols) -> Result<DeadlineRow, StoreError> {
    let id = row.text("id")?;
    let what = |field: &str| format!("deadline {id} {field}");
    let kind = row.text("kind")?;
    let kind = serde_json::from_value(serde_json::Value::String(kind.clone()))
        .map_err(|_| corrupt(format!("{}: unknown kind {kind:?}", what("kind"))))?;
    let notify = match row.opt_text("notify")? {
        Some(role) => {
            Some(Role::parse(&role).ok_or_else(|| corrupt(format!("{}: unknown role {role:?}", what("notify"))))?)
        }
        None => None,
    };
    let status = match row.text("status")?.as_str() {
        "pending" => DeadlineStatus::Pending,
        "fired" => DeadlineStatus::Fired,
        "cancelled" => DeadlineStatus::Cancelled,
        other => return Err(corrupt(format!("{}: unknown status {other:?}", what("status")))),
    };
    let fired_at = match row.opt_text("fired_at")? {
        Some(at) => Some(parse_instant(&at, &what("fired_at"))?),
        None => None,
    };
    let spec = DeadlineSpec {
        name: row.text("name")?,
        kind,
        due_at: instant_from_us(row.int("due_at_us")?)?,
        act: row.opt_text("act")?,
        notify,
        basis: from_json(&row.text("basis_json")?, &what("basis"))?,
    };
    Ok(DeadlineRow { decision_id: row.text("decision_id")?, id, spec, status, fired_at })
}

/// Claimed rows come back in no particular order; the contract is earliest first.
pub(super) fn sort_due(rows: &mut [DeadlineRow]) {
    rows.sort_by(|a, b| (a.spec.due_at, &a.id).cmp(&(b.spec.due_at, &b.id)));
}

pub(super) fn outbox(row: &impl Cols) -> Result<OutboxMessage, StoreError> {
    Ok(OutboxMessage {
        id: row.text("id")?,
        decision_id: row.text("decision_id")?,
        recipient_role: row.text("recipient_role")?,
        subject: row.text("subject")?,
        created_at: parse_instant(&row.text("created_at")?, "outbox created_at")?,
    })
}

/// When a deadline row was written: the act's instant.
pub(super) fn act_instant(c: &TransitionCommit) -> String {
    format_instant(&c.audit.at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &str) -> Vec<String> {
        let path = format!("{}/../migrations/{dir}", env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<String> = std::fs::read_dir(&path)
            .expect("migrations folder")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.ends_with(".sql"))
            .collect();
        names.sort();
        names
    }

    fn embedded(list: &[Embedded]) -> Vec<String> {
        list.iter().map(|m| format!("{:04}_{}.sql", m.version, m.description.replace(' ', "_"))).collect()
    }

    #[test]
    fn migration_folders_advance_in_lockstep() {
        assert_eq!(files("sqlite"), files("postgres"), "migrations/sqlite and migrations/postgres differ");
    }

    #[test]
    fn every_migration_file_is_embedded() {
        assert_eq!(files("sqlite"), embedded(SQLITE_MIGRATIONS), "register new files in the `migrations!` list");
        assert_eq!(files("postgres"), embedded(POSTGRES_MIGRATIONS), "register new files in the `migrations!` list");
    }

    #[test]
    fn rows_of_one_insert_are_numbered_on_from_row_to_row() {
        let sql = insert_memos(2);
        assert!(
            sql.ends_with(
                "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10), ($11, $12, $13, $14, $15, $16, $17, $18, $19, $20)"
            ),
            "{sql}"
        );
        let sql = insert_outbox(2);
        assert!(sql.ends_with("values ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10)"), "{sql}");
        let sql = insert_deadlines(2);
        assert!(sql.ends_with("($12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)"), "{sql}");
    }

    #[test]
    fn cancelled_names_follow_the_decision() {
        assert!(cancel_deadlines(3).contains("where decision_id = $1 and name in ($2, $3, $4) and"));
    }

    #[test]
    fn deadline_kinds_round_trip_through_text() {
        for kind in [
            DeadlineKind::Due,
            DeadlineKind::Reminder,
            DeadlineKind::Escalation,
            DeadlineKind::AutoAct,
            DeadlineKind::Periodic,
        ] {
            let text = kind_text(kind).expect("named");
            let back: DeadlineKind = serde_json::from_value(serde_json::Value::String(text)).expect("parses");
            assert_eq!(back, kind);
        }
        assert_eq!(kind_text(DeadlineKind::AutoAct).expect("named"), "auto_act");
    }
}
