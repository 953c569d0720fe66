//! A decision's audit record and deadlines (full readers only).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use juece_engine::queries::DeadlineView;
use juece_engine::visibility::RecordView;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::Caller;
use crate::problem::Problem;
use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_record)).routes(routes!(get_deadlines))
}

/// The hash-chained audit records of a decision, in order; a payload this
/// reader may not see is `null`, and `withheld` says why.
#[utoipa::path(get, path = "/api/v1/decisions/{id}/record", tag = "decisions",
    params(("id" = String, Path, description = "decision id")),
    responses((status = 200, body = Vec<RecordView>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn get_record(State(s): State<AppState>, Caller(actor): Caller, Path(id): Path<String>) -> Response {
    match s.engine.read_record(&id, &actor, s.clock.now()).await {
        Ok(records) => Json(records).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// The deadlines of a decision (pending, fired, cancelled).
#[utoipa::path(get, path = "/api/v1/decisions/{id}/deadlines", tag = "decisions",
    params(("id" = String, Path, description = "decision id")),
    responses((status = 200, body = Vec<DeadlineView>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn get_deadlines(State(s): State<AppState>, Caller(actor): Caller, Path(id): Path<String>) -> Response {
    match s.engine.read_deadlines(&id, &actor, s.clock.now()).await {
        Ok(rows) => Json(rows).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}
