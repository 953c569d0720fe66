-- The decision's state is rewritten whole on every act, and a memo's body and the
-- data it was rendered from are written once each act that issues one. Past ~2 kB a
-- value is compressed before it is stored (TOAST); PostgreSQL's default, pglz, took
-- about 15% of the server's CPU per act in a profile of the W8 benchmark. lz4
-- compresses several times faster at a similar ratio. Only values written from now
-- on use it; those already stored stay pglz and read as before.
--
-- A server built without lz4 (`default_toast_compression` does not offer it) keeps
-- pglz: the setting is a cost, never a condition of a correct store.
do $$
begin
    if exists (
        select 1 from pg_settings
        where name = 'default_toast_compression' and 'lz4' = any (enumvals)
    ) then
        alter table decisions alter column state_json set compression lz4;
        alter table audit_records alter column payload set compression lz4;
        alter table memos alter column body set compression lz4;
        alter table memos alter column data set compression lz4;
    end if;
end
$$;
