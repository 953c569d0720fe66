//! [`NumberingStore`] on PostgreSQL. Claims are written by [`claim`] inside the
//! act's transaction; a concurrent claim waits on the counter row lock, then the
//! compare-and-set and the primary keys make a stale claim fail anyway.

use async_trait::async_trait;
use sqlx::PgConnection;

use super::super::numbering::{self as num, NumberClaim, NumberingStore};
use super::super::{rows, StoreError};
use super::PgStore;

/// Write an act's number claims on its transaction's connection.
pub(super) async fn claim(conn: &mut PgConnection, claims: &[NumberClaim]) -> Result<(), StoreError> {
    for c in claims {
        let moved = if c.number == 1 {
            match sqlx::query(num::sql::FIRST).bind(&c.organ).bind(&c.series).bind(c.year).execute(&mut *conn).await {
                Err(e) if rows::is_unique_violation(&e) => 0,
                other => other?.rows_affected(),
            }
        } else {
            sqlx::query(num::sql::ADVANCE)
                .bind(&c.organ)
                .bind(&c.series)
                .bind(c.year)
                .bind(c.number)
                .bind(c.number - 1)
                .execute(&mut *conn)
                .await?
                .rows_affected()
        };
        if moved == 0 {
            return Err(num::taken(c));
        }
        let registered = sqlx::query(num::sql::REGISTER)
            .bind(&c.organ)
            .bind(&c.series)
            .bind(c.year)
            .bind(c.number)
            .bind(&c.decision_id)
            .bind(c.seq)
            .bind(&c.memo)
            .execute(&mut *conn)
            .await;
        match registered {
            Err(e) if rows::is_unique_violation(&e) => return Err(num::taken(c)),
            other => other?,
        };
    }
    Ok(())
}

#[async_trait]
impl NumberingStore for PgStore {
    async fn next_number(&self, organ: &str, series: &str, year: i32) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(num::sql::NEXT).bind(organ).bind(series).bind(year).fetch_one(&self.pool).await?)
    }

    async fn issued_numbers(&self, organ: &str, year: i32) -> Result<Vec<NumberClaim>, StoreError> {
        let found = sqlx::query(num::sql::ISSUED).bind(organ).bind(year).fetch_all(&self.pool).await?;
        found.iter().map(num::claim_from).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::TestDb;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn numbers_have_no_gaps_or_duplicates_under_concurrency() {
        let Some(db) = TestDb::create().await else { return };
        db.run(|store| async move { crate::store::numbering::conformance::run_all(store).await }).await;
    }
}
