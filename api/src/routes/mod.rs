//! The JSON API under `/api/v1`, one file per resource. Each file returns an
//! `OpenApiRouter` (utoipa-axum): a route is registered together with its
//! `#[utoipa::path]` description, so the OpenAPI document is built from the
//! same list the router serves (`tests/api/openapi.rs` checks both ways).
//! Every handler extracts, makes one engine call and answers; no rule of
//! the procedure lives here.

pub mod accountability;
pub mod act_payloads;
pub mod acts;
pub mod adjustments;
pub mod auth;
pub mod calendars;
pub mod checks;
pub mod decisions;
pub mod docs;
mod docs_acts;
pub mod inbox;
pub mod memos;
pub mod opinions;
pub mod public;
pub mod record;
pub mod reports;
pub mod tokens;
pub mod units;
pub mod users;
pub mod workflows;

use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::middleware;
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use juece_engine::refusal::Detail;

use crate::problem::Problem;
use crate::server::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "juece API",
        description = "Major administrative decisions (重大行政决策) under State Council Decree No. 713. \
            Errors are application/problem+json with a stable reason_code, the article and messages in Chinese and English.",
        version = "1"
    ),
    modifiers(&Security),
    // The two shapes of a decision's facts (`DecisionView.facts`), named there by reference.
    components(schemas(Problem, juece_engine::procedure::facts::Facts, juece_engine::visibility::PublicFacts))
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("jct_…").build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::extract::SESSION_COOKIE))),
        );
    }
}

/// Complete the document built from the routes: every operation may answer 500 `internal_error` (the store
/// failed, a handler panicked), documented once here rather than on each route, so the document lists every
/// status the server can really return. (A `Modify` on [`ApiDoc`] would run before the routes are merged.)
pub fn complete(doc: &mut utoipa::openapi::OpenApi, engine: &juece_engine::orchestrator::Engine) {
    act_payloads::document(doc, engine);
    idempotency_key_schema(doc);
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
    let failure = ResponseBuilder::new()
        .description("internal error; quote the x-request-id header when reporting it")
        .content("application/problem+json", content)
        .build();
    for item in doc.paths.paths.values_mut() {
        let ops = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
        for op in ops.into_iter().flatten() {
            op.responses.responses.insert("5XX".into(), failure.clone().into());
        }
    }
}

/// The `Idempotency-Key` header, as `crate::idempotency` checks it, on every operation that takes one.
fn idempotency_key_schema(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let key = ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(255))
        .pattern(Some("^[!-~]{1,255}$"))
        .build();
    for item in doc.paths.paths.values_mut() {
        let ops = [&mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
        for op in ops.into_iter().flatten() {
            for p in op.parameters.iter_mut().flatten() {
                if p.name == "Idempotency-Key" {
                    p.schema = Some(key.clone().into());
                }
            }
        }
    }
}

/// Every `/api/v1` route with its documentation. The public endpoints and
/// sign-in are rate limited per client.
pub fn api(state: AppState) -> OpenApiRouter<AppState> {
    let limited = OpenApiRouter::new()
        .merge(public::router())
        .merge(auth::login_router())
        .merge(calendars::router())
        .route_layer(middleware::from_fn_with_state(state, crate::ratelimit::limit));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(decisions::router())
        .merge(acts::router())
        .merge(checks::router())
        .merge(adjustments::router())
        .merge(record::router())
        .merge(opinions::router())
        .merge(memos::router())
        .merge(workflows::router())
        .merge(auth::router())
        .merge(inbox::router())
        .merge(tokens::router())
        .merge(accountability::router())
        .merge(reports::router())
        .merge(users::router())
        .merge(units::router())
        .merge(calendars::admin_router())
        .merge(docs::router())
        .merge(limited)
}

/// A query string, answering problem+json when it does not fit.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        Query::<T>::from_request_parts(parts, state).await.map(|Query(q)| Params(q)).map_err(|e: QueryRejection| {
            let why = e.body_text();
            Problem::bad_request("invalid_query", Detail::new(format!("查询参数有误：{why}"), why))
        })
    }
}

/// Shared paging parameters.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    /// Page size (default 50, at most 200).
    pub limit: Option<i64>,
    /// Where the page starts (`next_offset` of the previous page).
    pub offset: Option<i64>,
}
