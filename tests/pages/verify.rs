//! Record verification from the web UI: oversight runs `audit verify` on a
//! page and reads its outcome; a DBA's edit of a decision's stage is found;
//! a drafter may not run it.

use juece_tests::http::api;
use reqwest::StatusCode;

use super::Browser;

#[tokio::test]
async fn oversight_verifies_the_record_and_a_dbas_edit_is_found() {
    let api = api().await;
    let id = api.at_stage("示范市物业管理办法", "public_participation").await;
    let b = Browser::new(&api);
    b.sign_in("oversight").await;
    let page = b.get("/accountability/verify").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let ok = b.post("/accountability/verify", &[("_csrf", &page.csrf())]).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.body.contains("核验通过") && ok.body.contains("核验决策1件"), "{}", ok.body);
    assert!(ok.body.contains("未配置服务器密钥"), "says what it could not check: {}", ok.body);

    let drafter = Browser::new(&api);
    drafter.sign_in("drafter").await;
    let refused = drafter.post("/accountability/verify", &[("_csrf", &drafter.get("/").await.csrf())]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("role_not_permitted") && !refused.body.contains("核验通过"), "{}", refused.body);

    // A DBA moves the decision on in place, past its record.
    let dba = juece_engine::store::SqliteStore::connect(&api.app.database_url).await.expect("the database");
    dba.execute_raw(&format!("update decisions set stage = 'archive' where id = '{id}'")).await.expect("edit");
    let found = b.post("/accountability/verify", &[("_csrf", &page.csrf())]).await;
    assert!(found.body.contains("核验未通过") && found.body.contains(&id), "{}", found.body);
}
