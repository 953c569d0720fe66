//! `/api/v1/tokens`: the caller's own API tokens. The secret is in the
//! answer to `POST` and nowhere else, ever; listings show id, label and dates.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Caller, JsonBody};
use juece_engine::refusal::Detail;

use crate::problem::Problem;
use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_tokens, create_token)).routes(routes!(revoke_token))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenIn {
    /// What the token is for, e.g. `nightly export`.
    #[serde(default)]
    pub label: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenOut {
    pub id: String,
    pub label: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedOut {
    pub id: String,
    pub label: String,
    /// The bearer token. Shown once: store it now.
    pub token: String,
}

/// The caller's tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "auth",
    responses((status = 200, body = Vec<TokenOut>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn list_tokens(State(s): State<AppState>, Caller(actor): Caller) -> Response {
    match s.auth.tokens(&actor.user_id).await {
        Ok(list) => Json(
            list.into_iter()
                .map(|t| TokenOut { id: t.id, label: t.label, created_at: t.created_at, revoked_at: t.revoked_at })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// Create a token for the caller; the answer holds it once.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "auth", request_body = TokenIn,
    responses((status = 201, body = CreatedOut), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn create_token(State(s): State<AppState>, Caller(actor): Caller, JsonBody(body): JsonBody<TokenIn>) -> Response {
    match s.auth.create_token(&actor.user_id, &body.label, s.clock.now()).await {
        Ok(c) => (
            StatusCode::CREATED,
            [(axum::http::header::CACHE_CONTROL, "no-store")],
            Json(CreatedOut { id: c.token.id, label: c.token.label, token: c.secret }),
        )
            .into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// Revoke one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "auth",
    params(("id" = String, Path, description = "token id")),
    responses((status = 204, description = "revoked"), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn revoke_token(State(s): State<AppState>, Caller(actor): Caller, Path(id): Path<String>) -> Response {
    match s.auth.revoke_token(&actor.user_id, &id, s.clock.now()).await {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => Problem::not_found(Detail::new(format!("令牌 {id}"), format!("token {id}"))).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}
