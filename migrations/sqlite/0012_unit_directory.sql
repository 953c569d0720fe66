-- 0012 the unit directory: units an operator manages, and users placed in them (SQLite).
-- The twin of postgres/0012_unit_directory.sql.

-- A unit of the administration (a people's government, a bureau, an office
-- of it). `id` is what users and access refer to, so a unit keeps its
-- users and its decisions when renamed; `name` is how documents and acts
-- name it now. `code` is its 机关代字 for document numbers (示政); the
-- parent is the unit it belongs to (a 科室 to its 局), for the operator's
-- picture of the administration: access does not follow it upwards.
create table units (
    id text primary key,
    name text not null unique,
    code text null,
    parent_id text null references units (id),
    created_at text not null,
    updated_at text not null
);

-- Every name each unit has had, its current one included. A decision names
-- its undertaking unit by the name it had then: a former name still leads
-- to the same unit. So a name belongs to one unit for ever, and no other
-- unit may take it.
create table unit_names (
    name text primary key,
    unit_id text not null references units (id),
    since text not null
);
create index unit_names_by_unit on unit_names (unit_id);

-- The unit a user works in. `users.unit` stays: the unit's current name,
-- kept equal to it when the unit is renamed (one transaction), because the
-- actor snapshot every act records is built from it.
alter table users add column unit_id text null references units (id);

-- Existing databases: every unit a user is in becomes a directory entry,
-- its name as its id (ids are opaque; new units get random ones). No
-- 机关代字 and no parent are guessed: an administrator adds them.
insert into units (id, name, code, parent_id, created_at, updated_at)
    select unit, unit, null, null, min(created_at), min(created_at) from users group by unit;
insert into unit_names (name, unit_id, since) select id, id, created_at from units;
update users set unit_id = unit;
