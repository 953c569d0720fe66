//! Responsibility tracing (Arts. 38–41): oversight opens a case against
//! named people for named acts of the record, and concludes it. What the
//! law requires of a case and of its conclusion is checked by the gates
//! (`gates.rs` beside this file), each with its reason code and article.

use serde::Deserialize;

use crate::procedure::acts::HandlerCtx;
use crate::procedure::facts::{AccountabilityCase, CaseConclusion, ResponsiblePerson};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OpenCaseIn {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::codes::schemas::accountability_article))]
    article: String,
    grounds: String,
    persons: Vec<PersonIn>,
    /// The acts of this decision's record the case concerns, by their position in the record (`seq`).
    acts: Vec<i64>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PersonIn {
    name: String,
    unit: String,
    position: String,
}

pub(crate) fn open_accountability_case(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let c: OpenCaseIn = ctx.parse()?;
    let case = AccountabilityCase {
        number: ctx.facts.accountability.len() as u32 + 1,
        article: c.article.trim().to_string(),
        grounds: c.grounds.trim().to_string(),
        persons: c
            .persons
            .into_iter()
            .map(|p| ResponsiblePerson {
                name: p.name.trim().to_string(),
                unit: p.unit.trim().to_string(),
                position: p.position.trim().to_string(),
            })
            .collect(),
        acts: c.acts,
        opened_by: ctx.who(),
        opened_at: ctx.now,
        conclusion: None,
    };
    ctx.facts.accountability.push(case);
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConcludeCaseIn {
    /// The case's number on this decision.
    case: u32,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::codes::schemas::case_finding))]
    finding: String,
    #[serde(default)]
    measures: String,
    reasoning: String,
}

/// The conclusion is added to the open case; a case that is not open is left as it is and the
/// `art38_case_not_open` gate refuses the act.
pub(crate) fn conclude_accountability_case(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let c: ConcludeCaseIn = ctx.parse()?;
    let by = ctx.who();
    let now = ctx.now;
    let open = ctx.facts.accountability.iter_mut().find(|k| k.number == c.case && k.conclusion.is_none());
    if let Some(case) = open {
        case.conclusion = Some(CaseConclusion {
            finding: c.finding.trim().to_string(),
            measures: c.measures.trim().to_string(),
            reasoning: c.reasoning.trim().to_string(),
            concluded_by: by,
            concluded_at: now,
        });
    }
    Ok(())
}
