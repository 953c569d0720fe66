//! `GET /api/v1/inbox`: the caller's in-app notifications — what the
//! scheduler and the acts addressed to their roles, about decisions they
//! may read — newest first. The web UI's home page shows the same list.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Params;
use crate::extract::Caller;
use crate::problem::Problem;
use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(inbox))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InboxParams {
    /// How many notifications (default 50, at most 200).
    pub limit: Option<i64>,
}

/// One notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxItem {
    pub id: String,
    pub decision_id: String,
    /// The role it was addressed to.
    pub recipient_role: String,
    /// What fell due or happened, in Chinese and English.
    pub subject: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/inbox", tag = "auth", params(InboxParams),
    responses((status = 200, body = Vec<InboxItem>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn inbox(State(s): State<AppState>, Caller(actor): Caller, Params(p): Params<InboxParams>) -> Response {
    let limit = p.limit.unwrap_or(50).clamp(1, juece_engine::queries::MAX_PAGE);
    match s.engine.inbox_for(&actor, limit, s.clock.now()).await {
        Ok(items) => Json(
            items
                .into_iter()
                .map(|m| InboxItem {
                    id: m.id,
                    decision_id: m.decision_id,
                    recipient_role: m.recipient_role,
                    subject: m.subject,
                    created_at: m.created_at,
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}
