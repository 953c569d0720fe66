-- The names on each decision (migration 0017's `parties`, `|unit:…|user:…|`),
-- one row per name, so that a worklist finds the decisions naming its reader
-- through an index instead of testing the names of every decision at the
-- reader's stages (a scan of all of them: 100,000 rows, a quarter of a second).
-- Kept by the triggers below from the `parties` every act writes, so every
-- replica keeps it alike, whatever its version. A decision whose names were not
-- written with its state (`parties_version` is not `version`: never named, or
-- last written by a replica from before 0017) is listed under `*`, which every
-- worklist reads: the names are a shortcut, never a reason to leave one out.
create table decision_parties (
    party text not null,
    -- the decision's (never changes): a reader's decisions are read newest
    -- first from the key, and no more of them than are asked for.
    created_at text not null,
    decision_id text not null,
    primary key (party, created_at, decision_id)
);
create index decision_parties_decision on decision_parties (decision_id);

-- The text is cut at each bar: a name with a bar in it is cut too, and its
-- readers are looked for among every decision instead
-- (`visibility::party_keys`).
create function juece_decision_parties() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        delete from decision_parties where decision_id = new.id;
    end if;
    insert into decision_parties (party, created_at, decision_id)
    select distinct p, new.created_at, new.id from unnest(string_to_array(new.parties, '|')) as p where p <> ''
    on conflict do nothing;
    if new.parties_version is distinct from new.version then
        insert into decision_parties (party, created_at, decision_id) values ('*', new.created_at, new.id) on conflict do nothing;
    end if;
    return null;
end
$$;

create trigger decisions_parties_insert after insert on decisions
for each row execute function juece_decision_parties();

-- A decision's names are rewritten when they change, and when it is or was
-- unnamed; an act that keeps them (most acts) calls nothing: the condition is
-- tested in the row's update.
create trigger decisions_parties_update after update on decisions
for each row when (
    old.parties is distinct from new.parties
    or old.parties_version is distinct from old.version
    or new.parties_version is distinct from new.version
)
execute function juece_decision_parties();

-- The decisions already stored: their names, and `*` for the unnamed.
insert into decision_parties (party, created_at, decision_id)
select distinct p, created_at, id from decisions, unnest(string_to_array(parties, '|')) as p where p <> ''
on conflict do nothing;
insert into decision_parties (party, created_at, decision_id)
select '*', created_at, id from decisions where parties_version is distinct from version
on conflict do nothing;
