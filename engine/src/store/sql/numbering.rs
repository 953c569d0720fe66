//! [`NumberingStore`]. Claims are written by [`claim`] inside the act's transaction: SQLite's single writer
//! serialises them, on PostgreSQL a concurrent claim waits on the counter row lock, and the compare-and-set
//! and the primary keys make a stale claim fail anyway.

use async_trait::async_trait;

use super::{Backend, Db};
use crate::store::numbering::{self as num, NumberClaim, NumberingStore};
use crate::store::{rows, StoreError};

/// Write an act's number claims on its transaction's connection.
pub(super) async fn claim(
    conn: &mut <Db as sqlx::Database>::Connection,
    claims: &[NumberClaim],
) -> Result<(), StoreError> {
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
impl NumberingStore for Backend {
    async fn next_number(&self, organ: &str, series: &str, year: i32) -> Result<i64, StoreError> {
        // Read on the writer: the reader pool may lag the last commit by a moment.
        Ok(sqlx::query_scalar(num::sql::NEXT).bind(organ).bind(series).bind(year).fetch_one(&self.writer).await?)
    }

    async fn issued_numbers(&self, organ: &str, year: i32) -> Result<Vec<NumberClaim>, StoreError> {
        let found = sqlx::query(num::sql::ISSUED).bind(organ).bind(year).fetch_all(&self.reader).await?;
        found.iter().map(num::claim_from).collect()
    }
}
