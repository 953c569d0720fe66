//! The public's opinions on a decision (full readers; the engine decides who sees senders and hidden text):
//! a filtered list paged by cursor, the campaigns, the counts, and a CSV export streamed page by page, so a
//! million rows cost the server one page of memory.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use juece_engine::actor::Actor;
use juece_engine::ledger::{Kind, OpinionQuery};
use juece_engine::queries::{csv_rows, parse_cursor, CampaignView, OpinionCount, OpinionPage};
use juece_engine::refusal::Detail;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Params;
use crate::extract::Caller;
use crate::problem::Problem;
use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(campaigns))
        .routes(routes!(counts))
        .routes(routes!(export))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct OpinionParams {
    /// `comment`, `feedback` or `hearing_suggestion` (default: all).
    pub kind: Option<Kind>,
    /// Only comments on this notice.
    pub notice: Option<i64>,
    /// Only the members of this campaign (its first opinion's number).
    pub campaign: Option<i64>,
    /// One row per distinct opinion (campaign leaders only).
    pub leaders: Option<bool>,
    /// `open`, `settled`, `hidden`, or an outcome (`adopted`, `partly`, `not_adopted`, `hold`, `no_hearing`).
    pub disposition: Option<String>,
    /// `named` or `anonymous`.
    pub submitter: Option<String>,
    /// Received at or after.
    pub from: Option<DateTime<Utc>>,
    /// Received before.
    pub until: Option<DateTime<Utc>>,
    /// Text the opinion holds (matched by characters: any language, no word list).
    pub q: Option<String>,
    /// The `next` of the previous page.
    pub after: Option<String>,
    /// Page size (default 50, at most 200).
    pub limit: Option<i64>,
}

impl OpinionParams {
    // A Problem is built at most once per failed request: its size costs nothing worth boxing.
    #[allow(clippy::result_large_err)]
    fn query(self, decision_id: String) -> Result<OpinionQuery, Problem> {
        let after = match self.after.as_deref() {
            None | Some("") => None,
            Some(c) => Some(parse_cursor(c).ok_or_else(|| {
                Problem::bad_request(
                    "invalid_query",
                    Detail::new(format!("翻页标记无效：{c}"), format!("bad cursor `{c}`")),
                )
            })?),
        };
        Ok(OpinionQuery {
            decision_id,
            kind: self.kind,
            notice: self.notice,
            cluster: self.campaign,
            leaders_only: self.leaders.unwrap_or(false),
            disposition: self.disposition.filter(|d| !d.is_empty()),
            submitter: self.submitter.filter(|d| !d.is_empty()),
            from: self.from,
            until: self.until,
            text: self.q.filter(|q| !q.trim().is_empty()),
            after,
            limit: self.limit.unwrap_or(50),
        })
    }
}

/// A page of a decision's opinions, by kind and number; `next` is the cursor of the next page. The sender is
/// shown to the decision's drafters and oversight only; a hidden text to them and the general office only.
#[utoipa::path(get, path = "/api/v1/decisions/{id}/opinions", tag = "opinions",
    params(("id" = String, Path, description = "decision id"), OpinionParams),
    responses((status = 200, body = OpinionPage), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn list(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    Params(p): Params<OpinionParams>,
) -> Response {
    let q = match p.query(id) {
        Ok(q) => q,
        Err(problem) => return problem.into_response(),
    };
    match s.engine.read_opinions(&actor, &q, s.clock.now()).await {
        Ok(page) => Json(page).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignParams {
    /// Default `comment`.
    pub kind: Option<Kind>,
    /// The first opinion's number of the last campaign of the previous page.
    pub after: Option<i64>,
    pub limit: Option<i64>,
}

/// A decision's campaigns — identical or near-identical opinions grouped as they arrived — each as its first
/// opinion, how many sent it and how many of them still wait for a disposition.
#[utoipa::path(get, path = "/api/v1/decisions/{id}/opinions/campaigns", tag = "opinions",
    params(("id" = String, Path, description = "decision id"), CampaignParams),
    responses((status = 200, body = Vec<CampaignView>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn campaigns(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    Params(p): Params<CampaignParams>,
) -> Response {
    let kind = p.kind.unwrap_or(Kind::Comment);
    let page = s.engine.read_campaigns(&actor, &id, kind, p.after.unwrap_or(0), p.limit.unwrap_or(50), s.clock.now());
    match page.await {
        Ok(page) => Json(page).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// How many opinions of each kind a decision received, how many distinct opinions still wait for a
/// disposition, and each chain's head.
#[utoipa::path(get, path = "/api/v1/decisions/{id}/opinions/counts", tag = "opinions",
    params(("id" = String, Path, description = "decision id")),
    responses((status = 200, body = Vec<OpinionCount>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn counts(State(s): State<AppState>, Caller(actor): Caller, Path(id): Path<String>) -> Response {
    match s.engine.read_opinion_counts(&actor, &id, s.clock.now()).await {
        Ok(c) => Json(c).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// Rows fetched per step of an export.
const EXPORT_PAGE: i64 = 200;

/// The opinions as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese), with the
/// same filters as the list, every page of them, streamed as it is read: campaign, disposition and who
/// disposed of it, the reason a text was hidden, and each row's chain hash. What this reader may not see is
/// left empty, as in the list.
#[utoipa::path(get, path = "/api/v1/decisions/{id}/opinions/export.csv", tag = "opinions",
    params(("id" = String, Path, description = "decision id"), OpinionParams),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn export(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    Params(p): Params<OpinionParams>,
) -> Response {
    let mut q = match p.query(id.clone()) {
        Ok(q) => q,
        Err(problem) => return problem.into_response(),
    };
    q.limit = EXPORT_PAGE;
    // The first page is read before answering, so a reader who may not read the decision gets the refusal.
    let first = match s.engine.read_opinions(&actor, &q, s.clock.now()).await {
        Ok(page) => page,
        Err(e) => return Problem::from(e).into_response(),
    };
    let head = format!("\u{feff}{}", csv_rows(&first.items, true));
    let state = Some((s, actor, q, first.next));
    let rest = futures_util::stream::unfold(state, |state| async move {
        let (s, actor, mut q, next) = state?;
        let after = next.as_deref().and_then(parse_cursor)?;
        q.after = Some(after);
        match s.engine.read_opinions(&actor, &q, s.clock.now()).await {
            Ok(page) => {
                let chunk = csv_rows(&page.items, false);
                Some((Ok::<_, std::io::Error>(chunk), Some((s, actor, q, page.next))))
            }
            Err(e) => {
                tracing::warn!(error = %e, "an opinion export stopped");
                Some((
                    Err(std::io::Error::other(e.to_string())),
                    None::<(AppState, Actor, OpinionQuery, Option<String>)>,
                ))
            }
        }
    });
    let body = futures_util::stream::once(async move { Ok::<_, std::io::Error>(head) });
    let disposition = format!(
        "attachment; filename=\"opinions-{}.csv\"",
        id.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_")
    );
    (
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        Body::from_stream(futures_util::StreamExt::chain(body, rest)),
    )
        .into_response()
}
