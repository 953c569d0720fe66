//! Warnings (IN-5, CD-3): a declared check that fires is recorded in the
//! facts with its act and returned in the outcome, and never refuses.

use serde_json::json;

use super::super::{step, Context};
use super::{actor, drafter, office, S};
use crate::act::Act;
use crate::actor::{Actor, Role};
use crate::warning::Warning;

impl S {
    /// Take an act that must be accepted; the warnings it raised, as the
    /// outcome returned them (and checked to be recorded in the facts).
    pub(super) fn warnings_of(&mut self, who: &Actor, name: &str, payload: serde_json::Value) -> Vec<Warning> {
        let act = Act::new(name, payload.clone());
        let standing = self.standing(&act);
        let ctx = Context { workflow: &self.wf, calendar: &self.cal, pools: &self.pools, ledger: &standing };
        let out = match step(ctx, &self.d, &act, who, self.now) {
            Ok(o) => o,
            Err(r) => panic!("{name} {payload} refused: {r}"),
        };
        let recorded = &out.decision.facts.warnings;
        assert_eq!(recorded[self.d.facts.warnings.len()..], out.warnings[..], "returned warnings are recorded");
        assert!(out.warnings.iter().all(|w| w.act == name && w.seq == out.decision.version && w.at == self.now));
        self.d = out.decision;
        out.warnings
    }

    /// The detail of the refusal with `code`.
    pub(super) fn refusal_detail(&self, who: &Actor, name: &str, payload: serde_json::Value, code: &str) -> String {
        let act = Act::new(name, payload);
        let standing = self.standing(&act);
        let ctx = Context { workflow: &self.wf, calendar: &self.cal, pools: &self.pools, ledger: &standing };
        let refusal = step(ctx, &self.d, &act, who, self.now).expect_err("refused");
        let reason = refusal.reasons.iter().find(|r| r.reason_code == code);
        reason.and_then(|r| r.detail.clone()).unwrap_or_else(|| panic!("no {code} in {refusal}"))
    }
}

pub(super) fn codes(w: &[Warning]) -> Vec<&str> {
    w.iter().map(|w| w.code.as_str()).collect()
}

#[test]
fn in5_major_disagreement_with_one_option_is_accepted_with_a_warning() {
    let mut s = S::started("national");
    let draft = |options: serde_json::Value, mark: bool| json!({ "text": "v", "explanation": "e", "legal_basis": ["某法"], "options": options, "major_disagreement": mark });
    let w = s.warnings_of(&drafter(), "record_draft", draft(json!(["统一限行"]), true));
    assert_eq!(codes(&w), ["art12_single_option_on_major_disagreement"]);
    assert_eq!(w[0].article, "Art. 12(4)");
    assert!(w[0].detail.as_deref().is_some_and(|d| d.contains("1 option")), "{w:?}");
    let current = s.d.facts.current_draft().expect("accepted");
    assert!(current.major_disagreement && current.version == 2);
    // Two options, or no disagreement marked: nothing to warn about.
    assert!(s.warnings_of(&drafter(), "record_draft", draft(json!(["统一限行", "分区限行"]), true)).is_empty());
    assert!(s.warnings_of(&drafter(), "record_draft", draft(json!(["统一限行"]), false)).is_empty());
    assert_eq!(s.d.facts.warnings.len(), 1, "the first warning stays on record");
}

#[test]
fn cd3_the_chief_speaks_before_unheard_members_only_with_a_confirmation() {
    let mut s = S::reviewed("national", "lawful");
    s.ok(&drafter(), "submit_package", json!({}));
    let today = s.today();
    let members = json!(["甲", "乙", "丙", "市长"]);
    s.ok(&office(), "convene_meeting", json!({ "meeting_type": "executive", "date": today, "members": members }));
    s.ok(&office(), "record_stance", json!({ "member": "甲", "stance": "support", "words": "同意" }));
    let chief = actor("市长", "政府", Role::ChiefExecutive);
    let opinion = json!({ "decision": "adopt", "words": "通过" });
    s.refused(&chief, "record_chief_opinion", opinion.clone(), "art30_members_not_heard");
    let detail = s.refusal_detail(&chief, "record_chief_opinion", opinion, "art30_members_not_heard");
    // The chief executive on the roster is not among those who have not spoken.
    assert!(detail.contains("乙、丙") && !detail.contains("市长"), "{detail}");
    let refused = json!({ "decision": "adopt", "words": "通过", "confirm_unheard": false });
    s.refused(&chief, "record_chief_opinion", refused, "art30_members_not_heard");

    let confirmed = json!({ "decision": "adopt", "words": "通过", "confirm_unheard": true });
    let w = s.warnings_of(&chief, "record_chief_opinion", confirmed);
    assert_eq!(codes(&w), ["art30_chief_spoke_before_members"]);
    assert!(w[0].detail.as_deref().is_some_and(|d| d.contains("乙、丙")), "{w:?}");
    let meeting = s.d.facts.meeting.clone().expect("meeting");
    assert_eq!(meeting.unheard, ["乙", "丙"]);
    // The chief has spoken: the others cannot be added afterwards (CD-3).
    let late = json!({ "member": "乙", "stance": "oppose", "words": "补充" });
    s.refused(&office(), "record_stance", late, "art30_chief_speaks_last");
    s.ok(&chief, "decide", json!({}));
    s.ok(&office(), "close_meeting", json!({}));
}

#[test]
fn cd3_when_every_member_has_spoken_nothing_is_asked_or_recorded() {
    let mut s = S::in_meeting("national");
    let chief = actor("市长", "政府", Role::ChiefExecutive);
    let w = s.warnings_of(&chief, "record_chief_opinion", json!({ "decision": "adopt", "words": "通过" }));
    assert!(w.is_empty() && s.d.facts.warnings.is_empty(), "{w:?}");
    assert!(s.d.facts.meeting.as_ref().is_some_and(|m| m.unheard.is_empty()));
}
