//! User administration over HTTP: an administrator creates a user with an
//! initial token that works at once, changes its roles; no one else may.

use reqwest::Method;
use serde_json::json;

use super::api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_creates_a_user_whose_token_works_and_changes_roles() {
    let mut a = api().await;
    let body = json!({ "name": "new-drafter", "display_name": "钱新", "unit": "示范市生态环境局", "position": "科员",
        "roles": ["drafter"], "initial_token": true });
    a.call(Method::POST, "/api/v1/users", Some("drafter"), Some(body.clone())).await.expect(403, "role_not_permitted");
    let created = a.call(Method::POST, "/api/v1/users", Some("admin"), Some(body.clone())).await;
    created.expect(201, "");
    assert_eq!(created.body["user"]["roles"], json!(["drafter"]));
    let token = created.body["token"].as_str().expect("token").to_string();
    assert!(created.body["user"].get("password_hash").is_none());
    a.call(Method::POST, "/api/v1/users", Some("admin"), Some(body)).await.expect(409, "already_exists");

    // The token signs the new user in, as the person and unit created.
    a.app.tokens.insert("new-drafter", token);
    let me = a.get("/api/v1/auth/me", Some("new-drafter")).await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert!(me.body.to_string().contains("示范市生态环境局"), "{}", me.body);

    let changed = a
        .call(
            Method::POST,
            "/api/v1/users/new-drafter/roles",
            Some("admin"),
            Some(json!({ "add": ["executing_unit"], "remove": ["drafter"] })),
        )
        .await;
    assert_eq!(changed.body, json!(["executing_unit"]));
    let listed = a.get("/api/v1/users", Some("admin")).await;
    let row = listed.body.as_array().into_iter().flatten().find(|u| u["name"] == "new-drafter").cloned();
    assert_eq!(row.map(|u| u["roles"].clone()), Some(json!(["executing_unit"])));

    // Bad input: an unknown role, a role no person holds, neither password nor token, an unknown user.
    let bad = |roles: serde_json::Value, extra: serde_json::Value| {
        let mut b = json!({ "name": "x1", "unit": "u", "position": "p", "roles": roles });
        if let (Some(o), Some(e)) = (b.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        b
    };
    a.call(Method::POST, "/api/v1/users", Some("admin"), Some(bad(json!(["mayor"]), json!({ "initial_token": true }))))
        .await
        .expect(400, "invalid_body");
    a.call(
        Method::POST,
        "/api/v1/users",
        Some("admin"),
        Some(bad(json!(["system"]), json!({ "initial_token": true }))),
    )
    .await
    .expect(422, "invalid_input");
    a.call(Method::POST, "/api/v1/users", Some("admin"), Some(bad(json!(["drafter"]), json!({}))))
        .await
        .expect(400, "invalid_body");
    a.call(Method::POST, "/api/v1/users/nobody/roles", Some("admin"), Some(json!({ "add": ["drafter"] })))
        .await
        .expect(404, "not_found");
    assert!(a
        .get("/api/v1/users", Some("admin"))
        .await
        .body
        .as_array()
        .is_some_and(|l| !l.iter().any(|u| u["name"] == "x1")));
}

/// Sign in with the cast's password: the status and body.
async fn login(a: &super::Api, name: &str) -> juece_tests::http::Answer {
    let body = json!({ "name": name, "password": juece_tests::app::PASSWORD });
    a.call(Method::POST, "/api/v1/auth/login", None, Some(body)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_who_moves_takes_their_access_along_and_one_who_leaves_is_deactivated_not_deleted() {
    let a = api().await;
    let id = a.at_stage("人员调动测试", "drafting").await;
    a.get(&format!("/api/v1/decisions/{id}"), Some("drafter")).await.expect(200, "");
    // The administrator reads every decision.
    let read = a.get(&format!("/api/v1/decisions/{id}"), Some("admin")).await;
    read.expect(200, "");
    assert_eq!(read.body["access"], "full", "{}", read.body);

    // Only an administrator moves a user; an unknown field or user is refused.
    let to_transport = json!({ "unit": "示范市交通运输局", "position": "副科长" });
    let path = "/api/v1/users/drafter";
    a.call(Method::PATCH, path, Some("office"), Some(to_transport.clone())).await.expect(403, "role_not_permitted");
    a.call(Method::PATCH, "/api/v1/users/nobody", Some("admin"), Some(to_transport.clone()))
        .await
        .expect(404, "not_found");
    a.call(Method::PATCH, path, Some("admin"), Some(json!({ "unit": "  " }))).await.expect(422, "invalid_input");
    let moved = a.call(Method::PATCH, path, Some("admin"), Some(to_transport)).await;
    moved.expect(200, "");
    assert_eq!(
        (&moved.body["unit"], &moved.body["position"], &moved.body["display_name"], &moved.body["active"]),
        (&json!("示范市交通运输局"), &json!("副科长"), &json!("李明"), &json!(true))
    );
    // Their access follows the new unit at once, and the record keeps the unit they acted for before.
    a.get(&format!("/api/v1/decisions/{id}"), Some("drafter")).await.expect(403, "not_assigned");
    let record = a.get(&format!("/api/v1/decisions/{id}/record"), Some("office")).await;
    assert!(record.body.to_string().contains("示范市生态环境局"), "{}", record.body);
    let me = a.get("/api/v1/auth/me", Some("drafter")).await;
    assert!(me.body.to_string().contains("示范市交通运输局"), "{}", me.body);

    // Deactivated: the token, a session and the password open nothing; the user is still listed.
    login(&a, "drafter").await.expect(200, "");
    a.call(Method::POST, "/api/v1/users/drafter/deactivate", Some("drafter"), None)
        .await
        .expect(403, "role_not_permitted");
    let gone = a.call(Method::POST, "/api/v1/users/drafter/deactivate", Some("admin"), None).await;
    gone.expect(200, "");
    assert_eq!((&gone.body["active"], gone.body["deactivated_at"].is_string()), (&json!(false), true), "{}", gone.body);
    a.get("/api/v1/auth/me", Some("drafter")).await.expect(401, "unauthenticated");
    login(&a, "drafter").await.expect(401, "invalid_credentials");
    let listed = a.get("/api/v1/users/drafter", Some("admin")).await;
    assert_eq!((&listed.body["name"], &listed.body["active"]), (&json!("drafter"), &json!(false)));
    let tokens = a.app.state.auth.tokens("drafter").await.expect("tokens");
    assert!(!tokens.is_empty() && tokens.iter().all(|t| t.revoked_at.is_some()), "{tokens:?}");
    // Nobody locks the last door behind them.
    let own = a.call(Method::POST, "/api/v1/users/admin/deactivate", Some("admin"), None).await;
    own.expect(422, "cannot_deactivate_self");
    assert_eq!(own.body["article"], "access policy");
    let roles = json!({ "remove": ["administrator"] });
    let own = a.call(Method::POST, "/api/v1/users/admin/roles", Some("admin"), Some(roles)).await;
    own.expect(422, "cannot_remove_own_administrator");
    assert_eq!(a.get("/api/v1/users/admin", Some("admin")).await.body["roles"], json!(["administrator"]));

    // Reactivated: the password works again, the revoked token does not.
    let back = a.call(Method::POST, "/api/v1/users/drafter/reactivate", Some("admin"), None).await;
    back.expect(200, "");
    assert_eq!(back.body["active"], json!(true));
    login(&a, "drafter").await.expect(200, "");
    a.get("/api/v1/auth/me", Some("drafter")).await.expect(401, "unauthenticated");
}
