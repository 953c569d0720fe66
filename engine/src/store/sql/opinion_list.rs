//! A page of a consultation's opinions, filtered, in `(kind, seq)` order after a cursor. A text search has a plan
//! of its own, so that a page costs about a page's rows whether the text is rare or in every tenth opinion:
//!
//! * where the text index walks in order (SQLite's, within one kind: [`dialect::opinion_text_walk`]), the index is
//!   read from the cursor on and the read stops at the page;
//! * otherwise the next rows in order are read and searched, in [`WINDOWS`] growing tenfold and more; a common
//!   text fills the page in the first. A text too rare to fill it in the largest is found through the index,
//!   which returns every match unordered (PostgreSQL's GIN) to be sorted: few, since the text is that rare.

use super::{dialect, Backend, Db};
use crate::audit::format_instant;
use crate::ledger::{Opinion, OpinionQuery};
use crate::store::opinions::{convert, sql};
use crate::store::StoreError;

/// Rows read in order, one window after another, before a search falls back to the index. A text in one row of
/// a hundred fills a page of 50 in the second; one rarer than about one in 640 (1,500 matches in a million) is
/// sorted from the index.
const WINDOWS: [i64; 2] = [2_000, 32_000];

/// How one page is read.
enum Plan<'a> {
    /// No text.
    Plain,
    /// The text index read in order, with this query (SQLite's FTS phrase).
    Walk(String),
    /// The next this many rows in order, searched for this text.
    Window(&'a str, i64),
    /// The text index's matches, sorted.
    Index(&'a str),
}

pub(super) async fn opinions(store: &Backend, q: &OpinionQuery) -> Result<Vec<Opinion>, StoreError> {
    let limit = if q.limit <= 0 { 50 } else { q.limit.min(1000) };
    let text = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let plans = match text {
        None => vec![Plan::Plain],
        Some(text) => match q.kind.and_then(|_| dialect::opinion_text_walk(text)) {
            Some(phrase) => vec![Plan::Walk(phrase)],
            None => WINDOWS.iter().map(|w| Plan::Window(text, *w)).chain([Plan::Index(text)]).collect(),
        },
    };
    let mut found = Vec::new();
    for plan in plans {
        let rows = select(q, &plan, limit).build().fetch_all(&store.reader).await?;
        found = rows.iter().map(convert::opinion).collect::<Result<Vec<_>, _>>()?;
        // A window that filled the page holds the first matches in order: the page is done.
        if found.len() as i64 == limit {
            break;
        }
    }
    Ok(found)
}

fn select<'a>(q: &'a OpinionQuery, plan: &Plan<'a>, limit: i64) -> sqlx::QueryBuilder<'a, Db> {
    let mut b = sqlx::QueryBuilder::<Db>::new("select ");
    match plan {
        Plan::Walk(phrase) => {
            b.push(sql::COLUMNS)
                .push(" from opinion_text cross join opinions on opinions.rowid = opinion_text.rowid")
                .push(" where opinion_text match ")
                .push_bind(phrase.clone())
                .push(" and ");
        }
        Plan::Window(..) => {
            b.push(sql::WINDOW_COLUMNS).push(" from (select opinions.* from opinions where ");
        }
        Plan::Plain | Plan::Index(_) => {
            b.push(sql::COLUMNS).push(" from opinions where ");
        }
    }
    filters(&mut b, q);
    after(&mut b, q, matches!(plan, Plan::Walk(_)));
    match plan {
        Plan::Walk(_) => {
            b.push(" order by opinion_text.rowid limit ").push_bind(limit);
        }
        Plan::Window(text, rows) => {
            b.push(" order by kind, seq limit ").push_bind(*rows).push(") as w where true");
            dialect::opinion_text_contains(&mut b, text);
            b.push(" order by kind, seq limit ").push_bind(limit);
        }
        Plan::Index(text) => {
            dialect::opinion_text_filter(&mut b, text);
            b.push(" order by kind, seq limit ").push_bind(limit);
        }
        Plan::Plain => {
            b.push(" order by kind, seq limit ").push_bind(limit);
        }
    }
    b
}

/// Every filter but the text and the cursor.
fn filters<'a>(b: &mut sqlx::QueryBuilder<'a, Db>, q: &'a OpinionQuery) {
    b.push("decision_id = ").push_bind(q.decision_id.as_str());
    if let Some(kind) = q.kind {
        b.push(" and kind = ").push_bind(kind.as_str());
    }
    if let Some(n) = q.notice {
        b.push(" and notice = ").push_bind(n);
    }
    if let Some(c) = q.cluster {
        b.push(" and cluster = ").push_bind(c);
    }
    if q.leaders_only {
        b.push(" and cluster = seq");
    }
    match q.disposition.as_deref() {
        None => {}
        Some("open") => {
            b.push(" and settled is null and hidden is null");
        }
        Some("settled") => {
            b.push(" and settled is not null");
        }
        Some("hidden") => {
            b.push(" and hidden is not null");
        }
        Some(outcome) => {
            b.push(" and outcome = ").push_bind(outcome);
        }
    }
    match q.submitter.as_deref() {
        Some("named") => {
            b.push(" and submitter is not null");
        }
        Some("anonymous") => {
            b.push(" and submitter is null");
        }
        _ => {}
    }
    if let Some(from) = q.from {
        b.push(" and received_at >= ").push_bind(format_instant(&from));
    }
    if let Some(until) = q.until {
        b.push(" and received_at < ").push_bind(format_instant(&until));
    }
}

/// After the cursor; a walk of the text index starts at the cursor's row rather than at the kind's first match.
fn after<'a>(b: &mut sqlx::QueryBuilder<'a, Db>, q: &'a OpinionQuery, walk: bool) {
    let Some((kind, seq)) = q.after else { return };
    match q.kind {
        // Within one kind the cursor bounds `seq` alone. Beside the kind's equality, a row comparison over
        // (kind, seq) is no start position for PostgreSQL's btree, which then read the kind from its first row:
        // 30 ms at half a million comments, against 3.
        Some(k) if k == kind => {
            b.push(" and seq > ").push_bind(seq);
        }
        // The cursor's kind sorts after this one: nothing of this kind is after it.
        Some(k) if k.as_str() < kind.as_str() => {
            b.push(" and 1 = 0");
        }
        // It sorts before: every row of this kind is after it.
        Some(_) => {}
        None => {
            b.push(" and (kind, seq) > (").push_bind(kind.as_str()).push(", ").push_bind(seq).push(")");
        }
    }
    if walk && q.kind == Some(kind) {
        b.push(" and opinion_text.rowid > coalesce((select rowid from opinions where decision_id = ")
            .push_bind(q.decision_id.as_str())
            .push(" and kind = ")
            .push_bind(kind.as_str())
            .push(" and seq = ")
            .push_bind(seq)
            .push("), 0)");
    }
}
