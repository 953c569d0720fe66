-- 0015 how many opinions a decision has received, on its own row (PostgreSQL). The twin
-- of sqlite/0015_opinions_on_the_record.sql.
--
-- An act that depends on the public's opinions (a comment period closed with the count
-- and chain head it received, a hearing promised) reads them before it commits. An
-- opinion written in between left the decision's version as it was, so the act
-- committed on a count it had not seen; and a count taken by a subquery of the act's
-- update was the statement's snapshot, blind to an opinion that committed while the
-- update waited for the decision's row. Now the intake adds to `opinions` in the
-- opinion's own transaction, holding the row, and every act's update names the count
-- it read: a condition on the row itself, which PostgreSQL checks again on the row's
-- newest version after such a wait.
alter table decisions add column opinions bigint not null default 0;
update decisions set opinions = coalesce(
    (select sum(h.count) from opinion_heads h where h.decision_id = decisions.id), 0);
