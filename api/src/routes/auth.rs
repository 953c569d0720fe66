//! Sign-in and sign-out for browsers: a server-side session whose random
//! token travels in an `HttpOnly`, `SameSite=Strict`, `Secure` cookie
//! (`Secure` dropped only with `--insecure-cookies`, for plain-HTTP local
//! development). `GET /api/v1/auth/me` says who the caller is.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use cookie::{Cookie, SameSite};
use juece_engine::actor::Actor;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{session_token, Caller, JsonBody, SESSION_COOKIE};
use crate::problem::Problem;
use crate::server::AppState;

/// Sign-in, which is rate limited with the public endpoints.
pub fn login_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(logout)).routes(routes!(me))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginIn {
    pub name: String,
    pub password: String,
}

/// Who the caller is, as their acts will record them.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeOut {
    pub user_id: String,
    pub name: String,
    pub unit: String,
    pub position: String,
    pub roles: Vec<String>,
}

impl From<&Actor> for MeOut {
    fn from(a: &Actor) -> Self {
        MeOut {
            user_id: a.user_id.clone(),
            name: a.name.clone(),
            unit: a.unit.clone(),
            position: a.position.clone(),
            roles: a.roles.iter().map(|r| r.as_str().to_string()).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionOut {
    pub user: MeOut,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

pub(crate) fn session_cookie(value: String, max_age_secs: i64, secure: bool) -> Option<HeaderValue> {
    let c = Cookie::build((SESSION_COOKIE, value))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .path("/")
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build();
    HeaderValue::from_str(&c.to_string()).ok()
}

/// Sign in with a name and password; sets the session cookie. Repeated
/// failures for one name lock it for a while (429 `login_locked`, whether or
/// not such a user exists).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginIn,
    responses((status = 200, body = SessionOut),
        (status = 401, description = "wrong name or password", body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "a malformed body", body = Problem, content_type = "application/problem+json")))]
async fn login(State(s): State<AppState>, JsonBody(body): JsonBody<LoginIn>) -> Response {
    let now = s.clock.now();
    match s.auth.login(&body.name, &body.password, now).await {
        Ok(session) => {
            let actor = juece_engine::auth::actor_of(&session.user);
            let out = SessionOut { user: MeOut::from(&actor), expires_at: session.expires_at };
            let secs = (session.expires_at - now).num_seconds();
            let mut resp = Json(out).into_response();
            if let Some(v) = session_cookie(session.token, secs, !s.config.insecure_cookies) {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
            resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            resp
        }
        Err(juece_engine::auth::AuthError::Locked { until }) => {
            let wait = (until - now).num_seconds().max(1);
            let mut resp = Problem::from(juece_engine::auth::AuthError::Locked { until }).into_response();
            if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            resp
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

/// End the caller's session, if any, and clear the cookie (without a session there is nothing to end: 204).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "signed out"), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security((), ("session" = [])))]
async fn logout(State(s): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = session_token(&headers) {
        if let Err(e) = s.auth.logout(&token).await {
            return Problem::from(e).into_response();
        }
    }
    let mut resp = StatusCode::NO_CONTENT.into_response();
    if let Some(v) = session_cookie(String::new(), 0, !s.config.insecure_cookies) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

/// The caller as their acts record them.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses((status = 200, body = MeOut), (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn me(Caller(actor): Caller) -> Json<MeOut> {
    Json(MeOut::from(&actor))
}
