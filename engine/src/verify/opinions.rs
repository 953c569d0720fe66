//! The opinions' chains (see [`crate::ledger::chain`]): each kind on each decision is followed from its first
//! row to the head the store holds, and the head each comment period's close put on the decision's record must
//! be a link of that chain — so an opinion removed, reordered or edited, even together with the stored head,
//! is caught against the record.

use crate::audit::ChainBreak;
use crate::ledger::chain::Walk;
use crate::ledger::{Kind, OpinionQuery};
use crate::store::{Store, StoreError};

/// Rows read per page while following a chain.
const PAGE: i64 = 1000;

/// Check every opinion chain of `decision_id`; the number of opinions checked, and the first break.
pub(super) async fn check(store: &dyn Store, decision_id: &str) -> Result<(usize, Option<ChainBreak>), StoreError> {
    let mut checked = 0;
    let broken = |seq: i64, kind: Kind, problem: String| ChainBreak {
        decision_id: decision_id.to_string(),
        seq,
        problem: format!("{} chain: {problem}", kind.as_str()),
    };
    // A state that does not load is the record's check's break, not this one's.
    let sealed: Vec<(i64, String)> = match store.load(decision_id).await.ok().flatten() {
        Some(l) => l
            .decision
            .facts
            .comment_notices
            .iter()
            .filter_map(|n| n.comments_at_close.clone())
            .map(|s| (s.count, s.head))
            .collect(),
        None => Vec::new(),
    };
    // Heads first: rows up to a head were committed with it, so a later row never confuses the walk.
    for (kind, count, head) in store.opinion_heads(decision_id).await? {
        let mut walk = Walk::default();
        let mut links = std::collections::BTreeMap::new();
        let mut after = None;
        'pages: loop {
            let q = OpinionQuery {
                decision_id: decision_id.to_string(),
                kind: Some(kind),
                after,
                limit: PAGE,
                ..OpinionQuery::default()
            };
            let rows = store.opinions(&q).await?;
            let full = rows.len() as i64 == PAGE;
            for o in &rows {
                if o.seq > count {
                    break 'pages;
                }
                if let Err(b) = walk.next(o) {
                    return Ok((checked, Some(broken(b.seq, kind, b.problem))));
                }
                if kind == Kind::Comment {
                    links.insert(o.seq, o.chain_hash.clone());
                }
                checked += 1;
            }
            match (full, rows.last()) {
                (true, Some(last)) => after = Some((kind, last.seq)),
                _ => break,
            }
        }
        if walk.count != count || (count > 0 && walk.head != head) {
            let problem = format!("{} rows lead to another head than the stored one ({count} rows)", walk.count);
            return Ok((checked, Some(broken(walk.count, kind, problem))));
        }
        if kind == Kind::Comment {
            for (n, h) in &sealed {
                if *n > 0 && links.get(n) != Some(h) {
                    let problem = "the head put on the record when the period closed is not in the chain".to_string();
                    return Ok((checked, Some(broken(*n, kind, problem))));
                }
            }
        }
    }
    Ok((checked, None))
}
