-- 0006 deadline leases (SQLite). The twin of postgres/0006_deadline_leases.sql.

-- An auto-act deadline is not marked fired when the scheduler claims it: the
-- claim takes a lease (who holds it, until when) and the row stays pending.
-- The act's own transaction marks it fired, guarded by the holder, so the act
-- and the firing commit together or not at all. A process that dies between
-- claim and act leaves only a lease, which expires; another scheduler then
-- claims the row again. A late commit by the first holder finds the row held
-- by someone else (or fired) and is rolled back: never twice.
alter table deadlines add column claimed_by text null;
-- Unix microseconds UTC, compared with the claiming scheduler's clock.
alter table deadlines add column lease_until_us integer null;

-- The scheduler's sleep looks for the earliest lease to expire; leases are
-- few and short, so a partial index keeps that lookup off the pending rows.
create index deadlines_leased on deadlines (lease_until_us) where status = 'pending' and lease_until_us is not null;
