//! Checks of release and publication (Arts. 8, 31–32, 34–35): the Party
//! committee's answer, the NPC report, the executing unit, publication.

use crate::procedure::gates::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

fn no_publication() -> Detail {
    bi("没有公布记录", "no publication")
}

pub(crate) fn party_report_answered(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.after.party_report.as_ref().is_some_and(|p| p.response.is_some()), || {
        bi("没有向党委请示报告及其答复（D26）", "no report to the Party committee with its response (D26)")
    })
}

pub(crate) fn npc_report_made(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(!c.after.flags.npc_report_required || c.after.npc_report.is_some(), || {
        bi("应当向本级人大常委会报告", "the NPC report is required")
    })
}

pub(crate) fn executing_unit_designated(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.after.executing_unit.is_some(), || bi("未确定执行单位", "no executing unit designated"))
}

pub(crate) fn publication_channels(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(p) = &c.after.publication else { return Err(no_publication()) };
    // A lawfully non-disclosable decision (PB-3) is not published to the public.
    if !p.is_public() {
        return Ok(());
    }
    let missing: Vec<&str> = c
        .params
        .publication_required_channels
        .iter()
        .filter(|ch| !p.channels.contains(ch))
        .map(String::as_str)
        .collect();
    ensure(missing.is_empty(), || {
        let m = missing.join(", ");
        bi(format!("缺少规定的公布渠道：{m}"), format!("required channels missing: {m}"))
    })
}

pub(crate) fn publication_adoption_explanation(c: &GateCtx<'_>) -> Result<(), Detail> {
    let f = &c.after.flags;
    if !(f.technical || f.high_public_concern) {
        return Ok(());
    }
    let Some(p) = &c.after.publication else { return Err(no_publication()) };
    if !p.is_public() {
        return Ok(());
    }
    ensure(p.adoption_explanation.is_some() && !p.interpretation_activities.is_empty(), || {
        bi(
            "专业性、技术性较强或者社会关注度高的决策，公布时应当附意见采纳情况说明并开展解读",
            "a technical or high-concern decision is published with the adoption explanation and an interpretation \
             activity",
        )
    })
}

/// PB-3: a matter not to be disclosed by law goes through no public channel; its release records the ground.
pub(crate) fn withheld_release_private(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(p) = c.after.publication.as_ref().filter(|p| !p.is_public()) else { return Ok(()) };
    ensure(p.channels.is_empty(), || {
        let (ground, channels) = (p.withheld.as_deref().unwrap_or_default(), p.channels.join(", "));
        bi(
            format!("该事项依法不予公开（{ground}）；却给出了公布渠道：{channels}"),
            format!("the matter is not to be disclosed ({ground}); channels given: {channels}"),
        )
    })
}

/// Art. 35(2): the public gives feedback on a decision published to it; a withheld release takes none.
pub(crate) fn publicly_published(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(c.before.publicly_published(), || bi("该决策未向社会公布", "the decision was not published to the public"))
}
