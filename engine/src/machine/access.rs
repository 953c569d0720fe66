//! Who may perform an act on this decision: the role the definition names,
//! scoped to the units and assignments of the decision. Authorization lives
//! here, in the engine, so that every caller gets the same answer.

use crate::act::Act;
use crate::actor::{Actor, Role};
use crate::decision::Decision;
use crate::definition::ActDef;
use crate::refusal::{Detail, Reason, Refusal};

pub(super) fn check(def: &ActDef, state: &Decision, act: &Act, actor: &Actor) -> Result<(), Refusal> {
    let allowed: Vec<Role> = actor.roles.iter().copied().filter(|r| def.roles.contains(r)).collect();
    if allowed.is_empty() {
        return Err(Refusal::one(
            Reason::new("role_not_permitted", &def.article, "无权实施该行为", "your role may not perform this act")
                .with_detail({
                    let roles = def.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ");
                    Detail::new(
                        format!("行为 `{}` 需要以下角色之一：{roles}", def.name),
                        format!("act `{}` needs one of: {roles}", def.name),
                    )
                }),
        ));
    }
    // A role held without a unit restriction (the general office, the chief
    // executive, the scheduler...) is enough on its own.
    if allowed.iter().any(|r| !scoped(*r)) {
        return Ok(());
    }
    let facts = &state.facts;
    // A drafter acts for their own unit: a proposal they open or revise names it as the proposer.
    let named = act.payload.get("proposer").and_then(|v| v.as_str());
    let ok = allowed.iter().any(|r| match r {
        // Acting needs at least what reading needs (`visibility::read_access`): before the start, the
        // proposal belongs to the unit that opened it, and no other unit's drafter may touch it.
        Role::Drafter if named.is_some_and(|p| !actor.is_of_unit(p)) => false,
        Role::Drafter => match &facts.start {
            Some(s) => s.undertaking_units.iter().any(|u| actor.is_of_unit(u)),
            None => facts.proposal.as_ref().is_none_or(|p| actor.is_of_unit(&p.proposer)),
        },
        Role::ExecutingUnit => facts.executing_unit.as_deref().is_some_and(|u| actor.is_of_unit(u)),
        Role::Expert => {
            let id = act.payload.get("expert_id").and_then(|v| v.as_str());
            id == Some(actor.user_id.as_str()) && facts.experts.iter().any(|e| e.expert_id == actor.user_id)
        }
        Role::MeetingMember => facts.meeting.as_ref().is_some_and(|m| m.member_of(&actor.user_id).is_some()),
        _ => true,
    });
    if ok {
        Ok(())
    } else {
        Err(Refusal::one(
            Reason::new(
                "not_assigned",
                &def.article,
                "您未被指派办理该决策事项",
                "you are not assigned to this decision (unit or assignment)",
            )
            .with_detail(Detail::new(
                format!("{}（{}）", actor.name, actor.unit),
                format!("{} of {}", actor.name, actor.unit),
            )),
        ))
    }
}

/// Roles whose acts are limited to their own unit or assignment.
fn scoped(role: Role) -> bool {
    matches!(role, Role::Drafter | Role::ExecutingUnit | Role::Expert | Role::MeetingMember)
}
