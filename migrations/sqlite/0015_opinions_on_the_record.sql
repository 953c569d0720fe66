-- 0015 how many opinions a decision has received, on its own row (SQLite). The twin of
-- postgres/0015_opinions_on_the_record.sql.
--
-- An act that depends on the public's opinions (a comment period closed with the count
-- and chain head it received, a hearing promised) reads them before it commits. An
-- opinion written in between left the decision's version as it was, so the act
-- committed on a count it had not seen. Now the intake adds to `opinions` in the
-- opinion's own transaction, and every act's update of the decision names the count it
-- read: an opinion that arrived since makes the update change no row, and the act is
-- stepped again on what is stored.
alter table decisions add column opinions integer not null default 0;
update decisions set opinions = coalesce(
    (select sum(h.count) from opinion_heads h where h.decision_id = decisions.id), 0);
