//! Public endpoints, no sign-in: open consultations, comments on them,
//! published decisions, feedback on them (Art. 35(2)), published catalogues. Rate limited per client (see `routes::api`); the
//! comment body is small and validated here for shape, by the engine's
//! `receive_comment` act for substance (the period must be running).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use juece_engine::act::Act;
use juece_engine::queries::ListQuery;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::decisions::PageOut;
use super::{Paging, Params};
use crate::extract::JsonBody;
use crate::problem::Problem;
use crate::server::AppState;

/// Largest name or contact accepted.
const MAX_FIELD: usize = 200;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(consultations))
        .routes(routes!(comment))
        .routes(routes!(published))
        .routes(routes!(feedback))
        .routes(routes!(catalogues))
}

fn paging(p: Paging) -> ListQuery {
    ListQuery { limit: p.limit.unwrap_or(0), offset: p.offset.unwrap_or(0), ..ListQuery::default() }
}

/// Decisions open for comment now: the draft, the notice and how to comment.
#[utoipa::path(get, path = "/api/v1/public/consultations", tag = "public", params(Paging),
    responses((status = 200, body = PageOut), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn consultations(State(s): State<AppState>, Params(p): Params<Paging>) -> Response {
    match s.engine.public_consultations(&paging(p), s.clock.now()).await {
        Ok(page) => Json(PageOut::from(page)).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// Published decisions with their publication record.
#[utoipa::path(get, path = "/api/v1/public/decisions", tag = "public", params(Paging),
    responses((status = 200, body = PageOut), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn published(State(s): State<AppState>, Params(p): Params<Paging>) -> Response {
    match s.engine.public_decisions(&paging(p), s.clock.now()).await {
        Ok(page) => Json(PageOut::from(page)).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// A comment from the public: anonymous, or with a name and a contact.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentIn {
    /// The opinion (at most 20,000 characters).
    pub content: String,
    pub name: Option<String>,
    /// How the drafter may reach the commenter; never published.
    pub contact: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CommentOut {
    pub decision_id: String,
    /// The opinion's number in the decision's ledger.
    pub opinion_id: usize,
    pub received_at: chrono::DateTime<chrono::Utc>,
}

/// Comment on a decision open for comment.
#[utoipa::path(post, path = "/api/v1/public/consultations/{id}/comments", tag = "public", request_body = CommentIn,
    params(("id" = String, Path, description = "decision id"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first answer")),
    responses((status = 201, body = CommentOut),
        (status = 422, description = "refused, e.g. the comment period is closed", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn comment(State(s): State<AppState>, Path(id): Path<String>, JsonBody(c): JsonBody<CommentIn>) -> Response {
    let payload = match opinion_payload(c) {
        Ok(p) => p,
        Err(problem) => return problem.into_response(),
    };
    let now = s.clock.now();
    let act = Act::new("receive_comment", payload);
    let result = s.engine.apply(&id, &act, &juece_engine::auth::anonymous(), now, None).await;
    s.metrics.act("receive_comment", &result);
    match result {
        Ok(a) => (
            StatusCode::CREATED,
            Json(CommentOut { decision_id: id, opinion_id: a.decision.facts.opinions.len(), received_at: now }),
        )
            .into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// The act payload of a public opinion: the content, and one submitter
/// field (the ledger's) carrying the name and the contact.
// A Problem is built at most once per failed request: its size costs nothing worth boxing.
#[allow(clippy::result_large_err)]
fn opinion_payload(c: CommentIn) -> Result<serde_json::Value, Problem> {
    for (field, v) in [("name", &c.name), ("contact", &c.contact)] {
        if v.as_ref().is_some_and(|v| v.chars().count() > MAX_FIELD) {
            return Err(Problem::bad_request("invalid_body", format!("{field} is at most {MAX_FIELD} characters")));
        }
    }
    let submitter = match (c.name.filter(|n| !n.trim().is_empty()), c.contact.filter(|n| !n.trim().is_empty())) {
        (Some(n), Some(k)) => Some(format!("{n} ({k})")),
        (Some(n), None) => Some(n),
        (None, Some(k)) => Some(format!("({k})")),
        (None, None) => None,
    };
    let mut payload = serde_json::json!({ "content": c.content });
    if let Some(sub) = submitter {
        payload["submitter"] = serde_json::Value::String(sub);
    }
    Ok(payload)
}

#[derive(Serialize, ToSchema)]
pub struct FeedbackOut {
    pub decision_id: String,
    /// The feedback's number on the decision.
    pub feedback_id: usize,
    pub received_at: chrono::DateTime<chrono::Utc>,
}

/// Feedback from the public on a published decision (Art. 35(2)): the act
/// `submit_feedback`, accepted while the decision is published, in execution,
/// suspended or under post-evaluation. Reaching the procedure's threshold
/// raises a task for the general office to consider a post-evaluation.
#[utoipa::path(post, path = "/api/v1/public/decisions/{id}/feedback", tag = "public", request_body = CommentIn,
    params(("id" = String, Path, description = "decision id"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first answer")),
    responses((status = 201, body = FeedbackOut),
        (status = 422, description = "refused, e.g. the decision is not published", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn feedback(State(s): State<AppState>, Path(id): Path<String>, JsonBody(c): JsonBody<CommentIn>) -> Response {
    let payload = match opinion_payload(c) {
        Ok(p) => p,
        Err(problem) => return problem.into_response(),
    };
    let now = s.clock.now();
    let act = Act::new("submit_feedback", payload);
    let result = s.engine.apply(&id, &act, &juece_engine::auth::anonymous(), now, None).await;
    s.metrics.act("submit_feedback", &result);
    match result {
        Ok(a) => (
            StatusCode::CREATED,
            Json(FeedbackOut { decision_id: id, feedback_id: a.decision.facts.feedback.len(), received_at: now }),
        )
            .into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// Published annual catalogues of decision matters (Art. 3(3)), with the
/// items of the version published last. A catalogue is a record of the
/// `catalogue` workflow: opened with `POST /api/v1/decisions` naming that
/// workflow (act `create_catalogue`) and carried on with the generic acts
/// endpoint (`record_party_consent`, `publish_catalogue`, `adjust_catalogue`).
#[utoipa::path(get, path = "/api/v1/public/catalogues", tag = "public", params(Paging),
    responses((status = 200, description = "{ items: [catalogue], next_offset }", body = Object),
        (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn catalogues(State(s): State<AppState>, Params(p): Params<Paging>) -> Response {
    match s.engine.public_catalogues(&paging(p)).await {
        Ok(page) => Json(page).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}
