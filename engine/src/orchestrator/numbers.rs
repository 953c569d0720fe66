//! Document numbers handed out by this process ahead of their commits.
//!
//! A numbered memo is rendered with its number before the act commits, and
//! the commit takes the number only if the series' counter still stands just
//! below it (`store::numbering`). Acts of one process used to take turns from
//! reading the number to the end of the commit, flush included: at sixteen
//! clients a start letter waited 20 ms (SQLite) to 48 ms (PostgreSQL) for the
//! acts ahead of it, and every act of those decisions waited behind it.
//!
//! Now the turn ends when the act's commit is queued. Numbered commits go to
//! one queue written in order by one writer ([`crate::group_commit`]), so
//! they reach the database in the order their numbers were handed out; a
//! number handed out and not yet committed is remembered here, so the next
//! act takes the one after it. The database still decides: a number another
//! replica took, or one left free when an earlier commit failed, fails its
//! commit as `NumberTaken`, and the act is rendered again with a number read
//! afresh (what this process remembered of that series is forgotten first).

use std::collections::BTreeMap;

use tokio::sync::{Mutex, MutexGuard};

use crate::store::numbering::NumberClaim;

/// A series of numbers: organ, series, year.
type Series = (String, String, i32);

/// The next number this process would hand out in each series, above the
/// last one committed, while acts holding the numbers below it are on their
/// way to the database.
#[derive(Default)]
pub(super) struct Floors(BTreeMap<Series, i64>);

impl Floors {
    /// The lowest number of `series` not handed out by this process (0: none remembered).
    pub fn floor(&self, organ: &str, series: &str, year: i32) -> i64 {
        self.0.get(&(organ.to_string(), series.to_string(), year)).copied().unwrap_or(0)
    }

    /// `claims` are handed out: the next act of each series takes a number after them.
    pub fn hand_out(&mut self, claims: &[NumberClaim]) {
        for c in claims {
            let floor = self.0.entry((c.organ.clone(), c.series.clone(), c.year)).or_insert(0);
            *floor = (*floor).max(c.number + 1);
        }
    }

    /// A commit holding `claims` failed: its numbers may be free again, and what was handed out after them will
    /// fail too. The next act of each series reads the number from the database.
    pub fn forget(&mut self, claims: &[NumberClaim]) {
        for c in claims {
            self.0.remove(&(c.organ.clone(), c.series.clone(), c.year));
        }
    }
}

/// The turn numbered acts take, from reading a number to queueing the commit that holds it.
#[derive(Default)]
pub(super) struct Numbering(Mutex<Floors>);

impl Numbering {
    pub async fn turn(&self) -> MutexGuard<'_, Floors> {
        self.0.lock().await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::memo::tests::{engine_on, open_numbered};
    use crate::store::{SqliteStore, Store};

    fn claim(series: &str, year: i32, number: i64) -> NumberClaim {
        NumberClaim {
            organ: "示范市人民政府".into(),
            series: series.into(),
            year,
            number,
            decision_id: "d".into(),
            seq: 2,
            memo: "start_decision".into(),
        }
    }

    #[test]
    fn a_series_floor_rises_past_what_was_handed_out_and_is_forgotten_on_failure() {
        let mut floors = Floors::default();
        assert_eq!(floors.floor("示范市人民政府", "示政办函", 2026), 0, "nothing remembered: read the database");
        floors.hand_out(&[claim("示政办函", 2026, 7), claim("示政办函", 2026, 8)]);
        floors.hand_out(&[claim("示政发", 2026, 3)]);
        assert_eq!(floors.floor("示范市人民政府", "示政办函", 2026), 9);
        assert_eq!(floors.floor("示范市人民政府", "示政发", 2026), 4);
        assert_eq!(floors.floor("示范市人民政府", "示政办函", 2027), 0, "a year is a series of its own");
        // Handed out again after a failure (a lower number): the floor never goes down on its own.
        floors.hand_out(&[claim("示政办函", 2026, 5)]);
        assert_eq!(floors.floor("示范市人民政府", "示政办函", 2026), 9);
        floors.forget(&[claim("示政办函", 2026, 8)]);
        assert_eq!(floors.floor("示范市人民政府", "示政办函", 2026), 0, "forgotten: read afresh");
        assert_eq!(floors.floor("示范市人民政府", "示政发", 2026), 4, "other series are kept");
    }

    /// A number handed out whose commit never reached the database (its caller went away, say) leaves the
    /// process's floor above the counter. The next act's commit fails on it, the floor is forgotten, and the act
    /// takes the free number: the register stays without gaps.
    #[tokio::test]
    async fn a_number_handed_out_and_never_committed_leaves_no_gap() {
        let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
        store.migrate().await.expect("migrate");
        let store: Arc<dyn Store> = Arc::new(store);
        let engine = engine_on(store.clone()).await;
        open_numbered(&engine, 0).await.expect("first");
        engine.numbering.turn().await.hand_out(&[claim("示政办函", 2026, 5)]);
        open_numbered(&engine, 1).await.expect("second, after the stale floor failed its first commit");
        let issued = store.issued_numbers("示范市人民政府", 2026).await.expect("issued");
        let numbers: Vec<i64> = issued.iter().filter(|c| c.series == "示政办函").map(|c| c.number).collect();
        assert_eq!(numbers, vec![1, 2], "no gap where the stale floor pointed");
        assert_eq!(
            engine.numbering.turn().await.floor("示范市人民政府", "示政办函", 2026),
            3,
            "read afresh, then kept"
        );
    }
}
