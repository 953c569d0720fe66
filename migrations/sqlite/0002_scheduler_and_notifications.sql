-- 0002 scheduler and notifications (SQLite).
-- The twin of postgres/0002_scheduler_and_notifications.sql.

-- Recurring deadlines (reminder, escalation, periodic) are re-armed IN PLACE:
-- firing one occurrence moves due_at_us to the next working-day occurrence and
-- leaves the row pending. One row per series means the act that resolves the
-- condition cancels the series with its usual cancel-by-name, even when it
-- races the scheduler (a new row inserted by a concurrent re-arm could escape
-- an update that had already taken its snapshot). These two columns keep the
-- count and the instant of the last firing, which fired_at (set only when the
-- row is finished) cannot.
alter table deadlines add column occurrences integer not null default 0;
alter table deadlines add column last_fired_at text null;

-- One row per outbox message, channel and target: the delivery worker's
-- state, so a delivery survives restarts and is retried until it succeeds
-- (at least once). The id is derived from (outbox id, channel, target), so
-- fanning a message out twice cannot create a second delivery, and it is the
-- idempotency key the receiver sees on every attempt.
create table deliveries (
    id text primary key,
    outbox_id text not null references outbox (id),
    channel text not null check (channel in ('webhook', 'email')),
    -- a webhook URL or an e-mail address
    target text not null,
    status text not null default 'pending' check (status in ('pending', 'delivered')),
    attempts integer not null default 0 check (attempts >= 0),
    -- when the next attempt may start (Unix microseconds UTC); a claim pushes
    -- it forward by a lease, so a worker that dies mid-attempt is retried.
    next_attempt_us integer not null,
    -- the last failure, for operators (never a secret: receivers' answers only).
    last_error text null,
    delivered_at text null,
    created_at text not null,
    check ((status = 'delivered') = (delivered_at is not null))
);

-- the worker's scan: only pending deliveries, earliest attempt first.
create index deliveries_due on deliveries (next_attempt_us) where status = 'pending';
create index deliveries_outbox on deliveries (outbox_id);
-- the in-app inbox: a role's messages, newest first.
create index outbox_role on outbox (recipient_role, created_at);
