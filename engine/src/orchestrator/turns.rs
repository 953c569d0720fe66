//! Acts on one record take turns within a process. Each act loads the record, steps and commits against the
//! version it loaded (optimistic versioning), so two acts on the same record at once would make one fail with a
//! conflict and do its work again: on a consultation taking comments from many people at once, nearly every
//! comment would. Queued here instead, they go one after another; the version check still guards against other
//! replicas, and acts on different records never wait for each other (group commit batches those).
//!
//! Opinions from the public do not take turns: they are many, and their checks run beside each other. But an
//! opinion that arrives between an act's read of the record's opinions and its commit fails that commit, and a
//! stream of them could fail it every time. So an act whose commit failed this way holds the record's
//! [`Turns::hold_opinions`] until it is done, and meanwhile this process's opinions on the record wait for the
//! act's turn to end before joining the intake's queue.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};

use tokio::sync::{Mutex as TurnLock, OwnedMutexGuard};

/// The turn of one record, held from loading it to committing the act.
pub(crate) type Turn = OwnedMutexGuard<()>;

#[derive(Default)]
pub(crate) struct Turns {
    /// Each record's lock while some act holds or awaits it; dead entries are swept as the map grows.
    locks: Mutex<HashMap<String, Weak<TurnLock<()>>>>,
    /// Records whose opinions wait for the acts on them, and how many acts ask it.
    held: Arc<Mutex<HashMap<String, usize>>>,
}

/// While alive, this process's opinions on a record wait for the acts on it (see [`Turns::hold_opinions`]).
pub(crate) struct OpinionsHeld {
    held: Arc<Mutex<HashMap<String, usize>>>,
    record: String,
}

impl Drop for OpinionsHeld {
    fn drop(&mut self) {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = held.get_mut(&self.record) {
            *n -= 1;
            if *n == 0 {
                held.remove(&self.record);
            }
        }
    }
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

    /// Make this process's opinions on `record` wait for the acts on it, until the guard is dropped: an act holding
    /// the record's turn then commits without another of them arriving meanwhile.
    pub(crate) fn hold_opinions(&self, record: &str) -> OpinionsHeld {
        *self.held.lock().unwrap_or_else(PoisonError::into_inner).entry(record.to_string()).or_default() += 1;
        OpinionsHeld { held: self.held.clone(), record: record.to_string() }
    }

    /// Wait, if an act holds `record`'s opinions, until the act's turn ends; whether it waited.
    pub(crate) async fn opinions_wait(&self, record: &str) -> bool {
        let held = self.held.lock().unwrap_or_else(PoisonError::into_inner).contains_key(record);
        if held {
            drop(self.take(record).await);
        }
        held
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `waited` is done within 50 ms.
    async fn soon(waited: impl std::future::Future) -> bool {
        tokio::time::timeout(std::time::Duration::from_millis(50), waited).await.is_ok()
    }

    #[tokio::test]
    async fn opinions_wait_for_an_act_only_while_it_holds_them() {
        let turns = Turns::default();
        let act = turns.take("a").await;
        assert!(
            soon(turns.opinions_wait("a")).await,
            "an opinion does not wait for an act that does not hold the opinions"
        );
        let held = turns.hold_opinions("a");
        assert!(!soon(turns.opinions_wait("a")).await, "an opinion waits while the act holds the opinions");
        assert!(soon(turns.opinions_wait("b")).await, "another record's opinions do not wait");
        drop((act, held));
        assert!(soon(turns.opinions_wait("a")).await, "the act done, opinions go on");
        assert!(turns.held.lock().unwrap().is_empty(), "nothing is left held");
    }

    #[tokio::test]
    async fn acts_on_one_record_wait_their_turn_and_other_records_do_not() {
        let turns = Turns::default();
        let first = turns.take("a").await;
        // Another record's turn is free at once.
        assert!(soon(turns.take("b")).await, "record b does not wait for record a");
        // The same record waits until the first act is done.
        assert!(!soon(turns.take("a")).await, "a second act on record a waits");
        drop(first);
        assert!(soon(turns.take("a")).await, "and goes once the first is done");
    }
}
