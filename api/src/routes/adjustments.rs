//! `POST /api/v1/decisions/{id}/adjustments`: open an Art. 37 adjustment, a
//! child decision that runs the procedure again, linked to its parent — and,
//! on a post-evaluation's recommendation, to that report (PE-4). Parent and
//! child are written in one transaction; the engine decides who may.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use juece_engine::act::Act;
use juece_engine::orchestrator::{AdjustmentRequest, Applied};
use juece_engine::store::idempotency::KeyClaim;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::decisions::{ActIn, AppliedOut};
use crate::extract::{Caller, JsonBody};
use crate::problem::Problem;
use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(open_adjustment))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentIn {
    /// Why the decision is to be adjusted or stopped.
    pub reason: String,
    /// The child decision's first act, e.g. `submit_proposal`.
    pub act: ActIn,
    /// Opened on the post-evaluation report's recommendation, which must be
    /// `adjust` or `stop` (`art36_recommendation_keep` otherwise).
    #[serde(default)]
    pub from_evaluation: bool,
}

/// Open an Art. 37 adjustment of a decision in execution, suspension or post-evaluation.
///
/// The new (child) decision starts on the parent's workflow with `act`;
/// the parent records the link and the child its origin, in one
/// transaction. The answer is the child's first act; `Location` names it.
#[utoipa::path(post, path = "/api/v1/decisions/{id}/adjustments", tag = "decisions", request_body = AdjustmentIn,
    params(("id" = String, Path, description = "the decision to adjust"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first answer")),
    responses((status = 201, description = "the child decision's first act", body = AppliedOut),
        (status = 403, description = "role_not_permitted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "refused: e.g. act_not_allowed_in_stage, art36_recommendation_keep", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn open_adjustment(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    held: Option<Extension<KeyClaim>>,
    JsonBody(body): JsonBody<AdjustmentIn>,
) -> Response {
    let child_id = uuid::Uuid::new_v4().to_string();
    let act = Act::new(&body.act.name, body.act.payload);
    let request = AdjustmentRequest {
        child_id: &child_id,
        reason: &body.reason,
        first_act: &act,
        from_evaluation: body.from_evaluation,
    };
    let answer = |a: &Applied| AppliedOut::stored(a, StatusCode::CREATED);
    let answering = crate::idempotency::answering(&held, &answer);
    let result = s.engine.open_adjustment(&id, request, &actor, s.clock.now(), answering.as_ref()).await;
    s.metrics.act("record_adjustment", &result);
    match result {
        Ok((_, child)) => AppliedOut::respond(&child, StatusCode::CREATED, held.is_some()),
        Err(e) => Problem::from(e).into_response(),
    }
}
