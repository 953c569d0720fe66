//! Checks of applicability determinations: what a free-text determination may not waive. Public participation
//! is passed over only for a matter not to be disclosed by law (Art. 14(1)); "done elsewhere" is lawful only for
//! the risk assessment (Art. 22(2), 不作重复评估); a stage that has begun cannot be declared not applicable; a
//! determination is recorded once and changed only by `revise_applicability`, which keeps the old one.

use super::{ensure, GateCtx};
use crate::calendar::cst;
use crate::definition::StageKind;
use crate::facts::Facts;

/// The stage the determination is about and whether it waives it (anything but `applicable`).
fn waived(c: &GateCtx<'_>) -> Option<StageKind> {
    let kind = StageKind::parse(c.str("stage")?)?;
    (c.str("outcome") != Some("applicable")).then_some(kind)
}

/// What shows the stage `kind` has begun, if it has: then no determination may say it does not apply.
pub fn begun(f: &Facts, kind: StageKind) -> Option<String> {
    match kind {
        StageKind::PublicParticipation => f
            .comment_notices
            .first()
            .map(|n| format!("comment notice #{} was published at {}", n.id, cst::en(n.published_at))),
        StageKind::Hearing => {
            let h = f.hearing.as_ref()?;
            match (h.notice_published_at, &h.selection_method) {
                (Some(at), _) => Some(format!("the hearing notice was published at {}", cst::en(at))),
                (None, Some(m)) => Some(format!("the selection method was published at {}", cst::en(m.published_at))),
                (None, None) => None,
            }
        }
        StageKind::ExpertConsultation => {
            let names: Vec<&str> = f.experts.iter().map(|e| e.name.as_str()).collect();
            (!names.is_empty()).then(|| format!("experts selected: {}", names.join(", ")))
        }
        StageKind::RiskAssessment => {
            f.risk_report.as_ref().map(|r| format!("a risk report by {} was filed", r.assessor))
        }
        StageKind::CostBenefit => f.cost_benefit.as_ref().map(|_| "a cost-benefit analysis was recorded".to_string()),
        _ => None,
    }
}

fn not_begun(c: &GateCtx<'_>, kind: StageKind) -> Result<(), String> {
    match waived(c) {
        Some(k) if k == kind => match begun(c.before, kind) {
            Some(what) => Err(format!("`{}` has begun ({what}); it cannot be declared not applicable", kind.as_str())),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

pub(super) fn hearing_not_begun(c: &GateCtx<'_>) -> Result<(), String> {
    not_begun(c, StageKind::Hearing)
}

pub(super) fn experts_not_begun(c: &GateCtx<'_>) -> Result<(), String> {
    not_begun(c, StageKind::ExpertConsultation)
}

pub(super) fn risk_assessment_not_begun(c: &GateCtx<'_>) -> Result<(), String> {
    not_begun(c, StageKind::RiskAssessment)
}

pub(super) fn cost_benefit_not_begun(c: &GateCtx<'_>) -> Result<(), String> {
    not_begun(c, StageKind::CostBenefit)
}

/// Art. 14(1): the unit hears the public "except for matters not to be disclosed by law" — the one exception,
/// declared with its ground (`declare_non_disclosable`), never a determination that participation does not apply.
pub(super) fn participation_not_determined_away(c: &GateCtx<'_>) -> Result<(), String> {
    ensure(waived(c) != Some(StageKind::PublicParticipation), || {
        "public participation is passed over only for a matter not to be disclosed by law (declare_non_disclosable, \
         approved by the general office)"
            .into()
    })
}

/// PP-3 and Art. 14(1): a matter of high public concern, or one affecting a specific group, cannot have public
/// participation waived — neither by a determination nor by passing over the stage.
pub(super) fn flagged_participation_kept(c: &GateCtx<'_>) -> Result<(), String> {
    let waives = match c.str("stage") {
        Some(_) => waived(c) == Some(StageKind::PublicParticipation),
        // The skip act itself (it carries no stage).
        None => true,
    };
    let f = &c.after.flags;
    let mut flags = Vec::new();
    if f.high_public_concern {
        flags.push("high_public_concern");
    }
    if f.specific_group_interest {
        flags.push("specific_group_interest");
    }
    ensure(!waives || flags.is_empty(), || format!("the matter is flagged {}", flags.join(" and ")))
}

/// Art. 22(2): an assessment made elsewhere is not repeated (不作重复评估). No other stage has such a rule.
pub(super) fn already_done_only_risk(c: &GateCtx<'_>) -> Result<(), String> {
    let stage = c.str("stage").unwrap_or_default();
    let ok = c.str("outcome") != Some("already_done") || stage == StageKind::RiskAssessment.as_str();
    ensure(ok, || format!("`already_done` is lawful only for the risk assessment, not for `{stage}`"))
}

/// A determination is recorded once; changing it is `revise_applicability`, which keeps the earlier one.
pub(super) fn determination_first(c: &GateCtx<'_>) -> Result<(), String> {
    let stage = c.str("stage").unwrap_or_default();
    match c.before.determination(stage) {
        Some(d) => Err(format!(
            "`{stage}` was determined `{}` by {} at {}; revise it with revise_applicability",
            serde_json::to_value(d.outcome).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            d.by,
            d.at
        )),
        None => Ok(()),
    }
}
