//! The archive is complete (Art. 33, D33): every item of the manifest
//! ([`crate::procedure::facts::Facts::archive_manifest`]) is on file.

use crate::procedure::gates::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

pub(crate) fn archive_complete(c: &GateCtx<'_>) -> Result<(), Detail> {
    let missing: Vec<String> = c.after.archive_manifest().into_iter().filter(|(_, ok)| !ok).map(|(i, _)| i).collect();
    ensure(missing.is_empty(), || {
        let m = missing.join(", ");
        bi(format!("缺少：{m}"), format!("missing: {m}"))
    })
}
