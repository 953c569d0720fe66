//! Who is looking at a page, in which language, and the CSRF token their
//! forms carry. Pages sign in with the session cookie only (never a bearer
//! token: a browser does not send one); an expired or forged session is
//! simply no session, and a page that needs one sends the reader to sign in.
//!
//! CSRF: a signed-in reader's token is derived from their session token,
//! which the page cannot read (the cookie is `HttpOnly`), so another site
//! cannot forge it; an anonymous reader (the public portal) gets a random
//! `juece_csrf` cookie, `SameSite=Strict`, whose value their forms repeat
//! (double submit). The cookies being `SameSite=Strict` is the second line.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use cookie::{Cookie, SameSite};
use juece_engine::actor::Actor;
use sha2::{Digest, Sha256};

use super::i18n::{Lang, LANG_COOKIE};
use crate::extract::session_token;
use crate::server::AppState;

pub const CSRF_COOKIE: &str = "juece_csrf";

/// The reader of a page.
#[derive(Clone)]
pub struct Viewer {
    pub lang: Lang,
    pub actor: Option<Actor>,
    /// The token the reader's forms must carry.
    pub csrf: String,
    /// A fresh anonymous CSRF cookie to set with the answer, if the reader had none.
    pub new_csrf_cookie: Option<HeaderValue>,
    /// The path and query of the page, to come back to after signing in or switching language.
    pub here: String,
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// The CSRF token bound to a session.
fn session_csrf(session: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"juece-csrf\0");
    h.update(session.as_bytes());
    hex::encode(h.finalize())
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = cookie_value(&parts.headers, LANG_COOKIE).map_or(Lang::Zh, |v| Lang::parse(&v));
        let here = parts.uri.path_and_query().map_or_else(|| "/".to_string(), |p| p.as_str().to_string());
        let session = session_token(&parts.headers);
        let mut actor = None;
        if let Some(token) = &session {
            match state.auth.session_actor(token, state.clock.now()).await {
                Ok(found) => actor = found,
                Err(e) => tracing::error!(error = %e, "reading a session for a page"),
            }
        }
        let (csrf, new_csrf_cookie) = match (&session, &actor) {
            (Some(token), Some(_)) => (session_csrf(token), None),
            _ => match cookie_value(&parts.headers, CSRF_COOKIE).filter(|v| v.len() == 64) {
                Some(v) => (v, None),
                None => {
                    let v = hex::encode(rand::random::<[u8; 32]>());
                    let c = Cookie::build((CSRF_COOKIE, v.clone()))
                        .http_only(true)
                        .secure(!state.config.insecure_cookies)
                        .same_site(SameSite::Strict)
                        .path("/")
                        .build();
                    (v, HeaderValue::from_str(&c.to_string()).ok())
                }
            },
        };
        Ok(Viewer { lang, actor, csrf, new_csrf_cookie, here })
    }
}

impl Viewer {
    /// Whether a submitted form's token is this reader's.
    pub fn csrf_ok(&self, sent: Option<&str>) -> bool {
        // Both sides are hex digests of one length: compare without an early exit anyway.
        sent.is_some_and(|s| {
            s.len() == self.csrf.len() && s.bytes().zip(self.csrf.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
        })
    }

    pub fn has_role(&self, role: juece_engine::actor::Role) -> bool {
        self.actor.as_ref().is_some_and(|a| a.roles.contains(&role))
    }
}

/// A local path to come back to: only paths of this site (no `//host`, no scheme).
pub fn safe_back(back: Option<&str>) -> String {
    match back {
        Some(b) if b.starts_with('/') && !b.starts_with("//") && !b.contains('\\') => b.to_string(),
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_back() {
        assert_eq!(safe_back(Some("/decisions/d1")), "/decisions/d1");
        assert_eq!(safe_back(Some("//evil.example/")), "/");
        assert_eq!(safe_back(Some("https://evil.example/")), "/");
        assert_eq!(safe_back(Some("/\\evil.example")), "/");
        assert_eq!(safe_back(None), "/");
    }

    #[test]
    fn the_session_token_gives_its_own_csrf_token() {
        assert_ne!(session_csrf("a"), session_csrf("b"));
        assert_eq!(session_csrf("a").len(), 64);
    }
}
