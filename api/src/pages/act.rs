//! An act's page: its form (generated from the act's payload schema), a
//! "check first" button that asks the engine's what-if and lists every
//! refusal at once, "check your answers" before a signature, and the
//! submission: under an idempotency key carried by the form, so a double
//! click acts once, answered with a redirect (POST-redirect-GET). A refused
//! act comes back with every reason and its article, and what was typed.
//! Also the page that opens a new decision with its first act.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use juece_engine::act::Act;
use juece_engine::actor::Actor;
use juece_engine::orchestrator::ActRequest;
use juece_engine::orchestrator::{Answering, Applied};
use juece_engine::refusal::Refusal;
use juece_engine::store::idempotency::{KeyClaim, StoredResponse};
use juece_engine::Error;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::form::{self, Field, Schemas, Submitted};
use super::i18n::Lang;
use super::viewer::Viewer;
use super::{engine_error, reason_json, render, see_other, seg, sign_in_first, Page};
use crate::server::AppState;

/// Acts signed by their author: shown back to them exactly as they will be recorded before they sign.
const SIGNED: [&str; 4] = ["submit_expert_opinion", "issue_legality_opinion", "record_chief_opinion", "decide"];

/// Acts whose page shows the meeting beside the form.
const MEETING_ACTS: [&str; 4] = ["record_stance", "record_chief_opinion", "decide", "close_meeting"];

/// Acts whose page shows the draft they concern beside the form.
const DRAFT_ACTS: [&str; 5] = [
    "submit_expert_opinion",
    "issue_legality_opinion",
    "record_stance",
    "record_chief_opinion",
    "publish_comment_notice",
];

/// How long a page's idempotency reservation holds against a second click still on its way.
const LEASE_SECS: i64 = 30;

/// The first act of a new decision on the national procedure.
const FIRST_ACT: (&str, &str) = ("national", "submit_proposal");

fn fields_of(s: &AppState, lang: Lang, act: &str) -> Vec<Field> {
    let doc = s.ui.doc(s);
    let order = s.ui.field_order(s);
    let mut fields = Schemas::new(doc)
        .map(|sc| sc.in_order(order))
        .and_then(|sc| sc.act(act).map(|schema| sc.fields(schema)))
        .unwrap_or_default();
    form::offer_choices(lang, act, &mut fields);
    fields
}

/// Where a reason points in the form: the field its text names in backquotes, if the form has it.
fn field_of(fields: &[Field], text: &str) -> Option<String> {
    let named = text.split('`').nth(1)?;
    let top = named.split(['.', '[']).next()?;
    fields.iter().any(|f| f.key == top).then(|| format!("f-{}", named.replace(['.', '[', ']'], "-")))
}

fn reasons(l: Lang, fields: &[Field], r: &Refusal) -> Vec<Value> {
    r.reasons
        .iter()
        .map(|x| {
            let field =
                x.detail.as_deref().and_then(|d| field_of(fields, d)).or_else(|| field_of(fields, &x.message_en));
            reason_json(l, &x.reason_code, &x.message_zh, &x.message_en, &x.article, x.detail.as_deref(), field)
        })
        .collect()
}

/// Everything the act page shows.
struct ActPage<'a> {
    id: &'a str,
    act: &'a str,
    title: String,
    context: Value,
    fields: &'a [Field],
    form: &'a Submitted,
    errors: Vec<Value>,
    /// `Some(true)`: the check passed; `Some(false)`: it listed refusals (in `errors`).
    checked: Option<bool>,
    status: StatusCode,
}

impl<'a> ActPage<'a> {
    /// The page as first shown: no errors, no check.
    fn new(id: &'a str, act: &'a str, title: String, context: Value, fields: &'a [Field], form: &'a Submitted) -> Self {
        ActPage { id, act, title, context, fields, form, errors: Vec::new(), checked: None, status: StatusCode::OK }
    }

    /// The page again, with what went wrong or what the check found.
    fn with(self, errors: Vec<Value>, checked: Option<bool>, status: StatusCode) -> Self {
        ActPage { errors, checked, status, ..self }
    }
}

/// The payload the form describes, or the fields it could not read, as error summary entries.
fn read_payload(l: Lang, fields: &[Field], form: &Submitted) -> Result<Value, Vec<Value>> {
    form::payload(fields, form).map_err(|errs| {
        errs.iter()
            .map(|e| {
                let field = Some(format!("f-{}", e.path.replace(['.', '[', ']'], "-")));
                reason_json(l, "invalid_form", &e.message_zh, &e.message_en, "", None, field)
            })
            .collect()
    })
}

fn show(s: &AppState, v: &Viewer, p: ActPage<'_>) -> Response {
    let l = v.lang;
    let field_errors: Vec<(String, String)> = p
        .errors
        .iter()
        .filter_map(|e| {
            let f = e.get("field")?.as_str()?.strip_prefix("f-")?.to_string();
            Some((f, e.get("message")?.as_str()?.to_string()))
        })
        .collect();
    // Errors name fields by id; the renderer matches them by path, whose id form is the same text.
    let by_path: Vec<(String, String)> =
        field_errors.into_iter().map(|(id, m)| (path_for_id(p.fields, p.form, &id).unwrap_or(id), m)).collect();
    let html = form::render(l, p.fields, p.form, &by_path);
    let key = p.form.get("_key").map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string);
    let action = if p.act == FIRST_ACT.1 && p.id.is_empty() {
        "/decisions/new".to_string()
    } else {
        format!("/decisions/{}/acts/{}", seg(p.id), seg(p.act))
    };
    let data = json!({
        "act_label": l.act(p.act), "about": l.lookup(&format!("about-{}", p.act)), "decision_title": p.title, "decision_href": format!("/decisions/{}", seg(p.id)),
        "has_decision": !p.id.is_empty(), "action": action, "fields_html": html, "no_fields": p.fields.is_empty(),
        "key": key, "errors": p.errors, "check_ok": p.checked == Some(true), "check_failed": p.checked == Some(false),
        "context": p.context, "signed": SIGNED.contains(&p.act),
        "decision_id": p.form.get("decision_id").unwrap_or(""), "is_new": p.id.is_empty(),
    });
    render(s, v, Page::new("act", l.act(p.act), data).status(p.status))
}

/// The form path whose id is `id` (ids replace `.[]` by `-`, so look the path up rather than reverse it).
fn path_for_id(fields: &[Field], form: &Submitted, id: &str) -> Option<String> {
    fn walk(fields: &[Field], prefix: &str, form: &Submitted, id: &str) -> Option<String> {
        for f in fields {
            let path = if prefix.is_empty() { f.key.clone() } else { format!("{prefix}.{}", f.key) };
            if path.replace(['.', '[', ']'], "-") == id {
                return Some(path);
            }
            match &f.kind {
                form::Kind::Group(sub) => {
                    if let Some(p) = walk(sub, &path, form, id) {
                        return Some(p);
                    }
                }
                form::Kind::Rows(sub) => {
                    for i in 0..form.rows(&path) {
                        if let Some(p) = walk(sub, &format!("{path}[{i}]"), form, id) {
                            return Some(p);
                        }
                    }
                }
                _ => {}
            }
        }
        None
    }
    walk(fields, "", form, id)
}

/// What the page shows beside the form: the meeting for meeting acts, the draft for acts on it.
fn context(l: Lang, act: &str, facts: &Value) -> Value {
    let mut ctx = serde_json::Map::new();
    if MEETING_ACTS.contains(&act) {
        if let Some(m) = facts.get("meeting").filter(|m| !m.is_null()) {
            ctx.insert("meeting".into(), super::decision::meeting(l, m));
        }
    }
    if DRAFT_ACTS.contains(&act) {
        if let Some(d) = facts.get("drafts").and_then(Value::as_array).and_then(|d| d.last()) {
            ctx.insert("draft".into(), json!({"version": d.get("version"), "text": d.get("text")}));
        }
    }
    Value::Object(ctx)
}

/// A new form, with the fields that can only be the reader's own filled in: an expert's id, a member's name.
/// (The engine still checks them: an expert acts for themself only, a member states their own stance.)
fn prefilled(actor: &Actor, act: &str, fields: &[Field]) -> Submitted {
    use juece_engine::actor::Role;
    let mut pairs = Vec::new();
    let has = |key: &str| fields.iter().any(|f| f.key == key);
    if actor.roles.contains(&Role::Expert) && has("expert_id") {
        pairs.push(("expert_id", actor.user_id.as_str()));
    }
    if act == "record_stance" && actor.roles.contains(&Role::MeetingMember) && has("member") {
        pairs.push(("member", actor.name.as_str()));
    }
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    Submitted::parse(body.as_bytes())
}

pub async fn form_page(State(s): State<AppState>, v: Viewer, Path((id, act)): Path<(String, String)>) -> Response {
    let Some(actor) = v.actor.clone() else { return sign_in_first(&v) };
    let view = match s.engine.read_decision(&id, &actor, s.clock.now()).await {
        Ok(view) => view,
        Err(e) => return engine_error(&s, &v, &e),
    };
    if !view.allowed_acts.contains(&act) {
        // Say why with the engine's own words (role, stage, assignment).
        let probe = Act::new(&act, json!({}));
        if let Err(e) = s.engine.check(&id, &probe, &actor, s.clock.now()).await {
            let payload_only =
                matches!(&e, Error::Refused(r) if r.reasons.iter().all(|x| x.reason_code == "invalid_payload"));
            if !payload_only {
                return engine_error(&s, &v, &e);
            }
        }
    }
    let fields = fields_of(&s, v.lang, &act);
    let form = prefilled(&actor, &act, &fields);
    show(&s, &v, ActPage::new(&id, &act, view.title.clone(), context(v.lang, &act, &view.facts), &fields, &form))
}

pub async fn submit(
    State(s): State<AppState>,
    v: Viewer,
    Path((id, act)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let (actor, form) = match super::signed_form(&s, &v, &body) {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let view = match s.engine.read_decision(&id, &actor, s.clock.now()).await {
        Ok(view) => view,
        Err(e) => return engine_error(&s, &v, &e),
    };
    let fields = fields_of(&s, v.lang, &act);
    let l = v.lang;
    let base = || ActPage::new(&id, &act, view.title.clone(), context(l, &act, &view.facts), &fields, &form);
    let page = |errors: Vec<Value>, checked: Option<bool>, status: StatusCode| base().with(errors, checked, status);
    if form.get("_add").is_some() {
        return show(&s, &v, base());
    }
    let payload = match read_payload(l, &fields, &form) {
        Ok(p) => p,
        Err(errors) => return show(&s, &v, page(errors, None, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    let a = Act::new(&act, payload);
    let intent = form.get("_intent").unwrap_or("submit");
    if intent == "check" {
        return match s.engine.check(&id, &a, &actor, s.clock.now()).await {
            Ok(()) => show(&s, &v, page(Vec::new(), Some(true), StatusCode::OK)),
            Err(Error::Refused(r)) => show(&s, &v, page(reasons(l, &fields, &r), Some(false), StatusCode::OK)),
            Err(e) => engine_error(&s, &v, &e),
        };
    }
    if SIGNED.contains(&act.as_str()) && intent != "sign" {
        // Check first: a refused act is shown with its reasons, not taken to a signature.
        return match s.engine.check(&id, &a, &actor, s.clock.now()).await {
            Ok(()) => confirm(&s, &v, &id, &act, &view.title, &fields, &form, &a.payload),
            Err(Error::Refused(r)) => {
                show(&s, &v, page(reasons(l, &fields, &r), None, StatusCode::UNPROCESSABLE_ENTITY))
            }
            Err(e) => engine_error(&s, &v, &e),
        };
    }
    let done = format!("/decisions/{}?done={}", seg(&id), seg(&act));
    let key = match FormKey::claim(&s, &actor, &form, &body).await {
        Ok(Claimed::Act(key)) => key,
        Ok(Claimed::Replay(location)) => return see_other(&location),
        Err(e) => return engine_error(&s, &v, &e),
    };
    let answer = |_: &Applied| redirect_to(done.clone());
    let applied = s
        .engine
        .apply(ActRequest::new(&id, &a, &actor, s.clock.now()).answering(key.answering(&answer).as_ref()))
        .await;
    if applied.is_err() {
        key.release(&s).await;
    }
    match applied {
        Ok(_) => see_other(&done),
        Err(Error::Refused(r)) => {
            let errors = reasons(l, &fields, &r);
            let forbidden =
                r.reasons.iter().any(|x| matches!(x.reason_code.as_str(), "role_not_permitted" | "not_assigned"));
            let status = if forbidden { StatusCode::FORBIDDEN } else { StatusCode::UNPROCESSABLE_ENTITY };
            show(&s, &v, page(errors, None, status))
        }
        Err(e) => engine_error(&s, &v, &e),
    }
}

/// "Check your answers": what will be recorded, the form carried in hidden fields, and the signature button.
#[allow(clippy::too_many_arguments)]
fn confirm(
    s: &AppState,
    v: &Viewer,
    id: &str,
    act: &str,
    title: &str,
    fields: &[Field],
    form: &Submitted,
    payload: &Value,
) -> Response {
    let l = v.lang;
    let rows: Vec<Value> = fields
        .iter()
        .filter_map(|f| {
            let value = payload.get(&f.key)?;
            let shown = match value {
                Value::String(t) => l.choice(t),
                Value::Bool(b) => l.t(if *b { "form-true" } else { "form-false" }),
                Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join("\n"),
                other => other.to_string(),
            };
            Some(json!({"label": form::label(l, f), "value": shown}))
        })
        .collect();
    let carried: Vec<Value> = form::carried(form).into_iter().map(|(k, v)| json!({"name": k, "value": v})).collect();
    let key = form.get("_key").map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string);
    let data = json!({
        "act_label": l.act(act), "decision_title": title, "rows": rows, "carried": carried, "key": key,
        "action": format!("/decisions/{}/acts/{}", seg(id), seg(act)),
    });
    render(s, v, Page::new("confirm", l.t("form-confirm-title"), data))
}

/// A form's idempotency key, held while its act runs: a second submission of the same form (a double click, a
/// reload) is answered with the first one's redirect, which the act stores in its own transaction, and acts no
/// more. A refusal frees the key so the corrected form can be sent again.
pub(super) struct FormKey {
    held: Option<KeyClaim>,
}

/// What claiming a form's key found.
pub(super) enum Claimed {
    /// This submission is the first: act, under the key.
    Act(FormKey),
    /// The form was sent before and acted: go where it went.
    Replay(String),
}

impl FormKey {
    pub(super) async fn claim(s: &AppState, actor: &Actor, form: &Submitted, body: &[u8]) -> Result<Claimed, Error> {
        FormKey::claim_part(s, actor, form, body, None).await
    }

    /// The key of one act of a form that takes several (the ledger disposes of many opinions at once): each
    /// act is held under the form's key and its `part`, so a second submission replays every act it took.
    pub(super) async fn claim_part(
        s: &AppState,
        actor: &Actor,
        form: &Submitted,
        body: &[u8],
        part: Option<&str>,
    ) -> Result<Claimed, Error> {
        let key = form.get("_key").filter(|k| (1..=100).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()));
        let Some(key) = key else { return Ok(Claimed::Act(FormKey { held: None })) };
        let key = match part {
            Some(p) => format!("page:{key}#{p}"),
            None => format!("page:{key}"),
        };
        let held = KeyClaim { key, claim: uuid::Uuid::new_v4().to_string() };
        let mut h = Sha256::new();
        h.update(actor.user_id.as_bytes());
        h.update(b"\n");
        h.update(body);
        let fingerprint = hex::encode(h.finalize());
        let now = s.clock.now();
        let lease = now + chrono::Duration::seconds(LEASE_SECS);
        for _ in 0..50 {
            match s.engine.reserve_key(&held, &fingerprint, now, lease).await? {
                None => return Ok(Claimed::Act(FormKey { held: Some(held) })),
                Some(found) => match found.response {
                    Some(r) if found.fingerprint == fingerprint => return Ok(Claimed::Replay(r.body)),
                    // The same form key with other content: a new act, judged on its own.
                    Some(_) => return Ok(Claimed::Act(FormKey { held: None })),
                    // The first submission is still being written: wait for it.
                    None => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
                },
            }
        }
        // Still in flight after five seconds: act no more; the reader sees the outcome on the decision page.
        Err(Error::Conflict { decision_id: String::new(), current: None })
    }

    /// What the engine stores with the act: the redirect `answer` gives.
    pub(super) fn answering<'a>(
        &self,
        answer: &'a (dyn Fn(&Applied) -> StoredResponse + Send + Sync),
    ) -> Option<Answering<'a>> {
        self.held.clone().map(|held| Answering { held, answer })
    }

    /// The key this submission holds, if the form carried one.
    pub(super) fn held(&self) -> Option<KeyClaim> {
        self.held.clone()
    }

    /// Free the key after a refusal.
    pub(super) async fn release(&self, s: &AppState) {
        if let Some(held) = &self.held {
            if let Err(e) = s.engine.release_key(held).await {
                tracing::error!(error = %e, "releasing a page's idempotency key");
            }
        }
    }
}

/// The redirect stored for a replay.
pub(super) fn redirect_to(location: String) -> StoredResponse {
    StoredResponse { status: 303, content_type: "text/uri-list".into(), body: location }
}

pub async fn new_page(State(s): State<AppState>, v: Viewer) -> Response {
    if v.actor.is_none() {
        return sign_in_first(&v);
    }
    let fields = fields_of(&s, v.lang, FIRST_ACT.1);
    let form = Submitted::default();
    show(&s, &v, ActPage::new("", FIRST_ACT.1, String::new(), json!({}), &fields, &form))
}

pub async fn new_submit(State(s): State<AppState>, v: Viewer, body: Bytes) -> Response {
    let (actor, form) = match super::signed_form(&s, &v, &body) {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let l = v.lang;
    let fields = fields_of(&s, v.lang, FIRST_ACT.1);
    let base = || ActPage::new("", FIRST_ACT.1, String::new(), json!({}), &fields, &form);
    if form.get("_add").is_some() {
        return show(&s, &v, base());
    }
    let payload = match read_payload(l, &fields, &form) {
        Ok(p) => p,
        Err(errors) => return show(&s, &v, base().with(errors, None, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    // The form's key names the new decision too, so a second click opens nothing more.
    let id = form
        .get("_key")
        .filter(|k| k.len() == 36 && k.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string);
    let a = Act::new(FIRST_ACT.1, payload);
    let done = format!("/decisions/{}?done={}", seg(&id), seg(FIRST_ACT.1));
    let key = match FormKey::claim(&s, &actor, &form, &body).await {
        Ok(Claimed::Act(key)) => key,
        Ok(Claimed::Replay(location)) => return see_other(&location),
        Err(e) => return engine_error(&s, &v, &e),
    };
    let answer = |_: &Applied| redirect_to(done.clone());
    let result = s
        .engine
        .open(FIRST_ACT.0, ActRequest::new(&id, &a, &actor, s.clock.now()).answering(key.answering(&answer).as_ref()))
        .await;
    if result.is_err() {
        key.release(&s).await;
    }
    match result {
        Ok(_) => see_other(&done),
        Err(Error::Refused(r)) => {
            show(&s, &v, base().with(reasons(l, &fields, &r), None, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => engine_error(&s, &v, &e),
    }
}
