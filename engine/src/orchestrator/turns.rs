//! Acts on one record take turns within a process. Each act loads the record, steps and commits against the
//! version it loaded (optimistic versioning), so two acts on the same record at once would make one fail with a
//! conflict and do its work again: on a consultation taking comments from many people at once, nearly every
//! comment would. Queued here instead, they go one after another; the version check still guards against other
//! replicas, and acts on different records never wait for each other (group commit batches those).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};

use tokio::sync::{Mutex as TurnLock, OwnedMutexGuard};

/// The turn of one record, held from loading it to committing the act.
pub(crate) type Turn = OwnedMutexGuard<()>;

#[derive(Default)]
pub(crate) struct Turns {
    /// Each record's lock while some act holds or awaits it; dead entries are swept as the map grows.
    locks: Mutex<HashMap<String, Weak<TurnLock<()>>>>,
}

impl Turns {
    /// Wait for `record`'s turn.
    pub(crate) async fn take(&self, record: &str) -> Turn {
        let lock = {
            // A poisoned map only means a panic between two complete updates: its entries are whole.
            let mut locks = self.locks.lock().unwrap_or_else(PoisonError::into_inner);
            match locks.get(record).and_then(Weak::upgrade) {
                Some(lock) => lock,
                None => {
                    if locks.len() >= 1024 {
                        locks.retain(|_, w| w.strong_count() > 0);
                    }
                    let lock = Arc::new(TurnLock::new(()));
                    locks.insert(record.to_string(), Arc::downgrade(&lock));
                    lock
                }
            }
        };
        lock.lock_owned().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn acts_on_one_record_wait_their_turn_and_other_records_do_not() {
        let turns = Turns::default();
        let first = turns.take("a").await;
        // Another record's turn is free at once.
        let other = tokio::time::timeout(std::time::Duration::from_millis(50), turns.take("b")).await;
        assert!(other.is_ok(), "record b does not wait for record a");
        // The same record waits until the first act is done.
        let waiting = tokio::time::timeout(std::time::Duration::from_millis(50), turns.take("a")).await;
        assert!(waiting.is_err(), "a second act on record a waits");
        drop(first);
        let next = tokio::time::timeout(std::time::Duration::from_millis(50), turns.take("a")).await;
        assert!(next.is_ok(), "and goes once the first is done");
    }
}
