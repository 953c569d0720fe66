-- PostgreSQL's half of this pair adds the function that fails an act's commit
-- written as one statement when a step that must change a row changes none.
-- SQLite writes each commit statement by statement in a transaction: nothing to
-- add. The file exists so both folders stay in lockstep.
select 1;
