-- The names on each decision (migration 0017's `parties`, `|unit:…|user:…|`),
-- one row per name, so that a worklist finds the decisions naming its reader
-- through an index instead of testing the names of every decision at the
-- reader's stages (a scan of all of them: 100,000 rows, a quarter of a second).
-- Kept by the triggers below from the `parties` every act writes, so every
-- writer keeps it alike, whatever its version. A decision whose names were not
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
) without rowid;
create index decision_parties_decision on decision_parties (decision_id);

-- A decision's names are rewritten when they change, and when it is or was
-- unnamed; an act that keeps them (most acts) writes nothing here. The text is
-- cut at each bar: a name with a bar in it is cut too, and its readers are
-- looked for among every decision instead (`visibility::party_keys`).
create trigger decisions_parties_insert after insert on decisions
begin
    insert or ignore into decision_parties (party, created_at, decision_id)
    with recursive cut(rest, party) as (
        select substr(coalesce(new.parties, ''), 2), ''
        union all
        select substr(rest, instr(rest, '|') + 1), substr(rest, 1, instr(rest, '|') - 1)
        from cut where instr(rest, '|') > 0
    )
    select party, new.created_at, new.id from cut where party <> '';
    insert or ignore into decision_parties (party, created_at, decision_id)
    select '*', new.created_at, new.id where new.parties_version is not new.version;
end;

create trigger decisions_parties_update after update on decisions
when old.parties is not new.parties
    or old.parties_version is not old.version
    or new.parties_version is not new.version
begin
    delete from decision_parties where decision_id = new.id;
    insert or ignore into decision_parties (party, created_at, decision_id)
    with recursive cut(rest, party) as (
        select substr(coalesce(new.parties, ''), 2), ''
        union all
        select substr(rest, instr(rest, '|') + 1), substr(rest, 1, instr(rest, '|') - 1)
        from cut where instr(rest, '|') > 0
    )
    select party, new.created_at, new.id from cut where party <> '';
    insert or ignore into decision_parties (party, created_at, decision_id)
    select '*', new.created_at, new.id where new.parties_version is not new.version;
end;

-- The decisions already stored: their names, and `*` for the unnamed.
insert or ignore into decision_parties (party, created_at, decision_id)
with recursive cut(id, created_at, rest, party) as (
    select id, created_at, substr(coalesce(parties, ''), 2), '' from decisions
    union all
    select id, created_at, substr(rest, instr(rest, '|') + 1), substr(rest, 1, instr(rest, '|') - 1)
    from cut where instr(rest, '|') > 0
)
select party, created_at, id from cut where party <> '';
insert or ignore into decision_parties (party, created_at, decision_id)
select '*', created_at, id from decisions where parties_version is not version;
