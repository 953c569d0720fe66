//! A5 variant (Art. 15): a comment period shortened after its notice went
//! out. The act is accepted with a warning, the notice is flagged
//! `non_compliant_shortening`, and public participation cannot close until a
//! new, compliant notice has been published and has run.

use serde_json::{json, Value};

use super::warnings::codes;
use super::{actor, at_participation, drafter, S};
use crate::actor::Role;

const REASON: &str = "汛期临近，情况紧急";

/// In public participation with a notice of `days` published today.
fn noticed(days: u32) -> S {
    let mut s = at_participation();
    s.ok(&drafter(), "publish_comment_notice", notice(&s, days));
    s
}

fn notice(s: &S, days: u32) -> Value {
    json!({ "channels": ["website"], "submission_methods": ["邮件"], "start": s.today(), "days": days })
}

#[test]
fn a5_variant_a_reason_added_after_publication_flags_the_notice_until_a_compliant_one_has_run() {
    let mut s = noticed(30);
    s.ok(&actor("anon", "public", Role::Public), "receive_comment", json!({ "content": "意见" }));
    let w = s.warnings_of(&drafter(), "shorten_comment_period", json!({ "days": 20, "shortening_reason": REASON }));
    assert_eq!(codes(&w), ["art15_shortened_after_publication"]);
    let n = s.d.facts.comment_notices[0].clone();
    assert!(n.non_compliant_shortening);
    assert_eq!((n.days, n.shortening_reason.as_deref()), (20, None), "the published notice stated no reason");
    let late = n.late_shortening.expect("recorded");
    assert_eq!((late.from_days, late.reason.as_str(), late.at), (30, REASON, s.now));
    // 2 March + 20 days = 22 March, a Sunday: the period ends at 24:00 on Monday the 23rd.
    assert_eq!(n.last_day.to_string(), "2026-03-23");

    s.now = n.ends_at;
    s.ok(&drafter(), "dispose_opinion", json!({ "opinion_id": 1, "outcome": "not_adopted", "reason": "已有规定" }));
    let codes = s.try_act(&drafter(), "close_participation", json!({})).unwrap_err();
    assert_eq!(codes, ["non_compliant_shortening"], "the shortened period ended; only the flag holds the stage");
    let detail = s.refusal_detail(&drafter(), "close_participation", json!({}), "non_compliant_shortening");
    assert!(detail.contains("notice #1"), "{detail}");
    // Passing over the stage instead is refused too: a published notice ends only by closing (Art. 15).
    s.refused(&drafter(), "skip_public_participation", json!({}), "art15_notice_published");

    // A new, compliant notice: the stage waits for it to run.
    let renewed = notice(&s, 30);
    s.ok(&drafter(), "publish_comment_notice", renewed);
    let codes = s.try_act(&drafter(), "close_participation", json!({})).unwrap_err();
    assert!(codes.contains(&"non_compliant_shortening".into()) && codes.contains(&"art15_period_not_ended".into()));
    s.now = s.d.facts.comment_notices[1].ends_at;
    s.ok(&drafter(), "close_participation", json!({}));
    assert_eq!(s.d.stage, "hearing");
    assert!(s.d.facts.comment_notices[0].non_compliant_shortening, "the first notice stays flagged");
}

#[test]
fn a_period_shortened_but_still_above_the_floor_is_not_flagged() {
    let mut s = noticed(40);
    let w = s.warnings_of(&drafter(), "shorten_comment_period", json!({ "days": 30, "shortening_reason": "提前完成" }));
    assert!(w.is_empty(), "{w:?}");
    assert!(!s.d.facts.comment_notices[0].non_compliant_shortening);
    s.now = s.d.facts.comment_notices[0].ends_at;
    s.ok(&drafter(), "close_participation", json!({}));
}

#[test]
fn shortening_needs_a_notice_a_reason_and_a_shorter_period() {
    let mut s = noticed(30);
    for bad in [
        json!({ "days": 20, "shortening_reason": " " }),
        json!({ "days": 30, "shortening_reason": REASON }),
        json!({ "days": 0, "shortening_reason": REASON }),
        json!({ "days": 20 }),
    ] {
        s.refused(&drafter(), "shorten_comment_period", bad, "invalid_payload");
    }
    // A period that has ended is not shortened any more.
    s.now = s.d.facts.comment_notices[0].ends_at;
    let closed = json!({ "days": 20, "shortening_reason": REASON });
    s.refused(&drafter(), "shorten_comment_period", closed, "art15_comment_period_closed");
    let mut none = at_participation();
    none.refused(
        &drafter(),
        "shorten_comment_period",
        json!({ "days": 20, "shortening_reason": REASON }),
        "invalid_payload",
    );
}
