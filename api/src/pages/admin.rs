//! The administrator's pages: users with their unit, position and roles;
//! creating a user with an initial password; adding and removing roles.
//! Who may do this is decided by the engine (`Auth::*_by`), as for the API.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use juece_engine::actor::Role;
use juece_engine::auth::admin::{AdminError, FirstCredential};
use juece_engine::auth::{AuthError, NewUser};
use serde_json::{json, Value};

use super::form::Submitted;
use super::i18n::Lang;
use super::viewer::Viewer;
use super::{error_page, reason_json, render, see_other, seg, sign_in_first, Page};
use crate::server::AppState;

/// Roles an administrator hands out (the scheduler's `system` is never a person's).
pub(super) fn assignable() -> impl Iterator<Item = Role> {
    Role::ALL.into_iter().filter(|r| *r != Role::System)
}

pub(super) fn refusal(l: Lang, e: &AdminError) -> (StatusCode, Vec<Value>) {
    match e {
        AdminError::Refused(r) => (StatusCode::FORBIDDEN, r.reasons.iter().map(|x| super::reason_of(l, x)).collect()),
        AdminError::Auth(AuthError::AlreadyExists(n)) | AdminError::Auth(AuthError::UnknownUser(n)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![reason_json(l, "invalid_user", &e.to_string(), &e.to_string(), "", Some(n), Some("name".into()))],
        ),
        AdminError::Auth(AuthError::Invalid(m)) => {
            let m = m.to_string();
            (StatusCode::UNPROCESSABLE_ENTITY, vec![reason_json(l, "invalid_user", &m, &m, "", None, None)])
        }
        // A unit the directory does not hold: the reason with its closest names, on the unit field.
        AdminError::Auth(AuthError::Unit(r)) => {
            let d = r.detail.as_deref();
            let reason = reason_json(l, &r.reason_code, &r.message_zh, &r.message_en, "", d, Some("unit".into()));
            (StatusCode::UNPROCESSABLE_ENTITY, vec![reason])
        }
        other => {
            tracing::error!(error = %other, "user administration failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                vec![reason_json(l, "internal_error", &l.t("error-internal"), &l.t("error-internal"), "", None, None)],
            )
        }
    }
}

async fn users_page(
    s: &AppState,
    v: &Viewer,
    form: &Submitted,
    errors: Vec<Value>,
    status: StatusCode,
    note: Option<String>,
) -> Response {
    let Some(actor) = &v.actor else { return sign_in_first(v) };
    let l = v.lang;
    let users = match s.auth.users_for(actor).await {
        Ok(u) => u,
        Err(e) => {
            let (status, errors) = refusal(l, &e);
            return error_page(s, v, status, l.t("error-title"), l.t("error-forbidden"), errors);
        }
    };
    let roles: Vec<Value> = assignable().map(|r| json!({"key": r.as_str(), "label": l.role(r.as_str())})).collect();
    let rows: Vec<Value> = users
        .iter()
        .map(|u| {
            json!({"name": u.name, "display": u.display_name, "unit": u.unit, "position": u.position,
                "roles": u.roles.iter().map(|r| l.role(r.as_str())).collect::<Vec<_>>().join("、"),
                "action": format!("/admin/users/{}/roles", seg(&u.name)), "href": format!("/admin/users/{}", seg(&u.name)),
                "deactivated": u.deactivated_at.is_some()})
        })
        .collect();
    let chosen: Vec<&str> = form.all("roles");
    let data = json!({
        "users": rows, "roles": roles.iter().map(|r| {
            let mut r = r.clone();
            r["checked"] = Value::Bool(chosen.contains(&r["key"].as_str().unwrap_or("")));
            r
        }).collect::<Vec<_>>(),
        "errors": errors, "note": note,
        "name": form.get("name").unwrap_or(""), "display": form.get("display_name").unwrap_or(""),
        "unit": form.get("unit").unwrap_or(""), "position": form.get("position").unwrap_or(""),
    });
    render(s, v, Page::new("admin_users", l.t("admin-title"), data).status(status))
}

pub async fn users(State(s): State<AppState>, v: Viewer) -> Response {
    users_page(&s, &v, &Submitted::default(), Vec::new(), StatusCode::OK, None).await
}

pub async fn create_user(State(s): State<AppState>, v: Viewer, body: Bytes) -> Response {
    let (actor, form) = match super::signed_form(&s, &v, &body) {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let l = v.lang;
    let roles: Vec<Role> = form.all("roles").into_iter().filter_map(Role::parse).collect();
    let text = |k: &str| form.get(k).unwrap_or("").trim().to_string();
    let new = NewUser {
        name: text("name"),
        display_name: Some(text("display_name")).filter(|d| !d.is_empty()),
        unit: text("unit"),
        position: text("position"),
        roles,
    };
    let password = form.get("password").unwrap_or("").to_string();
    match s.auth.create_user_by(&actor, new, FirstCredential::Password(password), s.clock.now()).await {
        Ok(c) => {
            let note = l.t_args("admin-created", &[("name", c.user.name)]);
            users_page(&s, &v, &Submitted::default(), Vec::new(), StatusCode::OK, Some(note)).await
        }
        Err(e) => {
            let (status, errors) = refusal(l, &e);
            users_page(&s, &v, &form, errors, status, None).await
        }
    }
}

pub async fn change_roles(State(s): State<AppState>, v: Viewer, Path(name): Path<String>, body: Bytes) -> Response {
    let (actor, form) = match super::signed_form(&s, &v, &body) {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let role = form.get("role").and_then(Role::parse).filter(|r| *r != Role::System);
    let Some(role) = role else {
        let e = reason_json(v.lang, "invalid_role", "请选择角色", "choose a role", "", None, None);
        return users_page(&s, &v, &Submitted::default(), vec![e], StatusCode::UNPROCESSABLE_ENTITY, None).await;
    };
    let (add, remove) = if form.get("op") == Some("remove") { (vec![], vec![role]) } else { (vec![role], vec![]) };
    match s.auth.change_roles_by(&actor, &name, &add, &remove).await {
        // Back to where the change was asked: the user's own page, or the list.
        Ok(_) if form.get("back") == Some("user") => see_other(&format!("/admin/users/{}", seg(&name))),
        Ok(_) => see_other("/admin/users"),
        Err(e) => {
            let (status, errors) = refusal(v.lang, &e);
            users_page(&s, &v, &Submitted::default(), errors, status, None).await
        }
    }
}
