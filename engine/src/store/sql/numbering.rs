//! [`NumberingStore`]. Claims are written with the act's other rows (`store::plan`), in its transaction: SQLite's single writer
//! serialises them, on PostgreSQL a concurrent claim waits on the counter row lock, and the compare-and-set
//! and the primary keys make a stale claim fail anyway.

use async_trait::async_trait;

use super::Backend;
use crate::store::numbering::{self as num, NumberClaim, NumberingStore};
use crate::store::StoreError;

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
