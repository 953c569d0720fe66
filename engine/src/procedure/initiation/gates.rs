//! Checks of initiation (Arts. 3, 10–11): the proposal, the matter within the
//! scope of the Decree, the units named at the start.

use crate::codes;
use crate::procedure::gates::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

/// Art. 10(2): proposals of departments and lower governments argue their
/// case; Art. 10(3): citizens' proposals are written.
pub(crate) fn proposal_fields(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(p) = &c.after.proposal else { return Err(bi("没有立项建议", "no proposal")) };
    let kind = p.proposer_type.as_str();
    if !codes::allows(codes::PROPOSER_TYPES, kind) {
        let one_of = codes::list(codes::PROPOSER_TYPES);
        return Err(bi(
            format!("未知的建议人类型 `{kind}`，应为其中之一：{one_of}"),
            format!("unknown proposer type `{kind}`: one of {one_of}"),
        ));
    }
    if codes::ARGUING_PROPOSERS.contains(&kind) {
        let given = [&p.main_problem, &p.reasons_and_basis, &p.preliminary_solution, &p.necessity, &p.feasibility];
        let missing: Vec<&str> = (codes::ARGUMENT_FIELDS.into_iter().zip(given))
            .filter(|(_, v)| v.as_deref().is_none_or(|s| s.trim().is_empty()))
            .map(|(n, _)| n)
            .collect();
        return ensure(missing.is_empty(), || {
            let m = missing.join(", ");
            bi(format!("缺少：{m}"), format!("missing: {m}"))
        });
    }
    if codes::WRITING_PROPOSERS.contains(&kind) {
        return ensure(p.written, || bi("公民提出的建议应当采用书面形式", "a citizen's proposal must be written"));
    }
    Ok(())
}

pub(crate) fn category_given(c: &GateCtx<'_>) -> Result<(), Detail> {
    let cat = c.after.start.as_ref().map(|s| s.category).unwrap_or(0);
    ensure((1..=5).contains(&cat), || {
        bi("事项类别应为第三条第一款第一项至第五项之一", "category must be one of Art. 3(1) items 1–5")
    })
}

pub(crate) fn not_excluded(c: &GateCtx<'_>) -> Result<(), Detail> {
    match c.str("exclusion") {
        Some(e) => Err(bi(format!("属于除外事项：{e}"), format!("excluded matter: {e}"))),
        None => Ok(()),
    }
}

pub(crate) fn undertaking_unit_given(c: &GateCtx<'_>) -> Result<(), Detail> {
    let n = c.after.start.as_ref().map_or(0, |s| s.undertaking_units.len());
    ensure(n > 0, || bi("未确定承办单位", "no undertaking unit designated"))
}

pub(crate) fn lead_unit_designated(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(s) = &c.after.start else { return Ok(()) };
    if s.undertaking_units.len() < 2 {
        return Ok(());
    }
    ensure(s.lead_unit.as_ref().is_some_and(|l| s.undertaking_units.contains(l)), || {
        let n = s.undertaking_units.len();
        bi(format!("{n}个承办单位，未在其中确定牵头单位"), format!("{n} units and no lead unit among them"))
    })
}

pub(crate) fn catalogue_item_given(c: &GateCtx<'_>) -> Result<(), Detail> {
    let has = c.after.start.as_ref().is_some_and(|s| s.catalogue_item.is_some());
    ensure(!c.params.catalogue_mandatory || has, || {
        bi("本地区要求列明决策事项目录中的事项", "this jurisdiction requires a catalogue item")
    })
}
