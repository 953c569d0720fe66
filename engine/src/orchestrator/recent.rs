//! The records this process's acts committed last, as committed, so that the next act on one of them takes the
//! record from here instead of reading it back from the database (one read less an act: on PostgreSQL a round
//! trip). Nothing here is trusted: an act that takes a record from here commits only if the record is still at
//! that version and the calendar notices and the kinds of opinion on it still number what the act took them to
//! be ([`Assumed`]), checked in its commit's own statement; otherwise, and whenever the law refuses it on that
//! state, the act is stepped again on the record read from the database (`Engine::apply`). So a record another
//! replica moved on, an opinion that came in meanwhile, or a new calendar notice costs a read, never a wrong act.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use lru::LruCache;

use crate::store::{Assumed, Loaded};

/// Records kept: far more than acts in flight, little memory (a record's state is a few kilobytes).
const KEPT: NonZeroUsize = NonZeroUsize::new(1024).expect("not zero");

pub(super) struct Recent {
    kept: Mutex<LruCache<String, Loaded>>,
    /// Acts that took their record from here, and those of them stepped again on the record as stored.
    taken: AtomicU64,
    read_again: AtomicU64,
}

impl Default for Recent {
    fn default() -> Self {
        Recent { kept: Mutex::new(LruCache::new(KEPT)), taken: AtomicU64::new(0), read_again: AtomicU64::new(0) }
    }
}

impl Recent {
    /// The record `id` as this process's last act on it committed it, taken out (an act that fails puts nothing
    /// back), with what its act must assume; `None` if not kept, or kept without what it was read with.
    pub fn take(&self, id: &str) -> Option<(Loaded, Assumed)> {
        let loaded = self.with(|kept| kept.pop(id))?;
        let assumed = Assumed { calendar_notices: loaded.calendar_notices?, opinion_kinds: loaded.opinion_kinds? };
        self.taken.fetch_add(1, Ordering::Relaxed);
        Some((loaded, assumed))
    }

    /// An act that took its record from here is stepped again on the record as stored.
    pub fn read_again(&self) {
        self.read_again.fetch_add(1, Ordering::Relaxed);
    }

    /// Keep `loaded`, the record as an act just committed it.
    pub fn keep(&self, loaded: Loaded) {
        self.with(|kept| kept.put(loaded.decision.id.clone(), loaded));
    }

    fn with<R>(&self, f: impl FnOnce(&mut LruCache<String, Loaded>) -> R) -> R {
        // A panic while the lock is held cannot leave the cache half-changed: each call is one cache operation.
        f(&mut self.kept.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering::Relaxed;
    use std::sync::Arc;

    use chrono::Utc;

    use crate::error::Error;
    use crate::orchestrator::Engine;
    use crate::sample::{script, take};
    use crate::store::{SqliteStore, Store};

    async fn store() -> Arc<dyn Store> {
        let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
        store.migrate().await.expect("migrate");
        Arc::new(store)
    }

    async fn act(engine: &Engine, id: &str, index: usize) -> Result<i64, Error> {
        take(engine, id, index, &script()[index], Utc::now()).await.map(|applied| applied.decision.version)
    }

    fn counts(engine: &Engine) -> (u64, u64) {
        (engine.recent.taken.load(Relaxed), engine.recent.read_again.load(Relaxed))
    }

    /// A replica's next act on a record takes it as its last act committed it, unread, while no one else acts on it.
    #[tokio::test]
    async fn consecutive_acts_take_the_record_as_last_committed() {
        let engine = crate::memo::tests::engine_on(store().await).await;
        for index in 0..5 {
            assert_eq!(act(&engine, "kept", index).await.expect("accepted"), index as i64 + 1);
        }
        // The first act opens the record and the second reads it; the three after take it as committed.
        assert_eq!(counts(&engine), (3, 0));
        let records = engine.store.audit_records("kept").await.expect("records");
        let links: Vec<bool> = records.windows(2).map(|w| w[1].prev_hash == w[0].hash).collect();
        assert_eq!(links, vec![true; 4], "one unbroken chain");
    }

    /// Another replica moved the record on: the act taken on the kept state is refused there (finish_drafting
    /// before a draft), and is stepped again on the record as stored, where the law accepts it.
    #[tokio::test]
    async fn an_act_on_a_record_another_replica_moved_on_is_stepped_on_the_stored_record() {
        let store = store().await;
        let (a, b) = (crate::memo::tests::engine_on(store.clone()).await, crate::memo::tests::engine_on(store).await);
        act(&a, "moved", 0).await.expect("opened on a");
        act(&a, "moved", 1).await.expect("started on a");
        act(&b, "moved", 2).await.expect("the draft recorded on b");
        let (kept, _) = a.recent.take("moved").expect("a keeps the record as it committed it");
        assert_eq!(kept.decision.version, 2, "a's copy is behind");
        a.recent.keep(kept);
        assert_eq!(act(&a, "moved", 3).await.expect("finish_drafting accepted on the stored record"), 4);
        assert_eq!(counts(&a), (2, 1), "taken twice (the look above and the act), read again once");
        // The act after it takes the record as `a` committed it, current again.
        assert_eq!(act(&a, "moved", 4).await.expect("accepted"), 5);
        assert_eq!(counts(&a), (3, 1));
    }

    /// A refusal on the stored record stands, after one more read, and nothing is written.
    #[tokio::test]
    async fn a_refusal_on_the_stored_record_stands() {
        let engine = crate::memo::tests::engine_on(store().await).await;
        act(&engine, "refused", 0).await.expect("opened");
        act(&engine, "refused", 1).await.expect("started");
        let r = act(&engine, "refused", 3).await;
        assert!(matches!(r, Err(Error::Refused(_))), "finish_drafting before a draft is refused: {r:?}");
        assert_eq!(counts(&engine), (1, 1));
        assert_eq!(engine.load("refused").await.expect("load").version, 2, "nothing written");
    }
}
