//! The opinion ledger (意见处理台账): every public comment on the decision with
//! how it was disposed of, and one form that disposes of many at once — the
//! same outcome and reason for each selected opinion (a campaign of identical
//! letters, say). Each disposition is still one `dispose_opinion` act in the
//! record; the engine checks every one before any is taken, so a batch with a
//! refused opinion takes none and the page keeps what was selected and typed.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use juece_engine::act::Act;
use juece_engine::actor::Actor;
use juece_engine::orchestrator::ActRequest;
use juece_engine::orchestrator::{Applied, EngineError};
use juece_engine::queries::DecisionView;
use juece_engine::visibility::Access;
use serde_json::{json, Value};

use super::act::{redirect_to, Claimed, FormKey};
use super::form::Submitted;
use super::i18n::Lang;
use super::tasks::china;
use super::viewer::Viewer;
use super::{engine_error, not_found, reason_json, render, see_other, seg, sign_in_first, Page};
use crate::server::AppState;

const ACT: &str = "dispose_opinion";

/// The outcomes an opinion may have (Art. 18's 采纳情况), in the order the form offers them.
const OUTCOMES: [&str; 3] = ["adopted", "partly", "not_adopted"];

/// Most opinions one submission disposes of: a larger campaign is disposed of in several pages.
const MAX_BATCH: usize = 200;

#[derive(serde::Deserialize)]
pub struct LedgerQuery {
    /// How many opinions the last submission disposed of.
    disposed: Option<usize>,
    /// `all` shows disposed opinions too.
    show: Option<String>,
}

pub async fn page(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<LedgerQuery>,
) -> Response {
    let Some(actor) = v.actor.clone() else { return sign_in_first(&v) };
    let view = match read(&s, &v, &actor, &id).await {
        Ok(view) => view,
        Err(resp) => return resp,
    };
    let l = v.lang;
    let notice = q.disposed.map(|n| l.t_args("ledger-disposed", &[("count", n.to_string())]));
    let all = q.show.as_deref() == Some("all");
    show(&s, &v, &view, &Submitted::default(), Vec::new(), notice, all, StatusCode::OK)
}

pub async fn submit(State(s): State<AppState>, v: Viewer, Path(id): Path<String>, body: Bytes) -> Response {
    let (actor, form) = match super::signed_form(&s, &v, &body) {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let view = match read(&s, &v, &actor, &id).await {
        Ok(view) => view,
        Err(resp) => return resp,
    };
    let l = v.lang;
    let refuse = |errors: Vec<Value>| show(&s, &v, &view, &form, errors, None, true, StatusCode::UNPROCESSABLE_ENTITY);
    let selected: Vec<u32> = form.all("o").iter().filter_map(|o| o.parse().ok()).collect();
    if selected.is_empty() || selected.len() > MAX_BATCH {
        let (zh, en) =
            ("请选择要处理的意见（每次最多200条）", "select the opinions to dispose of (at most 200 at a time)");
        return refuse(vec![reason_json(l, "invalid_form", zh, en, "Art. 18", None, Some("o-all".into()))]);
    }
    let outcome = form.get("outcome").unwrap_or("");
    let reason = form.get("reason").unwrap_or("");
    let acts: Vec<(u32, Act)> = selected
        .iter()
        .map(|&n| (n, Act::new(ACT, json!({"opinion_id": n, "outcome": outcome, "reason": reason}))))
        .collect();
    // Every disposition is checked before any is taken.
    let mut errors = Vec::new();
    for (n, a) in &acts {
        match s.engine.check(&id, a, &actor, s.clock.now()).await {
            Ok(()) => {}
            Err(EngineError::Refused(r)) => errors.extend(numbered(l, *n, &r.reasons)),
            Err(e) => return engine_error(&s, &v, &e),
        }
    }
    if !errors.is_empty() {
        return refuse(dedup(errors));
    }
    let done = format!("/decisions/{}/opinions?disposed={}", seg(&id), acts.len());
    let answer = |_: &Applied| redirect_to(done.clone());
    for (n, a) in &acts {
        let key = match FormKey::claim_part(&s, &actor, &form, &body, Some(&n.to_string())).await {
            Ok(Claimed::Act(key)) => key,
            // This opinion was disposed of by the first submission of the same form.
            Ok(Claimed::Replay(_)) => continue,
            Err(e) => return engine_error(&s, &v, &e),
        };
        let applied = s
            .engine
            .apply(ActRequest::new(&id, a, &actor, s.clock.now()).answering(key.answering(&answer).as_ref()))
            .await;
        match applied {
            Ok(_) => {}
            // Refused between the check and the act (another reader acted meanwhile): what was taken stays
            // taken, and the page says which opinion stopped the batch.
            Err(EngineError::Refused(r)) => {
                key.release(&s).await;
                let view = match read(&s, &v, &actor, &id).await {
                    Ok(view) => view,
                    Err(resp) => return resp,
                };
                let errors = numbered(l, *n, &r.reasons);
                return show(&s, &v, &view, &form, errors, None, true, StatusCode::UNPROCESSABLE_ENTITY);
            }
            Err(e) => {
                key.release(&s).await;
                return engine_error(&s, &v, &e);
            }
        }
    }
    see_other(&done)
}

/// The decision as `actor` reads it in full, or the page that says why not; the ledger is not for a public reader.
async fn read(s: &AppState, v: &Viewer, actor: &Actor, id: &str) -> Result<DecisionView, Response> {
    match s.engine.read_decision(id, actor, s.clock.now()).await {
        Ok(view) if view.access == Access::Full => Ok(view),
        Ok(_) => Err(not_found(s, v)),
        Err(e) => Err(engine_error(s, v, &e)),
    }
}

/// A refusal's reasons, each prefixed with the opinion it concerns.
fn numbered(l: Lang, n: u32, reasons: &[juece_engine::refusal::Reason]) -> Vec<Value> {
    reasons
        .iter()
        .map(|x| {
            let (zh, en) = (format!("第{n}条意见：{}", x.message_zh), format!("opinion #{n}: {}", x.message_en));
            reason_json(l, &x.reason_code, &zh, &en, &x.article, x.detail.as_deref(), Some(format!("o-{n}")))
        })
        .collect()
}

/// The same reason for every opinion (a blank reason, a stage that does not allow the act) is said once.
fn dedup(errors: Vec<Value>) -> Vec<Value> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let count = errors.len();
    for e in errors {
        let code = e["code"].as_str().unwrap_or("").to_string();
        let shared =
            count > 1 && matches!(code.as_str(), "act_not_allowed_in_stage" | "role_not_permitted" | "invalid_payload");
        if !shared || seen.insert(code) {
            out.push(e);
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn show(
    s: &AppState,
    v: &Viewer,
    view: &DecisionView,
    form: &Submitted,
    errors: Vec<Value>,
    notice: Option<String>,
    all: bool,
    status: StatusCode,
) -> Response {
    let l = v.lang;
    let selected = form.all("o");
    let opinions: Vec<Value> = view
        .facts
        .get("opinions")
        .and_then(Value::as_array)
        .map(|ops| ops.iter().filter_map(|o| row(l, o, &selected, all)).collect())
        .unwrap_or_default();
    let total = view.facts.get("opinions").and_then(Value::as_array).map_or(0, Vec::len);
    let open = view
        .facts
        .get("opinions")
        .and_then(Value::as_array)
        .map_or(0, |ops| ops.iter().filter(|o| o.get("disposition").is_none_or(Value::is_null)).count());
    let chosen = form.get("outcome").unwrap_or("");
    let outcomes: Vec<Value> = OUTCOMES
        .iter()
        .map(|o| json!({"value": o, "label": l.t(&format!("choice-{o}")), "selected": *o == chosen}))
        .collect();
    let data = json!({
        "id": view.id, "decision_title": view.title, "decision_href": format!("/decisions/{}", seg(&view.id)),
        "action": format!("/decisions/{}/opinions", seg(&view.id)),
        "may_dispose": view.allowed_acts.iter().any(|a| a == ACT),
        "opinions": opinions, "outcomes": outcomes, "reason": form.get("reason").unwrap_or(""),
        "errors": errors, "notice": notice, "all": all,
        "counts": l.t_args("ledger-counts", &[("total", total.to_string()), ("open", open.to_string())]),
        "key": uuid::Uuid::new_v4().to_string(),
    });
    render(s, v, Page::new("ledger", l.t("ledger-title"), data).status(status))
}

/// One opinion of the ledger, or `None` when it is disposed of and only open ones are shown.
fn row(l: Lang, o: &Value, selected: &[&str], all: bool) -> Option<Value> {
    let n = o.get("id").and_then(Value::as_u64)?;
    let disposition = o.get("disposition").filter(|d| !d.is_null());
    if disposition.is_some() && !all {
        return None;
    }
    let received = o
        .get("received_at")
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| china(l, t.with_timezone(&Utc)));
    let disposition = disposition.map(|d| {
        let outcome = d.get("outcome").and_then(Value::as_str).unwrap_or("");
        json!({"outcome": l.choice(outcome),
            "reason": d.get("reason"), "by": d.get("by")})
    });
    Some(json!({"n": n, "content": o.get("content"), "submitter": o.get("submitter").filter(|x| !x.is_null()),
        "received": received, "disposition": disposition, "checked": selected.contains(&n.to_string().as_str())}))
}
