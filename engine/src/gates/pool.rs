//! Checks of expert eligibility against the pool (Arts. 21, 41).

use super::{ensure, GateCtx};

/// An expert who is in a pool the act names must be active there: an
/// exited, suspended or disqualified expert cannot be selected.
pub(super) fn expert_eligible(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(id) = c.str("expert_id") else { return Ok(()) };
    let found = c.pools.iter().flat_map(|(_, p)| p.experts.iter()).find(|e| e.id == id);
    match found {
        Some(e) => ensure(e.selectable(), || format!("{} is {} in the pool", e.name, e.status)),
        None => Ok(()),
    }
}

/// A draw must fill the panel it asked for.
pub(super) fn draw_fills_panel(c: &GateCtx<'_>) -> Result<(), String> {
    let asked = c.payload.get("count").and_then(|v| v.as_u64()).unwrap_or(0) as usize;
    let got = c.after.draws.last().map_or(0, |d| d.chosen.len());
    ensure(got >= asked, || format!("only {got} eligible experts for {asked} places"))
}
