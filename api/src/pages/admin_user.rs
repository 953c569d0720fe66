//! One user, for the administrator: where they work (display name, unit,
//! position), their roles, and deactivation or reactivation. A user is never
//! deleted — the record names them — so "remove" is deactivation, which ends
//! their sessions and tokens. Who may do this is decided by the engine, as for
//! the API (`Auth::*_by`).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use juece_engine::auth::admin::Placement;
use serde_json::{json, Value};

use super::admin::{assignable, refusal};
use super::tasks::china;
use super::viewer::Viewer;
use super::{error_page, render, see_other, seg, sign_in_first, Page};
use crate::server::AppState;

async fn show(s: &AppState, v: &Viewer, name: &str, errors: Vec<Value>, status: StatusCode) -> Response {
    let Some(actor) = &v.actor else { return sign_in_first(v) };
    let l = v.lang;
    let u = match s.auth.user_for(actor, name).await {
        Ok(u) => u,
        Err(e) => {
            let (status, errors) = refusal(l, &e);
            return error_page(s, v, status, l.t("error-title"), l.t("error-forbidden"), errors);
        }
    };
    let base = format!("/admin/users/{}", seg(&u.name));
    let roles: Vec<Value> = assignable().map(|r| json!({"key": r.as_str(), "label": l.role(r.as_str())})).collect();
    let data = json!({
        "name": u.name, "display": u.display_name, "unit": u.unit, "position": u.position,
        "roles_text": u.roles.iter().map(|r| l.role(r.as_str())).collect::<Vec<_>>().join("、"), "roles": roles,
        "deactivated": u.deactivated_at.map(|t| china(l, t)), "created": china(l, u.created_at),
        "place_action": base.clone(), "roles_action": format!("{base}/roles"),
        "status_action": format!("{base}/{}", if u.deactivated_at.is_some() { "reactivate" } else { "deactivate" }),
        "errors": errors,
    });
    render(s, v, Page::new("admin_user", u.display_name.clone(), data).status(status))
}

pub async fn page(State(s): State<AppState>, v: Viewer, Path(name): Path<String>) -> Response {
    show(&s, &v, &name, Vec::new(), StatusCode::OK).await
}

/// Move the user to another unit or position, or correct their display name.
pub async fn place(State(s): State<AppState>, v: Viewer, Path(name): Path<String>, body: Bytes) -> Response {
    let (actor, form) = match super::signed_form(&s, &v, &body) {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let text = |k: &str| form.get(k).map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
    let p = Placement { display_name: text("display_name"), unit: text("unit"), position: text("position") };
    match s.auth.change_placement_by(&actor, &name, p).await {
        Ok(_) => see_other(&format!("/admin/users/{}", seg(&name))),
        Err(e) => {
            let (status, errors) = refusal(v.lang, &e);
            show(&s, &v, &name, errors, status).await
        }
    }
}

/// Deactivate (`op` = `deactivate`) or reactivate the user.
pub async fn status(
    State(s): State<AppState>,
    v: Viewer,
    Path((name, op)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let (actor, _) = match super::signed_form(&s, &v, &body) {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let done = match op.as_str() {
        "deactivate" => s.auth.deactivate_by(&actor, &name, s.clock.now()).await,
        "reactivate" => s.auth.reactivate_by(&actor, &name).await,
        _ => return super::not_found(&s, &v),
    };
    match done {
        Ok(_) => see_other(&format!("/admin/users/{}", seg(&name))),
        Err(e) => {
            let (status, errors) = refusal(v.lang, &e);
            show(&s, &v, &name, errors, status).await
        }
    }
}
