//! Record verification for the general office and oversight: the whole
//! record checked in one snapshot against the server's public key and the
//! anchor log kept outside the database — what `juece audit verify` prints,
//! on a page. Who may run it is decided by the engine
//! (`Engine::verify_record`); the check only reads.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use juece_engine::verify::Trust;
use serde_json::{json, Value};

use super::viewer::Viewer;
use super::{engine_error, render, sign_in_first, Page};
use crate::server::AppState;

pub async fn page(State(s): State<AppState>, v: Viewer) -> Response {
    if v.actor.is_none() {
        return sign_in_first(&v);
    }
    show(&s, &v, None, StatusCode::OK)
}

pub async fn run(State(s): State<AppState>, v: Viewer, body: Bytes) -> Response {
    let (actor, _) = match super::signed_form(&s, &v, &body) {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let l = v.lang;
    // Without a configured anchoring (a server started by a test harness), the chains, state and memos are
    // still checked; the page says that seals and anchors were not.
    let trust = match s.config.anchoring.as_ref().map(|a| a.trust(None)) {
        None => Ok(Trust::default()),
        Some(Ok(found)) => found,
        Some(Err(e)) => Err(e.to_string()),
    };
    let outcome = match trust {
        Err(finding) => json!({"ok": false, "breaks": [finding], "counts": Value::Null, "unanchored": false}),
        Ok(trust) => match s.engine.verify_record(&actor, &trust).await {
            Ok(r) => json!({
                "ok": r.breaks.is_empty(),
                "breaks": r.breaks.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "counts": l.t_args("verify-counts", &[("decisions", r.decisions.to_string()), ("records", r.records.to_string()),
                    ("memos", r.memos.to_string()), ("seals", r.sealed.to_string()), ("anchors", r.anchors.to_string())]),
                "unanchored": trust.key.is_none(),
                "last": trust.anchors.last().map(|a| a.summary()),
            }),
            Err(e) => return engine_error(&s, &v, &e),
        },
    };
    show(&s, &v, Some(outcome), StatusCode::OK)
}

fn show(s: &AppState, v: &Viewer, outcome: Option<Value>, status: StatusCode) -> Response {
    let l = v.lang;
    render(s, v, Page::new("verify", l.t("verify-title"), json!({"outcome": outcome})).status(status))
}
