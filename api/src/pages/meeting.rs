//! The meeting screen (集体讨论): the meeting as the general office runs it
//! and members follow it — the roster with each member's current stance and
//! every earlier stance kept and marked superseded, the count as the engine
//! keeps it, the chief executive's opinion and any reason for departing from
//! the majority, members not heard, the package's documents, and the meeting
//! acts the reader may take now. Each member records their own stance from
//! their own account; the page only links to that act.

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use juece_engine::visibility::Access;
use serde_json::{json, Value};

use super::decision::documents;
use super::i18n::Lang;
use super::tasks::china;
use super::viewer::Viewer;
use super::{engine_error, not_found, render, seg, sign_in_first, Page};
use crate::server::AppState;

/// The acts of the meeting, in the order a meeting takes them.
const MEETING_ACTS: [&str; 7] = [
    "convene_meeting",
    "record_stance",
    "record_chief_opinion",
    "decide",
    "close_meeting",
    "send_back",
    "reject_decision",
];

pub async fn page(State(s): State<AppState>, v: Viewer, Path(id): Path<String>) -> Response {
    let Some(actor) = v.actor.clone() else { return sign_in_first(&v) };
    let l = v.lang;
    let view = match s.engine.read_decision(&id, &actor, s.clock.now()).await {
        Ok(view) if view.access == Access::Full => view,
        Ok(_) => return not_found(&s, &v),
        Err(e) => return engine_error(&s, &v, &e),
    };
    let m = view.facts.get("meeting").filter(|m| !m.is_null());
    let acts: Vec<Value> = MEETING_ACTS
        .iter()
        .filter(|a| view.allowed_acts.iter().any(|x| x == *a))
        .map(|a| json!({"label": l.act(a), "href": format!("/decisions/{}/acts/{}", seg(&id), seg(a))}))
        .collect();
    let data = json!({
        "id": id, "decision_title": view.title, "decision_href": format!("/decisions/{}", seg(&id)),
        "meeting": m.map(|m| screen(l, m)), "acts": acts, "documents": documents(&s, &v, &id).await,
        "outcome": view.facts.get("outcome").filter(|d| !d.is_null()).map(|d| json!({
            "outcome": choice(l, d.get("outcome")),
            "date": d.get("date")})),
    });
    render(&s, &v, Page::new("meeting", l.t("meeting-title"), data))
}

fn time(l: Lang, v: Option<&Value>) -> Option<String> {
    let t = v?.as_str()?;
    DateTime::parse_from_rfc3339(t).ok().map(|t| china(l, t.with_timezone(&Utc)))
}

/// Each member on the meeting's roster, in order, with every stance they gave (earliest first), made into a row.
pub(super) fn roster(m: &Value, row: impl Fn(&str, Vec<&Value>) -> Value) -> Vec<Value> {
    let stances = m.get("stances").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let names = m.get("members").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    names
        .iter()
        .filter_map(Value::as_str)
        .map(|name| {
            row(name, stances.iter().filter(|st| st.get("member").and_then(Value::as_str) == Some(name)).collect())
        })
        .collect()
}

fn choice(l: Lang, v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(|x| l.choice(x))
}

/// The meeting's facts as the screen shows them.
fn screen(l: Lang, m: &Value) -> Value {
    let accounts = m.get("accounts").and_then(Value::as_object).cloned().unwrap_or_default();
    let members: Vec<Value> = roster(m, |name, theirs| {
        let history: Vec<Value> = theirs
                        .iter()
                        .map(|st| {
                            json!({"stance": choice(l, st.get("stance")), "words": st.get("words"),
                                "at": time(l, st.get("at")), "superseded": st.get("superseded").and_then(Value::as_bool).unwrap_or(false)})
                        })
                        .collect();
        json!({"name": name, "own_account": accounts.contains_key(name), "spoken": !theirs.is_empty(),
                        "history": history})
    });
    let tally = m.get("tally");
    let count = |k: &str| tally.and_then(|t| t.get(k)).and_then(Value::as_u64).unwrap_or(0);
    let majority = tally
        .and_then(|t| t.get("majority"))
        .and_then(Value::as_str)
        .map(|x| l.lookup(&format!("majority-{x}")).unwrap_or_else(|| x.to_string()));
    let chief = m
        .get("chief")
        .filter(|c| !c.is_null())
        .map(|c| json!({"stance": choice(l, c.get("stance")), "words": c.get("words"), "at": time(l, c.get("at"))}));
    let unheard: Vec<Value> = m.get("unheard").and_then(Value::as_array).cloned().unwrap_or_default();
    json!({
        "number": m.get("number"), "type": choice(l, m.get("meeting_type")), "date": m.get("date"),
        "closed": time(l, m.get("closed_at")), "members": members, "chief": chief,
        "divergence": m.get("divergence_reason").filter(|d| !d.is_null()), "unheard": unheard,
        "tally": l.t_args("meeting-tally", &[("support", count("support").to_string()), ("oppose", count("oppose").to_string()),
            ("reserve", count("reserve").to_string()), ("counted", count("counted").to_string())]),
        "majority": majority,
    })
}
