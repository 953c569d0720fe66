-- An act's commit runs as one statement on PostgreSQL (engine/src/store/plan.rs,
-- `bundle`): one round trip instead of a transaction of many. A statement cannot
-- roll back part of itself, so a step that must change a row and changes none (a
-- document number another act took first, an idempotency key no longer held)
-- fails the whole statement here, and nothing is written. The engine then writes
-- the commit statement by statement, which names the exact cause.
create function juece_require(ok boolean, failure text) returns boolean
language plpgsql volatile as $$
begin
    if not ok then
        raise exception 'juece: %', failure;
    end if;
    return true;
end
$$;
