//! Checks of applicability determinations: what a free-text determination may not waive. Public participation
//! is passed over only for a matter not to be disclosed by law (Art. 14(1)); "done elsewhere" is lawful only for
//! the risk assessment (Art. 22(2), 不作重复评估); a stage that has begun cannot be declared not applicable; a
//! determination is recorded once and changed only by `revise_applicability`, which keeps the old one.

use crate::calendar::cst;
use crate::definition::StageKind;
use crate::procedure::facts::Facts;
use crate::procedure::gates::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

/// The Chinese and English halves of a detail, to quote inside another.
fn halves(d: &Detail) -> (&str, &str) {
    d.as_str().split_once(" / ").unwrap_or((d.as_str(), d.as_str()))
}

/// The stage the determination is about and whether it waives it (anything but `applicable`).
fn waived(c: &GateCtx<'_>) -> Option<StageKind> {
    let kind = StageKind::parse(c.str("stage")?)?;
    (c.str("outcome") != Some("applicable")).then_some(kind)
}

/// What shows the stage `kind` has begun, if it has: then no determination may say it does not apply.
pub fn begun(f: &Facts, kind: StageKind) -> Option<Detail> {
    match kind {
        StageKind::PublicParticipation => f.comment_notices.first().map(|n| {
            bi(
                format!("第{}号征求意见公告已于{}发布", n.id, cst::zh(n.published_at)),
                format!("comment notice #{} was published at {}", n.id, cst::en(n.published_at)),
            )
        }),
        StageKind::Hearing => {
            let h = f.hearing.as_ref()?;
            match (h.notice_published_at, &h.selection_method) {
                (Some(at), _) => Some(bi(
                    format!("听证会公告已于{}发布", cst::zh(at)),
                    format!("the hearing notice was published at {}", cst::en(at)),
                )),
                (None, Some(m)) => Some(bi(
                    format!("听证参加人遴选办法已于{}公布", cst::zh(m.published_at)),
                    format!("the selection method was published at {}", cst::en(m.published_at)),
                )),
                (None, None) => None,
            }
        }
        StageKind::ExpertConsultation => {
            let names: Vec<&str> = f.experts.iter().map(|e| e.name.as_str()).collect();
            (!names.is_empty()).then(|| {
                let names = names.join(", ");
                bi(format!("已选定专家：{names}"), format!("experts selected: {names}"))
            })
        }
        StageKind::RiskAssessment => {
            let by = &f.risk_report.as_ref()?.assessor;
            Some(bi(format!("{by}已提交风险评估报告"), format!("a risk report by {by} was filed")))
        }
        StageKind::CostBenefit => {
            f.cost_benefit.as_ref().map(|_| bi("已记录成本效益分析", "a cost-benefit analysis was recorded"))
        }
        _ => None,
    }
}

fn not_begun(c: &GateCtx<'_>, kind: StageKind) -> Result<(), Detail> {
    match waived(c) {
        Some(k) if k == kind => match begun(c.before, kind) {
            Some(what) => {
                let (k, (zh, en)) = (kind.as_str(), halves(&what));
                Err(bi(
                    format!("`{k}` 已经开始（{zh}），不得认定为不适用"),
                    format!("`{k}` has begun ({en}); it cannot be declared not applicable"),
                ))
            }
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

pub(crate) fn hearing_not_begun(c: &GateCtx<'_>) -> Result<(), Detail> {
    not_begun(c, StageKind::Hearing)
}

pub(crate) fn experts_not_begun(c: &GateCtx<'_>) -> Result<(), Detail> {
    not_begun(c, StageKind::ExpertConsultation)
}

pub(crate) fn risk_assessment_not_begun(c: &GateCtx<'_>) -> Result<(), Detail> {
    not_begun(c, StageKind::RiskAssessment)
}

pub(crate) fn cost_benefit_not_begun(c: &GateCtx<'_>) -> Result<(), Detail> {
    not_begun(c, StageKind::CostBenefit)
}

/// Art. 14(1): the unit hears the public "except for matters not to be disclosed by law" — the one exception,
/// declared with its ground (`declare_non_disclosable`), never a determination that participation does not apply.
pub(crate) fn participation_not_determined_away(c: &GateCtx<'_>) -> Result<(), Detail> {
    ensure(waived(c) != Some(StageKind::PublicParticipation), || {
        bi(
            "只有依法不予公开的决策事项才能不进行公众参与（declare_non_disclosable，经办公厅（室）同意）",
            "public participation is passed over only for a matter not to be disclosed by law (declare_non_disclosable, \
             approved by the general office)",
        )
    })
}

/// PP-3 and Art. 14(1): a matter of high public concern, or one affecting a specific group, cannot have public
/// participation waived — neither by a determination nor by passing over the stage.
pub(crate) fn flagged_participation_kept(c: &GateCtx<'_>) -> Result<(), Detail> {
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
    ensure(!waives || flags.is_empty(), || {
        bi(format!("该事项已标记为 {}", flags.join("、")), format!("the matter is flagged {}", flags.join(" and ")))
    })
}

/// Art. 22(2): an assessment made elsewhere is not repeated (不作重复评估). No other stage has such a rule.
pub(crate) fn already_done_only_risk(c: &GateCtx<'_>) -> Result<(), Detail> {
    let stage = c.str("stage").unwrap_or_default();
    let ok = c.str("outcome") != Some("already_done") || stage == StageKind::RiskAssessment.as_str();
    ensure(ok, || {
        bi(
            format!("`already_done`（不作重复评估）只适用于风险评估，不适用于 `{stage}`"),
            format!("`already_done` is lawful only for the risk assessment, not for `{stage}`"),
        )
    })
}

/// A determination is recorded once; changing it is `revise_applicability`, which keeps the earlier one.
pub(crate) fn determination_first(c: &GateCtx<'_>) -> Result<(), Detail> {
    let stage = c.str("stage").unwrap_or_default();
    match c.before.determination(stage) {
        Some(d) => {
            let outcome =
                serde_json::to_value(d.outcome).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            Err(bi(
                format!(
                    "`{stage}` 已由{}于{}认定为 `{outcome}`；如需改变，使用 revise_applicability",
                    d.by,
                    cst::zh(d.at)
                ),
                format!(
                    "`{stage}` was determined `{outcome}` by {} at {}; revise it with revise_applicability",
                    d.by,
                    cst::en(d.at)
                ),
            ))
        }
        None => Ok(()),
    }
}
