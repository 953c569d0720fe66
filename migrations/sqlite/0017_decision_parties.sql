-- Who is named on a decision so that a role scoped to its own decisions (a
-- drafter's unit, the executing unit, its experts, its meeting's members) reads
-- it in full: `|unit:<name>|user:<id>|…|` (engine::procedure::facts::Facts::
-- parties), and the version of the decision it was taken from. Every act writes both with the
-- state, so a worklist looks for the reader's names here among the decisions at
-- their stages instead of loading thousands of other units' decisions to find
-- theirs. A row whose `parties_version` is not its `version` (never filled, or
-- last written by a replica from before this migration) is always examined, as
-- before: the names are a shortcut, never a reason to leave a decision out.
alter table decisions add column parties text null;
alter table decisions add column parties_version integer null;
