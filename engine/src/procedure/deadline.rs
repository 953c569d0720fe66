//! Deadlines as data: a definition names an *anchor* (a point in the facts
//! a deadline counts from) and, for recurring ones, a cron schedule read in
//! China Standard Time. `compute` turns them into a concrete instant with
//! the inputs it used, so every deadline can be explained later.

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Shanghai;

use crate::calendar::WorkCalendar;
use crate::definition::{DeadlineDef, DeadlineKind, Parameters};
use crate::effect::DeadlineSpec;
use crate::procedure::facts::Facts;

pub mod family;

/// Anchors a definition may name (and the families of [`family::FAMILY_ANCHORS`]).
pub const ANCHORS: [&str; 5] =
    ["comment_period_end", "legality_review_due", "publication_alarm", "execution_report_due", "now"];

pub fn anchor_known(name: &str) -> bool {
    ANCHORS.contains(&name) || family::FAMILY_ANCHORS.contains(&name)
}

/// An instant a deadline counts from, with a description of how it was found.
pub(crate) type Anchored = (DateTime<Utc>, serde_json::Value);

/// The instant an anchor names; each phase computes its own (`<phase>/deadline.rs`).
fn anchor(name: &str, f: &Facts, p: &Parameters, cal: &WorkCalendar, now: DateTime<Utc>) -> Option<Anchored> {
    match name {
        "comment_period_end" => super::participation::deadline::comment_period_end(f, cal),
        "legality_review_due" => super::legality::deadline::legality_review_due(f),
        "publication_alarm" => super::release::deadline::publication_alarm(f, p, cal),
        "execution_report_due" => super::execution::deadline::execution_report_due(f, p, cal),
        "now" => Some((now, serde_json::json!({ "rule": "now" }))),
        _ => None,
    }
}

pub fn compute(
    d: &DeadlineDef,
    f: &Facts,
    p: &Parameters,
    cal: &WorkCalendar,
    now: DateTime<Utc>,
) -> Option<DeadlineSpec> {
    let (at, basis) = anchor(&d.anchor, f, p, cal, now)?;
    schedule(d, &d.name, at, basis, cal, now)
}

/// The deadline `name` of definition `d` counting from `at` (explained by
/// `basis`): `at` itself, or for recurring kinds the first working-day
/// occurrence of the schedule after it.
pub(crate) fn schedule(
    d: &DeadlineDef,
    name: &str,
    at: DateTime<Utc>,
    mut basis: serde_json::Value,
    cal: &WorkCalendar,
    now: DateTime<Utc>,
) -> Option<DeadlineSpec> {
    let due_at = match (&d.kind, &d.cron) {
        (DeadlineKind::Due | DeadlineKind::AutoAct, _) => at,
        (_, Some(schedule)) => {
            // The first firing on a working day after the anchor. The schedule
            // goes into the basis: the scheduler re-arms the series from it.
            if let Some(obj) = basis.as_object_mut() {
                obj.insert("cron".into(), serde_json::json!(schedule.source()));
                obj.insert("anchor_at".into(), serde_json::json!(crate::audit::format_instant(&at)));
            }
            next_working_occurrence(schedule, cal, at.max(now))?
        }
        (_, None) => at,
    };
    if let Some(obj) = basis.as_object_mut() {
        obj.insert("anchor".into(), serde_json::json!(d.anchor));
    }
    Some(DeadlineSpec { name: name.to_string(), kind: d.kind, due_at, act: d.act.clone(), notify: d.notify, basis })
}

/// When the obligation behind a deadline falls due: the anchor of a
/// recurring series (its occurrences remind after it), else the deadline.
pub fn obligation_due(spec: &DeadlineSpec) -> DateTime<Utc> {
    let anchor = spec.basis.get("anchor_at").and_then(|v| v.as_str());
    anchor.and_then(|a| DateTime::parse_from_rfc3339(a).ok()).map_or(spec.due_at, |a| a.with_timezone(&Utc))
}

/// The first occurrence of `schedule` (read in China Standard Time) strictly
/// after `after` that falls on a working day of `cal` — the calendar's
/// working days, with 调休 make-up days, not Monday to Friday. `None` when
/// none falls within the next 400 occurrences (a schedule that never meets
/// a working day).
pub fn next_working_occurrence(
    schedule: &cron::Schedule,
    cal: &WorkCalendar,
    after: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let from = after.with_timezone(&Shanghai);
    let next = schedule.after(&from).take(400).find(|t| cal.is_working_day(t.date_naive()))?;
    Some(next.with_timezone(&Utc))
}
