//! Dates the caller must not control (issue 12, items 8–10): the server's clock and recorded receipts decide.

use chrono::Duration;
use serde_json::json;

use super::{drafter, office, S};

fn notice(start: chrono::NaiveDate, days: u32, reason: Option<&str>) -> serde_json::Value {
    json!({ "channels": ["website"], "submission_methods": ["邮件"], "start": start, "days": days, "shortening_reason": reason })
}

#[test]
fn art15_a_comment_period_starts_no_earlier_than_its_publication() {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    let today = s.today();
    // Backdated by a day: the public would lose a day of the 30 it is owed.
    let codes =
        s.try_act(&drafter(), "publish_comment_notice", notice(today - Duration::days(1), 30, None)).unwrap_err();
    assert_eq!(codes, ["art15_start_backdated"]);
    assert!(s.d.facts.comment_notices.is_empty());
    // 16:30 UTC on 1 March is 00:30 on 2 March in China: the China-time date counts, not the UTC one.
    s.now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 1, 16, 30, 0).unwrap();
    s.ok(&drafter(), "publish_comment_notice", notice(today, 30, None));
    assert_eq!(s.d.facts.comment_notices[0].start, today);
}

#[test]
fn art15_a_shortened_period_needs_the_general_offices_approval_before_publication() {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    let today = s.today();
    s.refused(
        &drafter(),
        "publish_comment_notice",
        notice(today, 20, Some("情况紧急")),
        "art15_shortening_not_approved",
    );
    // The drafter cannot approve it; an approval for a shorter period than the notice's does not cover it.
    assert!(s.try_act(&drafter(), "approve_comment_shortening", json!({ "days": 20, "reason": "情况紧急" })).is_err());
    s.refused(&office(), "approve_comment_shortening", json!({ "days": 30, "reason": "r" }), "invalid_payload");
    s.ok(&office(), "approve_comment_shortening", json!({ "days": 25, "reason": "情况紧急" }));
    s.refused(
        &drafter(),
        "publish_comment_notice",
        notice(today, 20, Some("情况紧急")),
        "art15_shortening_not_approved",
    );
    s.ok(&office(), "approve_comment_shortening", json!({ "days": 20, "reason": "情况紧急" }));
    s.ok(&drafter(), "publish_comment_notice", notice(today, 20, Some("情况紧急")));
    let used: Vec<Option<u32>> = s.d.facts.shortening_approvals.iter().map(|a| a.notice).collect();
    assert_eq!(used, [None, Some(1)], "the approval relied on is the one for 20 days");
}
