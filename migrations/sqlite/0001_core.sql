-- 0001 core (SQLite): decisions, their audit chain, memos, deadlines and outbox.
-- The twin of postgres/0001_core.sql; the two must describe the same schema.
--
-- Timestamps are text in audit::format_instant's form (RFC 3339, microseconds,
-- UTC, trailing `Z`). The audit hash covers them, so both databases must give
-- back exactly the bytes they were given; the fixed width also makes text
-- order chronological order.
-- Enumerations are text + check, never database enums: PostgreSQL enums do not
-- exist in SQLite and the two schemas stay alike.

-- One row per decision. `state_json` is the whole engine::decision::Decision
-- (serde JSON) and the source of truth; the other columns copy parts of it so
-- that lists can filter and sort without parsing JSON.
create table decisions (
    id text primary key,
    workflow_key text not null,
    workflow_version integer not null check (workflow_version >= 0),
    stage text not null,
    -- accepted acts so far, and the optimistic-concurrency token: an update
    -- names the version it read and loses when another act got there first.
    -- A row is only written by its first act, hence >= 1.
    version integer not null check (version >= 1),
    title text not null,
    -- no foreign key: the decision being adjusted (Art. 37) may predate juece.
    parent_id text null,
    state_json text not null,
    created_at text not null,
    updated_at text not null
);

-- lists are newest first, optionally by stage.
create index decisions_created on decisions (created_at desc, id);
create index decisions_stage on decisions (stage, created_at desc, id);

-- The tamper-evident record: one row per accepted act, hash-chained per
-- decision (engine::audit). Append-only, enforced by the triggers below so
-- that not even a bug in the engine can rewrite history.
create table audit_records (
    id integer primary key,
    decision_id text not null references decisions (id),
    -- position in the decision's chain, equal to the decision version after the act.
    seq integer not null check (seq >= 1),
    act text not null,
    stage_from text not null,
    stage_to text not null,
    -- the actor as of the act (name, unit, position), kept for lifelong accountability.
    actor_json text not null,
    at text not null,
    payload text not null,
    payload_hash text not null,
    memo_hashes_json text not null,
    prev_hash text not null,
    hash text not null,
    -- two writers of the same chain position: the second loses here even if
    -- it somehow got past the version check.
    unique (decision_id, seq)
);

create trigger audit_records_no_update before update on audit_records
begin
    select raise(abort, 'audit_records is append-only');
end;

create trigger audit_records_no_delete before delete on audit_records
begin
    select raise(abort, 'audit_records is append-only');
end;

-- Rendered memos, stored as rendered (their hashes are in the audit record
-- of the act that rendered them). Append-only like the audit chain.
create table memos (
    id integer primary key,
    decision_id text not null references decisions (id),
    -- the audit record (chain position) of the rendering act.
    seq integer not null check (seq >= 1),
    memo text not null,
    lang text not null,
    format text not null check (format in ('html', 'md')),
    body text not null,
    sha256 text not null,
    template_sha256 text not null,
    -- the template input (JSON), so a memo can be re-rendered and compared.
    data text not null,
    created_at text not null
);

create index memos_decision on memos (decision_id, seq);

create trigger memos_no_update before update on memos
begin
    select raise(abort, 'memos is append-only');
end;

create trigger memos_no_delete before delete on memos
begin
    select raise(abort, 'memos is append-only');
end;

-- Deadlines waiting for the scheduler. `due_at_us` is Unix microseconds UTC:
-- exact, and compared as an integer on both databases.
create table deadlines (
    id text primary key,
    decision_id text not null references decisions (id),
    name text not null,
    -- engine::definition::DeadlineKind in snake_case. Not checked here: the
    -- list may grow, and SQLite cannot alter a check without rebuilding the table.
    kind text not null,
    due_at_us integer not null,
    -- the act the scheduler applies when it falls due (auto-acts).
    act text null,
    -- the role to notify (engine::actor::Role in snake_case).
    notify text null,
    -- how due_at was computed, so it can be explained and re-checked.
    basis_json text not null,
    status text not null default 'pending'
        check (status in ('pending', 'fired', 'cancelled')),
    fired_at text null,
    created_at text not null,
    -- a fired deadline says when; no other has a firing time.
    check ((status = 'fired') = (fired_at is not null))
);

-- The scheduler's scan: only pending rows, earliest first. Partial, so its
-- cost follows the pending rows, not every deadline ever set.
create index deadlines_pending_due on deadlines (due_at_us) where status = 'pending';
-- cancellation by name, and a decision's deadline list.
create index deadlines_decision on deadlines (decision_id, name);

-- Notifications queued in the same transaction as their act, delivered later
-- (transactional outbox): an act is never acknowledged without its notices.
create table outbox (
    id text primary key,
    decision_id text not null references decisions (id),
    recipient_role text not null,
    subject text not null,
    created_at text not null,
    delivered_at text null
);

create index outbox_decision on outbox (decision_id, created_at);
-- the delivery worker's scan.
create index outbox_undelivered on outbox (created_at) where delivered_at is null;
