//! Public participation and hearings: the comment period's floor and its shortening, activities and specific groups, the hearing's notice, sides, materials and signatures (Arts. 14–18).

use super::*;

#[test]
fn a4_a5_comment_period_floor_and_shortening_reason() {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    let today = s.today();
    let short = json!({ "channels": ["website"], "submission_methods": ["邮件"], "start": today, "days": 20 });
    s.refused(&drafter(), "publish_comment_notice", short, "art15_min_30_days");
    s.refused(
        &drafter(),
        "publish_comment_notice",
        json!({ "channels": ["wechat"], "submission_methods": ["邮件"], "start": today, "days": 30 }),
        "art15_notice_fields",
    );
    let shortened = json!({
        "channels": ["website"], "submission_methods": ["邮件"], "start": today, "days": 20, "shortening_reason": "汛期临近，情况紧急",
    });
    // The reason alone is not enough: the general office approves the shorter period first (regulation.md §6).
    s.refused(&drafter(), "publish_comment_notice", shortened.clone(), "art15_shortening_not_approved");
    s.ok(&office(), "approve_comment_shortening", json!({ "days": 20, "reason": "汛期临近，情况紧急" }));
    s.ok(&drafter(), "publish_comment_notice", shortened);
    assert_eq!(s.d.facts.shortening_approvals[0].notice, Some(1));
    let notice = s.d.facts.comment_notices.last().unwrap().clone();
    assert_eq!(notice.shortening_reason.as_deref(), Some("汛期临近，情况紧急"));
    // 2026-03-02 + 20 days = 2026-03-22, a Sunday: the period ends at 24:00 on Monday the 23rd.
    assert_eq!(notice.last_day.to_string(), "2026-03-23");
    s.ok(&actor("anon", "public", Role::Public), "receive_comment", json!({ "content": "意见" }));
    s.refused(&drafter(), "close_participation", json!({}), "art15_period_not_ended");
    s.now = notice.ends_at;
    s.refused(
        &actor("anon", "public", Role::Public),
        "receive_comment",
        json!({ "content": "迟到" }),
        "art15_comment_period_closed",
    );
    s.refused(&drafter(), "close_participation", json!({}), "art18_opinions_undisposed");
    s.refused(
        &drafter(),
        "dispose_opinion",
        json!({ "opinion_id": 1, "outcome": "not_adopted", "reason": "" }),
        "art18_disposition_reason",
    );
    s.ok(&drafter(), "dispose_opinion", json!({ "opinion_id": 1, "outcome": "not_adopted", "reason": "上位法已规定" }));
    s.ok(&drafter(), "close_participation", json!({}));
    assert_eq!(s.d.stage, "hearing");
}

#[test]
fn a9_a10_hearing_sides_materials_and_signatures() {
    let mut s = S::started("national");
    s.ok(&drafter(), "finish_drafting", json!({}));
    s.skip("cost_benefit", "skip_cost_benefit");
    s.skip("public_participation", "skip_public_participation");
    let hearing = s.today() + Duration::days(20);
    s.ok(
        &drafter(),
        "publish_hearing_notice",
        json!({ "date": hearing, "place": "市民中心", "sides": ["居民", "企业", "环保组织"] }),
    );
    let on_time = hearing - Duration::days(7);
    let a = json!({ "name": "A", "side": "居民", "materials_delivered_on": on_time });
    s.refused(&drafter(), "add_hearing_participant", a.clone(), "art16_selection_method_first");
    s.ok(
        &drafter(),
        "publish_hearing_selection_method",
        json!({ "criteria": "自愿报名、随机抽取", "quota_per_side": 2 }),
    );
    s.ok(&drafter(), "add_hearing_participant", a);
    s.ok(
        &drafter(),
        "add_hearing_participant",
        json!({ "name": "B", "side": "企业", "materials_delivered_on": hearing - Duration::days(6) }),
    );
    let codes = s.try_act(&drafter(), "close_hearing", json!({})).unwrap_err();
    assert!(
        codes.contains(&"art16_side_unrepresented".to_string())
            && codes.contains(&"art16_materials_7_days".to_string()),
        "{codes:?}"
    );
    s.ok(
        &drafter(),
        "add_hearing_participant",
        json!({ "name": "B", "side": "企业", "materials_delivered_on": on_time }),
    );
    s.ok(
        &drafter(),
        "add_hearing_participant",
        json!({ "name": "C", "side": "环保组织", "materials_delivered_on": on_time }),
    );
    let codes = s.try_act(&drafter(), "close_hearing", json!({})).unwrap_err();
    assert!(
        codes.contains(&"art16_list_not_published".into()) && codes.contains(&"art17_record_segments".into()),
        "{codes:?}"
    );
    s.ok(&drafter(), "publish_hearing_participant_list", json!({}));
    // Nothing of the hearing is recorded before its announced day (Art. 17).
    s.refused(
        &drafter(),
        "record_hearing_segments",
        json!({ "presentation": "p", "statements": "s" }),
        "art17_hearing_not_yet_held",
    );
    s.now += Duration::days(20);
    let segments =
        json!({ "presentation": "承办单位说明草案及依据", "statements": "居民代表A质询噪声标准；企业代表B辩论" });
    s.ok(&drafter(), "record_hearing_segments", segments);
    s.ok(&drafter(), "confirm_hearing_record", json!({ "participant": "A", "signed": true }));
    s.ok(&drafter(), "confirm_hearing_record", json!({ "participant": "B", "signed": true }));
    s.refused(&drafter(), "close_hearing", json!({}), "art17_record_unconfirmed");
    s.ok(
        &drafter(),
        "confirm_hearing_record",
        json!({ "participant": "C", "signed": false, "refusal_reason": "不同意记录第3页" }),
    );
    s.ok(&drafter(), "close_hearing", json!({}));
}

#[test]
fn pp2_pp3_activities_and_specific_groups() {
    let mut s = at_participation();
    s.refused(&drafter(), "close_participation", json!({}), "art14_activity_required");
    s.ok(&drafter(), "set_flags", json!({ "specific_group_interest": true }));
    s.ok(
        &drafter(),
        "record_activity",
        json!({ "method": "public_comment", "participant_types": ["公众"], "summary": "网上征求意见" }),
    );
    s.refused(&drafter(), "close_participation", json!({}), "art14_specific_group");
    s.ok(
        &drafter(),
        "record_activity",
        json!({ "method": "symposium", "participant_types": ["群众代表"], "summary": "座谈会" }),
    );
    s.ok(&drafter(), "close_participation", json!({}));
    s.refused(&drafter(), "record_activity", json!({ "method": "x", "summary": "s" }), "act_not_allowed_in_stage");
}

#[test]
fn pp9_hearing_notice_must_come_in_advance() {
    let mut s = at_participation();
    s.skip("public_participation", "skip_public_participation");
    let today = s.today();
    s.refused(
        &drafter(),
        "publish_hearing_notice",
        json!({ "date": today, "place": "p", "sides": ["a"] }),
        "art16_notice_in_advance",
    );
    s.ok(
        &drafter(),
        "publish_hearing_notice",
        json!({ "date": today + Duration::days(1), "place": "p", "sides": ["a"] }),
    );
}
