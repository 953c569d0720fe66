//! Public endpoints, no sign-in: open consultations, comments and hearing
//! suggestions on them, published decisions, feedback on them (Art. 35(2)), published catalogues. Rate limited per client (see `routes::api`); the
//! comment body is small and validated here for shape, by the engine's
//! `receive_comment` act for substance (the period must be running).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use juece_engine::act::Act;
use std::sync::Arc;

use juece_engine::ledger::Opinion;
use juece_engine::orchestrator::OpinionRequest;
use juece_engine::queries::ListQuery;
use juece_engine::queries::ReceiptView;
use juece_engine::store::idempotency::KeyClaim;
use juece_engine::store::opinions::AnswerFn;
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
        .routes(routes!(receipt))
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
    pub opinion_id: i64,
    /// The sender's receipt: `GET /api/v1/public/receipts/{receipt}` shows what became of the comment.
    pub receipt: String,
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
    let out = |o: &Opinion| CommentOut {
        decision_id: o.decision_id.clone(),
        opinion_id: o.seq,
        receipt: o.receipt.clone(),
        received_at: o.received_at,
    };
    public_act(&s, (&id, "receive_comment"), c, held, out).await
}

#[derive(Serialize, ToSchema)]
pub struct SuggestionOut {
    pub decision_id: String,
    /// The suggestion's number on the decision; the unit's decision on it is
    /// the act `decide_hearing_suggestion`.
    pub suggestion_id: i64,
    /// The sender's receipt (see `CommentOut`).
    pub receipt: String,
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
    let out = |o: &Opinion| SuggestionOut {
        decision_id: o.decision_id.clone(),
        suggestion_id: o.seq,
        receipt: o.receipt.clone(),
        received_at: o.received_at,
    };
    public_act(&s, (&id, "suggest_hearing"), c, held, out).await
}

/// An opinion from the public (anonymous) through the engine's intake, answered 201 with `out` of the stored
/// row; under an idempotency key the answer is stored with the row.
async fn public_act<T: Serialize + 'static>(
    s: &AppState,
    (id, name): (&str, &str),
    c: CommentIn,
    held: Option<Extension<KeyClaim>>,
    out: fn(&Opinion) -> T,
) -> Response {
    let payload = match opinion_payload(c) {
        Ok(p) => p,
        Err(problem) => return problem.into_response(),
    };
    if let Err(wait) = s.consultations.check(&id.to_string()) {
        return crate::ratelimit::too_many(wait);
    }
    let act = Act::new(name, payload);
    let answer: AnswerFn = Arc::new(move |o: &Opinion| crate::idempotency::stored_json(StatusCode::CREATED, &out(o)));
    let anonymous = juece_engine::auth::anonymous();
    let request = OpinionRequest {
        decision_id: id,
        act: &act,
        actor: &anonymous,
        now: s.clock.now(),
        answer: held.as_ref().map(|Extension(h)| (h.clone(), answer.clone())),
    };
    let result = s.engine.receive(request).await;
    s.metrics.act(name, &result);
    match result {
        Ok(o) if held.is_some() => crate::idempotency::answered(answer(&o)),
        Ok(o) => (StatusCode::CREATED, Json(out(&o))).into_response(),
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
    pub feedback_id: i64,
    /// The sender's receipt (see `CommentOut`).
    pub receipt: String,
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
    let out = |o: &Opinion| FeedbackOut {
        decision_id: o.decision_id.clone(),
        feedback_id: o.seq,
        receipt: o.receipt.clone(),
        received_at: o.received_at,
    };
    public_act(&s, (&id, "submit_feedback"), c, held, out).await
}

/// What became of an opinion, by the receipt its sender was given: when it was received, its text (unless it
/// was hidden, with the reason), its link in the decision's chain of opinions, and its disposition once there
/// is one. No sign-in: the receipt is the sender's, and shows nothing of anyone else's.
#[utoipa::path(get, path = "/api/v1/public/receipts/{receipt}", tag = "public",
    params(("receipt" = String, Path, description = "the receipt number")),
    responses((status = 200, body = ReceiptView),
        (status = "4XX", body = Problem, content_type = "application/problem+json")))]
async fn receipt(State(s): State<AppState>, Path(receipt): Path<String>) -> Response {
    match s.engine.read_receipt(&receipt).await {
        Ok(r) => Json(r).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
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
