-- 0011 issued reports (PostgreSQL): the reports the engine computes outside
-- any act (the annual work report), as issued with their document number.
-- The twin of sqlite/0011_issued_reports.sql.
--
-- A report is numbered once per organ, kind and year, when it is issued:
-- its number comes from document_counters (compare-and-set, as an act's
-- claim; a concurrent issuer waits on the row lock and then finds n-1 gone)
-- in the same transaction that stores it, so the series has no gap; the
-- figures are stored as issued, so the number always stands on the same
-- text, and asking again finds the row and takes no number.
create table issued_reports (
    organ text not null,
    -- 'annual'
    kind text not null,
    -- the year the report covers
    report_year bigint not null,
    -- the series as written before the year, e.g. 示政报
    series text not null,
    -- the numbering year: the year it was issued (CST)
    year bigint not null,
    number bigint not null check (number >= 1),
    -- canonical JSON of the report as issued
    data text not null,
    issued_at text not null,
    issued_by text not null,
    primary key (organ, kind, report_year),
    unique (organ, series, year, number)
);

create trigger issued_reports_append_only before update or delete on issued_reports
    for each row execute function juece_refuse_change();
create trigger issued_reports_no_truncate before truncate on issued_reports
    for each statement execute function juece_refuse_change();
