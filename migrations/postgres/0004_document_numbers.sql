-- 0004 document numbers (PostgreSQL): the 发文字号 counter of each organ's
-- series per year, and the register of numbers issued. The twin of
-- sqlite/0004_document_numbers.sql.
--
-- A number is allocated in the transaction of the act whose memo carries it:
-- the act's commit advances the counter from n-1 to n (compare-and-set; a
-- concurrent writer waits on the row lock and then finds n-1 gone) and
-- registers n, or fails as a whole, so numbers have no gaps and no duplicates.

create table document_counters (
    organ text not null,
    -- the series as written before the year, e.g. 示政发
    series text not null,
    year integer not null,
    last_number bigint not null check (last_number >= 1),
    primary key (organ, series, year)
);

-- Append-only, like the memos that carry the numbers.
create table document_numbers (
    organ text not null,
    series text not null,
    year integer not null,
    number bigint not null check (number >= 1),
    decision_id text not null references decisions (id),
    -- the audit record of the act that issued it
    seq bigint not null,
    memo text not null,
    primary key (organ, series, year, number)
);

create trigger document_numbers_append_only before update or delete on document_numbers
    for each row execute function juece_refuse_change();
create trigger document_numbers_no_truncate before truncate on document_numbers
    for each statement execute function juece_refuse_change();
