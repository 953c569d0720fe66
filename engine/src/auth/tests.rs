//! Users, sessions, tokens and idempotency keys against a real store:
//! SQLite always, PostgreSQL when `JUECE_TEST_POSTGRES_URL` is set (through
//! the store tests in `store/postgres.rs`, which call [`exercise`]).

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::store::idempotency::{KeyClaim, StoredResponse};
use crate::store::SqliteStore;

fn held(key: &str, claim: &str) -> KeyClaim {
    KeyClaim { key: key.into(), claim: claim.into() }
}

fn drafter(name: &str) -> NewUser {
    NewUser {
        name: name.into(),
        display_name: Some("李明".into()),
        unit: "示范市生态环境局".into(),
        position: "科长".into(),
        roles: vec![Role::Drafter],
    }
}

/// Everything `Auth` promises, on any store.
pub(crate) async fn exercise(store: Arc<dyn Store>) {
    let auth = Auth::new(store.clone());
    let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).single().expect("time");

    // The first administrator is created only once, and never without a password.
    assert!(matches!(auth.ensure_first_admin("root", "short", t0).await, Err(AuthError::Invalid(_))));
    assert!(auth.units().list().await.expect("units").is_empty(), "a refused first administrator adds no unit");
    assert!(auth.ensure_first_admin("root", "a long enough secret", t0).await.expect("admin"));
    assert!(!auth.ensure_first_admin("root2", "a long enough secret", t0).await.expect("second"));
    assert_eq!(auth.user("root").await.expect("read").map(|u| u.unit), Some(FIRST_ADMIN_UNIT.to_string()));

    // A user's unit is one of the directory's: an unknown one is refused, naming the close ones.
    let unknown = auth.add_user(drafter("li.ming"), "pass word 123", t0).await;
    assert!(matches!(&unknown, Err(AuthError::Unit(r)) if r.reason_code == "unit_unknown"), "{unknown:?}");
    for unit in ["示范市生态环境局", "示范市交通运输局"] {
        auth.units().add(crate::units::NewUnit { name: unit.into(), ..Default::default() }, t0).await.expect("unit");
    }
    let user = auth.add_user(drafter("li.ming"), "pass word 123", t0).await.expect("add");
    assert!(!user.unit_id.is_empty(), "placed by the unit's id");
    assert!(user.password_hash.starts_with("$argon2id$"));
    assert!(matches!(auth.add_user(drafter("li.ming"), "pass word 123", t0).await, Err(AuthError::AlreadyExists(_))));
    assert!(matches!(auth.add_user(drafter("bad name"), "pass word 123", t0).await, Err(AuthError::Invalid(_))));
    let mut public = drafter("pub");
    public.roles = vec![Role::Public];
    assert!(matches!(auth.add_user(public, "pass word 123", t0).await, Err(AuthError::Invalid(_))));

    // Sessions: wrong password and unknown user look alike; the cookie maps to the actor until expiry.
    assert!(matches!(auth.login("li.ming", "wrong password", t0).await, Err(AuthError::InvalidCredentials)));
    assert!(matches!(auth.login("nobody", "pass word 123", t0).await, Err(AuthError::InvalidCredentials)));
    let session = auth.login("li.ming", "pass word 123", t0).await.expect("login");
    let actor = auth.session_actor(&session.token, t0).await.expect("lookup").expect("live session");
    assert_eq!((actor.user_id.as_str(), actor.name.as_str()), ("li.ming", "李明"));
    assert_eq!(actor.roles, vec![Role::Drafter]);
    let late = t0 + Duration::hours(SESSION_HOURS) + Duration::seconds(1);
    assert!(auth.session_actor(&session.token, late).await.expect("lookup").is_none(), "expired");
    auth.logout(&session.token).await.expect("logout");
    assert!(auth.session_actor(&session.token, t0).await.expect("lookup").is_none(), "logged out");

    // A password change ends every session.
    let s2 = auth.login("li.ming", "pass word 123", t0).await.expect("login");
    auth.set_password("li.ming", "new pass word 456", false, t0).await.expect("passwd");
    assert!(auth.session_actor(&s2.token, t0).await.expect("lookup").is_none());
    assert!(auth.login("li.ming", "new pass word 456", t0).await.is_ok());
    let ghost = auth.set_password("ghost", "new pass word 456", false, t0).await;
    assert!(matches!(ghost, Err(AuthError::UnknownUser(_))));

    // Roles.
    let roles = auth.change_roles("li.ming", &[Role::ExecutingUnit], &[]).await.expect("roles");
    assert_eq!(roles, vec![Role::Drafter, Role::ExecutingUnit]);
    let roles = auth.change_roles("li.ming", &[], &[Role::Drafter]).await.expect("roles");
    assert_eq!(roles, vec![Role::ExecutingUnit]);
    assert!(auth.change_roles("li.ming", &[], &[Role::ExecutingUnit]).await.is_err(), "no role left");

    // Tokens: shown once, stored hashed, listed without the secret, revocable by their owner only.
    let created = auth.create_token("li.ming", "ci", t0).await.expect("token");
    assert!(created.secret.starts_with(secret::TOKEN_PREFIX));
    assert_ne!(created.token.token_hash, created.secret);
    let actor = auth.token_actor(&created.secret).await.expect("lookup").expect("live token");
    assert_eq!(actor.user_id, "li.ming");
    assert!(auth.token_actor("jct_forged").await.expect("lookup").is_none());
    let listed = auth.tokens("li.ming").await.expect("list");
    assert_eq!(listed.len(), 1);
    assert!(!serde_json::to_string(&listed).expect("json").contains(&created.token.token_hash));
    assert!(!auth.revoke_token("root", &created.token.id, t0).await.expect("revoke"), "not root's token");
    assert!(auth.revoke_token("li.ming", &created.token.id, t0).await.expect("revoke"));
    assert!(auth.token_actor(&created.secret).await.expect("lookup").is_none(), "revoked");
    assert!(auth.tokens("li.ming").await.expect("list")[0].revoked_at.is_some());

    // Idempotency keys: reserve once, replay the stored response, release on failure.
    let lease = t0 + Duration::seconds(60);
    let (k1, k2) = (held("k1", "c1"), held("k2", "c2"));
    assert_eq!(store.reserve_key(&k1, "fp", t0, lease).await.expect("reserve"), None);
    let pending = store.reserve_key(&held("k1", "c9"), "fp", t0, lease).await.expect("again").expect("known");
    assert_eq!(pending.response, None, "in flight");
    let resp = StoredResponse { status: 201, content_type: "application/json".into(), body: "{\"ok\":1}".into() };
    assert!(!store.complete_key(&held("k1", "c9"), &resp).await.expect("complete"), "only the holder answers");
    assert!(store.complete_key(&k1, &resp).await.expect("complete"));
    let done = store.reserve_key(&held("k1", "c3"), "other", t0, lease).await.expect("again").expect("known");
    assert_eq!((done.fingerprint.as_str(), done.response), ("fp", Some(resp)));
    assert_eq!(store.reserve_key(&k2, "fp", t0, lease).await.expect("reserve"), None);
    store.release_key(&held("k2", "c9")).await.expect("release");
    assert!(store.reserve_key(&k2, "fp", t0, lease).await.expect("reserve").is_some(), "only the holder releases");
    store.release_key(&k2).await.expect("release");
    assert_eq!(store.reserve_key(&k2, "fp", t0, lease).await.expect("reserve"), None, "released keys are free again");

    password_change_and_lockout(&auth, t0).await;
    move_and_deactivate(&auth, t0).await;
}

/// A user moves (unit, position) and leaves: deactivated, not deleted; no session, token or password opens
/// anything until reactivated, and the revoked tokens stay revoked.
async fn move_and_deactivate(auth: &Auth, t0: chrono::DateTime<Utc>) {
    auth.add_user(drafter("zhao.lei"), "pass word 123", t0).await.expect("add");
    let token = auth.create_token("zhao.lei", "ci", t0).await.expect("token").secret;
    let session = auth.login("zhao.lei", "pass word 123", t0).await.expect("login").token;
    let to = admin::Placement {
        unit: Some(" 示范市交通运输局 ".into()),
        position: Some("副科长".into()),
        display_name: None,
    };
    let moved = auth.change_placement("zhao.lei", to).await.expect("move");
    assert_eq!(
        (moved.unit.as_str(), moved.position.as_str(), moved.display_name.as_str()),
        ("示范市交通运输局", "副科长", "李明")
    );
    let actor = auth.token_actor(&token).await.expect("lookup").expect("still active");
    assert_eq!(actor.unit, "示范市交通运输局", "the next act is taken for the new unit");
    let blank = admin::Placement { unit: Some(" ".into()), ..Default::default() };
    assert!(matches!(auth.change_placement("zhao.lei", blank).await, Err(AuthError::Invalid(_))));
    let unknown = admin::Placement { unit: Some("示范市交通局".into()), ..Default::default() };
    match auth.change_placement("zhao.lei", unknown).await {
        Err(AuthError::Unit(r)) => {
            assert_eq!(r.reason_code, "unit_unknown");
            assert!(r.detail.unwrap_or_default().contains("示范市交通运输局"), "the close match is named");
        }
        other => panic!("{other:?}"),
    }
    // The unit renamed: the user follows it, and still acts for decisions that name it as it was.
    let rename = crate::units::UnitChange { name: Some("示范市交通运输委员会".into()), ..Default::default() };
    auth.units().change_named("示范市交通运输局", rename, t0).await.expect("renamed");
    let actor = auth.token_actor(&token).await.expect("lookup").expect("still active");
    assert_eq!(
        (actor.unit.as_str(), actor.former_units.as_slice()),
        ("示范市交通运输委员会", ["示范市交通运输局".to_string()].as_slice())
    );
    assert!(actor.is_of_unit("示范市交通运输局") && !actor.is_of_unit("示范市生态环境局"));
    assert!(matches!(
        auth.change_placement("nobody", admin::Placement::default()).await,
        Err(AuthError::UnknownUser(_))
    ));

    let (gone, revoked) = auth.deactivate("zhao.lei", t0).await.expect("deactivate");
    assert_eq!((gone.deactivated_at, revoked), (Some(t0), 1));
    assert_eq!(auth.user("zhao.lei").await.expect("read").and_then(|u| u.deactivated_at), Some(t0), "kept");
    assert!(auth.session_actor(&session, t0).await.expect("lookup").is_none());
    assert!(auth.token_actor(&token).await.expect("lookup").is_none());
    assert!(matches!(auth.login("zhao.lei", "pass word 123", t0).await, Err(AuthError::InvalidCredentials)));
    assert!(auth.reactivate("zhao.lei").await.expect("reactivate").deactivated_at.is_none());
    assert!(auth.login("zhao.lei", "pass word 123", t0).await.is_ok());
    assert!(auth.token_actor(&token).await.expect("lookup").is_none(), "revoked tokens stay revoked");
}

/// A password change revokes sessions and tokens (unless kept); repeated
/// failures lock one name, alike whether or not its user exists.
async fn password_change_and_lockout(auth: &Auth, t0: chrono::DateTime<Utc>) {
    auth.add_user(drafter("wang.fang"), "pass word 123", t0).await.expect("add");
    let token = auth.create_token("wang.fang", "ci", t0).await.expect("token").secret;
    let session = auth.login("wang.fang", "pass word 123", t0).await.expect("login").token;
    assert_eq!(auth.set_password("wang.fang", "pass word 234", true, t0).await.expect("passwd"), 0);
    assert!(auth.session_actor(&session, t0).await.expect("lookup").is_none(), "sessions end");
    assert!(auth.token_actor(&token).await.expect("lookup").is_some(), "tokens kept when asked");
    assert_eq!(auth.set_password("wang.fang", "pass word 345", false, t0).await.expect("passwd"), 1);
    assert!(auth.token_actor(&token).await.expect("lookup").is_none(), "tokens revoked by default");

    let lockout = Lockout::default();
    let auth = auth.clone().with_lockout(lockout);
    for name in ["wang.fang", "no.such.user"] {
        for i in 0..lockout.failures {
            let at = t0 + Duration::seconds(i);
            assert!(matches!(auth.login(name, "wrong guess", at).await, Err(AuthError::InvalidCredentials)));
        }
        let locked = auth.login(name, "pass word 345", t0 + Duration::minutes(1)).await;
        assert!(matches!(locked, Err(AuthError::Locked { .. })), "{name}: {locked:?}");
    }
    // Another account is not affected; the lock ends, and a success clears the count.
    assert!(auth.login("li.ming", "new pass word 456", t0 + Duration::minutes(1)).await.is_ok());
    let later = t0 + lockout.lock_for + Duration::minutes(1);
    assert!(auth.login("wang.fang", "pass word 345", later).await.is_ok(), "the lock ends");
    for i in 0..lockout.failures - 1 {
        assert!(auth.login("wang.fang", "wrong guess", later + Duration::seconds(i)).await.is_err());
    }
    assert!(
        auth.login("wang.fang", "pass word 345", later + Duration::minutes(1)).await.is_ok(),
        "under the threshold"
    );
    // Failures spread over more than the window never lock.
    for i in 0..lockout.failures * 2 {
        let at = later + Duration::hours(1) + lockout.window * (i as i32) / 2;
        let got = auth.login("li.ming", "wrong guess", at).await;
        assert!(matches!(got, Err(AuthError::InvalidCredentials)), "failure {i}: {got:?}");
    }
}

#[tokio::test]
async fn auth_on_sqlite() {
    let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
    store.migrate().await.expect("migrate");
    exercise(Arc::new(store)).await;
}
