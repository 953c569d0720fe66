//! `POST /api/v1/decisions/{id}/checks/{act}`: would this act be accepted now? The engine steps it exactly as it
//! would apply it — the acts it would cause on linked records included — and writes nothing. 204 when it would be
//! accepted; otherwise the problem applying it would answer (422 listing every reason with its article, 403, 404).
//! Forms use it to show a person every refusal before they submit.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use juece_engine::act::Act;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::acts::Payload;
use crate::extract::{Caller, JsonBody};
use crate::problem::Problem;
use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(check_act))
}

/// Check an act without applying it (a what-if).
///
/// The same payload, roles, assignments and gates as `POST /api/v1/decisions/{id}/acts/{act}`; nothing is
/// written, nothing is recorded, no version is taken.
#[utoipa::path(post, path = "/api/v1/decisions/{id}/checks/{act}", tag = "decisions",
    params(("id" = String, Path, description = "decision id"), ("act" = String, Path, description = "act name")),
    request_body(content = Object, description = "the act's payload", content_type = "application/json"),
    responses((status = 204, description = "the act would be accepted now; nothing was written"),
        (status = 403, description = "role_not_permitted or not_assigned", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "the act would be refused: every reason listed", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn check_act(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path((id, name)): Path<(String, String)>,
    JsonBody(payload): JsonBody<Payload>,
) -> Response {
    match s.engine.check(&id, &Act::new(&name, serde_json::Value::Object(payload)), &actor, s.clock.now()).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}
