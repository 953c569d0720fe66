//! The signed-in home page (my tasks and notifications, each marked read
//! when the reader says so) and the list of decisions the reader may read.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use juece_engine::queries::ListQuery;
use serde::Deserialize;
use serde_json::json;

use super::i18n::Lang;
use super::viewer::Viewer;
use super::{engine_error, not_found, render, see_other, seg, sign_in_first, Page};
use crate::server::AppState;

/// A time as the law reads it, in China Standard Time.
pub fn china(lang: Lang, t: DateTime<Utc>) -> String {
    let t = t.with_timezone(&chrono_tz::Asia::Shanghai);
    match lang {
        Lang::Zh => t.format("%Y年%-m月%-d日 %H:%M").to_string(),
        Lang::En => t.format("%-d %b %Y %H:%M CST").to_string(),
    }
}

/// The title of a stage in the reader's language.
pub fn stage_title(s: &AppState, lang: Lang, workflow: &str, version: u32, stage: &str) -> String {
    s.engine.workflows().find(|w| w.key == workflow && w.version == version).and_then(|w| w.stage(stage)).map_or_else(
        || stage.to_string(),
        |st| if lang == Lang::En { st.title_en.clone() } else { st.title_zh.clone() },
    )
}

pub async fn home(State(s): State<AppState>, v: Viewer) -> Response {
    let Some(actor) = v.actor.clone() else { return sign_in_first(&v) };
    let now = s.clock.now();
    let l = v.lang;
    let worklist = match s.engine.worklist(&actor, now).await {
        Ok(w) => w,
        Err(e) => return engine_error(&s, &v, &e),
    };
    let inbox = match s.engine.inbox_for(&actor, 20, now).await {
        Ok(m) => m,
        Err(e) => return engine_error(&s, &v, &e),
    };
    let rows: Vec<_> = worklist
        .tasks
        .iter()
        .map(|t| {
            let d = &t.decision;
            let acts: Vec<_> = d
                .allowed_acts
                .iter()
                .map(|a| json!({"label": l.act(a), "href": format!("/decisions/{}/acts/{}", seg(&d.id), seg(a))}))
                .collect();
            json!({
                "title": d.title, "href": format!("/decisions/{}", seg(&d.id)),
                "stage": stage_title(&s, l, &d.workflow_key, d.workflow_version, &d.stage),
                "acts": acts, "due": t.due.map(|due| china(l, due)), "overdue": t.overdue,
            })
        })
        .collect();
    let reads = match s.engine.inbox_reads(&actor, &inbox).await {
        Ok(r) => r,
        Err(e) => return engine_error(&s, &v, &e),
    };
    let messages: Vec<_> = inbox
        .iter()
        .map(|m| {
            json!({"subject": m.subject, "at": china(l, m.created_at), "href": format!("/decisions/{}", seg(&m.decision_id)),
                "read": reads.contains_key(&m.id), "action": format!("/inbox/{}/read", seg(&m.id))})
        })
        .collect();
    let partial = worklist.partial.then_some(juece_engine::orchestrator::Engine::WORKLIST_SCAN);
    let data = json!({"tasks": rows, "partial": partial, "inbox": messages});
    render(&s, &v, Page::new("tasks", l.t("tasks-title"), data))
}

/// Mark one of the reader's notifications read, and back to the tasks. A message not in their inbox is not
/// found, whether or not it exists (the engine says which are theirs).
pub async fn mark_read(State(s): State<AppState>, v: Viewer, Path(id): Path<String>, body: Bytes) -> Response {
    let (actor, _) = match super::signed_form(&s, &v, &body) {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    match s.engine.mark_inbox_read(&actor, &id, s.clock.now()).await {
        Ok(Some(_)) => see_other("/"),
        Ok(None) => not_found(&s, &v),
        Err(e) => engine_error(&s, &v, &e),
    }
}

#[derive(Deserialize)]
pub struct ListParams {
    offset: Option<i64>,
}

pub async fn decisions(State(s): State<AppState>, v: Viewer, Query(p): Query<ListParams>) -> Response {
    let Some(actor) = v.actor.clone() else { return sign_in_first(&v) };
    let l = v.lang;
    let q = ListQuery { limit: 50, offset: p.offset.unwrap_or(0).max(0), ..ListQuery::default() };
    let page = match s.engine.list_for(&q, &actor, s.clock.now()).await {
        Ok(p) => p,
        Err(e) => return engine_error(&s, &v, &e),
    };
    let rows: Vec<_> = page
        .items
        .iter()
        .map(|d| {
            json!({
                "title": d.title, "href": format!("/decisions/{}", seg(&d.id)), "id": d.id,
                "stage": stage_title(&s, l, &d.workflow_key, d.workflow_version, &d.stage),
                "updated": china(l, d.updated_at),
            })
        })
        .collect();
    let next = page.next_offset.map(|o| format!("/decisions?offset={o}"));
    let data = json!({"decisions": rows, "next": next});
    render(&s, &v, Page::new("decisions", l.t("decisions-title"), data))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::Ui;

    /// A worklist that could not examine every decision at the reader's stages says so on the page, in the
    /// reader's language, and sends them to the list of decisions; a complete one says nothing of the kind.
    #[test]
    fn the_home_page_says_when_the_tasks_may_be_incomplete() {
        let ui = Ui::new();
        let page = |lang: &str, partial: Option<i64>| {
            let data = json!({"lang": lang, "tasks": [], "inbox": [], "partial": partial});
            ui.hb.render("tasks", &data).expect("the tasks page renders")
        };
        let en = page("en", Some(5000));
        assert!(en.contains("tasks are shown from the newest 5000 of them only"), "{en}");
        assert!(en.contains(r#"<a href="/decisions">"#), "{en}");
        let zh = page("zh-CN", Some(5000));
        assert!(zh.contains("仅显示其中最新 5000 件中的待办"), "{zh}");
        let complete = page("en", None);
        assert!(!complete.contains("newest") && !complete.contains("role=\"status\""), "{complete}");
    }
}
