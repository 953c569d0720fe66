//! Hearing suggestions from the public (听证建议; Guangdong 2023, P4 Art. 2):
//! anyone may suggest a hearing on a matter open for comment, and the
//! undertaking unit records its decision on each suggestion, with a reason.

use serde::Deserialize;

use super::{non_blank, HandlerCtx};
use crate::facts::{HearingSuggestion, SuggestionDecision};
use crate::refusal::Reason;

pub(super) fn suggest_hearing(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    // The reasons for a hearing, and who suggests it.
    let s = super::PublicText::read(ctx)?;
    let id = ctx.facts.hearing_suggestions.len() as u32 + 1;
    ctx.facts.hearing_suggestions.push(HearingSuggestion {
        id,
        content: s.content,
        submitter: s.submitter,
        received_at: ctx.now,
        decision: None,
    });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DecisionIn {
    suggestion_id: u32,
    /// Whether a hearing will be held.
    hold: bool,
    reason: String,
}

pub(super) fn decide_hearing_suggestion(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let d: DecisionIn = ctx.parse()?;
    non_blank(ctx, "reason", &d.reason)?;
    let (by, at) = (ctx.who(), ctx.now);
    let invalid = ctx
        .invalid(format!("没有第{}号听证建议", d.suggestion_id), format!("no hearing suggestion #{}", d.suggestion_id));
    let s = ctx.facts.hearing_suggestions.iter_mut().find(|s| s.id == d.suggestion_id).ok_or(invalid)?;
    s.decision = Some(SuggestionDecision { hold: d.hold, reason: d.reason, by, at });
    Ok(())
}
