//! Checks of the annual catalogue (Art. 3(3)).

use crate::procedure::gates::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

fn not_a_catalogue() -> Detail {
    bi("该记录不是决策事项目录", "not a catalogue")
}

/// Publication needs the Party committee's consent to this exact version.
pub(crate) fn catalogue_consented(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(cat) = &c.after.catalogue else { return Err(not_a_catalogue()) };
    let v = cat.version;
    ensure(cat.consent_for_current().is_some(), || {
        bi(format!("第{v}版未经党委同意"), format!("no Party-committee consent for version {v}"))
    })
}

pub(crate) fn consent_names_current_version(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(cat) = &c.after.catalogue else { return Err(not_a_catalogue()) };
    let v = c.payload.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
    let draft = cat.version;
    ensure(v == u64::from(draft), || {
        bi(
            format!("同意的是第{v}版，目录草案为第{draft}版"),
            format!("consent names version {v}, the draft is version {draft}"),
        )
    })
}

/// The item a decision names is listed in the catalogue (current or published version).
pub(crate) fn catalogue_lists_item(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(cat) = &c.after.catalogue else { return Err(not_a_catalogue()) };
    let item = c.str("item").unwrap_or_default();
    let listed = cat.items.iter().any(|x| x.name == item) || cat.watch.iter().any(|w| w.name == item);
    ensure(listed, || bi(format!("`{item}` 未列入目录"), format!("`{item}` is not listed")))
}
