//! The opinion ledger (意见处理台账): the public comments on the decision — one row per distinct opinion, a
//! campaign of identical or near-identical letters as its first letter and how many sent it — with how each was
//! disposed of, a search by text, a page of a campaign's members, and one form that disposes of many at once:
//! the same outcome and reason for each selected row, a campaign's row for all its members. Each disposition is
//! still one `dispose_opinion` act in the record; the engine checks every one before any is taken, so a batch
//! with a refused opinion takes none and the page keeps what was selected and typed. Pages follow one another
//! by cursor (the last number shown), so a consultation of a million comments pages as fast as one of ten.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use juece_engine::act::Act;
use juece_engine::actor::Actor;
use juece_engine::ledger::{Kind, OpinionQuery};
use juece_engine::orchestrator::ActRequest;
use juece_engine::orchestrator::Applied;
use juece_engine::queries::{DecisionView, OpinionView};
use juece_engine::visibility::Access;
use juece_engine::Error;
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

/// Rows a page shows.
const PAGE: i64 = 100;

#[derive(serde::Deserialize, Default, Clone)]
pub struct LedgerQuery {
    /// How many opinions the last submission disposed of.
    disposed: Option<usize>,
    /// `all` shows disposed opinions too.
    show: Option<String>,
    /// Text the opinions hold.
    q: Option<String>,
    /// The members of this campaign (its first opinion's number).
    campaign: Option<i64>,
    /// The last number of the page before.
    after: Option<i64>,
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
    show(&s, &v, &actor, &view, &q, &Submitted::default(), Vec::new(), notice, StatusCode::OK).await
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
    let shown = LedgerQuery { show: Some("all".into()), ..LedgerQuery::default() };
    let selected: Vec<i64> = form.all("o").iter().filter_map(|o| o.parse().ok()).collect();
    if selected.is_empty() || selected.len() > MAX_BATCH {
        let (zh, en) =
            ("请选择要处理的意见（每次最多200条）", "select the opinions to dispose of (at most 200 at a time)");
        let errors = vec![reason_json(l, "invalid_form", zh, en, "Art. 18", None, Some("o-all".into()))];
        return show(&s, &v, &actor, &view, &shown, &form, errors, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let outcome = form.get("outcome").unwrap_or("");
    let reason = form.get("reason").unwrap_or("");
    // A campaign's row disposes of the whole campaign (the form marks it), any other row of its own opinion.
    let campaigns: Vec<i64> = form.all("c").iter().filter_map(|o| o.parse().ok()).collect();
    let acts: Vec<(i64, Act)> = selected
        .iter()
        .map(|&n| {
            let payload =
                json!({"opinion_id": n, "outcome": outcome, "reason": reason, "campaign": campaigns.contains(&n)});
            (n, Act::new(ACT, payload))
        })
        .collect();
    // Every disposition is checked before any is taken.
    let mut errors = Vec::new();
    for (n, a) in &acts {
        match s.engine.check(&id, a, &actor, s.clock.now()).await {
            Ok(()) => {}
            Err(Error::Refused(r)) => errors.extend(numbered(l, *n, &r.reasons)),
            Err(e) => return engine_error(&s, &v, &e),
        }
    }
    if !errors.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return show(&s, &v, &actor, &view, &shown, &form, dedup(errors), None, status).await;
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
            Err(Error::Refused(r)) => {
                key.release(&s).await;
                let view = match read(&s, &v, &actor, &id).await {
                    Ok(view) => view,
                    Err(resp) => return resp,
                };
                let errors = numbered(l, *n, &r.reasons);
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                return show(&s, &v, &actor, &view, &shown, &form, errors, None, status).await;
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
fn numbered(l: Lang, n: i64, reasons: &[juece_engine::refusal::Reason]) -> Vec<Value> {
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
async fn show(
    s: &AppState,
    v: &Viewer,
    actor: &Actor,
    view: &DecisionView,
    q: &LedgerQuery,
    form: &Submitted,
    errors: Vec<Value>,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let l = v.lang;
    let now = s.clock.now();
    let all = q.show.as_deref() == Some("all") || q.campaign.is_some();
    let text = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
    let query = OpinionQuery {
        decision_id: view.id.clone(),
        kind: Some(Kind::Comment),
        cluster: q.campaign,
        // One row per distinct opinion, unless a campaign's members or a search are asked for.
        leaders_only: q.campaign.is_none() && text.is_none(),
        disposition: (!all).then(|| "open".to_string()),
        text: text.clone(),
        after: q.after.map(|n| (Kind::Comment, n)),
        limit: PAGE,
        ..OpinionQuery::default()
    };
    let (page, counts) = match (
        s.engine.read_opinions(actor, &query, now).await,
        s.engine.read_opinion_counts(actor, &view.id, now).await,
    ) {
        (Ok(page), Ok(counts)) => (page, counts),
        (Err(e), _) | (_, Err(e)) => return engine_error(s, v, &e),
    };
    let selected = form.all("o");
    let opinions: Vec<Value> = page.items.iter().map(|o| row(l, o, &selected)).collect();
    let comments = counts.iter().find(|c| c.kind == Kind::Comment);
    let (total, open) = comments.map_or((0, 0), |c| (c.received, c.open));
    let base = format!("/decisions/{}/opinions", seg(&view.id));
    let link = |after: Option<i64>| {
        let mut p = form_urlencoded::Serializer::new(String::new());
        if all && q.campaign.is_none() {
            p.append_pair("show", "all");
        }
        if let Some(t) = &text {
            p.append_pair("q", t);
        }
        if let Some(c) = q.campaign {
            p.append_pair("campaign", &c.to_string());
        }
        if let Some(a) = after {
            p.append_pair("after", &a.to_string());
        }
        let p = p.finish();
        if p.is_empty() {
            base.clone()
        } else {
            format!("{base}?{p}")
        }
    };
    let next = page.next.as_deref().and_then(juece_engine::queries::parse_cursor).map(|(_, n)| link(Some(n)));
    let chosen = form.get("outcome").unwrap_or("");
    let outcomes: Vec<Value> = OUTCOMES
        .iter()
        .map(|o| json!({"value": o, "label": l.t(&format!("choice-{o}")), "selected": *o == chosen}))
        .collect();
    let data = json!({
        "id": view.id, "decision_title": view.title, "decision_href": format!("/decisions/{}", seg(&view.id)),
        "action": base, "all_href": format!("{base}?show=all"),
        "may_dispose": view.allowed_acts.iter().any(|a| a == ACT),
        "opinions": opinions, "outcomes": outcomes, "reason": form.get("reason").unwrap_or(""),
        "errors": errors, "notice": notice, "all": all, "q": text, "campaign": q.campaign, "next": next,
        "counts": l.t_args("ledger-counts", &[("total", total.to_string()), ("open", open.to_string())]),
        "key": uuid::Uuid::new_v4().to_string(),
    });
    render(s, v, Page::new("ledger", l.t("ledger-title"), data).status(status))
}

/// One opinion of the ledger.
fn row(l: Lang, o: &OpinionView, selected: &[&str]) -> Value {
    let disposition =
        o.settled.as_ref().map(|d| json!({"outcome": l.choice(&d.outcome), "reason": d.reason, "by": d.by}));
    let campaign = o.cluster == o.seq && o.members > 1;
    json!({"n": o.seq, "content": o.content, "submitter": o.submitter, "received": china(l, o.received_at),
        "disposition": disposition, "checked": selected.contains(&o.seq.to_string().as_str()),
        "campaign": campaign, "members": o.members, "member_of": (o.cluster != o.seq).then_some(o.cluster),
        "hidden": o.hidden.as_ref().map(|h| h.reason.clone())})
}
