//! `GET /api/v1/inbox`: the caller's in-app notifications — what the
//! scheduler and the acts addressed to their roles, about decisions they
//! may read — newest first, each with when the caller marked it read
//! (`POST /api/v1/inbox/{id}/read`). The web UI's home page shows the same list.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Params;
use crate::extract::Caller;
use juece_engine::refusal::Detail;

use crate::problem::Problem;
use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(inbox)).routes(routes!(mark_read))
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
    /// When the caller marked it read; absent while unread. Read marks are the caller's own.
    pub read_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn item(m: juece_engine::store::OutboxMessage, read_at: Option<chrono::DateTime<chrono::Utc>>) -> InboxItem {
    InboxItem {
        id: m.id,
        decision_id: m.decision_id,
        recipient_role: m.recipient_role,
        subject: m.subject,
        created_at: m.created_at,
        read_at,
    }
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/inbox", tag = "auth", params(InboxParams),
    responses((status = 200, body = Vec<InboxItem>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn inbox(State(s): State<AppState>, Caller(actor): Caller, Params(p): Params<InboxParams>) -> Response {
    let limit = p.limit.unwrap_or(50).clamp(1, juece_engine::queries::MAX_PAGE);
    let items = match s.engine.inbox_for(&actor, limit, s.clock.now()).await {
        Ok(items) => items,
        Err(e) => return Problem::from(e).into_response(),
    };
    match s.engine.inbox_reads(&actor, &items).await {
        Ok(reads) => Json(
            items
                .into_iter()
                .map(|m| {
                    let read_at = reads.get(&m.id).copied();
                    item(m, read_at)
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// Mark one of the caller's notifications read (again: the first reading is kept). 404 when it is not in the
/// caller's inbox.
#[utoipa::path(post, path = "/api/v1/inbox/{id}/read", tag = "auth",
    params(("id" = String, Path, description = "notification id")),
    responses((status = 200, body = InboxItem), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn mark_read(State(s): State<AppState>, Caller(actor): Caller, Path(id): Path<String>) -> Response {
    let now = s.clock.now();
    let marked = match s.engine.mark_inbox_read(&actor, &id, now).await {
        Ok(Some(m)) => m,
        Ok(None) => {
            return Problem::not_found(Detail::new(
                format!("你的收件箱中没有通知 {id}"),
                format!("notification {id} in your inbox"),
            ))
            .into_response()
        }
        Err(e) => return Problem::from(e).into_response(),
    };
    match s.engine.inbox_reads(&actor, std::slice::from_ref(&marked)).await {
        Ok(reads) => {
            let read_at = reads.get(&marked.id).copied().or(Some(now));
            Json(item(marked, read_at)).into_response()
        }
        Err(e) => Problem::from(e).into_response(),
    }
}
