//! A decision's memos: the list, and one memo's body as HTML or Markdown.
//! Memo HTML escapes user text when rendered; it is also served with a
//! content security policy that forbids scripts, as a second wall.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use juece_engine::queries::MemoInfo;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::Caller;
use juece_engine::refusal::Detail;

use crate::problem::Problem;
use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_memos)).routes(routes!(get_memo))
}

/// The memos of a decision, without their bodies.
#[utoipa::path(get, path = "/api/v1/decisions/{id}/memos", tag = "decisions",
    params(("id" = String, Path, description = "decision id")),
    responses((status = 200, body = Vec<MemoInfo>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn list_memos(State(s): State<AppState>, Caller(actor): Caller, Path(id): Path<String>) -> Response {
    match s.engine.read_memos(&id, &actor, s.clock.now()).await {
        Ok(list) => Json(list).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// One memo: `file` is `<memo>.<lang>.<format>`, e.g. `proposal.zh.html`.
#[utoipa::path(get, path = "/api/v1/decisions/{id}/memos/{seq}/{file}", tag = "decisions",
    params(("id" = String, Path, description = "decision id"), ("seq" = i64, Path, description = "the record that rendered it"),
        ("file" = String, Path, description = "`<memo>.<lang>.<format>` with format `html` or `md`")),
    responses((status = 200, content((String = "text/html"), (String = "text/markdown"))), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn get_memo(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path((id, seq, file)): Path<(String, i64, String)>,
) -> Response {
    let parts: Vec<&str> = file.split('.').collect();
    let [memo, lang, format] = parts.as_slice() else {
        return Problem::not_found(Detail::new(
            format!("文书文件 {file:?}：应为 <memo>.<lang>.<format>"),
            format!("memo file {file:?}: expected <memo>.<lang>.<format>"),
        ))
        .into_response();
    };
    match s.engine.read_memo(&id, seq, (memo, lang, format), &actor, s.clock.now()).await {
        Ok(m) => {
            let content_type =
                if m.format == "html" { "text/html; charset=utf-8" } else { "text/markdown; charset=utf-8" };
            (
                [
                    (header::CONTENT_TYPE, content_type),
                    (header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'"),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                ],
                m.body,
            )
                .into_response()
        }
        Err(e) => Problem::from(e).into_response(),
    }
}
