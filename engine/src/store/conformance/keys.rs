//! Conformance of idempotency keys answered inside an act's commit: only the
//! request holding a key may commit under it, a committed act's answer is
//! always there to replay, and an unanswered reservation is taken over by a
//! retry of the same request only once its lease has ended.

use chrono::Duration;

use super::{commit1, snapshot, t0, Chain};
use crate::store::idempotency::{KeyClaim, KeyCompletion, StoredResponse};
use crate::store::{Store, StoreError};

fn held(claim: &str) -> KeyClaim {
    KeyClaim { key: "conf-key".into(), claim: claim.into() }
}

fn answer(body: &str) -> StoredResponse {
    StoredResponse { status: 200, content_type: "application/json".into(), body: body.into() }
}

pub(super) async fn keys_in_commit(store: &dyn Store) {
    let id = "conf-keys";
    let lease = Duration::seconds(30);
    let (first, retry) = (held("first"), held("retry"));
    assert_eq!(store.reserve_key(&first, "fp", t0(), t0() + lease).await.expect("reserve"), None);

    // Before the lease ends the key stays with the first request.
    let early = t0() + Duration::seconds(29);
    let seen = store.reserve_key(&retry, "fp", early, early + lease).await.expect("reserve");
    assert_eq!(seen.map(|k| k.response), Some(None), "in flight within the lease");

    // After it, a retry of the same request takes the key over; another request never does.
    let late = t0() + Duration::seconds(31);
    let other = store.reserve_key(&held("other"), "another-fp", late, late + lease).await.expect("reserve");
    assert_eq!(other.map(|k| k.fingerprint), Some("fp".to_string()), "a different request is not let in");
    assert_eq!(store.reserve_key(&retry, "fp", late, late + lease).await.expect("reserve"), None, "taken over");

    // The first request, overtaken, can no longer commit under the key: its act is not written.
    let chain = Chain::new(id, "proposal", t0());
    let mut c = chain.next("start", "drafting", late, &["受理通知"]);
    c.idempotency = Some(KeyCompletion { held: first.clone(), response: answer("first") });
    let before = snapshot(store, id).await;
    let lost = commit1(store, c.clone()).await;
    assert!(matches!(&lost, Err(StoreError::KeyNotHeld(k)) if k == "conf-key"), "{lost:?}");
    assert_eq!(snapshot(store, id).await, before, "an act whose key was taken over writes nothing");

    // The holder commits its act and its answer together; the answer is kept while the key lives.
    c.idempotency = Some(KeyCompletion { held: retry.clone(), response: answer("retry") });
    commit1(store, c.clone()).await.expect("the holder commits");
    assert_eq!(store.load(id).await.expect("load").map(|l| l.decision), Some(c.decision.clone()));
    let far = late + Duration::hours(23);
    let replay = store.reserve_key(&held("later"), "fp", far, far + lease).await.expect("reserve");
    assert_eq!(replay.and_then(|k| k.response), Some(answer("retry")), "a committed act always replays");
    assert!(!store.complete_key(&first, &answer("x")).await.expect("complete"), "answered once");
    store.release_key(&retry).await.expect("release");
    let kept = store.reserve_key(&held("later"), "fp", far, far + lease).await.expect("reserve");
    assert_eq!(kept.and_then(|k| k.response), Some(answer("retry")), "an answered key is never released");
}

/// A key lives its time to live: then any request takes it over, and the purge deletes it.
pub(super) async fn keys_expire(store: &dyn Store) {
    let lease = Duration::seconds(30);
    let key = |claim: &str| KeyClaim { key: "conf-expiring".into(), claim: claim.into() };
    assert_eq!(store.reserve_key(&key("a"), "fp-a", t0(), t0() + lease).await.expect("reserve"), None);
    assert!(store.complete_key(&key("a"), &answer("a")).await.expect("complete"));
    let ttl = crate::store::idempotency::KEY_TTL;
    let before = t0() + ttl - Duration::seconds(1);
    let kept = store.reserve_key(&key("b"), "fp-b", before, before + lease).await.expect("reserve");
    assert_eq!(kept.map(|k| k.fingerprint), Some("fp-a".to_string()), "alive until its time to live");
    let after = t0() + ttl;
    assert_eq!(store.reserve_key(&key("b"), "fp-b", after, after + lease).await.expect("reserve"), None, "expired");
    assert!(store.complete_key(&key("b"), &answer("b")).await.expect("the new holder answers"));
    // A shorter time to live, as a server may configure it, and the purge.
    let short = store.reserve_key_expiring(&key("c"), "fp-c", after, after + lease, after).await.expect("reserve");
    assert_eq!(short, None, "a key created at the cut-off has expired");
    assert!(store.purge_keys(after).await.expect("purge") >= 1);
    assert_eq!(store.purge_keys(after).await.expect("purge"), 0);
    // Purged, the key is new again even under the default time to live.
    assert_eq!(store.reserve_key(&key("d"), "fp-d", after, after + lease).await.expect("reserve"), None, "purged");
}
