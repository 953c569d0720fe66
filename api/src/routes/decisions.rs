//! `/api/v1/decisions`: open a decision with its first act, list the
//! decisions the caller may read, read one with the acts the caller may take.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use juece_engine::act::Act;
use juece_engine::audit::AuditRecord;
use juece_engine::orchestrator::ActRequest;
use juece_engine::orchestrator::Applied;
use juece_engine::queries::{DecisionView, ListQuery, Page};
use juece_engine::store::idempotency::{KeyClaim, StoredResponse};
use juece_engine::store::DeadlineRow;
use juece_engine::warning::Warning;
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
    pub record: AuditRecord,
    /// Memos rendered by the act, as sealed: Markdown, in Chinese and English (the hashes its record holds).
    /// Each one's A4 page is at the same path with `.html` (or `.pdf`).
    pub memos: Vec<MemoRef>,
    /// Deadlines the act set.
    pub deadlines: Vec<DeadlineRow>,
    /// Warnings the act raised (accepted all the same; kept in the record).
    pub warnings: Vec<Warning>,
}

/// A memo an act rendered: fetch it at `/api/v1/decisions/{id}/memos/{seq}/{memo}.{lang}.{format}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemoRef {
    pub seq: i64,
    pub memo: String,
    pub lang: String,
    pub format: String,
    pub sha256: String,
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
            record: a.audit.clone(),
            memos: a
                .memos
                .iter()
                .map(|m| MemoRef {
                    seq: m.seq,
                    memo: m.memo.clone(),
                    lang: m.lang.clone(),
                    format: m.format.clone(),
                    sha256: m.sha256.clone(),
                })
                .collect(),
            deadlines: a.deadlines.clone(),
            warnings: a.warnings.clone(),
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
    let result = s
        .engine
        .open(&body.workflow, ActRequest::new(&id, &act, &actor, s.clock.now()).answering(answering.as_ref()))
        .await;
    s.metrics.act(&act.name, &result);
    match result {
        Ok(a) => AppliedOut::respond(&a, StatusCode::CREATED, held.is_some()),
        Err(e) => Problem::from(e).into_response(),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
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
    pub items: Vec<DecisionView>,
    pub next_offset: Option<i64>,
}

impl From<Page<DecisionView>> for PageOut {
    fn from(p: Page<DecisionView>) -> Self {
        PageOut { items: p.items, next_offset: p.next_offset }
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
    responses((status = 200, description = "the decision (access `full` or `public`)", body = DecisionView),
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
