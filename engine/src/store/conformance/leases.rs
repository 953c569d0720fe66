//! Leases on auto-act deadlines: a claim holds the row without firing it, only its holder's act fires it, and an
//! expired lease is claimable again — the promises that make an auto-act crash-safe and still exactly-once.

use chrono::{DateTime, Duration, Utc};

use super::{commit1, deadline, notice, snapshot, t0, Chain};
use crate::store::scheduler::{AfterClaim, FirePlan, Lease, LeasedFiring};
use crate::store::{DeadlineRow, DeadlineStatus, Store, StoreError};

/// Claim what is due at `now`, leasing every row to `holder` for a minute; the ids claimed.
async fn claim(store: &dyn Store, now: DateTime<Utc>, holder: &str) -> Vec<String> {
    let lease = |_: &DeadlineRow, now: DateTime<Utc>| FirePlan {
        then: AfterClaim::Lease(Lease { holder: holder.to_string(), until: now + Duration::minutes(1) }),
        outbox: Vec::new(),
    };
    let fired = store.fire_due_planned(now, 10, &lease).await.expect("claim");
    for f in &fired {
        assert_eq!(f.lease.as_ref().map(|l| l.holder.as_str()), Some(holder), "the claim reports its lease");
        assert!(f.rearmed_to.is_none());
    }
    fired.into_iter().map(|f| f.deadline.id).collect()
}

pub(super) async fn leases(store: &dyn Store) {
    let id = "conf-leases";
    let now = t0();
    let mut chain = Chain::new(id, "s0", now);
    let mut c = chain.next("start", "s1", now - Duration::days(1), &[]);
    let auto = deadline(id, "auto", now);
    c.set_deadlines = vec![auto.clone()];
    commit1(store, c.clone()).await.expect("create with an auto-act deadline");
    chain.accept(&c);

    assert_eq!(claim(store, now, "a").await, std::slice::from_ref(&auto.id), "claimed with a lease");
    let rows = store.deadlines(id).await.expect("deadlines");
    assert_eq!((rows[0].status, rows[0].fired_at), (DeadlineStatus::Pending, None), "a lease does not fire the row");
    assert!(claim(store, now + Duration::seconds(59), "b").await.is_empty(), "a held row is nobody else's");
    assert_eq!(store.next_due().await.expect("next_due"), Some(now + Duration::minutes(1)), "due again at expiry");

    // "a" crashed; its lease expires and "b" takes the row over.
    let later = now + Duration::minutes(2);
    assert_eq!(claim(store, later, "b").await, std::slice::from_ref(&auto.id), "an expired lease is claimable again");
    let before = snapshot(store, id).await;
    let fire = |holder: &str| LeasedFiring { deadline_id: auto.id.clone(), holder: holder.into(), at: later };
    let mut late = chain.next("expire", "s2", later, &["迟到"]);
    late.fires = Some(fire("a"));
    late.outbox = vec![notice(id, "late", later)];
    let r = commit1(store, late).await;
    assert!(matches!(r, Err(StoreError::LeaseLost { .. })), "the old holder's act is refused: {r:?}");
    assert_eq!(snapshot(store, id).await, before, "and writes nothing");
    assert!(!store.finish_leased(&fire("a"), &[]).await.expect("finish"), "nor can it finish the row");

    let mut act = chain.next("expire", "s2", later, &[]);
    act.fires = Some(fire("b"));
    commit1(store, act.clone()).await.expect("the holder's act fires the row in its transaction");
    chain.accept(&act);
    let rows = store.deadlines(id).await.expect("deadlines");
    assert_eq!((rows[0].status, rows[0].fired_at), (DeadlineStatus::Fired, Some(later)));
    let state = store.firing_state(&auto.id).await.expect("state").expect("row");
    assert_eq!(state.occurrences, 1, "fired once");
    assert!(claim(store, later + Duration::days(1), "c").await.is_empty(), "a fired row is never claimed again");
    let mut again = chain.next("expire", "s3", later, &[]);
    again.fires = Some(fire("b"));
    assert!(matches!(commit1(store, again).await, Err(StoreError::LeaseLost { .. })), "nor fired twice");
    assert!(!store.finish_leased(&fire("b"), &[]).await.expect("finish"), "nor finished after firing");

    // A refused act finishes its row with the notice, once.
    let mut c = chain.next("set", "s3", later, &[]);
    let refused = deadline(id, "refused", later);
    c.set_deadlines = vec![refused.clone()];
    commit1(store, c.clone()).await.expect("another auto-act deadline");
    assert_eq!(claim(store, later, "d").await, std::slice::from_ref(&refused.id));
    let done = LeasedFiring { deadline_id: refused.id.clone(), holder: "d".into(), at: later };
    assert!(store.finish_leased(&done, &[notice(id, "not applied", later)]).await.expect("finish"));
    assert!(!store.finish_leased(&done, &[notice(id, "twice", later)]).await.expect("finish"), "only once");
    let subjects: Vec<String> = store.outbox(id).await.expect("outbox").into_iter().map(|o| o.subject).collect();
    assert_eq!(subjects, ["not applied"], "the notice is written with the finish, and only once");
}
