-- 0005 calendar notices (postgres). The twin of sqlite/0005_calendar_notices.sql.

-- Year files of the State Council's holiday notices loaded at run time
-- (`juece calendar load`). Every replica merges them over the shipped files
-- at start, so all compute the same dates. One row per year: a loaded notice
-- is never replaced, because deadlines were computed on it.
create table calendar_notices (
    year bigint primary key,
    -- the year file exactly as loaded, so the calendar can be rebuilt from it
    toml text not null,
    sha256 text not null,
    loaded_at text not null,
    loaded_by text not null
);

-- The calendar's own audit chain: one AuditRecord (decision id "calendar")
-- per notice loaded, naming the deadlines it moved. Append-only; the record
-- carries its hash and its predecessor's, verified like a decision's chain.
create table calendar_audit (
    seq bigint primary key check (seq >= 1),
    record_json text not null,
    hash text not null unique
);

-- Both tables are append-only: a loaded notice and its record are history.
create trigger calendar_audit_append_only before update or delete on calendar_audit
    for each row execute function juece_refuse_change();
create trigger calendar_audit_no_truncate before truncate on calendar_audit
    for each statement execute function juece_refuse_change();
create trigger calendar_notices_append_only before update or delete on calendar_notices
    for each row execute function juece_refuse_change();
create trigger calendar_notices_no_truncate before truncate on calendar_notices
    for each statement execute function juece_refuse_change();
