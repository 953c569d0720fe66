//! A decision's memos: the list, and one memo's body as HTML or Markdown,
//! or its HTML page printed as an A4 PDF (`crate::pdf`, when a browser is
//! configured; 503 `pdf_unavailable` when not). Memo HTML escapes user text
//! when rendered; it is also served with a content security policy that
//! forbids scripts, as a second wall. A PDF is read through the same rule
//! as the HTML it prints: a memo withheld from the reader is refused first.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
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

/// One memo: `file` is `<memo>.<lang>.<format>`, e.g. `proposal.zh.html`; `pdf` prints the HTML page as A4
/// with its fonts embedded (503 `pdf_unavailable` when the server has no browser configured).
#[utoipa::path(get, path = "/api/v1/decisions/{id}/memos/{seq}/{file}", tag = "decisions",
    params(("id" = String, Path, description = "decision id"), ("seq" = i64, Path, description = "the record that rendered it"),
        ("file" = String, Path, description = "`<memo>.<lang>.<format>` with format `html`, `md` or `pdf`")),
    responses((status = 200, content((String = "text/html"), (String = "text/markdown"), (String = "application/pdf"))),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "PDF asked for and no browser configured", body = Problem, content_type = "application/problem+json")),
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
    // A PDF is the HTML page printed: read (and authorized) as the HTML is.
    let pdf = *format == "pdf";
    let read = if pdf { "html" } else { format };
    match s.engine.read_memo(&id, seq, (memo, lang, read), &actor, s.clock.now()).await {
        Ok(m) if pdf => print(s.config.browser.as_ref(), &m.body, &file).await,
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

/// A document's page as PDF (a memo's, the annual report's), or why not.
pub(super) async fn print(browser: Option<&crate::pdf::Browser>, html: &str, file: &str) -> Response {
    let Some(browser) = browser else {
        return Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "pdf_unavailable",
            "本服务器未配置 PDF 输出",
            "this server does not produce PDF",
            Detail::new(crate::pdf::UNAVAILABLE_ZH, crate::pdf::UNAVAILABLE_EN),
        )
        .into_response();
    };
    match browser.print(html).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, format!("inline; filename=\"{}\"", file.replace('"', ""))),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => Problem::internal(&e).into_response(),
    }
}
