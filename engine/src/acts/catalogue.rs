//! The annual catalogue of decision matters (Art. 3(3)): drafted, consented
//! to by the Party committee version by version, published, adjusted.

use chrono::NaiveDate;
use serde::Deserialize;

use super::{non_blank, HandlerCtx};
use crate::facts::{Catalogue, CatalogueItem, CataloguePublication, PartyConsent};
use crate::refusal::Reason;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateIn {
    organ: String,
    year: i32,
    items: Vec<CatalogueItem>,
    #[serde(default)]
    standards: String,
}

pub(super) fn create_catalogue(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let c: CreateIn = ctx.parse()?;
    non_blank(ctx, "organ", &c.organ)?;
    if !(2000..=2100).contains(&c.year) {
        return Err(ctx.invalid("year out of range"));
    }
    check_items(ctx, &c.items)?;
    ctx.facts.organ = c.organ.trim().to_string();
    ctx.facts.title = format!("{}{}年度重大行政决策事项目录", ctx.facts.organ, c.year);
    ctx.facts.catalogue =
        Some(Catalogue { year: c.year, version: 1, items: c.items, standards: c.standards, ..Catalogue::default() });
    set_memo(ctx);
    Ok(())
}

fn check_items(ctx: &HandlerCtx<'_>, items: &[CatalogueItem]) -> Result<(), Reason> {
    for (i, item) in items.iter().enumerate() {
        if item.name.trim().is_empty() || item.undertaking_unit.trim().is_empty() {
            return Err(ctx.invalid(format!("item {} needs a name and an undertaking unit", i + 1)));
        }
    }
    Ok(())
}

fn set_memo(ctx: &mut HandlerCtx<'_>) {
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "catalogue": ctx.facts.catalogue, "at": ctx.now,
    }));
}

fn catalogue<'a>(ctx: &'a mut HandlerCtx<'_>) -> Result<&'a mut Catalogue, Reason> {
    let invalid = ctx.invalid("this record is not a catalogue");
    ctx.facts.catalogue.as_mut().ok_or(invalid)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsentIn {
    /// The catalogue version the committee consented to.
    version: u32,
    reference: String,
    date: NaiveDate,
}

pub(super) fn record_party_consent(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublishIn {
    channels: Vec<String>,
}

pub(super) fn publish_catalogue(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let p: PublishIn = ctx.parse()?;
    let now = ctx.now;
    let cat = catalogue(ctx)?;
    let version = cat.version;
    cat.published.push(CataloguePublication { version, channels: p.channels, published_at: now });
    set_memo(ctx);
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdjustIn {
    items: Vec<CatalogueItem>,
    reason: String,
}

/// An adjustment is a new version in draft: published versions stay in the
/// record, and the new one needs its own consent.
pub(super) fn adjust_catalogue(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let a: AdjustIn = ctx.parse()?;
    non_blank(ctx, "reason", &a.reason)?;
    check_items(ctx, &a.items)?;
    let cat = catalogue(ctx)?;
    cat.version += 1;
    cat.items = a.items;
    cat.adjustment_reason = Some(a.reason);
    Ok(())
}
