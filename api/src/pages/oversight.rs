//! Accountability for the general office and oversight bodies (终身责任追究,
//! 责任倒查): everything a person did, with their unit and position as of
//! each act, and the stances of a decision's meetings. Who may ask is
//! decided by the engine, as for the API.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::tasks::china;
use super::viewer::Viewer;
use super::{engine_error, render, seg, sign_in_first, Page};
use crate::server::AppState;

#[derive(Deserialize)]
pub struct WhoQuery {
    person: Option<String>,
}

pub async fn who(State(s): State<AppState>, v: Viewer, Query(q): Query<WhoQuery>) -> Response {
    let Some(actor) = v.actor.clone() else { return sign_in_first(&v) };
    let l = v.lang;
    let person = q.person.map(|p| p.trim().to_string()).filter(|p| !p.is_empty());
    let rows = match &person {
        None => Vec::new(),
        Some(p) => match s.engine.acts_by(&actor, p).await {
            Ok(entries) => entries
                .iter()
                .map(|e| {
                    json!({"title": e.title, "href": format!("/decisions/{}", seg(&e.decision_id)), "seq": e.seq,
                        "act": l.act(&e.act), "when": china(l, e.at), "who": e.actor.name, "unit": e.actor.unit,
                        "position": e.actor.position})
                })
                .collect(),
            Err(e) => return engine_error(&s, &v, &e),
        },
    };
    let data = json!({"person": person, "rows": rows, "asked": person.is_some()});
    render(&s, &v, Page::new("accountability", l.t("accountability-title"), data))
}
