//! [`NumberingStore`]: document numbers (发文字号) without gaps or
//! duplicates per organ, series and year.
//!
//! Allocation is optimistic, like decision versions: the engine reads the
//! next free number ([`NumberingStore::next_number`]), renders the memo with
//! it and puts a [`NumberClaim`] in the act's [`super::TransitionCommit`].
//! The commit advances the counter from n-1 to n in the act's transaction
//! (compare-and-set) and registers n; when another act took n first it fails
//! with [`StoreError::NumberTaken`], writes nothing, and the engine renders
//! again with the next number. An act that does not commit consumes no number.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::StoreError;

/// A number an act's memo carries, written with the act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberClaim {
    pub organ: String,
    /// e.g. 示政发
    pub series: String,
    pub year: i32,
    pub number: i64,
    pub decision_id: String,
    pub seq: i64,
    pub memo: String,
}

#[async_trait]
pub trait NumberingStore: Send + Sync {
    /// The next free number of a series in a year (1 when none was issued).
    async fn next_number(&self, organ: &str, series: &str, year: i32) -> Result<i64, StoreError>;
    /// The numbers an organ issued in a year, by series and number.
    async fn issued_numbers(&self, organ: &str, year: i32) -> Result<Vec<NumberClaim>, StoreError>;
}

pub(super) mod sql {
    pub const NEXT: &str = "select coalesce(max(last_number), 0) + 1 from document_counters \
         where organ = $1 and series = $2 and year = $3";
    pub const FIRST: &str = "insert into document_counters (organ, series, year, last_number) values ($1, $2, $3, 1)";
    /// Compare-and-set: only the act that saw n-1 as the last number moves it to n.
    pub const ADVANCE: &str = "update document_counters set last_number = $4 \
         where organ = $1 and series = $2 and year = $3 and last_number = $5";
    pub const REGISTER: &str = "insert into document_numbers (organ, series, year, number, decision_id, seq, memo) \
         values ($1, $2, $3, $4, $5, $6, $7)";
    pub const ISSUED: &str = "select organ, series, year, number, decision_id, seq, memo from document_numbers \
         where organ = $1 and year = $2 order by series, number";
}

pub(super) fn taken(c: &NumberClaim) -> StoreError {
    StoreError::NumberTaken { series: c.series.clone(), year: c.year, number: c.number }
}

/// A register row as a claim (both backends read the same columns).
pub(super) fn claim_from<'r, R>(row: &'r R) -> Result<NumberClaim, StoreError>
where
    R: sqlx::Row,
    &'r str: sqlx::ColumnIndex<R>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i32: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(NumberClaim {
        organ: row.try_get("organ")?,
        series: row.try_get("series")?,
        year: row.try_get("year")?,
        number: row.try_get("number")?,
        decision_id: row.try_get("decision_id")?,
        seq: row.try_get("seq")?,
        memo: row.try_get("memo")?,
    })
}

#[cfg(test)]
pub(crate) mod conformance {
    //! The numbering contract, run against each backend.
    use std::sync::Arc;

    use crate::store::{Store, StoreError};

    /// Ten acts race for numbers in one series: every commit that succeeds
    /// holds a distinct number, the register has 1..=n with no gap, and a
    /// stale claim is refused as `NumberTaken`.
    pub async fn run_all(store: Arc<dyn Store>) {
        let engine = crate::memo::tests::engine_on(store.clone()).await;
        let mut tasks = Vec::new();
        for i in 0..10 {
            let engine = engine.clone();
            tasks.push(tokio::spawn(async move { crate::memo::tests::open_numbered(&engine, i).await }));
        }
        let mut ok = 0;
        for t in tasks {
            if t.await.expect("task").is_ok() {
                ok += 1;
            }
        }
        assert_eq!(ok, 10, "every act commits (retrying past taken numbers)");
        let issued = store.issued_numbers("示范市人民政府", 2026).await.expect("issued");
        let numbers: Vec<i64> = issued.iter().filter(|c| c.series == "示政办函").map(|c| c.number).collect();
        assert_eq!(numbers, (1..=10).collect::<Vec<i64>>(), "no gaps, no duplicates");
        assert_eq!(store.next_number("示范市人民政府", "示政办函", 2026).await.expect("next"), 11);
        assert_eq!(store.next_number("示范市人民政府", "示政办函", 2027).await.expect("next"), 1, "per year");
        let err = crate::memo::tests::commit_claim(&engine, 1).await;
        assert!(matches!(err, Some(StoreError::NumberTaken { number: 1, .. })), "{err:?}");
        // A number above the next free one (its act saw 11 handed out, and that act failed): no other act holds 12,
        // but the counter does not stand at 11, so the claim is refused too, and the register keeps no gap.
        let err = crate::memo::tests::commit_claim(&engine, 12).await;
        assert!(matches!(err, Some(StoreError::NumberTaken { number: 12, .. })), "{err:?}");
        assert_eq!(store.next_number("示范市人民政府", "示政办函", 2026).await.expect("next"), 11, "nothing taken");
        two_replicas(store, engine).await;
    }

    /// Two replicas on one database, six acts each at once: each hands out numbers ahead of its commits, the
    /// other's commits take some of them, and every act still commits with a number of its own, without gaps.
    async fn two_replicas(store: Arc<dyn Store>, first: Arc<crate::orchestrator::Engine>) {
        let second = crate::memo::tests::engine_on(store.clone()).await;
        let mut tasks = Vec::new();
        for i in 10..22 {
            let engine = if i % 2 == 0 { first.clone() } else { second.clone() };
            tasks.push(tokio::spawn(async move { crate::memo::tests::open_numbered(&engine, i).await }));
        }
        for t in tasks {
            t.await.expect("task").expect("every act commits, past the numbers the other replica took");
        }
        let issued = store.issued_numbers("示范市人民政府", 2026).await.expect("issued");
        let numbers: Vec<i64> = issued.iter().filter(|c| c.series == "示政办函").map(|c| c.number).collect();
        assert_eq!(numbers, (1..=22).collect::<Vec<i64>>(), "no gaps, no duplicates");
    }
}
