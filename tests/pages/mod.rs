//! The web UI over HTTP, as a browser without JavaScript sends it: sign-in
//! with the session cookie, CSRF tokens, POST-redirect-GET, refusals shown
//! with their reasons and articles and the typed text kept, one act for a
//! form sent twice, user text escaped, the language switch. (The journeys
//! in a real browser are in `browser`.)

mod admin;
mod forms;
mod inbox;
mod ledger;
mod meeting;
mod public;
mod review;
mod verify;

use reqwest::redirect::Policy;
use reqwest::StatusCode;

use juece_tests::app::PASSWORD;
use juece_tests::http::Api;

/// A browser without JavaScript: cookies kept, redirects seen.
pub struct Browser {
    pub http: reqwest::Client,
    pub base: String,
}

/// An answer: status, where it redirects, and the HTML.
pub struct Html {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

impl Html {
    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> String {
        value_of(&self.body, "_csrf").expect("a form with a CSRF token")
    }

    /// The idempotency key the page's act form carries.
    pub fn key(&self) -> String {
        value_of(&self.body, "_key").expect("a form with its key")
    }
}

/// The value of the first hidden input named `name`.
pub fn value_of(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!(r#"name="{name}" value=""#))?;
    let rest = &html[at + name.len() + 15..];
    Some(rest[..rest.find('"')?].to_string())
}

impl Browser {
    pub fn new(api: &Api) -> Browser {
        let http = reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().expect("client");
        Browser { http, base: api.app.base.clone() }
    }

    pub async fn get(&self, path: &str) -> Html {
        let resp = self.http.get(format!("{}{path}", self.base)).send().await.expect("GET");
        read(resp).await
    }

    pub async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Html {
        let resp = self.http.post(format!("{}{path}", self.base)).form(pairs).send().await.expect("POST");
        read(resp).await
    }

    /// Sign in through the login page.
    pub async fn sign_in(&self, user: &str) {
        let page = self.get("/login").await;
        let done = self
            .post("/login", &[("_csrf", &page.csrf()), ("name", user), ("password", PASSWORD), ("next", "/")])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "signed in: {}", done.body);
    }

    /// Follow a redirect answer.
    pub async fn follow(&self, answer: &Html) -> Html {
        self.get(answer.location.as_deref().expect("a redirect")).await
    }
}

async fn read(resp: reqwest::Response) -> Html {
    let status = resp.status();
    let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    Html { status, location, body: resp.text().await.expect("body") }
}
