//! The legality reviewer's queue (合法性审查): every decision submitted for
//! review that the reader may read, with where the latest submission stands —
//! materials received or not, the due date the floor allows, returned or
//! supplemented, the opinion issued and whether it still binds the current
//! draft. Waiting submissions come first, earliest due first. The acts
//! themselves are taken from the decision's page, as every other act.

use axum::extract::State;
use axum::response::Response;
use juece_engine::queries::{DecisionView, ListQuery, MAX_PAGE};
use serde_json::{json, Value};

use super::i18n::Lang;
use super::tasks::{china, stage_title};
use super::viewer::Viewer;
use super::{engine_error, render, seg, sign_in_first, Page};
use crate::server::AppState;

/// Decisions examined at most for one queue.
const SCAN: i64 = 2_000;

pub async fn queue(State(s): State<AppState>, v: Viewer) -> Response {
    let Some(actor) = v.actor.clone() else { return sign_in_first(&v) };
    let now = s.clock.now();
    let l = v.lang;
    let mut rows = Vec::new();
    let mut offset = 0;
    while offset < SCAN {
        let q = ListQuery { limit: MAX_PAGE, offset, ..ListQuery::default() };
        let page = match s.engine.list_for(&q, &actor, now).await {
            Ok(p) => p,
            Err(e) => return engine_error(&s, &v, &e),
        };
        rows.extend(page.items.iter().filter_map(|d| row(&s, l, d)));
        match page.next_offset {
            Some(next) => offset = next,
            None => break,
        }
    }
    // Waiting first, then by due date.
    rows.sort_by(|a, b| (b["waiting"].as_bool(), a["due"].as_str()).cmp(&(a["waiting"].as_bool(), b["due"].as_str())));
    let data = json!({"rows": rows});
    render(&s, &v, Page::new("review", l.t("review-title"), data))
}

/// A decision's line in the queue, if it was ever submitted for review.
fn row(s: &AppState, l: Lang, d: &DecisionView) -> Option<Value> {
    let f = &d.facts;
    let latest = f.get("legality_submissions").and_then(Value::as_array).and_then(|subs| subs.last())?;
    let status = latest.get("status").and_then(Value::as_str).unwrap_or("pending");
    let opinion = f.get("legality_opinion").filter(|o| !o.is_null());
    // The opinion binds the draft it was issued on; a later draft needs a new opinion or a confirmation.
    let current = f
        .get("drafts")
        .and_then(Value::as_array)
        .and_then(|ds| ds.last())
        .or_else(|| f.get("draft"))
        .and_then(|dr| dr.get("hash"));
    let bound = opinion.and_then(|o| o.get("draft_hash"));
    let stale = opinion.is_some() && current.is_some() && bound != current;
    let waiting = status == "pending" && (opinion.is_none() || stale);
    let state = if stale {
        "review-state-stale"
    } else if opinion.is_some() {
        "review-state-issued"
    } else {
        match status {
            "returned" => "review-state-returned",
            "supplement_requested" => "review-state-supplement",
            _ => "review-state-pending",
        }
    };
    let conclusion = opinion.and_then(|o| o.get("conclusion")).and_then(Value::as_str).map(|c| l.choice(c));
    Some(json!({
        "title": d.title, "href": format!("/decisions/{}", seg(&d.id)), "organ": f.get("organ"),
        "stage": stage_title(s, l, &d.workflow_key, d.workflow_version, &d.stage),
        "received": latest.get("receipt_recorded_on").filter(|r| !r.is_null()),
        "due": latest.get("requested_due"), "state": l.t(state), "waiting": waiting, "stale": stale,
        "conclusion": conclusion, "updated": china(l, d.updated_at),
    }))
}
