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
