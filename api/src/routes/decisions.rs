//! `/api/v1/decisions`: open a decision with its first act, list the
//! decisions the caller may read, read one with the acts the caller may take.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use juece_engine::act::Act;
use juece_engine::orchestrator::Applied;
use juece_engine::queries::ListQuery;
use juece_engine::store::idempotency::{KeyClaim, StoredResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Params;
use crate::extract::{Caller, JsonBody};
use crate::problem::Problem;
use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(open_decision, list_decisions)).routes(routes!(get_decision))
}

/// An act as sent: its name in the workflow and its payload.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActIn {
    /// e.g. `submit_proposal`.
    pub name: String,
    /// The act's own fields (each act refuses unknown ones).
    #[serde(default = "empty")]
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

fn empty() -> serde_json::Value {
    serde_json::json!({})
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenIn {
    /// Workflow key, e.g. `national`; the latest version is used. An annual
    /// catalogue is a record of workflow `catalogue` (first act
    /// `create_catalogue`), an expert pool one of workflow `expert_pool` (`create_pool`).
    pub workflow: String,
    pub act: ActIn,
}

/// An accepted act: the decision after it, its audit record and what it produced.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppliedOut {
    pub decision_id: String,
    pub stage: String,
    pub version: i64,
    /// The audit record (hash-chained).
    #[schema(value_type = Object)]
    pub record: serde_json::Value,
    /// Memos rendered: `seq`, `memo`, `lang`, `format`, `sha256`.
    #[schema(value_type = Vec<Object>)]
    pub memos: Vec<serde_json::Value>,
    #[schema(value_type = Vec<Object>)]
    pub deadlines: Vec<serde_json::Value>,
    /// Warnings the act raised (accepted all the same; kept in the record):
    /// `code`, `article`, `message_zh`, `message_en`, `detail`.
    #[schema(value_type = Vec<Object>)]
    pub warnings: Vec<serde_json::Value>,
}

impl AppliedOut {
    /// The answer as stored for replay.
    pub fn stored(a: &Applied, status: StatusCode) -> StoredResponse {
        crate::idempotency::stored_json(status, &AppliedOut::from_applied(a))
    }

    pub fn from_applied(a: &Applied) -> AppliedOut {
        AppliedOut {
            decision_id: a.decision.id.clone(),
            stage: a.decision.stage.clone(),
            version: a.decision.version,
            record: serde_json::to_value(&a.audit).unwrap_or_default(),
            memos: a
                .memos
                .iter()
                .map(|m| serde_json::json!({ "seq": m.seq, "memo": m.memo, "lang": m.lang, "format": m.format, "sha256": m.sha256 }))
                .collect(),
            deadlines: a.deadlines.iter().map(|d| serde_json::to_value(d).unwrap_or_default()).collect(),
            warnings: a.warnings.iter().map(|w| serde_json::to_value(w).unwrap_or_default()).collect(),
        }
    }

    /// The answer with its `ETag` (the version, for `If-Match` on the next act);
    /// `keyed` when the act stored it under the request's idempotency key.
    pub fn respond(a: &Applied, status: StatusCode, keyed: bool) -> Response {
        let mut resp = if keyed {
            crate::idempotency::answered(AppliedOut::stored(a, status))
        } else {
            (status, Json(AppliedOut::from_applied(a))).into_response()
        };
        if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", a.decision.version)) {
            resp.headers_mut().insert(header::ETAG, v);
        }
        if status == StatusCode::CREATED {
            if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/decisions/{}", a.decision.id)) {
                resp.headers_mut().insert(header::LOCATION, v);
            }
        }
        resp
    }
}

/// Open a decision: the first act on a new decision of `workflow`.
///
/// The same endpoint opens the records of the other workflows: an annual
/// catalogue of decision matters (`"workflow": "catalogue"`, act
/// `create_catalogue`) and an expert pool (`"workflow": "expert_pool"`, act `create_pool`);
/// their later acts go through `POST /api/v1/decisions/{id}/acts/{act}`.
#[utoipa::path(post, path = "/api/v1/decisions", tag = "decisions", request_body = OpenIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "replays the first answer")),
    responses((status = 201, body = AppliedOut), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn open_decision(
    State(s): State<AppState>,
    Caller(actor): Caller,
    held: Option<Extension<KeyClaim>>,
    JsonBody(body): JsonBody<OpenIn>,
) -> Response {
    let id = uuid::Uuid::new_v4().to_string();
    let act = Act::new(&body.act.name, body.act.payload);
    let answer = |a: &Applied| AppliedOut::stored(a, StatusCode::CREATED);
    let answering = crate::idempotency::answering(&held, &answer);
    let result = s.engine.open_keyed(&body.workflow, &id, &act, &actor, s.clock.now(), answering.as_ref()).await;
    s.metrics.act(&act.name, &result);
    match result {
        Ok(a) => AppliedOut::respond(&a, StatusCode::CREATED, held.is_some()),
        Err(e) => Problem::from(e).into_response(),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Only decisions in this stage (a stage key).
    pub stage: Option<String>,
    /// Only decisions of this workflow key.
    pub workflow: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl ListParams {
    pub fn query(self) -> ListQuery {
        ListQuery {
            stage: self.stage,
            workflow: self.workflow,
            limit: self.limit.unwrap_or(0),
            offset: self.offset.unwrap_or(0),
        }
    }
}

/// A page of decisions the caller may read.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageOut {
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<serde_json::Value>,
    pub next_offset: Option<i64>,
}

impl<T: Serialize> From<juece_engine::queries::Page<T>> for PageOut {
    fn from(p: juece_engine::queries::Page<T>) -> Self {
        PageOut {
            items: p.items.iter().map(|i| serde_json::to_value(i).unwrap_or_default()).collect(),
            next_offset: p.next_offset,
        }
    }
}

/// Decisions the caller may read, filtered and paged.
#[utoipa::path(get, path = "/api/v1/decisions", tag = "decisions", params(ListParams),
    responses((status = 200, body = PageOut), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn list_decisions(State(s): State<AppState>, Caller(actor): Caller, Params(p): Params<ListParams>) -> Response {
    match s.engine.list_for(&p.query(), &actor, s.clock.now()).await {
        Ok(page) => Json(PageOut::from(page)).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// A decision as the caller may see it, with the acts the caller may take now.
#[utoipa::path(get, path = "/api/v1/decisions/{id}", tag = "decisions",
    params(("id" = String, Path, description = "decision id")),
    responses((status = 200, description = "the decision (access `full` or `public`)", body = Object),
        (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn get_decision(State(s): State<AppState>, Caller(actor): Caller, Path(id): Path<String>) -> Response {
    match s.engine.read_decision(&id, &actor, s.clock.now()).await {
        Ok(view) => {
            let etag = format!("\"{}\"", view.version);
            let mut resp = Json(view).into_response();
            if let Ok(v) = HeaderValue::from_str(&etag) {
                resp.headers_mut().insert(header::ETAG, v);
            }
            resp
        }
        Err(e) => Problem::from(e).into_response(),
    }
}
