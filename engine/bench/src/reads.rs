//! The READS line: what the decision page reads, each timed on its own at the largest open count, as the
//! decision's drafter (whose unit every benchmark decision names, so "my tasks" scans them all): the decision
//! view with the acts allowed now, the record, the memo list, and the drafter's tasks; and a legality reviewer's
//! tasks, which no decision in drafting waits on (the store finds none at the reviewer's stages, none is loaded).

use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use juece_engine::actor::Role;
use juece_engine::orchestrator::Engine;
use juece_engine::sample::who;

use crate::stats::percentile;

/// Times each read is taken; the tasks read, which scans many decisions, is taken fewer times.
const REPEATS: usize = 200;
const TASK_REPEATS: usize = 20;

/// p95 of each read, in ms.
pub struct Reads {
    pub view: f64,
    pub record: f64,
    pub memos: f64,
    pub tasks: f64,
    pub reviewer_tasks: f64,
    /// The drafter's worklist had more decisions at their stages than it examines (`Worklist::partial`).
    pub tasks_partial: bool,
    /// A drafter of a unit no decision names: the store finds none of the decisions at their stages for them.
    pub other_unit_tasks: f64,
}

/// Time the page's reads over the decisions `ids` (taken in turn).
pub async fn measure(engine: &Arc<Engine>, ids: &[String]) -> anyhow::Result<Reads> {
    let drafter = who("drafter", "生态环境局", Role::Drafter);
    let (mut view, mut record, mut memos, mut tasks) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for id in ids.iter().cycle().take(REPEATS) {
        let t = Instant::now();
        engine.read_decision(id, &drafter, Utc::now()).await?;
        view.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        engine.read_record(id, &drafter, Utc::now()).await?;
        record.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        engine.read_memos(id, &drafter, Utc::now()).await?;
        memos.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let reviewer = who("reviewer", "司法局", Role::LegalityReviewer);
    let other = who("other-drafter", "另一承办单位", Role::Drafter);
    let (mut reviewer_tasks, mut other_unit_tasks, mut tasks_partial) = (Vec::new(), Vec::new(), false);
    for _ in 0..TASK_REPEATS {
        let t = Instant::now();
        tasks_partial |= engine.worklist(&drafter, Utc::now()).await?.partial;
        tasks.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        engine.worklist(&reviewer, Utc::now()).await?;
        reviewer_tasks.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        engine.worklist(&other, Utc::now()).await?;
        other_unit_tasks.push(t.elapsed().as_secs_f64() * 1e3);
    }
    Ok(Reads {
        view: percentile(&mut view, 95.0),
        record: percentile(&mut record, 95.0),
        memos: percentile(&mut memos, 95.0),
        tasks: percentile(&mut tasks, 95.0),
        reviewer_tasks: percentile(&mut reviewer_tasks, 95.0),
        tasks_partial,
        other_unit_tasks: percentile(&mut other_unit_tasks, 95.0),
    })
}
