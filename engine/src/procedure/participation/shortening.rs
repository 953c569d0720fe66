//! A comment period shortened after its notice was published (Art. 15;
//! regulation.md A5 variant). The act is recorded as it happened: the
//! period ends earlier, the reason is kept, and a notice that now runs below
//! the floor without having said why is flagged `non_compliant_shortening`.

use serde::Deserialize;

use crate::calendar::period::calendar_day_period;
use crate::procedure::acts::{non_blank, HandlerCtx};
use crate::procedure::facts::{LateShortening, ShorteningApproval};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShortenIn {
    /// The new, shorter period in calendar days from the notice's start.
    days: u32,
    shortening_reason: String,
}

pub(crate) fn shorten_comment_period(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let s: ShortenIn = ctx.parse()?;
    non_blank(ctx, "shortening_reason", &s.shortening_reason)?;
    let Some((current, start)) = ctx.facts.comment_notices.last().map(|n| (n.days, n.start)) else {
        return Err(ctx.invalid("尚未发布征求意见公告", "no comment notice has been published"));
    };
    if s.days == 0 || s.days >= current {
        return Err(ctx.invalid(
            format!("`days` 应在1至{}之间（短于原公告的期限）", current - 1),
            format!("`days` must be between 1 and {} (shorter than the notice's)", current - 1),
        ));
    }
    let (floor, now) = (ctx.params.comment_min_days, ctx.now);
    let period = calendar_day_period(ctx.calendar, start, s.days);
    let Some(n) = ctx.facts.comment_notices.last_mut() else { return Ok(()) };
    n.late_shortening = Some(LateShortening { from_days: n.days, reason: s.shortening_reason, at: now });
    // Below the floor only a reason stated in the notice as published would
    // do (Art. 15): the notice said nothing of this shorter period.
    n.non_compliant_shortening = s.days < floor;
    n.days = s.days;
    n.last_day = period.last_day;
    n.ends_at = period.ends_at;
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApprovalIn {
    /// The shorter period approved, in calendar days.
    days: u32,
    /// The reason the notice will state (e.g. 情况紧急).
    reason: String,
}

/// The general office approves, before publication, a comment period below the floor (regulation.md §6: a soft
/// floor is gone below only with the other side's acknowledgement). The notice still states its own reason.
pub(crate) fn approve_comment_shortening(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let a: ApprovalIn = ctx.parse()?;
    non_blank(ctx, "reason", &a.reason)?;
    if a.days == 0 || a.days >= ctx.params.comment_min_days {
        return Err(ctx.invalid(
            format!("`days` 应在1至{}之间", ctx.params.comment_min_days - 1),
            format!("`days` must be between 1 and {}", ctx.params.comment_min_days - 1),
        ));
    }
    let approval = ShorteningApproval { days: a.days, reason: a.reason, by: ctx.who(), at: ctx.now, notice: None };
    ctx.facts.shortening_approvals.push(approval);
    Ok(())
}
