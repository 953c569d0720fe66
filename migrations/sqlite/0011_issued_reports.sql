-- 0011 issued reports (SQLite): the reports the engine computes outside any
-- act (the annual work report), as issued with their document number. The
-- twin of postgres/0011_issued_reports.sql.
--
-- A report is numbered once per organ, kind and year, when it is issued:
-- its number comes from document_counters (compare-and-set, as an act's
-- claim) in the same transaction that stores it, so the series has no gap;
-- the figures are stored as issued, so the number always stands on the same
-- text, and asking again finds the row and takes no number.
create table issued_reports (
    organ text not null,
    -- 'annual'
    kind text not null,
    -- the year the report covers
    report_year integer not null,
    -- the series as written before the year, e.g. 示政报
    series text not null,
    -- the numbering year: the year it was issued (CST)
    year integer not null,
    number integer not null check (number >= 1),
    -- canonical JSON of the report as issued
    data text not null,
    issued_at text not null,
    issued_by text not null,
    primary key (organ, kind, report_year),
    unique (organ, series, year, number)
);

create trigger issued_reports_no_update before update on issued_reports
begin
    select raise(abort, 'issued_reports is append-only');
end;

create trigger issued_reports_no_delete before delete on issued_reports
begin
    select raise(abort, 'issued_reports is append-only');
end;
