//! Hearing suggestions from the public (听证建议; Guangdong 2023, P4 Art. 2):
//! anyone may suggest a hearing on a matter open for comment, and the
//! undertaking unit records its decision on each suggestion, with a reason.

use serde::Deserialize;

use super::opinions::{named, settled};
use crate::ledger::{Kind, LedgerWrite};
use crate::procedure::acts::{non_blank, HandlerCtx};
use crate::refusal::Reason;

/// The reasons for a hearing, and who suggests it; written apart from the decision (see [`crate::ledger`]).
pub(crate) fn suggest_hearing(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let s = crate::procedure::acts::PublicText::read(ctx)?;
    let notice = ctx.facts.comment_notices.last().map(|n| n.id);
    ctx.receive(Kind::HearingSuggestion, s, notice);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecisionIn {
    suggestion_id: i64,
    /// Whether a hearing will be held.
    hold: bool,
    reason: String,
}

/// The decision answers the suggestion and every identical one sent with it (its campaign).
pub(crate) fn decide_hearing_suggestion(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let d: DecisionIn = ctx.parse()?;
    non_blank(ctx, "reason", &d.reason)?;
    let s = named(ctx, Kind::HearingSuggestion, d.suggestion_id)?;
    let outcome = if d.hold { "hold" } else { "no_hearing" };
    let settled = settled(ctx, outcome.to_string(), d.reason, true);
    ctx.ledger(LedgerWrite::Settle { kind: Kind::HearingSuggestion, seq: s.cluster, cluster: true, settled });
    Ok(())
}
