//! The annual work report of a decision organ, for the general office and
//! oversight (the engine decides, `juece_engine::oversight`).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use juece_engine::report::AnnualReport;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Params;
use crate::extract::Caller;
use crate::problem::Problem;
use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(annual))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AnnualParams {
    /// The decision organ, e.g. 示范市人民政府.
    pub organ: String,
    pub year: i32,
}

/// The annual report: decisions started, decided, published, legality
/// conclusions, shortened periods, divergences and overdue deadlines.
#[utoipa::path(get, path = "/api/v1/reports/annual", tag = "reports", params(AnnualParams),
    responses((status = 200, body = AnnualReport), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn annual(State(s): State<AppState>, Caller(actor): Caller, Params(p): Params<AnnualParams>) -> Response {
    match s.engine.annual_report(&actor, &p.organ, p.year, s.clock.now()).await {
        Ok(r) => Json(r).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}
