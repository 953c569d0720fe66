//! [`ReportStore`]: a report's number is claimed and the report stored in one write transaction, from the
//! counters the acts' numbers use (`numbering`): on SQLite the single writer serialises issues; on PostgreSQL a
//! concurrent claim waits on the counter row lock and its compare-and-set then fails, as does a second insert
//! of the same organ, kind and year (the primary key), and the caller asks again and finds the report issued.

use async_trait::async_trait;

use super::Backend;
use crate::audit::format_instant;
use crate::store::numbering::{self as num, NumberClaim};
use crate::store::reports::{self as sql, IssueOutcome, IssuedReport, ReportBuilder, ReportStore};
use crate::store::{rows, StoreError};

fn taken(r: &IssuedReport, number: i64) -> StoreError {
    num::taken(&NumberClaim {
        organ: r.organ.clone(),
        series: r.series.clone(),
        year: r.year,
        number,
        decision_id: String::new(),
        seq: 0,
        memo: r.kind.clone(),
    })
}

#[async_trait]
impl ReportStore for Backend {
    async fn issued_report(
        &self,
        organ: &str,
        kind: &str,
        report_year: i32,
    ) -> Result<Option<IssuedReport>, StoreError> {
        // Read on the writer: a report issued a moment ago must be found, never numbered twice.
        let row = sqlx::query(sql::FIND).bind(organ).bind(kind).bind(report_year).fetch_optional(&self.writer).await?;
        row.as_ref().map(sql::issued).transpose()
    }

    async fn issue_report(&self, report: &IssuedReport, build: ReportBuilder<'_>) -> Result<IssueOutcome, StoreError> {
        let r = report;
        let mut tx = self.begin_write().await?;
        let found =
            sqlx::query(sql::FIND).bind(&r.organ).bind(&r.kind).bind(r.report_year).fetch_optional(&mut *tx).await?;
        if let Some(row) = found {
            return Ok(IssueOutcome::AlreadyIssued(sql::issued(&row)?));
        }
        let n: i64 =
            sqlx::query_scalar(num::sql::NEXT).bind(&r.organ).bind(&r.series).bind(r.year).fetch_one(&mut *tx).await?;
        let moved = if n == 1 {
            sqlx::query(num::sql::FIRST).bind(&r.organ).bind(&r.series).bind(r.year).execute(&mut *tx).await
        } else {
            sqlx::query(num::sql::ADVANCE)
                .bind(&r.organ)
                .bind(&r.series)
                .bind(r.year)
                .bind(n)
                .bind(n - 1)
                .execute(&mut *tx)
                .await
        };
        match moved {
            Ok(done) if done.rows_affected() == 1 => {}
            Err(e) if !rows::is_unique_violation(&e) => return Err(e.into()),
            _ => return Err(taken(r, n)),
        }
        let issued = IssuedReport { number: n, data: build(n), ..r.clone() };
        let inserted = sqlx::query(sql::INSERT)
            .bind(&issued.organ)
            .bind(&issued.kind)
            .bind(issued.report_year)
            .bind(&issued.series)
            .bind(issued.year)
            .bind(issued.number)
            .bind(&issued.data)
            .bind(format_instant(&issued.issued_at))
            .bind(&issued.issued_by)
            .execute(&mut *tx)
            .await;
        match inserted {
            Err(e) if rows::is_unique_violation(&e) => return Err(taken(r, n)),
            other => other?,
        };
        tx.commit().await?;
        Ok(IssueOutcome::Issued(issued))
    }
}
