//! Archiving a closed decision (Art. 33, D33).

use serde::Deserialize;

use crate::procedure::acts::{non_blank, HandlerCtx};
use crate::procedure::facts::Archive;
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ArchiveIn {
    archivist: String,
}

pub(crate) fn archive_decision(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let a: ArchiveIn = ctx.parse()?;
    non_blank(ctx, "archivist", &a.archivist)?;
    let items = ctx.facts.archive_manifest().into_iter().map(|(item, _)| item).collect();
    let archive = Archive { archivist: a.archivist, items, archived_at: ctx.now };
    *ctx.memo_data =
        Some(serde_json::json!({ "title": ctx.facts.title, "organ": ctx.facts.organ, "archive": archive }));
    ctx.facts.archive = Some(archive);
    Ok(())
}
