//! `/api/v1/users`: user administration for administrators (the engine
//! decides who may, `juece_engine::auth::admin`). A new user gets a
//! password, or an initial API token shown once in the answer. A user who
//! moves changes unit or position (`PATCH`); one who leaves is deactivated,
//! never deleted, since the record names them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use juece_engine::actor::Role;
use juece_engine::auth::admin::{AdminError, FirstCredential, Placement};
use juece_engine::auth::NewUser;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Caller, JsonBody};
use juece_engine::refusal::Detail;

use crate::problem::Problem;
use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(one_user, change_placement))
        .routes(routes!(change_roles))
        .routes(routes!(deactivate))
        .routes(routes!(reactivate))
}

fn problem(e: AdminError) -> Response {
    match e {
        AdminError::Refused(r) => Problem::refused(&r).into_response(),
        AdminError::Auth(a) => Problem::from(a).into_response(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserOut {
    pub name: String,
    pub display_name: String,
    pub unit: String,
    pub position: String,
    pub roles: Vec<Role>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// False once deactivated: the user can no longer sign in or use a token.
    pub active: bool,
    pub deactivated_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<juece_engine::store::users::UserRow> for UserOut {
    fn from(u: juece_engine::store::users::UserRow) -> Self {
        UserOut {
            roles: u.roles,
            name: u.name,
            display_name: u.display_name,
            unit: u.unit,
            position: u.position,
            created_at: u.created_at,
            active: u.deactivated_at.is_none(),
            deactivated_at: u.deactivated_at,
        }
    }
}

/// Every user.
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses((status = 200, body = Vec<UserOut>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn list_users(State(s): State<AppState>, Caller(actor): Caller) -> Response {
    match s.auth.users_for(&actor).await {
        Ok(list) => Json(list.into_iter().map(UserOut::from).collect::<Vec<_>>()).into_response(),
        Err(e) => problem(e),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserIn {
    /// Login name: 1 to 64 of A-Z a-z 0-9 . _ -
    #[schema(pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub name: String,
    pub display_name: Option<String>,
    pub unit: String,
    pub position: String,
    /// `public` and `system` are held by no person (refused, 422 `invalid_input`).
    pub roles: Vec<Role>,
    /// The first password (at least 10 characters); omit it and set `initial_token` to get a token instead.
    #[schema(min_length = 10)]
    pub password: Option<String>,
    #[serde(default)]
    pub initial_token: bool,
}

#[derive(Serialize, ToSchema)]
pub struct UserCreatedOut {
    pub user: UserOut,
    /// The initial bearer token, when asked for. Shown once.
    pub token: Option<String>,
}

/// Create a user with roles, and a password or an initial token.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "replays the first answer")),
    responses((status = 201, body = UserCreatedOut), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn create_user(State(s): State<AppState>, Caller(actor): Caller, JsonBody(u): JsonBody<UserIn>) -> Response {
    let credential = match (u.password, u.initial_token) {
        (Some(p), false) => FirstCredential::Password(p),
        (None, true) => FirstCredential::Token,
        _ => {
            return Problem::bad_request(
                "invalid_body",
                Detail::new(
                    "请提供密码或者 \"initial_token\": true",
                    "send either a password or \"initial_token\": true",
                ),
            )
            .into_response()
        }
    };
    let new =
        NewUser { name: u.name, display_name: u.display_name, unit: u.unit, position: u.position, roles: u.roles };
    match s.auth.create_user_by(&actor, new, credential, s.clock.now()).await {
        Ok(c) => (StatusCode::CREATED, Json(UserCreatedOut { user: c.user.into(), token: c.token.map(|t| t.secret) }))
            .into_response(),
        Err(e) => problem(e),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesIn {
    #[serde(default)]
    pub add: Vec<Role>,
    #[serde(default)]
    pub remove: Vec<Role>,
}

/// Add and remove roles; answers the roles the user now holds.
#[utoipa::path(post, path = "/api/v1/users/{name}/roles", tag = "users", request_body = RolesIn,
    params(("name" = String, Path, description = "login name"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first answer")),
    responses((status = 200, body = Vec<Role>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn change_roles(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(name): Path<String>,
    JsonBody(r): JsonBody<RolesIn>,
) -> Response {
    match s.auth.change_roles_by(&actor, &name, &r.add, &r.remove).await {
        Ok(now) => Json(now).into_response(),
        Err(e) => problem(e),
    }
}

/// One user.
#[utoipa::path(get, path = "/api/v1/users/{name}", tag = "users",
    params(("name" = String, Path, description = "login name")),
    responses((status = 200, body = UserOut), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn one_user(State(s): State<AppState>, Caller(actor): Caller, Path(name): Path<String>) -> Response {
    match s.auth.user_for(&actor, &name).await {
        Ok(u) => Json(UserOut::from(u)).into_response(),
        Err(e) => problem(e),
    }
}

/// Where a user works now; a field left out stays as it is.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlacementIn {
    /// The name recorded on the user's acts from now on.
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: Option<String>,
    /// The unit: what the user may read and do follows it.
    #[schema(min_length = 1, max_length = 200)]
    pub unit: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub position: Option<String>,
}

/// Move a user to another unit or position. Acts already recorded keep the unit and position the user had then.
#[utoipa::path(patch, path = "/api/v1/users/{name}", tag = "users", request_body = PlacementIn,
    params(("name" = String, Path, description = "login name"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first answer")),
    responses((status = 200, body = UserOut), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn change_placement(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(name): Path<String>,
    JsonBody(p): JsonBody<PlacementIn>,
) -> Response {
    let p = Placement { display_name: p.display_name, unit: p.unit, position: p.position };
    match s.auth.change_placement_by(&actor, &name, p).await {
        Ok(u) => Json(UserOut::from(u)).into_response(),
        Err(e) => problem(e),
    }
}

/// Deactivate a user who left: sign-in is refused, sessions end, API tokens are revoked; the user is kept.
/// An administrator cannot deactivate themselves (422 `cannot_deactivate_self`).
#[utoipa::path(post, path = "/api/v1/users/{name}/deactivate", tag = "users",
    params(("name" = String, Path, description = "login name"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first answer")),
    responses((status = 200, body = UserOut), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn deactivate(State(s): State<AppState>, Caller(actor): Caller, Path(name): Path<String>) -> Response {
    match s.auth.deactivate_by(&actor, &name, s.clock.now()).await {
        Ok(u) => Json(UserOut::from(u)).into_response(),
        Err(e) => problem(e),
    }
}

/// Reactivate a user: they sign in with their password again (revoked tokens stay revoked).
#[utoipa::path(post, path = "/api/v1/users/{name}/reactivate", tag = "users",
    params(("name" = String, Path, description = "login name"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first answer")),
    responses((status = 200, body = UserOut), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn reactivate(State(s): State<AppState>, Caller(actor): Caller, Path(name): Path<String>) -> Response {
    match s.auth.reactivate_by(&actor, &name).await {
        Ok(u) => Json(UserOut::from(u)).into_response(),
        Err(e) => problem(e),
    }
}
