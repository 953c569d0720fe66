-- 0007 idempotency keys completed inside the act's transaction (SQLite).
-- claim: the random id of the request holding the key; only it may answer
-- the key, so a request whose reservation was taken over cannot commit.
-- lease_until: Unix microseconds until which an unanswered reservation is
-- held; after it, a retry of the same request takes the key over (its first
-- try died before its act committed, since an act answers its key in its own
-- transaction). Rows from before this migration have neither and are never
-- taken over: their act may have committed without storing its answer.
alter table idempotency_keys add column claim text null;
alter table idempotency_keys add column lease_until integer null;
