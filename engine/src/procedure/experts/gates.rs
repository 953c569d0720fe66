//! Checks of expert consultation (Arts. 19–21): the panel, each expert's
//! declarations and sealed opinion, eligibility against the pool and the
//! reproducible draw.

use crate::definition::StageKind;
use crate::procedure::facts::ExpertAssignment;
use crate::procedure::gates::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

fn active_experts<'a>(c: &'a GateCtx<'_>) -> impl Iterator<Item = &'a ExpertAssignment> {
    c.after.experts.iter().filter(|e| e.replaced_reason.is_none())
}

/// The expert just selected must not have declared a direct interest (Art. 20).
pub(crate) fn expert_no_conflict(c: &GateCtx<'_>) -> Result<(), Detail> {
    match c.after.experts.last().and_then(|e| e.conflict.as_ref().map(|x| (e, x))) {
        Some((e, conflict)) => {
            Err(bi(format!("{}声明存在利害关系：{conflict}", e.name), format!("{} declared: {conflict}", e.name)))
        }
        None => Ok(()),
    }
}

fn submitted<'a>(c: &'a GateCtx<'_>) -> Option<&'a ExpertAssignment> {
    let id = c.str("expert_id")?;
    c.after.experts.iter().find(|e| e.expert_id == id && e.replaced_reason.is_none())
}

pub(crate) fn expert_signed(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(e) = submitted(c) else { return Ok(()) };
    ensure(e.opinion.as_ref().is_some_and(|o| o.signature.is_some()), || {
        bi(format!("{}的论证意见未签名", e.name), format!("{}'s opinion is unsigned", e.name))
    })
}

pub(crate) fn expert_sealed(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(e) = submitted(c) else { return Ok(()) };
    ensure(!e.institution || e.opinion.as_ref().is_some_and(|o| o.seal.is_some()), || {
        bi(
            format!("{}是专业机构，其论证意见未加盖公章", e.name),
            format!("{} is an institution and its opinion bears no seal", e.name),
        )
    })
}

pub(crate) fn expert_opinions_complete(c: &GateCtx<'_>) -> Result<(), Detail> {
    if !c.applies(StageKind::ExpertConsultation.as_str()) {
        return Ok(());
    }
    let current = c.after.current_draft_hash().unwrap_or_default();
    let missing: Vec<&str> = active_experts(c)
        .filter(|e| e.opinion.as_ref().is_none_or(|o| o.draft_hash != current))
        .map(|e| e.name.as_str())
        .collect();
    ensure(missing.is_empty(), || {
        let names = missing.join(", ");
        bi(format!("以下专家未就当前草案提出意见：{names}"), format!("no opinion on the current draft from: {names}"))
    })?;
    let n = active_experts(c).count() as u32;
    ensure(n >= c.params.expert_panel_min, || {
        let min = c.params.expert_panel_min;
        bi(format!("有效论证意见{n}份，至少应有{min}份"), format!("{n} valid opinions, the minimum is {min}"))
    })
}

pub(crate) fn expert_panel_composition(c: &GateCtx<'_>) -> Result<(), Detail> {
    if !c.applies(StageKind::ExpertConsultation.as_str()) {
        return Ok(());
    }
    let n = active_experts(c).count() as u32;
    let officials = active_experts(c).filter(|e| e.official).count() as u32;
    let min = c.params.expert_panel_min;
    ensure(n >= min, || bi(format!("专家{n}名，至少应有{min}名"), format!("panel of {n}, the minimum is {min}")))?;
    ensure(!c.params.expert_panel_odd || n % 2 == 1, || {
        bi(format!("专家{n}名，人数应为单数"), format!("panel of {n} must be odd"))
    })?;
    let max = c.params.expert_max_official_percent;
    ensure(officials * 100 <= max * n.max(1), || {
        bi(
            format!("{n}名专家中{officials}名为公职人员，超过{max}%"),
            format!("{officials} officials of {n} exceed {max}%"),
        )
    })
}

pub(crate) fn expert_adoption_recorded(c: &GateCtx<'_>) -> Result<(), Detail> {
    let needed = c.applies(StageKind::ExpertConsultation.as_str()) && active_experts(c).next().is_some();
    ensure(!needed || c.after.expert_adoption_summary.is_some(), || {
        bi("没有专家意见采纳情况", "no expert-adoption summary")
    })
}

pub(crate) fn confidentiality_acknowledged(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(e) = submitted(c) else { return Ok(()) };
    ensure(e.confidentiality_ack.is_some(), || {
        bi(format!("{}尚未作出保密承诺", e.name), format!("{} has not given the confidentiality undertaking", e.name))
    })
}

/// The expert declared no direct interest before giving the opinion (Art. 20).
pub(crate) fn interest_declared(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(e) = submitted(c) else { return Ok(()) };
    ensure(e.interest_declared_at.is_some(), || {
        bi(
            format!("{}尚未声明与决策事项是否有直接利害关系", e.name),
            format!("{} has not declared whether they have a direct interest in the matter", e.name),
        )
    })
}

/// An expert who is in a pool the act names must be active there: an
/// exited, suspended or disqualified expert cannot be selected.
pub(crate) fn expert_eligible(c: &GateCtx<'_>) -> Result<(), Detail> {
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
pub(crate) fn draw_seed_not_chosen(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.payload.get("seed").is_none_or(|s| s.is_null()), || {
        bi("提交的数据指定了随机数种子", "the payload names a seed")
    })
}

/// Art. 21, a precondition: a draw names an expert pool that exists (the orchestrator reads it, with its
/// superiors', before the step).
pub(crate) fn expert_pool_found(c: &GateCtx<'_>) -> Result<(), Detail> {
    let pool = c.str("pool").unwrap_or("-");
    ensure(!c.pools.is_empty(), || bi(format!("专家库 `{pool}`"), format!("pool `{pool}`")))
}

/// A draw must fill the panel it asked for.
pub(crate) fn draw_fills_panel(c: &GateCtx<'_>) -> Result<(), Detail> {
    let asked = c.payload.get("count").and_then(|v| v.as_u64()).unwrap_or(0) as usize;
    let got = c.after.draws.last().map_or(0, |d| d.chosen.len());
    ensure(got >= asked, || {
        bi(format!("{asked}个名额只有{got}名符合条件的专家"), format!("only {got} eligible experts for {asked} places"))
    })
}

/// EX-6 (洞头, P8 Arts. 4–6): where the profile says so, an expert selected
/// for a matter on the catalogue comes from the pool the act names (or its
/// superiors'): an ad-hoc external expert is refused.
pub(crate) fn catalogue_item_expert_from_pool(c: &GateCtx<'_>) -> Result<(), Detail> {
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
