//! Checks of the annual catalogue (Art. 3(3)).

use super::{ensure, GateCtx};

/// Publication needs the Party committee's consent to this exact version.
pub(super) fn catalogue_consented(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(cat) = &c.after.catalogue else { return Err("not a catalogue".into()) };
    ensure(cat.consent_for_current().is_some(), || format!("no Party-committee consent for version {}", cat.version))
}

pub(super) fn consent_names_current_version(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(cat) = &c.after.catalogue else { return Err("not a catalogue".into()) };
    let v = c.payload.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
    ensure(v == u64::from(cat.version), || format!("consent names version {v}, the draft is version {}", cat.version))
}

/// The item a decision names is listed in the catalogue (current or published version).
pub(super) fn catalogue_lists_item(c: &GateCtx<'_>) -> Result<(), String> {
    let Some(cat) = &c.after.catalogue else { return Err("not a catalogue".into()) };
    let item = c.str("item").unwrap_or_default();
    let listed = cat.items.iter().any(|x| x.name == item) || cat.watch.iter().any(|w| w.name == item);
    ensure(listed, || format!("`{item}` is not listed"))
}
