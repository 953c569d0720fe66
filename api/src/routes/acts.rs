//! `POST /api/v1/decisions/{id}/acts/{act}`: apply one act. The body is the
//! act's payload. `If-Match: "<version>"` (or `?expected_version=`) makes
//! the act conditional on the version the caller saw: a stale one is 409.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use juece_engine::act::Act;
use juece_engine::ledger::Opinion;
use juece_engine::orchestrator::ActRequest;
use juece_engine::orchestrator::Applied;
use juece_engine::orchestrator::OpinionRequest;
use juece_engine::store::idempotency::KeyClaim;
use juece_engine::store::opinions::AnswerFn;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::decisions::AppliedOut;
use super::Params;
use crate::extract::{Caller, JsonBody};
use juece_engine::refusal::Detail;

use crate::problem::Problem;
use crate::server::AppState;

/// An act's payload: a JSON object (anything else is 400 `invalid_body`); the engine reads its fields.
pub type Payload = serde_json::Map<String, serde_json::Value>;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(apply_act))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ActParams {
    /// The version the caller acted on (alternative to `If-Match`).
    pub expected_version: Option<i64>,
}

/// The version an `If-Match` names: `"3"`, `W/"3"` or `3`.
// A Problem is built at most once per failed request: its size costs nothing worth boxing.
#[allow(clippy::result_large_err)]
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, Problem> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = v.to_str().unwrap_or("").trim();
    let text = text.trim_start_matches("W/").trim_matches('"');
    text.parse::<i64>().map(Some).map_err(|_| {
        Problem::bad_request(
            "invalid_if_match",
            Detail::new("If-Match 应为决策事项的版本号，如 \"3\"", "If-Match holds the decision version, e.g. \"3\""),
        )
    })
}

/// Apply an act to a decision.
///
/// Every act of every loaded workflow goes through here, including those of
/// a catalogue (`record_party_consent`, `publish_catalogue`,
/// `adjust_catalogue`) and of an expert pool (admissions, draws, integrity
/// records): `GET /api/v1/workflows` lists each workflow's acts.
#[utoipa::path(post, path = "/api/v1/decisions/{id}/acts/{act}", tag = "decisions",
    params(("id" = String, Path, description = "decision id"), ("act" = String, Path, description = "act name"),
        ("If-Match" = Option<String>, Header, description = "the version acted on, e.g. \"3\""),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first answer"), ActParams),
    request_body(content = Object, description = "the act's payload", content_type = "application/json"),
    responses((status = 200, body = AppliedOut),
        (status = 201, description = "an opinion (`receive_comment`, `submit_feedback`, `suggest_hearing`) taken by the intake", body = ReceivedOut),
        (status = 403, description = "role_not_permitted or not_assigned", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "refused by the law: every reason listed", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn apply_act(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path((id, name)): Path<(String, String)>,
    Params(p): Params<ActParams>,
    headers: HeaderMap,
    held: Option<Extension<KeyClaim>>,
    JsonBody(payload): JsonBody<Payload>,
) -> Response {
    let expected = match if_match(&headers) {
        Ok(v) => v.or(p.expected_version),
        Err(problem) => return problem.into_response(),
    };
    let act = Act::new(&name, serde_json::Value::Object(payload));
    if juece_engine::ledger::Kind::of_act(&name).is_some() {
        return receive(&s, &id, &act, &actor, held).await;
    }
    let answer = |a: &Applied| AppliedOut::stored(a, StatusCode::OK);
    let answering = crate::idempotency::answering(&held, &answer);
    let result = s
        .engine
        .apply(ActRequest::new(&id, &act, &actor, s.clock.now()).expecting(expected).answering(answering.as_ref()))
        .await;
    s.metrics.act(&name, &result);
    match result {
        Ok(a) => AppliedOut::respond(&a, StatusCode::OK, held.is_some()),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// An opinion taken through the acts endpoint (a drafter entering one received on paper, say): it goes through
/// the engine's intake like the public endpoints' and is answered 201 with the stored row's number and receipt.
async fn receive(
    s: &AppState,
    id: &str,
    act: &Act,
    actor: &juece_engine::actor::Actor,
    held: Option<Extension<KeyClaim>>,
) -> Response {
    fn out(o: &Opinion) -> ReceivedOut {
        ReceivedOut {
            decision_id: o.decision_id.clone(),
            kind: o.kind,
            seq: o.seq,
            receipt: o.receipt.clone(),
            received_at: o.received_at,
        }
    }
    let answer: AnswerFn =
        std::sync::Arc::new(|o: &Opinion| crate::idempotency::stored_json(StatusCode::CREATED, &out(o)));
    let request = OpinionRequest {
        decision_id: id,
        act,
        actor,
        now: s.clock.now(),
        answer: held.as_ref().map(|Extension(h)| (h.clone(), answer.clone())),
    };
    let result = s.engine.receive(request).await;
    s.metrics.act(&act.name, &result);
    match result {
        Ok(o) if held.is_some() => crate::idempotency::answered(answer(&o)),
        Ok(o) => (StatusCode::CREATED, Json(out(&o))).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// An opinion as the intake stored it.
#[derive(Serialize, ToSchema)]
pub struct ReceivedOut {
    pub decision_id: String,
    pub kind: juece_engine::ledger::Kind,
    /// Its number among the decision's opinions of its kind.
    pub seq: i64,
    pub receipt: String,
    pub received_at: chrono::DateTime<chrono::Utc>,
}
