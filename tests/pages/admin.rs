//! The reader's API tokens and the administrator's calendar page: a token's
//! secret shown once and working at once, revoked by its owner only; a year's
//! holiday notice loaded from the page by an administrator only.

use juece_tests::http::api;
use juece_tests::notice_2027;
use reqwest::StatusCode;

use super::Browser;

/// The secret shown on the page, between the `secret` code tags.
fn secret(html: &str) -> Option<String> {
    let start = html.find("<code class=\"secret\">")? + "<code class=\"secret\">".len();
    let end = html[start..].find("</code>")?;
    Some(html[start..start + end].to_string())
}

#[tokio::test]
async fn a_token_is_shown_once_works_at_once_and_only_its_owner_revokes_it() {
    let api = api().await;
    let b = Browser::new(&api);
    b.sign_in("drafter").await;
    let page = b.get("/account/tokens").await;
    assert_eq!(page.status, StatusCode::OK);
    let made = b.post("/account/tokens", &[("_csrf", &page.csrf()), ("label", "夜间导出")]).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let token = secret(&made.body).unwrap_or_else(|| panic!("the secret on the answer: {}", made.body));
    let me = |t: String| {
        let http = reqwest::Client::new();
        let url = format!("{}/api/v1/auth/me", b.base);
        async move { http.get(url).bearer_auth(t).send().await.expect("me").status() }
    };
    assert_eq!(me(token.clone()).await, StatusCode::OK, "the token works");
    let again = b.get("/account/tokens").await;
    assert!(again.body.contains("夜间导出") && !again.body.contains(&token), "never shown twice: {}", again.body);

    // Another reader cannot revoke it, even knowing its id.
    // The row of this token (the reader may hold others).
    let row = again.body.split("<tr>").find(|r| r.contains("夜间导出")).unwrap_or_default();
    let revoke = row.split("action=\"").filter_map(|s| s.split('"').next()).find(|a| a.ends_with("/revoke"));
    let revoke = revoke.unwrap_or_else(|| panic!("a revoke form: {}", again.body)).to_string();
    let other = Browser::new(&api);
    other.sign_in("other-drafter").await;
    let theirs = other.get("/account/tokens").await;
    let _ = other.post(&revoke, &[("_csrf", &theirs.csrf())]).await;
    assert_eq!(me(token.clone()).await, StatusCode::OK, "still live");

    let done = b.post(&revoke, &[("_csrf", &again.csrf())]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(me(token).await, StatusCode::UNAUTHORIZED, "revoked");
    let listed = b.get("/account/tokens").await;
    assert!(listed.body.contains("已吊销"), "{}", listed.body);
}

#[tokio::test]
async fn an_administrator_loads_the_holiday_notice_from_the_page_and_no_one_else_may() {
    let api = api().await;
    let text = notice_2027();
    let drafter = Browser::new(&api);
    drafter.sign_in("drafter").await;
    assert_eq!(drafter.get("/admin/calendar").await.status, StatusCode::FORBIDDEN);
    let page = drafter.get("/account/tokens").await;
    let tried = drafter.post("/admin/calendar", &[("_csrf", &page.csrf()), ("year", "2027"), ("text", &text)]).await;
    assert_eq!(tried.status, StatusCode::FORBIDDEN, "{}", tried.body);
    assert!(api.app.state.engine.store().calendar_notices().await.expect("notices").is_empty(), "nothing loaded");

    let admin = Browser::new(&api);
    admin.sign_in("admin").await;
    let page = admin.get("/admin/calendar").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("2027") && page.body.contains("暂定"), "2027 is provisional before: {}", page.body);
    let wrong = admin.post("/admin/calendar", &[("_csrf", &page.csrf()), ("year", "2028"), ("text", &text)]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert!(wrong.body.contains("2028") && wrong.body.contains("[[holidays]]"), "the text is kept: {}", wrong.body);
    let loaded = admin.post("/admin/calendar", &[("_csrf", &page.csrf()), ("year", "2027"), ("text", &text)]).await;
    assert_eq!(loaded.status, StatusCode::OK, "{}", loaded.body);
    assert!(loaded.body.contains("已载入2027年节假日安排通知"), "{}", loaded.body);
    assert_eq!(api.app.state.engine.store().calendar_notices().await.expect("notices").len(), 1);
}

/// A user moved to another unit, deactivated (never deleted) and reactivated from their page; the administrator
/// cannot deactivate themselves; nobody else reaches the page.
#[tokio::test]
async fn an_administrator_moves_deactivates_and_reactivates_a_user() {
    let api = api().await;
    api.add_unit("示范市住房和城乡建设局").await;
    let drafter = Browser::new(&api);
    drafter.sign_in("drafter").await;
    assert_eq!(drafter.get("/admin/users/other-drafter").await.status, StatusCode::FORBIDDEN);

    let admin = Browser::new(&api);
    admin.sign_in("admin").await;
    let list = admin.get("/admin/users").await;
    assert!(list.body.contains("href=\"/admin/users/other-drafter\""), "{}", list.body);
    let page = admin.get("/admin/users/other-drafter").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = page.csrf();
    let moved = admin
        .post(
            "/admin/users/other-drafter",
            &[("_csrf", &csrf), ("unit", "示范市住房和城乡建设局"), ("position", "副科长")],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let u = api.get("/api/v1/users/other-drafter", Some("admin")).await;
    assert_eq!(
        (u.body["unit"].as_str(), u.body["position"].as_str()),
        (Some("示范市住房和城乡建设局"), Some("副科长"))
    );

    let off = admin.post("/admin/users/other-drafter/deactivate", &[("_csrf", &csrf)]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER, "{}", off.body);
    assert!(admin.follow(&off).await.body.contains("已停用"));
    let gone = Browser::new(&api);
    let login = gone.get("/login").await;
    let tried = gone
        .post(
            "/login",
            &[("_csrf", &login.csrf()), ("name", "other-drafter"), ("password", juece_tests::app::PASSWORD)],
        )
        .await;
    assert_ne!(tried.status, StatusCode::SEE_OTHER, "a deactivated user does not sign in");
    let on = admin.post("/admin/users/other-drafter/reactivate", &[("_csrf", &csrf)]).await;
    assert_eq!(on.status, StatusCode::SEE_OTHER);
    Browser::new(&api).sign_in("other-drafter").await;

    let me = admin.post("/admin/users/admin/deactivate", &[("_csrf", &csrf)]).await;
    assert_eq!(me.status, StatusCode::FORBIDDEN, "{}", me.body);
    assert!(me.body.contains("cannot_deactivate_self"), "{}", me.body);
    let by_drafter = drafter.post("/admin/users/admin/deactivate", &[("_csrf", &drafter.get("/").await.csrf())]).await;
    assert_eq!(by_drafter.status, StatusCode::FORBIDDEN);
    assert!(api.get("/api/v1/users/admin", Some("admin")).await.body["deactivated_at"].is_null());
}
