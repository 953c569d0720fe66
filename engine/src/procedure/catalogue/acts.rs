//! The annual catalogue of decision matters (Art. 3(3)): drafted, consented
//! to by the Party committee version by version, published, adjusted.

use chrono::NaiveDate;
use serde::Deserialize;

use super::planned::last_planned_day;
use crate::procedure::acts::{non_blank, HandlerCtx};
use crate::procedure::facts::{Catalogue, CatalogueItem, CataloguePublication, ItemDecided, ItemWatch, PartyConsent};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateIn {
    organ: String,
    year: i32,
    items: Vec<CatalogueItem>,
    #[serde(default)]
    standards: String,
}

pub(crate) fn create_catalogue(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let c: CreateIn = ctx.parse()?;
    non_blank(ctx, "organ", &c.organ)?;
    if !(2000..=2100).contains(&c.year) {
        return Err(ctx.invalid("年度超出范围", "year out of range"));
    }
    let items = check_items(ctx, c.items)?;
    ctx.facts.organ = c.organ.trim().to_string();
    ctx.facts.title = format!("{}{}年度重大行政决策事项目录", ctx.facts.organ, c.year);
    ctx.facts.catalogue =
        Some(Catalogue { year: c.year, version: 1, items, standards: c.standards, ..Catalogue::default() });
    set_memo(ctx);
    Ok(())
}

/// Every item needs a name, an undertaking unit and a planned last day:
/// given as `planned_by`, or read from the `planned` text (AC-2).
fn check_items(ctx: &HandlerCtx<'_>, mut items: Vec<CatalogueItem>) -> Result<Vec<CatalogueItem>, Reason> {
    for (i, item) in items.iter_mut().enumerate() {
        if item.name.trim().is_empty() || item.undertaking_unit.trim().is_empty() {
            return Err(ctx.invalid(
                format!("第{}项需要名称和承办单位", i + 1),
                format!("item {} needs a name and an undertaking unit", i + 1),
            ));
        }
        item.planned_by = item.planned_by.or_else(|| last_planned_day(&item.planned));
        if item.planned_by.is_none() {
            return Err(ctx.invalid(
                format!(
                    "第{}项：`planned` 没有写明时间（如2026年第二季度、2026年6月、2026年底）；请给出 `planned_by`",
                    i + 1
                ),
                format!(
                    "item {}: `planned` names no date (e.g. 2026年第二季度, 2026年6月, 2026年底); give `planned_by`",
                    i + 1
                ),
            ));
        }
    }
    Ok(items)
}

fn set_memo(ctx: &mut HandlerCtx<'_>) {
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "catalogue": ctx.facts.catalogue, "at": ctx.now,
    }));
}

fn catalogue<'a>(ctx: &'a mut HandlerCtx<'_>) -> Result<&'a mut Catalogue, Reason> {
    let invalid = ctx.invalid("该记录不是决策事项目录", "this record is not a catalogue");
    ctx.facts.catalogue.as_mut().ok_or(invalid)
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConsentIn {
    /// The catalogue version the committee consented to.
    version: u32,
    reference: String,
    date: NaiveDate,
}

pub(crate) fn record_party_consent(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let c: ConsentIn = ctx.parse()?;
    non_blank(ctx, "reference", &c.reference)?;
    let who = ctx.who();
    catalogue(ctx)?.consents.push(PartyConsent {
        version: c.version,
        reference: c.reference,
        date: c.date,
        recorded_by: who,
    });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublishIn {
    channels: Vec<String>,
}

/// Publishing puts the version's items under delay watch (AC-2); an item
/// kept from an earlier version keeps what is known of its decision.
pub(crate) fn publish_catalogue(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let p: PublishIn = ctx.parse()?;
    let now = ctx.now;
    let cat = catalogue(ctx)?;
    let version = cat.version;
    cat.published.push(CataloguePublication { version, channels: p.channels, published_at: now });
    let earlier = std::mem::take(&mut cat.watch);
    cat.watch = cat
        .items
        .iter()
        .filter_map(|item| {
            Some(ItemWatch {
                name: item.name.clone(),
                planned_by: item.planned_by?,
                decided: earlier.iter().find(|w| w.name == item.name).and_then(|w| w.decided.clone()),
            })
        })
        .collect();
    set_memo(ctx);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ItemIn {
    item: String,
    decision_id: String,
}

/// A decision names this catalogue's item (taken by the engine with the
/// decision's `start_decision`; the gate checks the item is listed).
pub(crate) fn record_item_taken_up(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    ctx.parse::<ItemIn>()?;
    catalogue(ctx).map(|_| ())
}

/// A decision on this catalogue's item was taken (by the engine with the
/// decision's `decide`): the item's delay escalation ends. The first
/// decision is kept; an item since dropped from the catalogue is left alone.
pub(crate) fn record_item_decided(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let i: ItemIn = ctx.parse()?;
    let now = ctx.now;
    let cat = catalogue(ctx)?;
    if let Some(w) = cat.watch.iter_mut().find(|w| w.name == i.item) {
        w.decided.get_or_insert(ItemDecided { decision_id: i.decision_id, at: now });
    }
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AdjustIn {
    items: Vec<CatalogueItem>,
    reason: String,
}

/// An adjustment is a new version in draft: published versions stay in the
/// record, and the new one needs its own consent.
pub(crate) fn adjust_catalogue(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let a: AdjustIn = ctx.parse()?;
    non_blank(ctx, "reason", &a.reason)?;
    let items = check_items(ctx, a.items)?;
    let cat = catalogue(ctx)?;
    cat.version += 1;
    cat.items = items;
    cat.adjustment_reason = Some(a.reason);
    Ok(())
}
