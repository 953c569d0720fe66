//! Checks of hearing suggestions from the public (Guangdong 2023, P4 Art. 2).

use super::{ensure, GateCtx};

/// Non-disclosable matters (Art. 14(1)) take no suggestions.
pub(super) fn matter_disclosable(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(c.after.non_disclosure.is_none(), || "the matter is not to be disclosed by law".into())
}

/// Each suggestion is decided once; the decision stays on record.
pub(super) fn hearing_suggestion_undecided(c: &GateCtx<'_>) -> Result<(), String> {
    let id = c.payload.get("suggestion_id").and_then(|v| v.as_u64()).unwrap_or(0);
    let before = c.before.hearing_suggestions.iter().find(|s| u64::from(s.id) == id);
    ensure(before.is_none_or(|s| s.decision.is_none()), || format!("suggestion #{id} is already decided"))
}

/// A hearing the unit decided to hold, on a suggestion from the public, is held: the decision was its answer to
/// the people who asked, so the stage cannot be passed over.
pub(super) fn no_hearing_promised(c: &GateCtx<'_>) -> Result<(), String> {
    let promised: Vec<String> = c
        .before
        .hearing_suggestions
        .iter()
        .filter(|s| s.decision.as_ref().is_some_and(|d| d.hold))
        .map(|s| format!("#{}", s.id))
        .collect();
    ensure(promised.is_empty(), || format!("a hearing was decided on suggestion(s) {}", promised.join(", ")))
}

/// Where the profile says so, the stage closes only when every suggestion
/// has the unit's decision.
pub(super) fn hearing_suggestions_decided(c: &GateCtx<'_>) -> Result<(), String> {
    if !c.params.hearing_suggestions_must_be_decided {
        return Ok(());
    }
    let open: Vec<String> =
        c.after.hearing_suggestions.iter().filter(|s| s.decision.is_none()).map(|s| format!("#{}", s.id)).collect();
    ensure(open.is_empty(), || format!("{} suggestion(s) without a decision: {}", open.len(), open.join(", ")))
}
