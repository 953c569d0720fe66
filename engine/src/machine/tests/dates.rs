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

/// In the hearing stage (participation held), a hearing announced 20 days ahead for one side.
fn hearing_announced(selected: Option<bool>) -> (S, chrono::NaiveDate) {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    s.skip("public_participation", "skip_public_participation");
    let date = s.today() + Duration::days(20);
    let mut notice = json!({ "date": date, "place": "市民中心", "sides": ["居民"] });
    if let Some(sel) = selected {
        notice["participants_selected"] = json!(sel);
    }
    s.ok(&drafter(), "publish_hearing_notice", notice);
    (s, date)
}

#[test]
fn art17_a_hearing_is_not_recorded_as_held_before_its_announced_day() {
    let (mut s, date) = hearing_announced(None);
    s.ok(&drafter(), "publish_hearing_selection_method", json!({ "criteria": "报名抽取", "quota_per_side": 1 }));
    let p = json!({ "name": "A", "side": "居民", "materials_delivered_on": date - Duration::days(8) });
    s.ok(&drafter(), "add_hearing_participant", p);
    s.ok(&drafter(), "publish_hearing_participant_list", json!({}));
    // The list published is the list heard: nobody joins it afterwards (Art. 16(3)).
    let late = json!({ "name": "B", "side": "居民", "materials_delivered_on": date - Duration::days(8) });
    s.refused(&drafter(), "add_hearing_participant", late, "art16_list_already_published");
    let segments = json!({ "presentation": "承办单位说明", "statements": "居民代表发言" });
    s.now += Duration::days(19);
    s.refused(&drafter(), "record_hearing_segments", segments.clone(), "art17_hearing_not_yet_held");
    s.refused(
        &drafter(),
        "confirm_hearing_record",
        json!({ "participant": "A", "signed": true }),
        "art17_hearing_not_yet_held",
    );
    s.refused(&drafter(), "close_hearing", json!({}), "art17_hearing_not_yet_held");
    s.now += Duration::days(1);
    s.ok(&drafter(), "record_hearing_segments", segments);
    s.ok(&drafter(), "confirm_hearing_record", json!({ "participant": "A", "signed": true }));
    s.ok(&drafter(), "close_hearing", json!({}));
}

#[test]
fn art16_the_selection_method_is_required_only_where_participants_are_selected() {
    let (mut s, date) = hearing_announced(None);
    let p = json!({ "name": "A", "side": "居民", "materials_delivered_on": date - Duration::days(8) });
    s.refused(&drafter(), "add_hearing_participant", p.clone(), "art16_selection_method_first");
    // Everyone who registers attends: no selection, so no selection method.
    let (mut open, _) = hearing_announced(Some(false));
    open.ok(&drafter(), "add_hearing_participant", p);
    assert!(open.d.facts.hearing.as_ref().unwrap().no_selection);
}

#[test]
fn art26_the_review_counts_from_the_reviewers_receipt_and_urgency_needs_its_acknowledgement() {
    use super::actor;
    use crate::actor::Role;
    let mut s = S::at_legality_review("national");
    let today = s.today();
    // A receipt declared before the submission does not shorten the review: it counts from today at the earliest.
    let backdated = json!({ "legal_basis": ["某法"], "procedure_explanation": "p",
        "received_complete_on": today - Duration::days(10), "requested_due": "2026-03-05" });
    s.refused(&drafter(), "submit_for_legality_review", backdated, "art26_min_7_working_days");
    let urgent = json!({ "legal_basis": ["某法"], "procedure_explanation": "p", "received_complete_on": today,
        "requested_due": "2026-03-05", "urgency_reason": "防汛紧急" });
    s.ok(&drafter(), "submit_for_legality_review", urgent);
    let rev = actor("rev", "司法局", Role::LegalityReviewer);
    s.ok(
        &actor("l", "司法局", Role::LegalAdviser),
        "record_lawyer_opinion",
        json!({ "capacity": "法律顾问", "opinion": "o" }),
    );
    let opinion = json!({ "authority": "a", "procedure": "p", "content": "c", "conclusion": "lawful" });
    s.refused(&rev, "issue_legality_opinion", opinion.clone(), "art26_urgency_not_acknowledged");
    // The reviewer receives the materials two days later without accepting the urgency: refused, nothing kept.
    s.now += Duration::days(2);
    s.refused(&rev, "record_review_receipt", json!({}), "art26_review_time_from_receipt");
    s.ok(&rev, "record_review_receipt", json!({ "acknowledge_urgency": true }));
    let sub = s.d.facts.legality_submissions.last().unwrap().clone();
    assert_eq!(sub.receipt_recorded_on, Some(s.today()));
    assert_eq!(sub.floor_due.to_string(), "2026-03-13", "7 working days from Wednesday 4 March");
    assert!(sub.urgency_acknowledged_by.as_deref().unwrap_or("").contains("rev"));
    s.ok(&rev, "issue_legality_opinion", opinion);
}
