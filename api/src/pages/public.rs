//! The public portal, no sign-in: drafts open for comment (the draft, its
//! explanation, the period with a countdown to 24:00 China time on its last
//! day) with a comment form that answers with a receipt number, hearing
//! notices (time, place, sides, and the participant list once published), and
//! published decisions with feedback on their execution (Art. 35(2)). Only
//! the public view of a decision is ever read here.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use juece_engine::act::Act;
use std::sync::Arc;

use juece_engine::ledger::Opinion;
use juece_engine::orchestrator::OpinionRequest;
use juece_engine::queries::{DecisionView, ListQuery};
use juece_engine::store::opinions::AnswerFn;
use juece_engine::Error;
use serde_json::{json, Value};

use super::act::{redirect_to, Claimed, FormKey};
use super::form::Submitted;
use super::i18n::Lang;
use super::viewer::Viewer;
use super::{csrf_refused, engine_error, reason_json, render, see_other, seg, Page};
use crate::server::AppState;

/// Longest name or contact a commenter gives.
const MAX_FIELD: usize = 200;

fn cn_date(lang: Lang, date: &str) -> String {
    match chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d") {
        Ok(d) if lang == Lang::Zh => d.format("%Y年%-m月%-d日").to_string(),
        Ok(d) => d.format("%-d %B %Y").to_string(),
        Err(_) => date.to_string(),
    }
}

/// The comment period of the latest notice, as the law reads it, with the time left.
fn period(lang: Lang, facts: &Value, now: DateTime<Utc>) -> Option<Value> {
    let n = facts.get("comment_notices").and_then(Value::as_array).and_then(|ns| ns.last())?;
    let last_day = n.get("last_day").and_then(Value::as_str)?;
    let ends_at = n.get("ends_at").and_then(Value::as_str).and_then(|t| DateTime::parse_from_rfc3339(t).ok())?;
    let left = ends_at.with_timezone(&Utc) - now;
    let open = left > chrono::Duration::zero() && n.get("closed_at").is_none_or(Value::is_null);
    let remaining = open.then(|| {
        lang.t_args(
            "public-remaining",
            &[("days", left.num_days().to_string()), ("hours", (left.num_hours() % 24).to_string())],
        )
    });
    let start = n.get("start").and_then(Value::as_str).map(|d| cn_date(lang, d));
    Some(json!({
        "start": start, "until": lang.t_args("public-until", &[("date", cn_date(lang, last_day))]),
        "remaining": remaining, "open": open, "ends_at": ends_at.to_rfc3339(),
    }))
}

/// A hearing's public notice: when and where, the sides, and the selection method and list once published.
fn hearing(lang: Lang, facts: &Value) -> Option<Value> {
    let h = facts.get("hearing").filter(|h| !h.is_null())?;
    let date = h.get("date").and_then(Value::as_str).map(|d| cn_date(lang, d));
    let participants: Vec<Value> = h.get("participants").and_then(Value::as_array).cloned().unwrap_or_default();
    Some(json!({"date": date, "place": h.get("place"), "sides": h.get("sides"), "held": h.get("held"),
        "selection": h.get("selection_method").filter(|m| !m.is_null()), "participants": participants}))
}

fn card(lang: Lang, d: &DecisionView, now: DateTime<Utc>) -> Value {
    json!({"title": d.title, "organ": d.facts.get("organ"), "href": format!("/public/decisions/{}", seg(&d.id)),
        "period": period(lang, &d.facts, now), "hearing": hearing(lang, &d.facts),
        "published_at": d.facts.pointer("/publication/published_at").and_then(Value::as_str)
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok()).map(|t| super::tasks::china(lang, t.with_timezone(&Utc)))})
}

pub async fn home(State(s): State<AppState>, v: Viewer) -> Response {
    let now = s.clock.now();
    let l = v.lang;
    let q = ListQuery { limit: 50, ..ListQuery::default() };
    let open = match s.engine.public_consultations(&q, now).await {
        Ok(p) => p.items,
        Err(e) => return engine_error(&s, &v, &e),
    };
    let published = match s.engine.public_decisions(&q, now).await {
        Ok(p) => p.items,
        Err(e) => return engine_error(&s, &v, &e),
    };
    let hearings = match s.engine.public_hearings(&q, now).await {
        Ok(p) => p.items,
        Err(e) => return engine_error(&s, &v, &e),
    };
    // A consultation stays listed after its period, marked as ended.
    let (open, ended): (Vec<_>, Vec<_>) =
        open.iter().partition(|d| d.facts.pointer("/consultation/status").and_then(Value::as_str) == Some("open"));
    let data = json!({
        "open": open.iter().map(|d| card(l, d, now)).collect::<Vec<_>>(),
        "ended": ended.iter().map(|d| card(l, d, now)).collect::<Vec<_>>(),
        "published": published.iter().map(|d| card(l, d, now)).collect::<Vec<_>>(),
        "hearings": hearings.iter().map(|d| card(l, d, now)).collect::<Vec<_>>(),
    });
    render(&s, &v, Page::new("public_home", l.t("public-title"), data).public())
}

/// The decision's public page, with `errors` and what was typed when a comment was refused.
async fn decision_page(
    s: &AppState,
    v: &Viewer,
    id: &str,
    form: &Submitted,
    errors: Vec<Value>,
    status: StatusCode,
) -> Response {
    let now = s.clock.now();
    let l = v.lang;
    let anonymous = juece_engine::auth::anonymous();
    let view = match s.engine.read_decision(id, &anonymous, now).await {
        Ok(view) => view,
        // The period has just ended: the decision is no longer public, but the refusal and the typed text are shown.
        Err(_) if !errors.is_empty() => {
            let data = json!({"id": id, "title_text": l.t("public-comment"), "errors": errors,
                "content": form.get("content").unwrap_or("")});
            return render(s, v, Page::new("public_decision", l.t("public-comment"), data).public().status(status));
        }
        Err(e) => return engine_error(s, v, &e),
    };
    let f = &view.facts;
    let period = period(l, f, now);
    let open = period.as_ref().is_some_and(|p| p["open"] == Value::Bool(true));
    let published = f.get("publication").is_some_and(|p| !p.is_null());
    let data = json!({
        "id": id, "title_text": view.title, "organ": f.get("organ"), "period": period, "open": open,
        "draft": f.get("draft").filter(|d| !d.is_null()), "hearing": hearing(l, f),
        "published": published, "publication": f.get("publication"),
        "decided": f.get("decided_text").filter(|d| !d.is_null()),
        "published_on": f.pointer("/publication/published_at").and_then(Value::as_str)
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok()).map(|t| super::tasks::china(l, t.with_timezone(&Utc))),
        "comment_action": format!("/public/decisions/{}/comment", seg(id)),
        "feedback_action": format!("/public/decisions/{}/feedback", seg(id)),
        "key": uuid::Uuid::new_v4().to_string(), "errors": errors,
        "content": form.get("content").unwrap_or(""), "name": form.get("name").unwrap_or(""),
        "contact": form.get("contact").unwrap_or(""),
    });
    render(s, v, Page::new("public_decision", view.title.clone(), data).public().status(status))
}

pub async fn decision(State(s): State<AppState>, v: Viewer, Path(id): Path<String>) -> Response {
    decision_page(&s, &v, &id, &Submitted::default(), Vec::new(), StatusCode::OK).await
}

pub async fn comment(State(s): State<AppState>, v: Viewer, Path(id): Path<String>, body: Bytes) -> Response {
    public_act(s, v, id, body, "receive_comment").await
}

pub async fn feedback(State(s): State<AppState>, v: Viewer, Path(id): Path<String>, body: Bytes) -> Response {
    public_act(s, v, id, body, "submit_feedback").await
}

/// A comment or feedback from the public: the act, under the form's key, then the receipt.
async fn public_act(s: AppState, v: Viewer, id: String, body: Bytes, act: &str) -> Response {
    let form = Submitted::parse(&body);
    if !v.csrf_ok(form.get("_csrf")) {
        return csrf_refused(&s, &v);
    }
    let l = v.lang;
    let content = form.get("content").unwrap_or("").to_string();
    let name = form.get("name").unwrap_or("").trim().to_string();
    let contact = form.get("contact").unwrap_or("").trim().to_string();
    if name.chars().count() > MAX_FIELD || contact.chars().count() > MAX_FIELD {
        let e = reason_json(
            l,
            "invalid_form",
            "姓名和联系方式不超过200个字符",
            "name and contact are at most 200 characters",
            "",
            None,
            Some("name".into()),
        );
        return decision_page(&s, &v, &id, &form, vec![e], StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let submitter = match (name.is_empty(), contact.is_empty()) {
        (false, false) => Some(format!("{name} ({contact})")),
        (false, true) => Some(name),
        (true, false) => Some(format!("({contact})")),
        (true, true) => None,
    };
    let mut payload = json!({"content": content});
    if let Some(sub) = submitter {
        payload["submitter"] = Value::String(sub);
    }
    if let Err(wait) = s.consultations.check(&id) {
        return crate::ratelimit::too_many(wait);
    }
    let anonymous = juece_engine::auth::anonymous();
    let a = Act::new(act, payload);
    fn locate(o: &Opinion) -> String {
        format!("/public/receipts/{}", seg(&o.receipt))
    }
    let key = match FormKey::claim(&s, &anonymous, &form, &body).await {
        Ok(Claimed::Act(key)) => key,
        Ok(Claimed::Replay(location)) => return see_other(&location),
        Err(e) => return engine_error(&s, &v, &e),
    };
    let answer: AnswerFn = Arc::new(|o: &Opinion| redirect_to(locate(o)));
    let request = OpinionRequest {
        decision_id: &id,
        act: &a,
        actor: &anonymous,
        now: s.clock.now(),
        answer: key.held().map(|h| (h, answer)),
    };
    let result = s.engine.receive(request).await;
    if result.is_err() {
        key.release(&s).await;
    }
    match result {
        Ok(opinion) => see_other(&locate(&opinion)),
        Err(Error::Refused(r)) => {
            let errors = r
                .reasons
                .iter()
                .map(|x| {
                    reason_json(
                        l,
                        &x.reason_code,
                        &x.message_zh,
                        &x.message_en,
                        &x.article,
                        x.detail.as_deref(),
                        Some("content".into()),
                    )
                })
                .collect();
            decision_page(&s, &v, &id, &form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => engine_error(&s, &v, &e),
    }
}

/// What became of a comment or feedback, by its receipt: received when, its text, and its disposition once
/// there is one. The receipt is the sender's; it shows nothing of anyone else's.
pub async fn receipt(State(s): State<AppState>, v: Viewer, Path(number): Path<String>) -> Response {
    let l = v.lang;
    let r = match s.engine.read_receipt(&number).await {
        Ok(r) => r,
        Err(e) => return engine_error(&s, &v, &e),
    };
    let outcome = r.outcome.as_deref().map(|o| l.t(&format!("choice-{o}")));
    let data = json!({"receipt": l.t_args("public-receipt", &[("receipt", r.receipt.clone())]), "number": r.receipt,
        "title": r.title, "seq": r.seq, "received_at": super::tasks::china(l, r.received_at), "content": r.content,
        "outcome": outcome, "reason": r.reason, "hidden_reason": r.hidden_reason, "chain_hash": r.chain_hash,
        "back": format!("/public/decisions/{}", seg(&r.decision_id))});
    render(&s, &v, Page::new("public_receipt", l.t("public-receipt-title"), data).public())
}
