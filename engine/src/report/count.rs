//! Counting the report from the record, decision by decision.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Asia::Shanghai;

use super::*;
use crate::audit::AuditRecord;
use crate::decision::Decision;
use crate::definition::DeadlineKind;
use crate::orchestrator::Engine;
use crate::procedure::facts::Applicability;
use crate::store::{DeadlineStatus, StoreError};

pub(super) fn year_of(at: &DateTime<Utc>) -> i32 {
    at.with_timezone(&Shanghai).year()
}

/// The instants a year begins and ends, in China Standard Time.
fn year_bounds(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    use chrono::TimeZone;
    let start = |y: i32| Shanghai.with_ymd_and_hms(y, 1, 1, 0, 0, 0).single().map(|t| t.with_timezone(&Utc));
    (start(year).unwrap_or_default(), start(year + 1).unwrap_or_default())
}

/// Counts keyed by name, in key order.
fn tally(keys: impl IntoIterator<Item = String>) -> Vec<KeyCount> {
    let mut m: BTreeMap<String, usize> = BTreeMap::new();
    keys.into_iter().for_each(|k| *m.entry(k).or_default() += 1);
    m.into_iter().map(|(key, count)| KeyCount { key, count }).collect()
}

/// Compute the report. `as_of` decides which pending deadlines are overdue and the pool's size when the year
/// has not ended.
pub async fn annual(engine: &Engine, organ: &str, year: i32, as_of: DateTime<Utc>) -> Result<AnnualReport, StoreError> {
    let store = engine.store().as_ref();
    let directory = engine.memos("national").map(|set| set.manifest().organ(organ)).unwrap_or_default();
    let mut r = AnnualReport {
        organ: organ.to_string(),
        addressee: directory.superior.unwrap_or_default(),
        year,
        as_of: as_of.with_timezone(&Shanghai).date_naive().to_string(),
        ..AnnualReport::default()
    };
    // Each procedure's own comment floor (Art. 15 "generally not less than 30 days", tightened by a profile).
    let floors: BTreeMap<(String, u32), u32> =
        engine.workflows().map(|w| ((w.key.clone(), w.version), w.parameters.comment_min_days)).collect();
    let mut conclusions: BTreeMap<String, usize> = BTreeMap::new();
    let mut experts: BTreeSet<String> = BTreeSet::new();
    let (mut levels, mut capacities) = (Vec::new(), Vec::new());
    for (id, _) in store.versions().await? {
        let Some(loaded) = store.load(&id).await? else { continue };
        let d = loaded.decision;
        let records = store.audit_records(&id).await?;
        if let Some(pool) = d.facts.pool.as_ref().filter(|_| d.facts.organ == organ) {
            r.pool = super::pool::counts(pool, &records, year, as_of);
            continue;
        }
        if d.facts.organ != organ {
            continue;
        }
        if let Some(c) = d.facts.catalogue.as_ref().filter(|c| c.year == year) {
            r.catalogue_items += c.items.len();
            r.catalogue_decided += c.watch.iter().filter(|w| w.decided.is_some()).count();
            continue;
        }
        let floor = floors.get(&(d.workflow_key.clone(), d.workflow_version)).copied().unwrap_or(30);
        let number = readable_number(engine, &id).await?;
        let in_year: Vec<&AuditRecord> = records.iter().filter(|a| year_of(&a.at) == year).collect();
        let count = |act: &str| in_year.iter().filter(|a| a.act == act).count();
        r.started += count("start_decision");
        r.decided += count("decide");
        r.published += count("publish_decision");
        r.suspended += count("suspend");
        r.adjusted += count("record_adjustment");
        r.hearings += count("close_hearing");
        r.expert_consultations += count("close_expert_consultation");
        r.post_evaluations_started += count("start_post_evaluation");
        r.post_evaluation_reports += count("submit_post_evaluation_report");
        r.comment_notices += count("publish_comment_notice");
        let (from, until) = year_bounds(year);
        let (received, adopted) = store.opinion_counts(&id, crate::ledger::Kind::Comment, from, until).await?;
        r.comments_received += received as usize;
        r.comments_adopted += adopted as usize;
        for a in in_year.iter().filter(|a| a.act == "issue_legality_opinion") {
            let payload: serde_json::Value = serde_json::from_str(&a.payload).unwrap_or_default();
            let c = payload.get("conclusion").and_then(|v| v.as_str()).unwrap_or("unknown").to_string();
            *conclusions.entry(c).or_default() += 1;
        }
        let f = &d.facts;
        if count("close_hearing") > 0 {
            r.hearing_participants += f.hearing.as_ref().map_or(0, |h| h.participants.len());
        }
        if count("submit_risk_report") > 0 {
            if let Some(risk) = &f.risk_report {
                r.risk_assessments += 1;
                levels.push(risk.level.clone());
                if !risk.contingency_plan.trim().is_empty() && !risk.measures.is_empty() {
                    r.mitigation_plans += 1;
                }
            }
        }
        if count("record_lawyer_opinion") > 0 {
            capacities.extend(f.lawyer_opinions.iter().map(|l| l.capacity.clone()));
        }
        for e in &f.experts {
            if e.opinion.as_ref().is_some_and(|o| year_of(&o.submitted_at) == year) {
                experts.insert(e.expert_id.clone());
            }
        }
        for n in f.comment_notices.iter().filter(|n| year_of(&n.published_at) == year && n.days < floor) {
            r.shortened.push(Shortened {
                decision_id: id.clone(),
                number: number.clone(),
                title: f.title.clone(),
                days: n.days,
                floor_days: floor,
                reason: n
                    .shortening_reason
                    .clone()
                    .or_else(|| n.late_shortening.as_ref().map(|l| l.reason.clone()))
                    .unwrap_or_default(),
            });
        }
        for sub in f.legality_submissions.iter().filter(|x| x.requested_due < x.floor_due) {
            if sub.received_complete_on.year() != year {
                continue;
            }
            r.shortened_reviews.push(ShortenedReview {
                decision_id: id.clone(),
                title: f.title.clone(),
                received_on: sub.received_complete_on,
                requested_due: sub.requested_due,
                floor_due: sub.floor_due,
                reason: sub.urgency_reason.clone().unwrap_or_default(),
                acknowledged_by: sub.urgency_acknowledged_by.clone(),
            });
        }
        for (stage, det) in &f.applicability {
            if det.outcome != Applicability::Applicable && year_of(&det.at) == year {
                r.not_applicable.push(NotApplicable {
                    decision_id: id.clone(),
                    title: f.title.clone(),
                    stage: stage.clone(),
                    reason: det.reason.clone(),
                });
            }
        }
        for case in &f.accountability {
            let concluded = case.conclusion.as_ref().filter(|c| year_of(&c.concluded_at) == year);
            let opened = year_of(&case.opened_at) == year;
            r.cases_opened += usize::from(opened);
            r.cases_concluded += usize::from(concluded.is_some());
            if opened || concluded.is_some() {
                r.cases.push(CaseLine {
                    decision_id: id.clone(),
                    title: f.title.clone(),
                    article: case.article.clone(),
                    persons: case.persons.iter().map(|p| format!("{}（{}，{}）", p.name, p.unit, p.position)).collect(),
                    finding: case.conclusion.as_ref().map_or("open".into(), |c| c.finding.clone()),
                });
            }
        }
        if count("decide") > 0 {
            if let Some(reason) = f.meeting.as_ref().and_then(|m| m.divergence_reason.clone()) {
                r.divergences.push(Divergence { decision_id: id.clone(), title: f.title.clone(), reason });
            }
        }
        overdue(store, &d, year, as_of, &mut r.overdue).await?;
        if !in_year.is_empty() {
            r.decisions.push(DecisionLine { id: id.clone(), number, title: f.title.clone(), stage: d.stage.clone() });
        }
    }
    r.experts_used = experts.len();
    r.risk_levels = tally(levels);
    r.lawyer_opinions = tally(capacities);
    r.legality_total = conclusions.values().sum();
    r.legality_opinions =
        conclusions.into_iter().map(|(conclusion, count)| ConclusionCount { conclusion, count }).collect();
    Ok(r)
}

/// The number a county office reads a decision by: its decision's document number, else its start letter's.
async fn readable_number(engine: &Engine, id: &str) -> Result<String, StoreError> {
    let memos = engine.store().memos(id).await?;
    let number_of = |memo: &str| {
        memos.iter().filter(|m| m.memo == memo && m.lang == "zh" && m.format == "md").find_map(|m| {
            let data: serde_json::Value = serde_json::from_str(&m.data).ok()?;
            data.pointer("/meta/number/text").and_then(|v| v.as_str()).map(str::to_string)
        })
    };
    Ok(number_of("decision").or_else(|| number_of("start_decision")).unwrap_or_else(|| "未启动".into()))
}

/// Obligations of the decision whose time passed in the year.
async fn overdue(
    store: &dyn crate::store::Store,
    d: &Decision,
    year: i32,
    as_of: DateTime<Utc>,
    out: &mut Vec<Overdue>,
) -> Result<(), StoreError> {
    for dl in store.deadlines(&d.id).await? {
        let obligation =
            matches!(dl.spec.kind, DeadlineKind::Reminder | DeadlineKind::Escalation | DeadlineKind::Periodic);
        if !obligation {
            continue;
        }
        let due = crate::procedure::deadline::obligation_due(&dl.spec);
        // Past due: it fired (even if the act came later; a recurring row is re-armed in
        // place, so its firing count tells), or it is still pending after its time.
        let fired = dl.fired_at.is_some() || store.firing_state(&dl.id).await?.is_some_and(|s| s.occurrences > 0);
        let missed = fired || (dl.status == DeadlineStatus::Pending && due <= as_of);
        if missed && year_of(&due) == year {
            out.push(Overdue {
                decision_id: d.id.clone(),
                title: d.facts.title.clone(),
                deadline: dl.spec.name.clone(),
                due_at: crate::audit::format_instant(&due),
            });
        }
    }
    Ok(())
}
