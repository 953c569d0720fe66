//! Deadline families: one definition, one deadline per item of the facts
//! (each expert's opinion, each catalogue item), named `<definition>:<key>`.
//! An act that sets a family reconciles it with the facts after the act:
//! a member whose anchor moved is cancelled and set again, a settled one is
//! cancelled, an unchanged one keeps its row (and its firing history).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use crate::calendar::WorkCalendar;
use crate::definition::{ActDef, DeadlineDef, Workflow};
use crate::effect::Effect;
use crate::procedure::facts::Facts;

/// Anchors that name a family rather than one instant.
pub const FAMILY_ANCHORS: [&str; 2] = ["expert_opinion_due", "catalogue_item_planned"];

/// Each member's key and, while its item is outstanding, the instant it counts from.
pub(crate) type Members = BTreeMap<String, Option<DateTime<Utc>>>;

fn members(anchor: &str, f: &Facts) -> Members {
    match anchor {
        "expert_opinion_due" => crate::procedure::experts::deadline::expert_opinion_due(f),
        "catalogue_item_planned" => crate::procedure::catalogue::deadline::catalogue_item_planned(f),
        _ => Members::new(),
    }
}

/// The name of one member of a family.
pub fn member_name(definition: &str, key: &str) -> String {
    format!("{definition}:{key}")
}

/// The definition a deadline row was set from: its name, or for a family member the name before `:<key>`.
pub fn definition_name(deadline: &str) -> &str {
    deadline.split_once(':').map_or(deadline, |(definition, _)| definition)
}

/// The deadline effects of an accepted act (`def`): cancellations, then
/// deadlines set, plain ones and families alike. `before` and `after` are
/// the facts on either side of the act.
pub fn act_effects(
    wf: &Workflow,
    def: &ActDef,
    before: &Facts,
    after: &Facts,
    cal: &WorkCalendar,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    let mut out = Vec::new();
    let family = |name: &String| wf.deadlines.get(name).filter(|d| FAMILY_ANCHORS.contains(&d.anchor.as_str()));
    for name in &def.cancel_deadlines {
        match family(name) {
            Some(d) => {
                let keys: BTreeSet<String> =
                    members(&d.anchor, before).into_keys().chain(members(&d.anchor, after).into_keys()).collect();
                out.extend(keys.iter().map(|k| Effect::CancelDeadline { name: member_name(name, k) }));
            }
            None => out.push(Effect::CancelDeadline { name: name.clone() }),
        }
    }
    for name in &def.set_deadlines {
        let Some(d) = wf.deadlines.get(name) else { continue };
        if family(name).is_some() {
            out.extend(reconcile(d, before, after, cal, now));
        } else if let Some(spec) = super::compute(d, after, &wf.parameters, cal, now) {
            out.push(Effect::SetDeadline(spec));
        }
    }
    out
}

/// Bring the family `d` in line with `after`: members whose instant changed
/// since `before` are cancelled, and set again while outstanding.
fn reconcile(d: &DeadlineDef, before: &Facts, after: &Facts, cal: &WorkCalendar, now: DateTime<Utc>) -> Vec<Effect> {
    let old = members(&d.anchor, before);
    let new = members(&d.anchor, after);
    let mut out = Vec::new();
    for key in old.keys().chain(new.keys()).collect::<BTreeSet<_>>() {
        let (was, is) = (old.get(key).copied().flatten(), new.get(key).copied().flatten());
        if was == is {
            continue;
        }
        let name = member_name(&d.name, key);
        if was.is_some() {
            out.push(Effect::CancelDeadline { name: name.clone() });
        }
        if let Some(at) = is {
            let basis = serde_json::json!({ "rule": "family", "key": key });
            if let Some(spec) = super::schedule(d, &name, at, basis, cal, now) {
                out.push(Effect::SetDeadline(spec));
            }
        }
    }
    out
}
