//! The public's opinions as rows of their own (Arts. 15, 18): an opinion leaves the decision's state as it was;
//! a campaign is disposed of once and its members inherit the disposition; a member that says something of its
//! own is split off and disposed of alone; hidden text needs no disposition; the period's end seals the chain.

use chrono::Duration;
use serde_json::json;

use super::{actor, at_participation, drafter, office, S};
use crate::actor::{Actor, Role};
use crate::ledger::Kind;

fn public() -> Actor {
    actor("anon", "public", Role::Public)
}

const LETTER: &str = "坚决反对在居民区附近新建垃圾焚烧厂，请重新选址并公开环评报告。";

/// A 30-day notice published, three identical campaign letters and one other comment received.
fn campaigned() -> S {
    let mut s = at_participation();
    let notice = json!({ "channels": ["website"], "submission_methods": ["邮件"], "start": s.today(), "days": 30 });
    s.ok(&drafter(), "publish_comment_notice", notice);
    let version = s.d.version;
    for text in [LETTER, "坚决反对在居民区附近新建垃圾焚烧厂！请重新选址并公开环评报告", LETTER, "建议延长夜间公交。"]
    {
        s.ok(&public(), "receive_comment", json!({ "content": text }));
    }
    assert_eq!(s.d.version, version, "opinions leave the decision's state as it was");
    s.ok(&drafter(), "record_activity", json!({ "method": "public_comment", "summary": "网上征求意见" }));
    s.now += Duration::days(31);
    s
}

#[test]
fn a_campaign_is_disposed_of_once_and_counts_once() {
    let mut s = campaigned();
    let rows = s.ledger.of(Kind::Comment);
    assert_eq!(rows.iter().map(|o| o.cluster).collect::<Vec<_>>(), [1, 1, 1, 4], "the letters are one campaign");
    assert!(rows.iter().all(|o| o.notice == Some(1)), "each comment answers the notice running");
    let detail = s.refusal_detail(&drafter(), "close_participation", json!({}), "art18_opinions_undisposed");
    assert!(detail.starts_with("2条") && detail.contains("#1") && detail.contains("#4"), "{detail}");

    // Disposing of a member alone leaves the rest of its campaign open; disposing of the campaign settles them.
    let member = json!({ "opinion_id": 3, "outcome": "partly", "reason": "部分采纳：公开环评报告", "campaign": true });
    s.ok(&drafter(), "dispose_opinion", member);
    let settled: Vec<_> =
        s.ledger.of(Kind::Comment).iter().map(|o| o.settled.as_ref().map(|d| d.outcome.clone())).collect();
    assert_eq!(settled, [Some("partly".into()), Some("partly".into()), Some("partly".into()), None]);
    assert!(s.ledger.rows[0].settled.as_ref().is_some_and(|d| d.via_cluster && d.act_seq == s.d.version));
    let detail = s.refusal_detail(&drafter(), "close_participation", json!({}), "art18_opinions_undisposed");
    assert!(detail.starts_with("1条") && detail.contains("#4") && !detail.contains("#1"), "{detail}");

    // A member that says something of its own leaves the campaign and its inherited disposition.
    s.ok(&drafter(), "split_opinion", json!({ "opinion_id": 2 }));
    assert_eq!((s.ledger.rows[1].cluster, s.ledger.rows[1].settled.is_none()), (2, true));
    s.refused(&drafter(), "split_opinion", json!({ "opinion_id": 1 }), "invalid_payload");
    s.refused(&drafter(), "split_opinion", json!({ "opinion_id": 99 }), "invalid_payload");
    let reason = json!({ "opinion_id": 2, "outcome": "not_adopted", "reason": "" });
    s.refused(&drafter(), "dispose_opinion", reason, "art18_disposition_reason");
    s.ok(&drafter(), "dispose_opinion", json!({ "opinion_id": 2, "outcome": "adopted", "reason": "" }));

    // Hidden text needs no disposition: hiding it, with the reason, is what was done with it.
    s.refused(&office(), "hide_opinion", json!({ "opinion_id": 4, "reason": " " }), "invalid_payload");
    s.ok(&office(), "hide_opinion", json!({ "opinion_id": 4, "reason": "含有他人身份证号" }));
    s.refused(&office(), "hide_opinion", json!({ "opinion_id": 4, "reason": "again" }), "invalid_payload");
    assert_eq!(s.ledger.rows[3].hidden.as_ref().map(|h| h.reason.as_str()), Some("含有他人身份证号"));
    assert_eq!(s.ledger.rows[3].content, "建议延长夜间公交。", "the text stays on record");
    s.ok(&drafter(), "close_participation", json!({}));
}

#[test]
fn the_end_of_the_period_puts_the_comments_count_and_chain_head_on_the_record() {
    let mut s = campaigned();
    let system = actor("system", "system", Role::System);
    s.ok(&system, "end_comment_period", json!({}));
    let seal = s.d.facts.comment_notices[0].comments_at_close.clone().expect("sealed");
    let rows = s.ledger.of(Kind::Comment);
    assert_eq!((seal.count, seal.head.as_str()), (4, rows[3].chain_hash.as_str()));
    let mut walk = crate::ledger::chain::Walk::default();
    for o in &rows {
        walk.next(o).expect("the chain holds");
    }
    let mut edited = rows[1].clone();
    edited.content.push('！');
    let mut walk = crate::ledger::chain::Walk::default();
    walk.next(rows[0]).expect("first");
    assert!(walk.next(&edited).is_err(), "an edited text breaks the chain");
    s.refused(&public(), "receive_comment", json!({ "content": "迟到" }), "art15_comment_period_closed");
}
