//! `/api/v1/units`: the unit directory, for administrators (the engine decides who may and what a unit may be,
//! `juece_engine::units`). A user's unit is one of these; a renamed unit keeps its id, its users and its
//! decisions, and its former names.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use juece_engine::store::units::UnitRow;
use juece_engine::units::{NewUnit, UnitChange, UnitError};
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Caller, JsonBody};
use crate::problem::Problem;
use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_units, add_unit)).routes(routes!(change_unit))
}

fn problem(e: UnitError) -> Response {
    Problem::from(e).into_response()
}

/// Every unit of the directory, by name.
#[utoipa::path(get, path = "/api/v1/units", tag = "units",
    responses((status = 200, body = Vec<UnitRow>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn list_units(State(s): State<AppState>, Caller(actor): Caller) -> Response {
    match s.units.list_by(&actor).await {
        Ok(list) => Json(list).into_response(),
        Err(e) => problem(e),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitIn {
    /// The unit's name as documents and acts print it; no unit may have or have had it.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// 机关代字 for document numbers (示政); an organ of the memo templates takes theirs.
    #[schema(min_length = 1, max_length = 200)]
    pub code: Option<String>,
    /// The current name of the unit it belongs to (a 科室's 局). Access does not follow it upwards.
    #[schema(min_length = 1, max_length = 200)]
    pub parent: Option<String>,
}

/// Add a unit.
#[utoipa::path(post, path = "/api/v1/units", tag = "units", request_body = UnitIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "replays the first answer")),
    responses((status = 201, body = UnitRow), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn add_unit(State(s): State<AppState>, Caller(actor): Caller, JsonBody(u): JsonBody<UnitIn>) -> Response {
    let new = NewUnit { name: u.name, code: u.code, parent: u.parent };
    match s.units.add_by(&actor, new, s.clock.now()).await {
        Ok(unit) => (StatusCode::CREATED, Json(unit)).into_response(),
        Err(e) => problem(e),
    }
}

/// A field present, even as `null` (which clears it), against a field left out.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// A change to a unit: a field left out stays as it is.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitChangeIn {
    /// A new name: the old one stays the unit's (decisions that name it are still its), and its users take the new.
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// A new 机关代字, or `null` for none.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub code: Option<Option<String>>,
    /// The current name of the unit it now belongs to, or `null` for none.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub parent: Option<Option<String>>,
}

/// Rename a unit, change its 机关代字, or move it under another unit.
#[utoipa::path(patch, path = "/api/v1/units/{id}", tag = "units", request_body = UnitChangeIn,
    params(("id" = String, Path, description = "the unit's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first answer")),
    responses((status = 200, body = UnitRow), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn change_unit(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    JsonBody(c): JsonBody<UnitChangeIn>,
) -> Response {
    let change = UnitChange { name: c.name, code: c.code, parent: c.parent };
    match s.units.change_by(&actor, &id, change, s.clock.now()).await {
        Ok(unit) => Json(unit).into_response(),
        Err(e) => problem(e),
    }
}
