//! The decision page: the stage map, what is still needed to move on (the
//! engine's what-if check of the acts that leave the stage), the acts the
//! reader may take now, the record, deadlines and documents — each read
//! through the engine's visibility rule, as the API reads them.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use juece_engine::act::Act;
use juece_engine::queries::DecisionView;
use juece_engine::visibility::Access;
use juece_engine::worklist::StageStatus;
use juece_engine::Error;
use serde_json::{json, Value};

use super::i18n::Lang;
use super::tasks::{china, stage_title};
use super::viewer::Viewer;
use super::{engine_error, not_found, render, seg, sign_in_first, Page};
use crate::server::AppState;

/// Reasons that say only that the form is not filled in yet: the checklist leaves them to the form.
const PAYLOAD_ONLY: [&str; 1] = ["invalid_payload"];

#[derive(serde::Deserialize)]
pub struct PageQuery {
    /// The act just accepted (after the redirect that answers a form).
    done: Option<String>,
}

pub async fn page(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    let Some(actor) = v.actor.clone() else { return sign_in_first(&v) };
    let now = s.clock.now();
    let l = v.lang;
    let view = match s.engine.read_decision(&id, &actor, now).await {
        Ok(view) => view,
        Err(e) => return engine_error(&s, &v, &e),
    };
    let full = view.access == Access::Full;
    let record = if full {
        match s.engine.read_record(&id, &actor, now).await {
            Ok(r) => r,
            Err(e) => return engine_error(&s, &v, &e),
        }
    } else {
        Vec::new()
    };
    let map: Vec<Value> = s
        .engine
        .stage_map(&view, record.iter().map(|r| &r.record))
        .into_iter()
        .map(|m| {
            let (key, cls) = match m.status {
                StageStatus::Done => ("stage-status-done", "done"),
                StageStatus::Current => ("stage-status-current", "current"),
                StageStatus::Skipped => ("stage-status-skipped", "skipped"),
                StageStatus::Todo => ("stage-status-todo", "todo"),
            };
            let title = if l == Lang::En { m.title_en } else { m.title_zh };
            let side = stage_kind(&s, &view, &m.key).is_some_and(|k| super::map::SIDE_KINDS.contains(&k.as_str()));
            json!({"title": title, "status": l.t(key), "class": cls, "current": m.status == StageStatus::Current,
                "side": side})
        })
        .collect();
    let timeline: Vec<Value> = record
        .iter()
        .rev()
        .map(|r| &r.record)
        .map(|r| {
            json!({"act": l.act(&r.act), "who": r.actor.name, "unit": r.actor.unit, "position": r.actor.position,
                "when": china(l, r.at), "seq": r.seq})
        })
        .collect();
    let (deadlines, documents) =
        if full { (deadlines(&s, &v, &id).await, documents(&s, &v, &id).await) } else { (json!([]), json!([])) };
    let checklist = checklist(&s, &v, &view).await;
    let actions: Vec<Value> = view
        .allowed_acts
        .iter()
        .map(|a| {
            // Opinions are disposed of from the ledger, one or many at a time.
            let href = if a == "dispose_opinion" {
                format!("/decisions/{}/opinions", seg(&id))
            } else {
                format!("/decisions/{}/acts/{}", seg(&id), seg(a))
            };
            json!({"label": l.act(a), "href": href})
        })
        .collect();
    let has_opinions = full
        && s.engine
            .read_opinion_counts(&actor, &id, s.clock.now())
            .await
            .is_ok_and(|c| c.iter().any(|k| k.received > 0));
    let ledger = (full && has_opinions).then(|| format!("/decisions/{}/opinions", seg(&id)));
    let has_meeting = view.facts.get("meeting").is_some_and(|m| !m.is_null());
    let meeting_screen = (full && has_meeting).then(|| format!("/decisions/{}/meeting", seg(&id)));
    let data = json!({
        "id": id, "title_text": view.title, "organ": view.facts.get("organ"), "version": view.version,
        "stage": stage_title(&s, l, &view.workflow_key, view.workflow_version, &view.stage),
        "full": full, "map_svg": super::map::svg(&map), "map": map, "timeline": timeline, "deadlines": deadlines, "documents": documents,
        "checklist": checklist, "actions": actions, "ledger": ledger, "meeting_screen": meeting_screen, "facts": summary(l, &view.facts),
        "done": q.done.map(|a| l.t_args("decision-done", &[("act", l.act(&a))])),
    });
    render(&s, &v, Page::new("decision", view.title.clone(), data))
}

/// The kind of `stage` in the decision's procedure.
fn stage_kind(s: &AppState, view: &DecisionView, stage: &str) -> Option<String> {
    let wf = s.engine.workflows().find(|w| w.key == view.workflow_key && w.version == view.workflow_version)?;
    wf.stage(stage).map(|st| st.kind.as_str().to_string())
}

/// For each act of the stage that leaves it and is the reader's to take: what the engine would refuse now.
async fn checklist(s: &AppState, v: &Viewer, view: &DecisionView) -> Vec<Value> {
    let l = v.lang;
    let Some(actor) = &v.actor else { return Vec::new() };
    let Some(wf) = s.engine.workflows().find(|w| w.key == view.workflow_key && w.version == view.workflow_version)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for name in &view.allowed_acts {
        let Some(def) = wf.acts.get(name) else { continue };
        if def.to.is_none() || !def.skips.is_empty() {
            continue;
        }
        let act = Act::new(name, json!({}));
        let reasons: Vec<Value> = match s.engine.check(&view.id, &act, actor, s.clock.now()).await {
            Ok(()) => Vec::new(),
            Err(Error::Refused(r)) => r
                .reasons
                .iter()
                .filter(|x| !PAYLOAD_ONLY.contains(&x.reason_code.as_str()))
                .map(|x| super::reason_of(l, x))
                .collect(),
            Err(_) => continue,
        };
        let ready = reasons.is_empty();
        out.push(json!({"act": l.act(name), "href": format!("/decisions/{}/acts/{}", seg(&view.id), seg(name)),
            "reasons": reasons, "ready": ready}));
    }
    out
}

async fn deadlines(s: &AppState, v: &Viewer, id: &str) -> Value {
    let l = v.lang;
    let Some(actor) = &v.actor else { return json!([]) };
    let rows = match s.engine.read_deadlines(id, actor, s.clock.now()).await {
        Ok(r) => r,
        Err(_) => return json!([]),
    };
    let defs: Vec<_> = s.engine.workflows().flat_map(|w| w.deadlines.values()).collect();
    let items: Vec<Value> = rows
        .iter()
        .filter(|d| d.row.status == juece_engine::store::DeadlineStatus::Pending)
        .map(|d| {
            let base = d.row.spec.name.split(':').next().unwrap_or(&d.row.spec.name);
            let name = defs
                .iter()
                .find(|def| def.name == base)
                .map_or_else(|| base.to_string(), |def| if l == Lang::En { def.en.clone() } else { def.zh.clone() });
            let basis: Vec<Value> = d
                .row
                .spec
                .basis
                .as_object()
                .map(|m| m.iter().map(|(k, v)| json!({"key": k, "value": plain(v)})).collect())
                .unwrap_or_default();
            json!({"name": name, "due": china(l, juece_engine::procedure::deadline::obligation_due(&d.row.spec)),
                "overdue": d.overdue, "basis": basis})
        })
        .collect();
    json!(items)
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(super) async fn documents(s: &AppState, v: &Viewer, id: &str) -> Value {
    let Some(actor) = &v.actor else { return json!([]) };
    let memos = match s.engine.read_memos(id, actor, s.clock.now()).await {
        Ok(m) => m,
        Err(_) => return json!([]),
    };
    let l = v.lang;
    let items: Vec<Value> = memos
        .iter()
        .filter(|m| m.format == "html" && m.lang == l.code())
        .map(|m| {
            let title = l.lookup(&format!("memo-{}", m.memo)).unwrap_or_else(|| m.memo.replace('_', " "));
            let withheld =
                m.withheld.as_ref().map(|w| if l == Lang::En { w.message_en.clone() } else { w.message_zh.clone() });
            json!({"title": title, "when": china(l, m.created_at), "withheld": withheld,
                "href": format!("/decisions/{}/memos/{}/{}.{}.html", seg(id), m.seq, seg(&m.memo), m.lang),
                "md": format!("/decisions/{}/memos/{}/{}.{}.md", seg(id), m.seq, seg(&m.memo), m.lang)})
        })
        .collect();
    json!(items)
}

/// What a page shows of the facts: the parts a person needs at a glance.
fn summary(l: Lang, facts: &Value) -> Value {
    let draft = facts
        .get("drafts")
        .and_then(Value::as_array)
        .and_then(|d| d.last())
        .or_else(|| facts.get("draft").filter(|d| !d.is_null()))
        .map(|d| {
            json!({"heading": l.t_args("decision-draft", &[("version", d.get("version").map(plain).unwrap_or_default())]),
                "text": d.get("text"), "explanation": d.get("explanation")})
        });
    let diff = draft_diff(facts);
    let notices: Vec<Value> = facts
        .get("comment_notices")
        .and_then(Value::as_array)
        .map(|ns| {
            ns.iter()
                .map(|n| json!({"start": n.get("start"), "last_day": n.get("last_day"), "days": n.get("days")}))
                .collect()
        })
        .unwrap_or_default();
    let experts: Vec<Value> = facts
        .get("experts")
        .and_then(Value::as_array)
        .map(|es| {
            es.iter()
                .map(|e| {
                    json!({"name": e.get("name"), "field": e.get("field"),
                        "opinion": e.get("opinion").is_some_and(|o| !o.is_null()),
                        "conflict": e.get("conflict").is_some_and(|o| !o.is_null())})
                })
                .collect()
        })
        .unwrap_or_default();
    let meeting = facts.get("meeting").filter(|m| !m.is_null()).map(|m| meeting(l, m));
    let draws: Vec<Value> = facts
        .get("draws")
        .and_then(Value::as_array)
        .map(|ds| ds.iter().map(|d| draw(l, d)).collect())
        .unwrap_or_default();
    json!({"draft": draft, "diff": diff, "notices": notices, "experts": experts, "meeting": meeting, "draws": draws,
        "publication": facts.get("publication").filter(|p| !p.is_null()).map(|p| json!({"at": p.get("published_at")}))})
}

/// An expert draw as the record keeps it, re-run here from its candidates and seed: the page shows whether the
/// same panel comes out, so a reader need not take the draw on trust.
fn draw(l: Lang, d: &Value) -> Value {
    let strings = |k: &str| -> Vec<String> {
        d.get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default()
    };
    let (candidates, chosen) = (strings("candidates"), strings("chosen"));
    let seed = d.get("seed").and_then(Value::as_u64);
    let reproduced =
        seed.is_some_and(|seed| juece_engine::procedure::acts::draw(&candidates, seed, chosen.len()) == chosen);
    let at = d.get("at").and_then(Value::as_str).and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
    json!({"pool": d.get("pool"), "seed": seed, "fields": strings("fields").join("、"),
        "candidates": candidates.join("、"), "count": candidates.len(), "chosen": chosen.join("、"),
        "at": at.map(|t| china(l, t.with_timezone(&chrono::Utc))), "reproduced": reproduced})
}

/// The lines changed between the two latest draft versions the reader may see (none before a second version).
fn draft_diff(facts: &Value) -> Option<Vec<Value>> {
    let drafts = facts.get("drafts").and_then(Value::as_array)?;
    let [.., before, after] = drafts.as_slice() else { return None };
    let (old, new) = (before.get("text")?.as_str()?, after.get("text")?.as_str()?);
    let diff = similar::TextDiff::from_lines(old, new);
    let lines = diff
        .iter_all_changes()
        .map(|c| {
            let op = match c.tag() {
                similar::ChangeTag::Insert => "added",
                similar::ChangeTag::Delete => "removed",
                similar::ChangeTag::Equal => "same",
            };
            json!({"op": op, "text": c.value().trim_end_matches('\n'), "added": op == "added", "removed": op == "removed"})
        })
        .collect();
    Some(lines)
}

/// The meeting on one screen: who is on the roster, who has spoken and how.
pub(super) fn meeting(l: Lang, m: &Value) -> Value {
    let members: Vec<Value> = super::meeting::roster(m, |name, theirs| {
        let last = theirs.last();
        let stance = last.and_then(|st| st.get("stance")).and_then(Value::as_str);
        json!({"name": name, "spoken": stance.is_some(), "stance": stance.map(|st| l.choice(st)),
            "words": last.and_then(|st| st.get("words"))})
    });
    // The majority as the engine counts it (each member present once, with their latest stance).
    let majority = m
        .pointer("/tally/majority")
        .and_then(Value::as_str)
        .map(|x| l.lookup(&format!("majority-{x}")).unwrap_or_else(|| x.to_string()));
    json!({"members": members, "date": m.get("date"), "majority": majority,
        "chief": m.get("chief").filter(|c| !c.is_null()).map(|c| json!({"stance": c.get("stance"), "words": c.get("words")})),
        "closed": m.get("closed_at").is_some_and(|c| !c.is_null())})
}

/// One memo, as printable HTML or Markdown text, read through the engine like the API's memo route.
pub async fn memo(
    State(s): State<AppState>,
    v: Viewer,
    Path((id, seq, file)): Path<(String, i64, String)>,
) -> Response {
    let Some(actor) = v.actor.clone() else { return sign_in_first(&v) };
    let mut parts = file.rsplitn(3, '.');
    let (Some(format), Some(lang), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
        return not_found(&s, &v);
    };
    match s.engine.read_memo(&id, seq, (name, lang, format), &actor, s.clock.now()).await {
        Ok(m) => {
            let ct = if m.format == "html" { "text/html; charset=utf-8" } else { "text/plain; charset=utf-8" };
            let mut resp = m.body.into_response();
            let h = resp.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; img-src data:"),
            );
            resp
        }
        Err(e) => engine_error(&s, &v, &e),
    }
}
