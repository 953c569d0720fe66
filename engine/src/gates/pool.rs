//! Checks of expert eligibility against the pool (Arts. 21, 41).

use super::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

/// An expert who is in a pool the act names must be active there: an
/// exited, suspended or disqualified expert cannot be selected.
pub(super) fn expert_eligible(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(id) = c.str("expert_id") else { return Ok(()) };
    let found = c.pools.iter().flat_map(|(_, p)| p.experts.iter()).find(|e| e.id == id);
    match found {
        Some(e) => ensure(e.selectable(), || {
            bi(format!("{} 在专家库中的状态为 {}", e.name, e.status), format!("{} is {} in the pool", e.name, e.status))
        }),
        None => Ok(()),
    }
}

/// Art. 20, a precondition: the draw's seed is the engine's, never one the person drawing sends, since with the
/// candidates known whoever picks the seed picks the panel.
pub(super) fn draw_seed_not_chosen(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.payload.get("seed").is_none_or(|s| s.is_null()), || {
        bi("提交的数据指定了随机数种子", "the payload names a seed")
    })
}

/// Art. 21, a precondition: a draw names an expert pool that exists (the orchestrator reads it, with its
/// superiors', before the step).
pub(super) fn expert_pool_found(c: &GateCtx<'_>) -> Result<(), Detail> {
    let pool = c.str("pool").unwrap_or("-");
    ensure(!c.pools.is_empty(), || bi(format!("专家库 `{pool}`"), format!("pool `{pool}`")))
}

/// A draw must fill the panel it asked for.
pub(super) fn draw_fills_panel(c: &GateCtx<'_>) -> Result<(), Detail> {
    let asked = c.payload.get("count").and_then(|v| v.as_u64()).unwrap_or(0) as usize;
    let got = c.after.draws.last().map_or(0, |d| d.chosen.len());
    ensure(got >= asked, || {
        bi(format!("{asked}个名额只有{got}名符合条件的专家"), format!("only {got} eligible experts for {asked} places"))
    })
}

/// EX-6 (洞头, P8 Arts. 4–6): where the profile says so, an expert selected
/// for a matter on the catalogue comes from the pool the act names (or its
/// superiors'): an ad-hoc external expert is refused.
pub(super) fn catalogue_item_expert_from_pool(c: &GateCtx<'_>) -> Result<(), Detail> {
    let item = c.after.start.as_ref().and_then(|s| s.catalogue_item.as_deref());
    let (true, Some(item)) = (c.params.catalogue_items_must_use_pool, item) else { return Ok(()) };
    let id = c.str("expert_id").unwrap_or_default();
    let pooled = c.pools.iter().flat_map(|(_, p)| p.experts.iter()).any(|e| e.id == id);
    ensure(pooled, || match c.str("pool") {
        Some(pool) => bi(
            format!("专家 `{id}` 不在专家库 `{pool}` 或其上级专家库中（目录事项 {item}）"),
            format!("expert `{id}` is not in pool `{pool}` or its superiors' (catalogue item {item})"),
        ),
        None => bi(
            format!("专家 `{id}` 未注明所属专家库（目录事项 {item}）"),
            format!("expert `{id}` names no pool (catalogue item {item})"),
        ),
    })
}
