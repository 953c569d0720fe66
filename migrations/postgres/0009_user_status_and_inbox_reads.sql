-- 0009 deactivated users; what each user has read in the in-app inbox (PostgreSQL).
-- The twin of sqlite/0009_user_status_and_inbox_reads.sql.

-- A user who leaves is deactivated, never deleted: the acts they performed
-- name them by login, and the record must still say who that was. A
-- deactivated user can neither sign in nor use a session or a token.
-- RFC 3339 instant, null while the user is active.
alter table users add column deactivated_at text null;

-- Inbox messages are addressed to roles, so "read" is per person: one row
-- per (user, message) they marked read.
create table inbox_reads (
    user_name text not null references users (name),
    outbox_id text not null references outbox (id),
    read_at text not null,
    primary key (user_name, outbox_id)
);
