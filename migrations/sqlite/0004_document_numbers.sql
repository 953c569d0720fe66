-- 0004 document numbers (SQLite): the 发文字号 counter of each organ's
-- series per year, and the register of numbers issued. The twin of
-- postgres/0004_document_numbers.sql.
--
-- A number is allocated in the transaction of the act whose memo carries it:
-- the act's commit advances the counter from n-1 to n (compare-and-set) and
-- registers n, or fails as a whole, so numbers have no gaps (an act that
-- does not commit consumes none) and no duplicates (the primary keys).

create table document_counters (
    organ text not null,
    -- the series as written before the year, e.g. 示政发
    series text not null,
    year integer not null,
    last_number integer not null check (last_number >= 1),
    primary key (organ, series, year)
);

-- Append-only, like the memos that carry the numbers.
create table document_numbers (
    organ text not null,
    series text not null,
    year integer not null,
    number integer not null check (number >= 1),
    decision_id text not null references decisions (id),
    -- the audit record of the act that issued it
    seq integer not null,
    memo text not null,
    primary key (organ, series, year, number)
);

create trigger document_numbers_no_update before update on document_numbers
begin
    select raise(abort, 'document_numbers is append-only');
end;

create trigger document_numbers_no_delete before delete on document_numbers
begin
    select raise(abort, 'document_numbers is append-only');
end;
