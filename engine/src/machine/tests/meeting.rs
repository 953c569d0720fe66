//! The meeting (Art. 30), issue items 5–7: each member present counts once,
//! with their latest stance; a meeting on record is never replaced; the
//! decision is taken at the open meeting, dated by it, and the minutes follow.

use chrono::Duration;
use serde_json::json;

use super::{actor, drafter, office, S};
use crate::actor::Role;

fn chief() -> crate::actor::Actor {
    actor("市长", "政府", Role::ChiefExecutive)
}

/// The package submitted, a meeting of 甲, 乙, 丙 convened for today.
fn convened() -> S {
    let mut s = S::reviewed("national", "lawful");
    s.ok(&drafter(), "submit_package", json!({}));
    let today = s.today();
    s.ok(
        &office(),
        "convene_meeting",
        json!({ "meeting_type": "executive", "date": today, "members": ["甲", "乙", "丙"] }),
    );
    s
}

fn stance(s: &mut S, member: &str, stance: &str) {
    s.ok(
        &office(),
        "record_stance",
        json!({ "member": member, "stance": stance, "words": format!("{member}：{stance}") }),
    );
}

#[test]
fn cd4_each_member_present_counts_once_with_the_latest_stance() {
    let mut s = convened();
    stance(&mut s, "甲", "oppose");
    stance(&mut s, "乙", "support");
    stance(&mut s, "丙", "oppose");
    assert_eq!(s.d.facts.meeting.as_ref().unwrap().tally.majority, "oppose");
    // 甲 speaks again: the earlier stance stays in the record, superseded, and is no longer counted.
    stance(&mut s, "甲", "support");
    let m = s.d.facts.meeting.clone().unwrap();
    assert_eq!(m.stances.len(), 4, "nothing said is dropped");
    let supersession: Vec<(&str, &str, bool)> =
        m.stances.iter().map(|x| (x.member.as_str(), x.stance.as_str(), x.superseded)).collect();
    assert_eq!(
        supersession,
        [("甲", "oppose", true), ("乙", "support", false), ("丙", "oppose", false), ("甲", "support", false)]
    );
    let t = &m.tally;
    assert_eq!((t.support, t.oppose, t.reserve, t.counted, t.majority.as_str()), (2, 1, 0, 3, "support"));
    // Counted twice, 甲 would make it 2–2 and the chief's rejection no departure; it departs from a majority of support.
    s.refused(
        &chief(),
        "record_chief_opinion",
        json!({ "decision": "reject", "words": "不通过" }),
        "art30_divergence_reason",
    );
    s.ok(&chief(), "record_chief_opinion", json!({ "decision": "adopt", "words": "通过" }));
    s.ok(&chief(), "decide", json!({}));
    assert_eq!(s.d.facts.outcome.as_ref().unwrap().majority, "support");
}

#[test]
fn cd4_a_tie_and_no_majority_are_counted_as_such() {
    let mut s = convened();
    stance(&mut s, "甲", "support");
    stance(&mut s, "乙", "oppose");
    stance(&mut s, "丙", "reserve");
    assert_eq!(s.d.facts.meeting.as_ref().unwrap().tally.majority, "tie");
    // 乙 reserves too: one support of three counted is no majority, and not a tie.
    stance(&mut s, "乙", "reserve");
    let t = s.d.facts.meeting.as_ref().unwrap().tally.clone();
    assert_eq!((t.support, t.oppose, t.reserve, t.majority.as_str()), (1, 0, 2, "none"));
}

#[test]
fn cd5_a_meeting_on_record_is_never_replaced_and_a_second_one_keeps_the_first_whole() {
    let mut s = convened();
    stance(&mut s, "甲", "oppose");
    let again = json!({ "meeting_type": "executive", "date": s.today(), "members": ["丁"] });
    s.refused(&office(), "convene_meeting", again.clone(), "art30_meeting_already_held");
    // Sending back needs the minutes of the meeting that decided it.
    s.refused(&chief(), "send_back", json!({ "reason": "补充论证" }), "art30_minutes_missing");
    // The meeting ends without a decision: it stays closed, nothing is added or decided after it.
    s.ok(&office(), "close_meeting", json!({}));
    s.refused(&office(), "close_meeting", json!({}), "art30_meeting_closed");
    s.refused(&office(), "convene_meeting", again.clone(), "art30_meeting_already_held");
    let late = json!({ "member": "乙", "stance": "support", "words": "补" });
    s.refused(&office(), "record_stance", late, "art30_meeting_closed");
    s.refused(&chief(), "record_chief_opinion", json!({ "decision": "adopt", "words": "x" }), "art30_meeting_closed");
    s.refused(&chief(), "decide", json!({}), "art30_decide_at_meeting");
    let first = s.d.facts.meeting.clone().unwrap();
    // The meeting sent the matter back: a new package, a new meeting numbered 2; the first kept whole.
    s.ok(&chief(), "send_back", json!({ "reason": "补充论证" }));
    assert_eq!(s.d.stage, "submission");
    assert_eq!(s.d.facts.earlier_meetings, std::slice::from_ref(&first));
    assert!(s.d.facts.meeting.is_none());
    s.ok(&drafter(), "submit_package", json!({}));
    s.ok(&office(), "convene_meeting", again);
    let second = s.d.facts.meeting.clone().unwrap();
    assert_eq!((first.number, second.number, second.members.as_slice()), (1, 2, ["丁".to_string()].as_slice()));
    assert_eq!(s.d.facts.earlier_meetings[0].stances[0].words, "甲：oppose");
}

#[test]
fn cd2_the_decision_is_taken_at_the_open_meeting_dated_by_it_and_the_minutes_follow() {
    let mut s = S::reviewed("national", "lawful");
    s.ok(&drafter(), "submit_package", json!({}));
    let today = s.today();
    // Before the package reached the organ: refused.
    let early = json!({ "meeting_type": "executive", "date": today - Duration::days(1), "members": ["甲"] });
    s.refused(&office(), "convene_meeting", early, "art30_meeting_date_out_of_order");
    // Convened for three days on.
    let date = today + Duration::days(3);
    s.ok(&office(), "convene_meeting", json!({ "meeting_type": "executive", "date": date, "members": ["甲"] }));
    stance(&mut s, "甲", "support");
    s.ok(&chief(), "record_chief_opinion", json!({ "decision": "adopt", "words": "通过" }));
    // A decision recorded before its meeting's date would be dated after it.
    s.refused(&chief(), "decide", json!({}), "art30_meeting_not_yet_held");
    s.now += Duration::days(3);
    s.ok(&chief(), "decide", json!({}));
    let outcome = s.d.facts.outcome.clone().unwrap();
    assert_eq!((outcome.date, outcome.meeting), (Some(date), Some(1)));
    // The minutes follow the decision: closing the meeting produces them, and the release waits for them.
    s.refused(&office(), "report_to_party", json!({ "reference_no": "r1" }), "art30_minutes_missing");
    s.ok(&office(), "close_meeting", json!({}));
    assert!(s.d.facts.meeting.as_ref().unwrap().closed_at.is_some());
    s.ok(&office(), "report_to_party", json!({ "reference_no": "r1" }));
}
