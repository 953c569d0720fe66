//! Accountability queries (Art. 38) for oversight and the general office:
//! who did what, stances, overrides, integrity records, and a decision's
//! dossier as one JSON document. Read only; the engine decides who may ask
//! (`juece_engine::oversight`).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use juece_engine::accountability::{ActEntry, Dossier, IntegrityEntry, Override, StanceEntry};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Params;
use crate::extract::Caller;
use crate::problem::Problem;
use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(acts))
        .routes(routes!(decision_stances))
        .routes(routes!(member_stances))
        .routes(routes!(overrides))
        .routes(routes!(integrity))
        .routes(routes!(dossier))
}

fn answer<T: serde::Serialize>(r: Result<T, juece_engine::Error>) -> Response {
    match r {
        Ok(v) => Json(v).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PersonParams {
    /// User id or display name.
    pub person: String,
}

/// Everything a person did, with name, unit and position as of each act.
#[utoipa::path(get, path = "/api/v1/accountability/acts", tag = "accountability", params(PersonParams),
    responses((status = 200, body = Vec<ActEntry>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn acts(State(s): State<AppState>, Caller(actor): Caller, Params(p): Params<PersonParams>) -> Response {
    answer(s.engine.acts_by(&actor, &p.person).await)
}

/// Every member's stance on a decision, in speaking order, verbatim.
#[utoipa::path(get, path = "/api/v1/accountability/decisions/{id}/stances", tag = "accountability",
    params(("id" = String, Path, description = "decision id")),
    responses((status = 200, body = Vec<StanceEntry>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn decision_stances(State(s): State<AppState>, Caller(actor): Caller, Path(id): Path<String>) -> Response {
    answer(s.engine.stances(&actor, &id).await)
}

/// Every decision where a member spoke, and how.
#[utoipa::path(get, path = "/api/v1/accountability/members/{name}/stances", tag = "accountability",
    params(("name" = String, Path, description = "the member's name as recorded")),
    responses((status = 200, body = Vec<StanceEntry>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn member_stances(State(s): State<AppState>, Caller(actor): Caller, Path(name): Path<String>) -> Response {
    answer(s.engine.stances_of_member(&actor, &name).await)
}

/// Every override of a soft floor (Arts. 15, 26, 30), with its reason.
#[utoipa::path(get, path = "/api/v1/accountability/overrides", tag = "accountability",
    responses((status = 200, body = Vec<Override>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn overrides(State(s): State<AppState>, Caller(actor): Caller) -> Response {
    answer(s.engine.overrides(&actor).await)
}

/// An expert's integrity record across pools and decisions.
#[utoipa::path(get, path = "/api/v1/accountability/experts/{id}/integrity", tag = "accountability",
    params(("id" = String, Path, description = "expert id")),
    responses((status = 200, body = Vec<IntegrityEntry>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn integrity(State(s): State<AppState>, Caller(actor): Caller, Path(id): Path<String>) -> Response {
    answer(s.engine.integrity_record(&actor, &id).await)
}

/// A decision's dossier: its state, record, memos with their hashes, the A4
/// page of each memo sealed as Markdown, and the manifest `juece dossier
/// export` writes (the same hashes).
#[utoipa::path(get, path = "/api/v1/decisions/{id}/dossier", tag = "accountability",
    params(("id" = String, Path, description = "decision id")),
    responses((status = 200, description = "{ decision, records, memos, pages, manifest }", body = Dossier),
        (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn dossier(State(s): State<AppState>, Caller(actor): Caller, Path(id): Path<String>) -> Response {
    answer(s.engine.dossier(&actor, &id, s.clock.now()).await)
}
