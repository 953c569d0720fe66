//! `POST /api/v1/calendars/{year}/notice`: an administrator loads a year's official holiday notice over HTTP — the
//! same engine function as `juece calendar load`. Refused input gets a problem with its reason code and writes
//! nothing; a loaded notice is audited with who loaded it, recomputes the pending provisional deadlines and is
//! used at once.

use chrono::{TimeZone, Utc};
use juece_tests::http::Answer;
use juece_tests::{comment_notice_published, notice_2027};
use reqwest::Method;

use super::{api, Api};

/// Send `body` as a year file (or with `content_type`) to the notice route of `year`.
async fn send(a: &Api, year: &str, who: Option<&str>, content_type: &str, body: Vec<u8>) -> Answer {
    let req = a.req(Method::POST, &format!("/api/v1/calendars/{year}/notice"), who);
    a.send(req.header("content-type", content_type).body(body)).await
}

async fn toml(a: &Api, year: &str, who: &str, text: &str) -> Answer {
    send(a, year, Some(who), "application/toml", text.as_bytes().to_vec()).await
}

/// What a load writes: the stored notices and the calendar chain.
async fn written(a: &Api) -> (usize, usize) {
    let store = &a.app.state.engine.store();
    (store.calendar_notices().await.expect("notices").len(), store.calendar_audit().await.expect("chain").len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_loads_a_notice_and_bad_notices_are_refused() {
    let a = api().await;
    let text = notice_2027();
    // A comment period published on 5 September 2027, counted on the provisional calendar: ends 5 October.
    let published = Utc.with_ymd_and_hms(2027, 9, 5, 1, 0, 0).single().expect("instant");
    let notice = comment_notice_published(&a.app.state.engine, "pending-2027", published).await;
    assert_eq!(notice.last_day.to_string(), "2027-10-05");

    // Refused, each with its code, and nothing written.
    let other = text.replace("2027-10-07", "2027-10-06");
    let cases: Vec<(Answer, u16, &str)> = vec![
        (send(&a, "2027", None, "application/toml", text.clone().into_bytes()).await, 401, "unauthenticated"),
        (toml(&a, "2027", "office", &text).await, 403, "role_not_permitted"),
        (toml(&a, "2027", "oversight", &text).await, 403, "role_not_permitted"),
        (toml(&a, "2028", "admin", &text).await, 422, "calendar_year_mismatch"),
        (toml(&a, "1800", "admin", &text).await, 400, "invalid_year"),
        (toml(&a, "twenty", "admin", &text).await, 400, "invalid_year"),
        (
            toml(&a, "2027", "admin", "year = 2027\nstatus = \"official\"\n[[holidays]\n").await,
            422,
            "calendar_file_invalid",
        ),
        (toml(&a, "2027", "admin", "year = 2027\nstatus = \"official\"\n").await, 422, "calendar_file_invalid"),
        (toml(&a, "2027", "admin", &text.replace("2027-10-09", "2027-10-08")).await, 422, "calendar_file_invalid"),
        (
            toml(&a, "2027", "admin", &text.replace("\"official\"", "\"provisional\"")).await,
            422,
            "calendar_not_official",
        ),
        (
            toml(
                &a,
                "2027",
                "admin",
                &text.replace("status = \"official\"", "status = \"official\"\njurisdiction = \"某州\""),
            )
            .await,
            422,
            "calendar_overlay_not_national",
        ),
        (
            send(&a, "2027", Some("admin"), "application/toml", b"year = \"\xff\xfe\"".to_vec()).await,
            400,
            "malformed_toml",
        ),
        (
            send(&a, "2027", Some("admin"), "application/json", b"{\"year\": 2027}".to_vec()).await,
            415,
            "unsupported_media_type",
        ),
    ];
    for (got, status, code) in &cases {
        got.expect(*status, code);
    }
    assert_eq!(written(&a).await, (0, 0), "a refused notice writes nothing");
    let year = a.get("/api/v1/calendars/2027", None).await;
    assert_eq!(year.body["provisional"], true, "{}", year.body);

    // Loaded: stored, audited with who loaded it, the pending comment period recomputed (5 October is a rest day
    // now, so it runs to Friday 8 October), and used at once.
    let loaded = toml(&a, "2027", "admin", &text).await;
    loaded.expect(201, "");
    assert_eq!((loaded.body["year"].as_i64(), loaded.body["newly_loaded"].as_bool()), (Some(2027), Some(true)));
    let moved = loaded.body["moved"].as_array().expect("moved");
    assert_eq!(moved.len(), 1, "{}", loaded.body);
    assert_eq!(
        (moved[0]["decision_id"].as_str(), moved[0]["name"].as_str()),
        (Some("pending-2027"), Some("comment_period_end"))
    );
    assert_eq!(moved[0]["new_due_at"], "2027-10-08T16:00:00.000000Z");
    let chain = a.app.state.engine.store().calendar_audit().await.expect("chain");
    assert_eq!((chain.len(), chain[0].actor.user_id.as_str(), chain[0].actor.name.as_str()), (1, "admin", "管理员"));
    let year = a.get("/api/v1/calendars/2027", None).await;
    assert_eq!(year.body["provisional"], false, "{}", year.body);
    assert_eq!(year.body["calendar_version"], loaded.body["calendar_version_after"]);

    // The same notice again changes nothing; a different one for the year is refused, never replacing it.
    let again = toml(&a, "2027", "admin", &text).await;
    again.expect(200, "");
    assert_eq!(
        (again.body["newly_loaded"].as_bool(), again.body["moved"].as_array().map(Vec::len)),
        (Some(false), Some(0))
    );
    toml(&a, "2027", "admin", &other).await.expect(409, "calendar_year_already_loaded");
    assert_eq!(written(&a).await, (1, 1));
}
