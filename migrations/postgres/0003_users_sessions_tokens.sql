-- 0003 users, sessions, API tokens and idempotency keys (PostgreSQL).
-- The twin of sqlite/0003_users_sessions_tokens.sql.

-- A person who signs in. `name` is the login and the stable id recorded as
-- the actor's user_id in audit records, so it is never reused or renamed.
-- Only the argon2id PHC string of the password is kept.
create table users (
    name text primary key,
    display_name text not null,
    unit text not null,
    position text not null,
    -- JSON array of role names (engine::actor::Role)
    roles text not null,
    password_hash text not null,
    created_at text not null
);

-- Browser sessions: the cookie holds a random token; only its SHA-256 is
-- stored, so a copy of the database cannot be used to sign in.
create table sessions (
    token_hash text primary key,
    user_name text not null references users (name),
    created_at text not null,
    -- Unix microseconds UTC, compared numerically
    expires_at_us bigint not null
);
create index sessions_by_user on sessions (user_name);

-- Bearer tokens for systems: shown once at creation, stored hashed.
-- Revocation keeps the row (who had access, and until when).
create table api_tokens (
    id text primary key,
    user_name text not null references users (name),
    label text not null,
    token_hash text not null unique,
    created_at text not null,
    revoked_at text null
);
create index api_tokens_by_user on api_tokens (user_name);

-- Idempotency-Key of state-changing requests: the request fingerprint and,
-- once answered, the response to replay. A row without a status is a request
-- in flight (or one interrupted by a crash: see engine/src/idempotency.rs).
create table idempotency_keys (
    key text primary key,
    fingerprint text not null,
    status bigint null,
    content_type text null,
    body text null,
    created_at text not null
);
