//! Group commit across replicas: two batches writing the same decisions in
//! opposite orders, each through the savepoint path (a batch holding one
//! bad commit takes it), never fail with a database error. On PostgreSQL
//! they deadlocked ("deadlock detected", a 500 to the client); now the
//! decision rows are locked in id order first, and a deadlock or
//! serialization failure that still happens is a lost race (a conflict the
//! engine steps again), never an error.

use std::sync::Arc;

use super::{commit1, t0, Chain};
use crate::store::{Store, StoreError, TransitionCommit};

/// A commit `check_commit` refuses before anything is written.
fn bad(chain: &Chain) -> TransitionCommit {
    let mut c = chain.next("bad", "drafting", t0(), &[]);
    c.expected_version = 99;
    c
}

pub async fn opposite_batches_never_fail_the_database(store: Arc<dyn Store>) {
    let mut wrong = Vec::new();
    for round in 0..12 {
        let mut a = Chain::new(&format!("race-a-{round}"), "proposal", t0());
        let mut b = Chain::new(&format!("race-b-{round}"), "proposal", t0());
        for chain in [&mut a, &mut b] {
            let open = chain.next("open", "drafting", t0(), &[]);
            commit1(store.as_ref(), open.clone()).await.expect("open");
            chain.accept(&open);
        }
        let one = vec![a.next("one", "drafting", t0(), &["甲"]), b.next("one", "drafting", t0(), &["甲"]), bad(&a)];
        let two = vec![b.next("two", "drafting", t0(), &["乙"]), a.next("two", "drafting", t0(), &["乙"]), bad(&b)];
        let (s1, s2) = (store.clone(), store.clone());
        let first = tokio::spawn(async move { s1.commit(one).await });
        let second = tokio::spawn(async move { s2.commit(two).await });
        for results in [first.await.expect("task"), second.await.expect("task")] {
            for r in &results[..2] {
                if !matches!(r, Ok(()) | Err(StoreError::Conflict { .. })) {
                    wrong.push(format!("round {round}: {r:?}"));
                }
            }
        }
        // Exactly one act of each pair was written: the other lost the race.
        for id in [format!("race-a-{round}"), format!("race-b-{round}")] {
            let records = store.audit_records(&id).await.expect("records");
            assert_eq!(records.len(), 2, "{id}: one opening and one act");
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
