-- 0008 idempotency keys expire; sign-in failures counted per account (PostgreSQL).
-- Keys older than their time to live (24 h by default) are taken over by a
-- new request and purged; the purge and the take-over read created_at (an
-- RFC 3339 instant in one fixed format, so text order is time order).
create index idempotency_keys_created_at on idempotency_keys (created_at);
-- name: the login name as typed, whether or not such a user exists, so that
-- a lockout says nothing about which accounts exist. failures count within
-- the window that began at window_start_us; locked_until_us is when sign-in
-- opens again (Unix microseconds, null when not locked).
create table login_failures (
    name text primary key,
    failures bigint not null,
    window_start_us bigint not null,
    locked_until_us bigint null
);
