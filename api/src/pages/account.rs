//! The reader's own API tokens (for other systems that call the HTTP API on
//! their behalf): the list with labels and dates, a new token whose secret is
//! shown once on the answer page and never again (the page is not cached, and
//! the secret is neither logged nor stored), and revocation.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use super::tasks::china;
use super::viewer::Viewer;
use super::{error_page, reason_json, render, see_other, seg, sign_in_first, Page};
use crate::server::AppState;

async fn show(s: &AppState, v: &Viewer, created: Option<Value>, errors: Vec<Value>, status: StatusCode) -> Response {
    let Some(actor) = &v.actor else { return sign_in_first(v) };
    let l = v.lang;
    let tokens = match s.auth.tokens(&actor.user_id).await {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "listing a reader's tokens");
            return error_page(
                s,
                v,
                StatusCode::INTERNAL_SERVER_ERROR,
                l.t("error-title"),
                l.t("error-internal"),
                vec![],
            );
        }
    };
    let rows: Vec<Value> = tokens
        .iter()
        .map(|t| {
            json!({"id": t.id, "label": t.label, "created": china(l, t.created_at),
                "revoked": t.revoked_at.map(|r| china(l, r)),
                "action": format!("/account/tokens/{}/revoke", seg(&t.id))})
        })
        .collect();
    let data = json!({"tokens": rows, "created": created, "errors": errors});
    render(s, v, Page::new("tokens", l.t("tokens-title"), data).status(status))
}

pub async fn page(State(s): State<AppState>, v: Viewer) -> Response {
    show(&s, &v, None, Vec::new(), StatusCode::OK).await
}

pub async fn create(State(s): State<AppState>, v: Viewer, body: Bytes) -> Response {
    let (actor, form) = match super::signed_form(&s, &v, &body) {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let l = v.lang;
    let label = form.get("label").unwrap_or("").trim();
    if label.is_empty() {
        let e = reason_json(
            l,
            "invalid_form",
            "请填写令牌用途",
            "say what the token is for",
            "",
            None,
            Some("label".into()),
        );
        return show(&s, &v, None, vec![e], StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match s.auth.create_token(&actor.user_id, label, s.clock.now()).await {
        // Shown on this answer, never stored for a later GET: a reload does not show it again.
        Ok(c) => {
            show(&s, &v, Some(json!({"label": c.token.label, "secret": c.secret})), Vec::new(), StatusCode::OK).await
        }
        Err(e) => {
            let m = e.to_string();
            let err = reason_json(l, "invalid_form", &m, &m, "", None, Some("label".into()));
            show(&s, &v, None, vec![err], StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn revoke(State(s): State<AppState>, v: Viewer, Path(id): Path<String>, body: Bytes) -> Response {
    let (actor, _) = match super::signed_form(&s, &v, &body) {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    // Only the reader's own token can be revoked: the store matches the id and the owner together.
    match s.auth.revoke_token(&actor.user_id, &id, s.clock.now()).await {
        Ok(_) => see_other("/account/tokens"),
        Err(e) => {
            tracing::error!(error = %e, "revoking a token");
            let l = v.lang;
            error_page(&s, &v, StatusCode::INTERNAL_SERVER_ERROR, l.t("error-title"), l.t("error-internal"), vec![])
        }
    }
}
