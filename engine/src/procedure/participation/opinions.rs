//! What the drafter does with the public's opinions (Art. 18): dispose of one, or of a whole campaign at once;
//! take an opinion out of a campaign it does not belong to; hide abusive or unlawful text, with a reason. Each
//! is an act on the decision's record; its effect on the opinion rows is written with it.

use serde::Deserialize;

use crate::codes;
use crate::ledger::{Hidden, Kind, LedgerWrite, Opinion, Settled};
use crate::procedure::acts::{non_blank, HandlerCtx};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DisposeIn {
    opinion_id: i64,
    #[cfg_attr(feature = "openapi", schema(schema_with = codes::schemas::disposition))]
    outcome: String,
    reason: String,
    /// Dispose of the opinion's whole campaign: every member not disposed of on its own inherits this.
    #[serde(default)]
    campaign: bool,
}

pub(crate) fn dispose_opinion(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let d: DisposeIn = ctx.parse()?;
    if !codes::allows(codes::DISPOSITIONS, &d.outcome) {
        return Err(ctx
            .invalid("处理结果应为 adopted、partly 或 not_adopted", "outcome must be adopted, partly or not_adopted"));
    }
    let o = named(ctx, Kind::Comment, d.opinion_id)?;
    let seq = if d.campaign { o.cluster } else { o.seq };
    let settled = settled(ctx, d.outcome, d.reason, d.campaign);
    ctx.ledger(LedgerWrite::Settle { kind: Kind::Comment, seq, cluster: d.campaign, settled });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SplitIn {
    opinion_id: i64,
}

/// The opinion says something of its own: it leaves its campaign, to be disposed of alone.
pub(crate) fn split_opinion(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let s: SplitIn = ctx.parse()?;
    let o = named(ctx, Kind::Comment, s.opinion_id)?;
    if o.leads_cluster() {
        let n = o.seq;
        return Err(ctx
            .invalid(format!("第{n}号意见不属于其他意见的同类组"), format!("opinion #{n} is in no other's campaign")));
    }
    ctx.ledger(LedgerWrite::Split { kind: Kind::Comment, seq: s.opinion_id });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HideIn {
    /// `comment` (default), `feedback` or `hearing_suggestion`.
    kind: Option<Kind>,
    opinion_id: i64,
    /// Why the text is withheld (abuse, another's personal data, unlawful content): it is on record.
    reason: String,
}

/// Abusive or unlawful text is withheld from every reader but the drafters and oversight; it is never deleted,
/// and the opinion still counts and is still disposed of.
pub(crate) fn hide_opinion(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let h: HideIn = ctx.parse()?;
    non_blank(ctx, "reason", &h.reason)?;
    let kind = h.kind.unwrap_or(Kind::Comment);
    let o = named(ctx, kind, h.opinion_id)?;
    if o.hidden.is_some() {
        let n = o.seq;
        return Err(ctx.invalid(format!("第{n}号意见已屏蔽"), format!("opinion #{n} is already hidden")));
    }
    let hidden = Hidden { reason: h.reason, by: ctx.who(), at: ctx.now, act_seq: ctx.seq };
    ctx.ledger(LedgerWrite::Hide { kind, seq: h.opinion_id, hidden });
    Ok(())
}

/// The opinion the act names, as the orchestrator read it.
pub(crate) fn named(ctx: &HandlerCtx<'_>, kind: Kind, seq: i64) -> Result<Opinion, Reason> {
    ctx.ledger.named(kind, seq).cloned().ok_or_else(|| {
        let zh = match kind {
            Kind::HearingSuggestion => format!("没有第{seq}号听证建议"),
            _ => format!("没有第{seq}号意见"),
        };
        let en = match kind {
            Kind::HearingSuggestion => format!("no hearing suggestion #{seq}"),
            _ => format!("no opinion #{seq}"),
        };
        ctx.invalid(zh, en)
    })
}

/// A settlement by the act's actor, now, on the act's place in the record.
pub(crate) fn settled(ctx: &HandlerCtx<'_>, outcome: String, reason: String, via_cluster: bool) -> Settled {
    Settled { outcome, reason, by: ctx.who(), at: ctx.now, act_seq: ctx.seq, via_cluster }
}
