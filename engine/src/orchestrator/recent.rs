//! The records this process's acts committed last, as committed, so that the next act on one of them takes the
//! record from here instead of reading it back from the database (one read less an act: on PostgreSQL a round
//! trip). Nothing here is trusted: an act that takes a record from here commits only if the record is still at
//! that version and the calendar notices and the kinds of opinion on it still number what the act took them to
//! be ([`Assumed`]), checked in its commit's own statement; otherwise, and whenever the law refuses it on that
//! state, the act is stepped again on the record read from the database (`Engine::apply`). So a record another
//! replica moved on, a first opinion of a kind, or a new calendar notice costs a read; the act is decided as one
//! on a record read afresh would be (which reads the opinions themselves anew each act, as before).
//!
//! Where replicas share records without a router sending each record's acts to one replica, most kept records
//! are stale, and each costs a failed commit before the read: when many of a stretch of records taken from here
//! were stale, the cache rests for a while and acts read their records as before.

use std::num::NonZeroUsize;
use std::sync::{Mutex, PoisonError};

use lru::LruCache;

use crate::store::{Assumed, Loaded};

/// Records kept: far more than acts in flight; a record's state is a few kilobytes.
const KEPT: NonZeroUsize = NonZeroUsize::new(1024).expect("not zero");
/// Acts that took a record from here, looked at together: if more than a quarter of those records were stale, the
/// next `REST` acts read their records without looking here.
const STRETCH: u64 = 64;
const REST: u64 = 4096;

pub(super) struct Recent(Mutex<State>);

struct State {
    kept: LruCache<String, Loaded>,
    /// Over the whole life of the process: acts that took their record from here, and how many of those records
    /// were stale (the record as stored had moved on).
    taken: u64,
    stale: u64,
    /// The same over the current stretch, and acts left to rest.
    stretch: (u64, u64),
    resting: u64,
}

impl Default for Recent {
    fn default() -> Self {
        let kept = LruCache::new(KEPT);
        Recent(Mutex::new(State { kept, taken: 0, stale: 0, stretch: (0, 0), resting: 0 }))
    }
}

impl Recent {
    /// The record `id` as this process's last act on it committed it, taken out (an act that fails puts nothing
    /// back), with what its act must assume; `None` if not kept, kept without what it was read with, or resting.
    pub fn take(&self, id: &str) -> Option<(Loaded, Assumed)> {
        self.with(|s| {
            let loaded = s.kept.pop(id)?;
            if s.resting > 0 {
                s.resting -= 1;
                return None;
            }
            let assumed = Assumed {
                calendar_notices: loaded.calendar_notices?,
                opinion_kinds: loaded.opinion_kinds?,
                opinions: loaded.opinions?,
            };
            s.taken += 1;
            s.stretch.0 += 1;
            if s.stretch.0 >= STRETCH {
                if s.stretch.1 * 4 > s.stretch.0 {
                    s.resting = REST;
                }
                s.stretch = (0, 0);
            }
            Some((loaded, assumed))
        })
    }

    /// A record an act took from here had moved on: the act read it again and found it changed.
    pub fn stale(&self) {
        self.with(|s| {
            s.stale += 1;
            s.stretch.1 += 1;
        });
    }

    /// Keep `loaded`, the record as an act just committed it.
    pub fn keep(&self, loaded: Loaded) {
        self.with(|s| s.kept.put(loaded.decision.id.clone(), loaded));
    }

    /// Forget the record `id`: something wrote it other than the act that would keep it.
    pub fn forget(&self, id: &str) {
        self.with(|s| s.kept.pop(id));
    }

    /// Acts that took their record from here, and how many of those records were stale, since the process started.
    pub fn counts(&self) -> (u64, u64) {
        self.with(|s| (s.taken, s.stale))
    }

    fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        // A panic while the lock is held leaves at worst a count off by one and a record not kept.
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::Utc;

    use crate::error::Error;
    use crate::orchestrator::Engine;
    use crate::sample::{script, take};
    use crate::store::{Loaded, SqliteStore, Store};

    async fn raw() -> Arc<SqliteStore> {
        let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
        store.migrate().await.expect("migrate");
        Arc::new(store)
    }

    async fn store() -> Arc<dyn Store> {
        raw().await
    }

    async fn act(engine: &Engine, id: &str, index: usize) -> Result<i64, Error> {
        take(engine, id, index, &script()[index], Utc::now()).await.map(|applied| applied.decision.version)
    }

    fn counts(engine: &Engine) -> (u64, u64) {
        engine.recent.counts()
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
        assert_eq!(counts(&a), (2, 1), "taken twice (the look above and the act), stale once");
        // The act after it takes the record as `a` committed it, current again.
        assert_eq!(act(&a, "moved", 4).await.expect("accepted"), 5);
        assert_eq!(counts(&a), (3, 1));
    }

    /// A refusal on the stored record stands, after one more read, and nothing is written; the kept record was
    /// current, not stale.
    #[tokio::test]
    async fn a_refusal_on_the_stored_record_stands() {
        let engine = crate::memo::tests::engine_on(store().await).await;
        act(&engine, "refused", 0).await.expect("opened");
        act(&engine, "refused", 1).await.expect("started");
        let r = act(&engine, "refused", 3).await;
        assert!(matches!(r, Err(Error::Refused(_))), "finish_drafting before a draft is refused: {r:?}");
        assert_eq!(counts(&engine), (1, 0));
        assert_eq!(engine.load("refused").await.expect("load").version, 2, "nothing written");
    }

    /// Another replica moved the record on and the act is accepted on the kept state too: its commit conflicts,
    /// nothing of it is written, and it is stepped again and committed on the record as stored.
    #[tokio::test]
    async fn an_act_accepted_on_a_stale_record_is_committed_on_the_stored_one() {
        let store = store().await;
        let (a, b) = (crate::memo::tests::engine_on(store.clone()).await, crate::memo::tests::engine_on(store).await);
        for index in 0..3 {
            act(&a, "stale", index).await.expect("on a");
        }
        assert_eq!(act(&b, "stale", 2).await.expect("a second draft recorded on b"), 4);
        assert_eq!(act(&a, "stale", 3).await.expect("finish_drafting on a"), 5);
        assert_eq!(counts(&a), (2, 1), "taken at the third act and this one, stale once");
        let records = a.store.audit_records("stale").await.expect("records");
        let acts: Vec<&str> = records.iter().map(|r| r.act.as_str()).collect();
        assert_eq!(acts, ["submit_proposal", "start_decision", "record_draft", "record_draft", "finish_drafting"]);
        assert!(records.windows(2).all(|w| w[1].prev_hash == w[0].hash), "one unbroken chain");
    }

    /// An opinion received since the last act changes what an act assumed of the record (it had none, and need not
    /// read the opinions): the act taken on the kept record does not commit, and is stepped again on the stored one.
    #[tokio::test]
    async fn an_opinion_since_the_last_act_makes_the_next_act_read_the_record() {
        let store = raw().await;
        let engine = crate::memo::tests::engine_on(store.clone()).await;
        act(&engine, "heard", 0).await.expect("opened");
        act(&engine, "heard", 1).await.expect("started");
        // What the intake writes on the decision's row with an opinion.
        let arrived = "update decisions set opinions = opinions + 1 where id = 'heard'";
        assert_eq!(store.execute_raw(arrived).await.expect("an opinion received"), 1);
        assert_eq!(act(&engine, "heard", 2).await.expect("record_draft"), 3);
        assert_eq!(counts(&engine), (1, 1), "taken, and stale for the opinion");
    }

    /// Where many records acts took from here were stale (replicas sharing records), the cache rests: acts read
    /// their records without trying it first.
    #[test]
    fn mostly_stale_records_make_the_cache_rest() {
        let recent = super::Recent::default();
        let record = |version| {
            let mut decision = crate::decision::Decision::new("shared", "national", 1, "drafting", Utc::now());
            decision.version = version;
            Loaded {
                decision,
                last_hash: String::new(),
                calendar_notices: Some(0),
                opinion_kinds: Some(0),
                opinions: Some(0),
            }
        };
        for i in 0..super::STRETCH {
            recent.keep(record(i as i64 + 1));
            assert!(recent.take("shared").is_some(), "taken while fresh enough ({i})");
            if i % 2 == 0 {
                recent.stale();
            }
        }
        recent.keep(record(100));
        assert!(recent.take("shared").is_none(), "half were stale: resting");
        assert!(recent.take("shared").is_none(), "and the record taken out meanwhile is not kept");
    }
}
