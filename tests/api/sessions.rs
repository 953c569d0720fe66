//! Sign-in with a cookie session, sign-out, and API tokens.

use reqwest::Method;
use serde_json::json;

use super::api;
use juece_tests::app::PASSWORD;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_logout_and_tokens() {
    let a = api().await;
    let browser = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let login = |name: &'static str, password: &'static str| {
        a.send(browser.post(a.url("/api/v1/auth/login")).json(&json!({ "name": name, "password": password })))
    };
    login("drafter", "wrong password!").await.expect(401, "invalid_credentials");
    login("nobody", PASSWORD).await.expect(401, "invalid_credentials");

    let resp = login("drafter", PASSWORD).await;
    assert_eq!(resp.status, 200);
    let cookie = resp.headers["set-cookie"].to_str().expect("cookie").to_string();
    assert!(cookie.starts_with("juece_session="), "{cookie}");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{attr} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "tests run with --insecure-cookies");
    let me = a.send(browser.get(a.url("/api/v1/auth/me"))).await;
    assert_eq!((me.status.as_u16(), me.body["user_id"].as_str()), (200, Some("drafter")));
    assert_eq!(me.body["name"], "李明");

    // A token made in the browser session works as a bearer, once listed without its secret.
    let made = a.send(browser.post(a.url("/api/v1/tokens")).json(&json!({ "label": "script" }))).await;
    assert_eq!(made.status.as_u16(), 201, "{}", made.body);
    let secret = made.body["token"].as_str().expect("secret").to_string();
    let token_id = made.body["id"].as_str().expect("id").to_string();
    let listed = a.send(browser.get(a.url("/api/v1/tokens"))).await;
    assert!(!listed.body.to_string().contains(&secret), "listing never shows the secret");
    assert_eq!(listed.body.as_array().map(Vec::len), Some(2), "the fixture's token and this one");
    let by_token = a.send(a.http.get(a.url("/api/v1/auth/me")).bearer_auth(&secret)).await;
    assert_eq!(by_token.body["user_id"], "drafter");
    // Another user cannot revoke it; its owner can, and it stops working.
    a.call(Method::DELETE, &format!("/api/v1/tokens/{token_id}"), Some("office"), None).await.expect(404, "not_found");
    let revoked = a.send(browser.delete(a.url(&format!("/api/v1/tokens/{token_id}")))).await;
    assert_eq!(revoked.status.as_u16(), 204);
    a.send(a.http.get(a.url("/api/v1/auth/me")).bearer_auth(&secret)).await.expect(401, "unauthenticated");

    // Logout ends the session server-side: the old cookie no longer works even if replayed.
    let out = a.send(browser.post(a.url("/api/v1/auth/logout"))).await;
    assert_eq!(out.status, 204);
    let replay = a.http.get(a.url("/api/v1/auth/me")).header("cookie", cookie.split(';').next().unwrap_or(""));
    a.send(replay).await.expect(401, "unauthenticated");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secure_cookies_by_default_and_public_rate_limit() {
    let config = juece_api::server::ServerConfig { public_per_minute: 1, public_burst: 3, ..Default::default() };
    let a = juece_tests::http::api_with(config).await;
    let login =
        a.call(Method::POST, "/api/v1/auth/login", None, Some(json!({ "name": "drafter", "password": PASSWORD })));
    assert!(login.await.headers["set-cookie"].to_str().unwrap_or("").contains("Secure"));
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let r = a.get("/api/v1/public/decisions", None).await;
        statuses.push(r.status.as_u16());
        if r.status == 429 {
            r.expect(429, "rate_limited");
            assert!(r.headers.contains_key("retry-after"));
        }
    }
    assert_eq!(statuses, vec![200, 200, 429, 429], "burst of 3 shared with the login");
    // Authenticated endpoints are not limited by the public bucket.
    assert_eq!(a.get("/api/v1/workflows", Some("office")).await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_lock_one_account_and_say_nothing_of_which_exist() {
    let a = api().await;
    let login = |name: &'static str, password: &'static str| {
        a.call(Method::POST, "/api/v1/auth/login", None, Some(json!({ "name": name, "password": password })))
    };
    // Five wrong passwords, then even the right one is refused for a while: a user that exists and one that does
    // not get the same answers, in the same order.
    let mut answers = Vec::new();
    for name in ["drafter", "no-such-user"] {
        let mut seen = Vec::new();
        for _ in 0..5 {
            let got = login(name, "wrong password!").await;
            seen.push((got.status.as_u16(), got.code().to_string()));
        }
        let locked = login(name, PASSWORD).await;
        locked.expect(429, "login_locked");
        assert!(locked.headers.contains_key("retry-after"), "{:?}", locked.headers);
        let message = (locked.body["message_zh"].clone(), locked.body["message_en"].clone());
        seen.push((locked.status.as_u16(), locked.code().to_string()));
        answers.push((seen, message));
    }
    assert_eq!(answers[0], answers[1], "an existing and a missing account look alike");
    // Per account: another user signs in; the locked one again once the lock has passed.
    assert_eq!(login("office", PASSWORD).await.status, 200);
    a.app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(login("drafter", PASSWORD).await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_ends_sessions_and_revokes_tokens_unless_kept() {
    let a = api().await;
    let auth = &a.app.state.auth;
    let now = a.app.clock.now();
    let session =
        a.call(Method::POST, "/api/v1/auth/login", None, Some(json!({ "name": "drafter", "password": PASSWORD })));
    let cookie =
        session.await.headers["set-cookie"].to_str().expect("cookie").split(';').next().unwrap_or("").to_string();
    let me = |cookie: String| a.send(a.http.get(a.url("/api/v1/auth/me")).header("cookie", cookie));
    assert_eq!(me(cookie.clone()).await.status, 200);
    auth.set_password("drafter", "another long passphrase", true, now).await.expect("passwd");
    me(cookie).await.expect(401, "unauthenticated");
    assert_eq!(a.get("/api/v1/auth/me", Some("drafter")).await.status, 200, "kept when asked");
    auth.set_password("drafter", "a third long passphrase", false, now).await.expect("passwd");
    a.get("/api/v1/auth/me", Some("drafter")).await.expect(401, "unauthenticated");
}
