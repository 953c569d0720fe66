//! The web UI: server-rendered HTML at `/`, over the same `Engine` calls as
//! the JSON API (no second path to the database, no rule of the procedure
//! here). Pages work without JavaScript; every form carries a CSRF token and
//! answers a POST with a redirect (POST-redirect-GET), acts under an
//! idempotency key so a double click acts once.
//!
//! * `viewer` — who reads, in which language, and their CSRF token;
//! * `i18n` — the Fluent catalogues (`api/locales/`);
//! * `form` — act forms generated from the act payload schemas (`field_order`: in declared order);
//! * `auth`, `tasks`, `decision`, `act`, `ledger`, `meeting`, `review`, `public`, `admin`, `admin_user`, `calendar`,
//!   `account`, `oversight`, `verify` — the pages;
//! * templates in `api/templates/`, the style sheet in `api/static/`.

pub mod account;
pub mod act;
pub mod admin;
pub mod admin_user;
pub mod auth;
pub mod calendar;
pub mod decision;
pub mod field_order;
pub mod form;
pub mod i18n;
pub mod ledger;
pub mod map;
pub mod meeting;
pub mod oversight;
pub mod public;
pub mod review;
pub mod tasks;
pub mod verify;
pub mod viewer;

use std::sync::OnceLock;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use handlebars::Handlebars;
use juece_engine::Error;
use serde_json::{json, Value};

use crate::server::AppState;
use i18n::Lang;
use viewer::Viewer;

/// The templates, compiled once.
pub struct Ui {
    hb: Handlebars<'static>,
    /// The API document as JSON, parsed on first use (forms read its schemas).
    doc: OnceLock<Value>,
    /// The declared order of the document's properties (forms list fields in it).
    order: OnceLock<field_order::FieldOrder>,
}

/// `(name, source)` of every template.
const TEMPLATES: &[(&str, &str)] = &[
    ("layout", include_str!("../../templates/layout.hbs")),
    ("errors", include_str!("../../templates/errors.hbs")),
    ("error_page", include_str!("../../templates/error_page.hbs")),
    ("login", include_str!("../../templates/login.hbs")),
    ("tasks", include_str!("../../templates/tasks.hbs")),
    ("decisions", include_str!("../../templates/decisions.hbs")),
    ("decision", include_str!("../../templates/decision.hbs")),
    ("act", include_str!("../../templates/act.hbs")),
    ("confirm", include_str!("../../templates/confirm.hbs")),
    ("public_home", include_str!("../../templates/public_home.hbs")),
    ("public_decision", include_str!("../../templates/public_decision.hbs")),
    ("public_receipt", include_str!("../../templates/public_receipt.hbs")),
    ("admin_users", include_str!("../../templates/admin_users.hbs")),
    ("admin_user", include_str!("../../templates/admin_user.hbs")),
    ("accountability", include_str!("../../templates/accountability.hbs")),
    ("ledger", include_str!("../../templates/ledger.hbs")),
    ("review", include_str!("../../templates/review.hbs")),
    ("tokens", include_str!("../../templates/tokens.hbs")),
    ("calendar", include_str!("../../templates/calendar.hbs")),
    ("meeting", include_str!("../../templates/meeting.hbs")),
    ("verify", include_str!("../../templates/verify.hbs")),
];

const CSS: &str = include_str!("../../static/juece.css");

impl Ui {
    pub fn new() -> Ui {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(false);
        for (name, source) in TEMPLATES {
            // The templates ship in the binary; a broken one is a build defect the tests catch at once.
            if let Err(e) = hb.register_template_string(name, *source) {
                panic!("template {name}: {e}");
            }
        }
        // `errors` is also a partial, included by the pages that show an error summary.
        if let Err(e) = hb.register_partial("errors", TEMPLATES[1].1) {
            panic!("partial errors: {e}");
        }
        hb.register_helper("fluent", Box::new(fluent_templates::FluentLoader::new(&*i18n::LOCALES)));
        Ui { hb, doc: OnceLock::new(), order: OnceLock::new() }
    }

    /// The API document's JSON (the schemas of act payloads).
    pub fn doc(&self, state: &AppState) -> &Value {
        self.doc.get_or_init(|| state.openapi.get().and_then(|s| serde_json::from_str(s).ok()).unwrap_or(Value::Null))
    }

    /// The declared order of the document's properties.
    pub fn field_order(&self, state: &AppState) -> &field_order::FieldOrder {
        self.order.get_or_init(|| state.openapi.get().map(|s| field_order::FieldOrder::of(s)).unwrap_or_default())
    }
}

impl Default for Ui {
    fn default() -> Self {
        Ui::new()
    }
}

/// A page to send: its template, title and data.
pub struct Page {
    pub template: &'static str,
    pub title: String,
    pub data: Value,
    pub status: StatusCode,
    /// The public portal: no navigation of the signed-in, a simpler frame.
    pub public: bool,
}

impl Page {
    pub fn new(template: &'static str, title: impl Into<String>, data: Value) -> Page {
        Page { template, title: title.into(), data, status: StatusCode::OK, public: false }
    }

    pub fn status(mut self, status: StatusCode) -> Page {
        self.status = status;
        self
    }

    pub fn public(mut self) -> Page {
        self.public = true;
        self
    }
}

/// The navigation of a signed-in reader, by role.
fn nav(v: &Viewer) -> Vec<Value> {
    use juece_engine::actor::Role;
    let l = v.lang;
    let mut items = vec![("/", "nav-tasks"), ("/decisions", "nav-decisions")];
    if v.has_role(Role::Drafter) {
        items.push(("/decisions/new", "nav-new"));
    }
    if v.has_role(Role::LegalityReviewer) || v.has_role(Role::LegalAdviser) {
        items.push(("/review", "nav-review"));
    }
    if v.has_role(Role::GeneralOffice) || v.has_role(Role::Oversight) {
        items.push(("/accountability", "nav-accountability"));
        items.push(("/accountability/verify", "nav-verify"));
    }
    if v.has_role(Role::Administrator) {
        items.push(("/admin/users", "nav-admin"));
        items.push(("/admin/calendar", "nav-calendar"));
    }
    items.push(("/account/tokens", "nav-tokens"));
    items.push(("/public", "nav-public"));
    let path = v.here.split('?').next().unwrap_or("/");
    items.into_iter().map(|(href, key)| json!({"href": href, "label": l.t(key), "current": path == href})).collect()
}

/// Render `page` for `v` inside the layout.
pub fn render(state: &AppState, v: &Viewer, page: Page) -> Response {
    let ui = &state.ui;
    let lang = v.lang.tag();
    let mut ctx = match page.data {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    let user = v.actor.as_ref().map(|a| json!({"name": a.name, "unit": a.unit, "user_id": a.user_id}));
    for (k, val) in [
        ("lang", json!(lang)),
        ("csrf", json!(v.csrf)),
        ("here", json!(v.here)),
        ("other_lang", json!(v.lang.other().code())),
        ("other_lang_tag", json!(v.lang.other().tag())),
        ("user", user.unwrap_or(Value::Null)),
        ("public", json!(page.public)),
        ("title", json!(page.title)),
    ] {
        ctx.insert(k.to_string(), val);
    }
    ctx.insert("nav".into(), json!(nav(v)));
    let ctx = Value::Object(ctx);
    let body = ui.hb.render(page.template, &ctx).and_then(|content| {
        let mut outer = ctx.clone();
        outer["content"] = Value::String(content);
        ui.hb.render("layout", &outer)
    });
    match body {
        Ok(html) => {
            let mut resp = (page.status, axum::response::Html(html)).into_response();
            let h = resp.headers_mut();
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            h.insert("x-frame-options", HeaderValue::from_static("DENY"));
            h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'"),
            );
            if let Some(c) = &v.new_csrf_cookie {
                h.append(header::SET_COOKIE, c.clone());
            }
            resp
        }
        Err(e) => {
            tracing::error!(error = %e, template = page.template, "rendering a page");
            (StatusCode::INTERNAL_SERVER_ERROR, "page rendering failed").into_response()
        }
    }
}

/// One reason shown in an error summary.
pub fn reason_json(
    lang: Lang,
    code: &str,
    zh: &str,
    en: &str,
    article: &str,
    detail: Option<&str>,
    field: Option<String>,
) -> Value {
    let message = if lang == Lang::En { en } else { zh };
    json!({"code": code, "message": message, "article": article, "detail": detail, "field": field})
}

/// One reason of the engine's, for an error summary.
pub fn reason_of(lang: Lang, x: &juece_engine::refusal::Reason) -> Value {
    reason_json(lang, &x.reason_code, &x.message_zh, &x.message_en, &x.article, x.detail.as_deref(), None)
}

/// An engine error as a page: refusals listed with their articles.
pub fn engine_error(state: &AppState, v: &Viewer, e: &Error) -> Response {
    let l = v.lang;
    let (status, heading, message, errors) = match e {
        Error::Refused(r) => {
            let forbidden =
                r.reasons.iter().any(|x| matches!(x.reason_code.as_str(), "role_not_permitted" | "not_assigned"));
            let status = if forbidden { StatusCode::FORBIDDEN } else { StatusCode::UNPROCESSABLE_ENTITY };
            let errors: Vec<Value> = r.reasons.iter().map(|x| reason_of(l, x)).collect();
            (status, l.t("error-title"), if forbidden { l.t("error-forbidden") } else { String::new() }, errors)
        }
        Error::NotFound(_) | Error::UnknownWorkflow(_) => {
            (StatusCode::NOT_FOUND, l.t("error-title"), l.t("error-not-found"), Vec::new())
        }
        Error::Conflict { .. } => (StatusCode::CONFLICT, l.t("error-title"), l.t("error-conflict"), Vec::new()),
        other => {
            tracing::error!(error = %other, "a page's engine call failed");
            (StatusCode::INTERNAL_SERVER_ERROR, l.t("error-title"), l.t("error-internal"), Vec::new())
        }
    };
    error_page(state, v, status, heading, message, errors)
}

pub fn error_page(
    state: &AppState,
    v: &Viewer,
    status: StatusCode,
    heading: String,
    message: String,
    errors: Vec<Value>,
) -> Response {
    let data = json!({"heading": heading, "message": message, "errors": errors});
    render(state, v, Page::new("error_page", heading.clone(), data).status(status))
}

pub fn not_found(state: &AppState, v: &Viewer) -> Response {
    let l = v.lang;
    error_page(state, v, StatusCode::NOT_FOUND, l.t("error-title"), l.t("error-not-found"), Vec::new())
}

/// 403 for a form whose CSRF token is not the reader's.
pub fn csrf_refused(state: &AppState, v: &Viewer) -> Response {
    let l = v.lang;
    error_page(state, v, StatusCode::FORBIDDEN, l.t("error-title"), l.t("error-csrf"), Vec::new())
}

/// A form sent by a signed-in reader with their CSRF token: who sent it and what it holds, or the answer that
/// sends them to sign in or refuses the forged form (nothing is done either way).
#[allow(clippy::result_large_err)]
pub fn signed_form(
    s: &AppState,
    v: &Viewer,
    body: &[u8],
) -> Result<(juece_engine::actor::Actor, form::Submitted), Response> {
    let Some(actor) = v.actor.clone() else { return Err(sign_in_first(v)) };
    let form = form::Submitted::parse(body);
    if !v.csrf_ok(form.get("_csrf")) {
        return Err(csrf_refused(s, v));
    }
    Ok((actor, form))
}

/// Send the reader to sign in, and back here afterwards.
pub fn sign_in_first(v: &Viewer) -> Response {
    let next: String = form_urlencoded::byte_serialize(v.here.as_bytes()).collect();
    Redirect::to(&format!("/login?next={next}")).into_response()
}

/// After a POST: see the result with a GET.
pub fn see_other(location: &str) -> Response {
    Redirect::to(location).into_response()
}

/// A path segment as a link target.
pub fn seg(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>().replace('+', "%20")
}

async fn css() -> Response {
    let mut resp = CSS.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    resp
}

/// Every page route. Sign-in and the public forms are rate limited per client, as their API twins are.
pub fn router(state: AppState) -> Router<AppState> {
    let limited = Router::new()
        .route("/login", post(auth::login))
        .route("/public/decisions/{id}/comment", post(public::comment))
        .route("/public/decisions/{id}/feedback", post(public::feedback))
        .route_layer(axum::middleware::from_fn_with_state(state, crate::ratelimit::limit));
    Router::new()
        .route("/assets/juece.css", get(css))
        .route("/login", get(auth::login_page))
        .route("/logout", post(auth::logout))
        .route("/lang", post(auth::switch_language))
        .route("/", get(tasks::home))
        .route("/inbox/{id}/read", post(tasks::mark_read))
        .route("/decisions", get(tasks::decisions))
        .route("/decisions/new", get(act::new_page).post(act::new_submit))
        .route("/decisions/{id}", get(decision::page))
        .route("/decisions/{id}/memos/{seq}/{file}", get(decision::memo))
        .route("/decisions/{id}/acts/{act}", get(act::form_page).post(act::submit))
        .route("/decisions/{id}/opinions", get(ledger::page).post(ledger::submit))
        .route("/decisions/{id}/meeting", get(meeting::page))
        .route("/public", get(public::home))
        .route("/public/decisions/{id}", get(public::decision))
        .route("/public/receipts/{receipt}", get(public::receipt))
        .route("/accountability", get(oversight::who))
        .route("/accountability/verify", get(verify::page).post(verify::run))
        .route("/review", get(review::queue))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/users/{name}", get(admin_user::page).post(admin_user::place))
        .route("/admin/users/{name}/roles", post(admin::change_roles))
        .route("/admin/users/{name}/{op}", post(admin_user::status))
        .route("/admin/calendar", get(calendar::page).post(calendar::load))
        .route("/account/tokens", get(account::page).post(account::create))
        .route("/account/tokens/{id}/revoke", post(account::revoke))
        .merge(limited)
}
