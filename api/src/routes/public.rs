//! Public endpoints, no sign-in: open consultations, comments and hearing
//! suggestions on them, published decisions, feedback on them (Art. 35(2)), published catalogues. Rate limited per client (see `routes::api`); the
//! comment body is small and validated here for shape, by the engine's
//! `receive_comment` act for substance (the period must be running).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use juece_engine::act::Act;
use juece_engine::orchestrator::ActRequest;
use juece_engine::orchestrator::Applied;
use juece_engine::queries::ListQuery;
use juece_engine::store::idempotency::KeyClaim;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::decisions::PageOut;
use super::{Paging, Params};
use crate::extract::JsonBody;
use juece_engine::refusal::Detail;

use crate::problem::Problem;
use crate::server::AppState;

/// Largest name or contact accepted.
const MAX_FIELD: usize = 200;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(consultations))
        .routes(routes!(hearings))
        .routes(routes!(comment))
        .routes(routes!(suggest_hearing))
        .routes(routes!(published))
        .routes(routes!(feedback))
        .routes(routes!(catalogues))
}

fn paging(p: Paging) -> ListQuery {
    ListQuery { limit: p.limit.unwrap_or(0), offset: p.offset.unwrap_or(0), ..ListQuery::default() }
}

/// Public consultations: those open for comment now (the draft, the notice, how to comment) and those whose
/// period has ended, which stay listed with `facts.consultation.status` `ended` and when.
#[utoipa::path(get, path = "/api/v1/public/consultations", tag = "public", params(Paging),
    responses((status = 200, body = PageOut), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn consultations(State(s): State<AppState>, Params(p): Params<Paging>) -> Response {
    match s.engine.public_consultations(&paging(p), s.clock.now()).await {
        Ok(page) => Json(PageOut::from(page)).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// Hearings announced to the public: each decision's `facts.hearing` holds the notice (time, place, sides),
/// the selection method and the participant list once they are published (Art. 16).
#[utoipa::path(get, path = "/api/v1/public/hearings", tag = "public", params(Paging),
    responses((status = 200, body = PageOut), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn hearings(State(s): State<AppState>, Params(p): Params<Paging>) -> Response {
    match s.engine.public_hearings(&paging(p), s.clock.now()).await {
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
    /// The opinion (at most 20,000 characters, refused by the engine: 422).
    #[schema(max_length = 20000)]
    pub content: String,
    #[schema(max_length = 200)]
    pub name: Option<String>,
    /// How the drafter may reach the commenter; never published.
    #[schema(max_length = 200)]
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
async fn comment(
    State(s): State<AppState>,
    Path(id): Path<String>,
    held: Option<Extension<KeyClaim>>,
    JsonBody(c): JsonBody<CommentIn>,
) -> Response {
    let now = s.clock.now();
    let out = |a: &Applied| CommentOut {
        decision_id: a.decision.id.clone(),
        opinion_id: a.decision.facts.opinions.len(),
        received_at: now,
    };
    public_act(&s, (&id, "receive_comment", now), c, held, &out).await
}

#[derive(Serialize, ToSchema)]
pub struct SuggestionOut {
    pub decision_id: String,
    /// The suggestion's number on the decision; the unit's decision on it is
    /// the act `decide_hearing_suggestion`.
    pub suggestion_id: usize,
    pub received_at: chrono::DateTime<chrono::Utc>,
}

/// Suggest a hearing on a decision open for comment (听证建议), with the
/// reasons in `content`. The undertaking unit records whether it holds one,
/// with a reason; where the jurisdiction requires it (Guangdong 2023), public
/// participation cannot close while a suggestion is undecided. A matter not
/// to be disclosed by law takes none.
#[utoipa::path(post, path = "/api/v1/public/consultations/{id}/hearing-suggestions", tag = "public",
    request_body = CommentIn,
    params(("id" = String, Path, description = "decision id"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first answer")),
    responses((status = 201, body = SuggestionOut),
        (status = 422, description = "refused, e.g. the comment period is closed or the matter is non-disclosable", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn suggest_hearing(
    State(s): State<AppState>,
    Path(id): Path<String>,
    held: Option<Extension<KeyClaim>>,
    JsonBody(c): JsonBody<CommentIn>,
) -> Response {
    let now = s.clock.now();
    let out = |a: &Applied| SuggestionOut {
        decision_id: a.decision.id.clone(),
        suggestion_id: a.decision.facts.hearing_suggestions.len(),
        received_at: now,
    };
    public_act(&s, (&id, "suggest_hearing", now), c, held, &out).await
}

/// A public act (anonymous) at `now`, answered 201 with `out` of the accepted act.
async fn public_act<T: Serialize>(
    s: &AppState,
    (id, name, now): (&str, &str, chrono::DateTime<chrono::Utc>),
    c: CommentIn,
    held: Option<Extension<KeyClaim>>,
    out: &(dyn Fn(&Applied) -> T + Send + Sync),
) -> Response {
    let payload = match opinion_payload(c) {
        Ok(p) => p,
        Err(problem) => return problem.into_response(),
    };
    let act = Act::new(name, payload);
    let answer = |a: &Applied| crate::idempotency::stored_json(StatusCode::CREATED, &out(a));
    let answering = crate::idempotency::answering(&held, &answer);
    let anonymous = juece_engine::auth::anonymous();
    let result = s.engine.apply(ActRequest::new(id, &act, &anonymous, now).answering(answering.as_ref())).await;
    s.metrics.act(name, &result);
    match result {
        Ok(a) if held.is_some() => crate::idempotency::answered(answer(&a)),
        Ok(a) => (StatusCode::CREATED, Json(out(&a))).into_response(),
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
            return Err(Problem::bad_request(
                "invalid_body",
                Detail::new(
                    format!("{field} 不超过{MAX_FIELD}个字符"),
                    format!("{field} is at most {MAX_FIELD} characters"),
                ),
            ));
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

/// A page of published catalogues.
#[derive(Serialize, ToSchema)]
pub struct CataloguePageOut {
    pub items: Vec<juece_engine::published::PublishedCatalogue>,
    pub next_offset: Option<i64>,
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
async fn feedback(
    State(s): State<AppState>,
    Path(id): Path<String>,
    held: Option<Extension<KeyClaim>>,
    JsonBody(c): JsonBody<CommentIn>,
) -> Response {
    let now = s.clock.now();
    let out = |a: &Applied| FeedbackOut {
        decision_id: a.decision.id.clone(),
        feedback_id: a.decision.facts.feedback.len(),
        received_at: now,
    };
    public_act(&s, (&id, "submit_feedback", now), c, held, &out).await
}

/// Published annual catalogues of decision matters (Art. 3(3)), with the
/// items of the version published last. A catalogue is a record of the
/// `catalogue` workflow: opened with `POST /api/v1/decisions` naming that
/// workflow (act `create_catalogue`) and carried on with the generic acts
/// endpoint (`record_party_consent`, `publish_catalogue`, `adjust_catalogue`).
#[utoipa::path(get, path = "/api/v1/public/catalogues", tag = "public", params(Paging),
    responses((status = 200, body = CataloguePageOut),
        (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn catalogues(State(s): State<AppState>, Params(p): Params<Paging>) -> Response {
    match s.engine.public_catalogues(&paging(p)).await {
        Ok(page) => Json(CataloguePageOut { items: page.items, next_offset: page.next_offset }).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}
