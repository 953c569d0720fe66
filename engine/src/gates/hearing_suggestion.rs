//! Checks of hearing suggestions from the public (Guangdong 2023, P4 Art. 2).

use super::{ensure, GateCtx};
use crate::ledger::Kind;
use crate::refusal::{bi, Detail};

/// Non-disclosable matters (Art. 14(1)) take no suggestions.
pub(super) fn matter_disclosable(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.after.non_disclosure.is_none(), || bi("该事项依法不予公开", "the matter is not to be disclosed by law"))
}

/// Each suggestion is decided once; the decision stays on record.
pub(super) fn hearing_suggestion_undecided(c: &GateCtx<'_>) -> Result<(), Detail> {
    let id = c.payload.get("suggestion_id").and_then(|v| v.as_i64()).unwrap_or(0);
    let before = c.ledger.named(Kind::HearingSuggestion, id);
    ensure(before.is_none_or(|s| s.settled.is_none()), || {
        bi(format!("第{id}号建议已作出决定"), format!("suggestion #{id} is already decided"))
    })
}

/// A hearing the unit decided to hold, on a suggestion from the public, is held: the decision was its answer to
/// the people who asked, so the stage cannot be passed over.
pub(super) fn no_hearing_promised(c: &GateCtx<'_>) -> Result<(), Detail> {
    let promised: Vec<String> =
        c.ledger.tally(Kind::HearingSuggestion).promised.iter().map(|id| format!("#{id}")).collect();
    ensure(promised.is_empty(), || {
        let ids = promised.join(", ");
        bi(format!("已就建议 {ids} 决定举行听证"), format!("a hearing was decided on suggestion(s) {ids}"))
    })
}

/// Where the profile says so, the stage closes only when every suggestion
/// has the unit's decision.
pub(super) fn hearing_suggestions_decided(c: &GateCtx<'_>) -> Result<(), Detail> {
    if !c.params.hearing_suggestions_must_be_decided {
        return Ok(());
    }
    let tally = c.ledger.tally(Kind::HearingSuggestion);
    ensure(tally.open == 0, || {
        let (n, ids) = (tally.open, tally.open_sample.iter().map(|id| format!("#{id}")).collect::<Vec<_>>().join(", "));
        bi(format!("{n}条建议尚未作出决定：{ids}"), format!("{n} suggestion(s) without a decision: {ids}"))
    })
}
