//! The annual work report (年度重大行政决策工作情况报告) of one organ for one
//! year, computed from the store: what the audit records say happened in
//! the year (China Standard Time) on the organ's decisions, and what their
//! facts and deadlines hold. Rendered with the `annual_report` template of
//! the national procedure, like any memo.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Asia::Shanghai;
use serde::Serialize;

use crate::definition::DeadlineKind;
use crate::store::{DeadlineStatus, Store, StoreError};

/// Art. 15: a comment period "generally not less than 30 days".
const COMMENT_FLOOR_DAYS: u32 = 30;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnualReport {
    pub organ: String,
    /// The people's government one level up, from the unit directory (`superior`); empty when the directory has
    /// none, and then the report is not rendered as a document.
    pub addressee: String,
    pub year: i32,
    /// The day the figures were taken (CST), ISO form.
    pub as_of: String,
    pub started: usize,
    pub decided: usize,
    pub published: usize,
    pub suspended: usize,
    pub hearings: usize,
    pub expert_consultations: usize,
    /// Distinct experts who gave an opinion in the year.
    pub experts_used: usize,
    pub legality_total: usize,
    pub legality_opinions: Vec<ConclusionCount>,
    pub shortened: Vec<Shortened>,
    /// Legality reviews shortened below the floor for urgency (Art. 26(2)), received in the year.
    pub shortened_reviews: Vec<ShortenedReview>,
    pub divergences: Vec<Divergence>,
    pub overdue: Vec<Overdue>,
    pub post_evaluations_started: usize,
    pub post_evaluation_reports: usize,
    /// The organ's decisions with any act in the year.
    pub decisions: Vec<DecisionLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConclusionCount {
    pub conclusion: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shortened {
    pub decision_id: String,
    pub title: String,
    pub days: u32,
    pub reason: String,
}

/// A legality review shorter than the floor, with the drafter's reason and the reviewer who acknowledged it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShortenedReview {
    pub decision_id: String,
    pub title: String,
    pub received_on: chrono::NaiveDate,
    pub requested_due: chrono::NaiveDate,
    pub floor_due: chrono::NaiveDate,
    pub reason: String,
    pub acknowledged_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Divergence {
    pub decision_id: String,
    pub title: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overdue {
    pub decision_id: String,
    pub title: String,
    pub deadline: String,
    pub due_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionLine {
    pub id: String,
    pub title: String,
    pub stage: String,
}

fn year_of(at: &DateTime<Utc>) -> i32 {
    at.with_timezone(&Shanghai).year()
}

/// Compute the report. `as_of` decides which pending deadlines are overdue.
pub async fn annual(
    store: &dyn Store,
    organ: &str,
    year: i32,
    as_of: DateTime<Utc>,
) -> Result<AnnualReport, StoreError> {
    let mut r = AnnualReport {
        organ: organ.to_string(),
        year,
        as_of: as_of.with_timezone(&Shanghai).date_naive().to_string(),
        ..AnnualReport::default()
    };
    let mut conclusions: BTreeMap<String, usize> = BTreeMap::new();
    let mut experts: BTreeSet<String> = BTreeSet::new();
    for (id, _) in store.versions().await? {
        let Some(loaded) = store.load(&id).await? else { continue };
        let d = loaded.decision;
        if d.facts.organ != organ {
            continue;
        }
        let records = store.audit_records(&id).await?;
        let in_year: Vec<_> = records.iter().filter(|a| year_of(&a.at) == year).collect();
        let count = |act: &str| in_year.iter().filter(|a| a.act == act).count();
        r.started += count("start_decision");
        r.decided += count("decide");
        r.published += count("publish_decision");
        r.suspended += count("suspend");
        r.hearings += count("close_hearing");
        r.expert_consultations += count("close_expert_consultation");
        r.post_evaluations_started += count("start_post_evaluation");
        r.post_evaluation_reports += count("submit_post_evaluation_report");
        for a in in_year.iter().filter(|a| a.act == "issue_legality_opinion") {
            let payload: serde_json::Value = serde_json::from_str(&a.payload).unwrap_or_default();
            let c = payload.get("conclusion").and_then(|v| v.as_str()).unwrap_or("unknown").to_string();
            *conclusions.entry(c).or_default() += 1;
        }
        let f = &d.facts;
        for e in &f.experts {
            if e.opinion.as_ref().is_some_and(|o| year_of(&o.submitted_at) == year) {
                experts.insert(e.expert_id.clone());
            }
        }
        for n in f.comment_notices.iter().filter(|n| year_of(&n.published_at) == year && n.days < COMMENT_FLOOR_DAYS) {
            r.shortened.push(Shortened {
                decision_id: id.clone(),
                title: f.title.clone(),
                days: n.days,
                reason: n
                    .shortening_reason
                    .clone()
                    .or_else(|| n.late_shortening.as_ref().map(|l| l.reason.clone()))
                    .unwrap_or_default(),
            });
        }
        for sub in f.legality_submissions.iter().filter(|x| x.requested_due < x.floor_due) {
            if sub.received_complete_on.format("%Y").to_string() != year.to_string() {
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
        if count("decide") > 0 {
            if let Some(reason) = f.meeting.as_ref().and_then(|m| m.divergence_reason.clone()) {
                r.divergences.push(Divergence { decision_id: id.clone(), title: f.title.clone(), reason });
            }
        }
        for dl in store.deadlines(&id).await? {
            let obligation =
                matches!(dl.spec.kind, DeadlineKind::Reminder | DeadlineKind::Escalation | DeadlineKind::Periodic);
            if !obligation {
                continue;
            }
            let due = crate::deadline::obligation_due(&dl.spec);
            // Past due: it fired (even if the act came later; a recurring row is re-armed in
            // place, so its firing count tells), or it is still pending after its time.
            let fired = dl.fired_at.is_some() || store.firing_state(&dl.id).await?.is_some_and(|s| s.occurrences > 0);
            let missed = fired || (dl.status == DeadlineStatus::Pending && due <= as_of);
            if missed && year_of(&due) == year {
                r.overdue.push(Overdue {
                    decision_id: id.clone(),
                    title: f.title.clone(),
                    deadline: dl.spec.name.clone(),
                    due_at: crate::audit::format_instant(&due),
                });
            }
        }
        if !in_year.is_empty() {
            r.decisions.push(DecisionLine { id: id.clone(), title: f.title.clone(), stage: d.stage.clone() });
        }
    }
    r.experts_used = experts.len();
    r.legality_total = conclusions.values().sum();
    r.legality_opinions =
        conclusions.into_iter().map(|(conclusion, count)| ConclusionCount { conclusion, count }).collect();
    Ok(r)
}
