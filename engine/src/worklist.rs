//! What waits for a person: the acts they may take now across the decisions
//! they may read, with the earliest deadline of each decision, and their
//! in-app notifications (the outbox addressed to their roles, only for
//! decisions they may read). Also the stage map of one decision: each stage
//! of its procedure in order, marked done, current, passed over or not yet.
//! Every read goes through [`crate::visibility`], like every other query.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::definition::Workflow;
use crate::error::Error;
use crate::orchestrator::Engine;
use crate::queries::{DecisionView, MAX_PAGE};
use crate::store::{DeadlineRow, DecisionFilter, OutboxMessage, StageOf};
use crate::visibility::{self, Access};

/// The reader's tasks, and whether they may be incomplete.
#[derive(Debug, Clone, Serialize)]
pub struct Worklist {
    pub tasks: Vec<Task>,
    /// More decisions were at the reader's stages than one worklist examines ([`Engine::WORKLIST_SCAN`]): only
    /// the newest of them were, so a task on an older one may be missing. Said to the reader, never silent.
    pub partial: bool,
}

/// A decision with acts waiting for the reader.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub decision: DecisionView,
    /// The earliest pending deadline of the decision, if any.
    pub due: Option<DateTime<Utc>>,
    pub overdue: bool,
}

/// Where a stage stands for one decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StageStatus {
    Done,
    Current,
    /// Passed over with a recorded determination.
    Skipped,
    Todo,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageMark {
    pub key: String,
    pub title_zh: String,
    pub title_en: String,
    pub status: StageStatus,
}

impl Engine {
    /// Decisions examined at most for one worklist: of those at a stage where the reader's roles have an act.
    pub const WORKLIST_SCAN: i64 = 5_000;

    /// The reader's tasks, earliest deadline first (those without one last).
    pub async fn worklist(&self, actor: &Actor, now: DateTime<Utc>) -> Result<Worklist, Error> {
        self.worklist_within(actor, now, Self::WORKLIST_SCAN).await
    }

    /// [`Engine::worklist`], examining at most `scan` decisions.
    async fn worklist_within(&self, actor: &Actor, now: DateTime<Utc>, scan: i64) -> Result<Worklist, Error> {
        let mut tasks = Vec::new();
        // Only decisions at a stage where one of the reader's roles has an act can wait for them: the store finds
        // those by their stage, so a task on an older decision is not lost behind thousands of others, and the
        // others are not loaded. Each found decision is still checked in full (`view`: unit, assignment, access).
        let at = self.stages_with_acts_for(actor);
        if at.is_empty() {
            return Ok(Worklist { tasks, partial: false });
        }
        // A reader whose roles read in full only the decisions naming them is looked for by name among those.
        let parties = visibility::party_keys(actor);
        // One read of the candidates, newest first: paged by offset, each page would sort them all again. One more
        // than examined, to know whether there were more.
        let filter = DecisionFilter { at, parties, limit: scan + 1, ..DecisionFilter::default() };
        let mut found = self.store().list(&filter).await?;
        let partial = found.len() as i64 > scan;
        if partial {
            found.truncate(scan as usize);
            let why = "worklist partial: more decisions at the reader's stages than one worklist examines";
            tracing::warn!(user = %actor.user_id, examined = scan, "{why}");
        }
        for page in found.chunks(MAX_PAGE as usize) {
            let mut waiting = Vec::new();
            for d in self.load_listed(page.iter().map(|s| s.id.as_str())).await? {
                if let Some(view) = self.view_for(&d, actor, now) {
                    if !view.allowed_acts.is_empty() {
                        waiting.push(view);
                    }
                }
            }
            // The page's pending deadlines in one read, not a read (and a reload) per decision.
            // Deadlines are read at full access only, as on the decision page.
            let ids: Vec<String> = waiting.iter().filter(|v| v.access == Access::Full).map(|v| v.id.clone()).collect();
            let mut pending: BTreeMap<String, Vec<(DeadlineRow, i64)>> = BTreeMap::new();
            for (row, occurrences) in self.store().pending_deadlines(&ids).await? {
                pending.entry(row.decision_id.clone()).or_default().push((row, occurrences));
            }
            for view in waiting {
                let mine = pending.remove(&view.id).unwrap_or_default();
                let due = mine.iter().map(|(d, _)| crate::procedure::deadline::obligation_due(&d.spec)).min();
                let overdue = mine.iter().any(|(d, n)| crate::queries::overdue(d, *n, now));
                tasks.push(Task { decision: view, due, overdue });
            }
        }
        tasks.sort_by_key(|t| (t.due.is_none(), t.due));
        Ok(Worklist { tasks, partial })
    }

    /// Every stage, of every procedure version loaded, at which an act names one of `actor`'s roles.
    fn stages_with_acts_for(&self, actor: &Actor) -> Vec<StageOf> {
        let mut at = BTreeSet::new();
        for wf in self.workflows() {
            for act in wf.acts.values().filter(|a| actor.roles.iter().any(|r| a.roles.contains(r))) {
                at.extend(act.stages.iter().map(|stage| StageOf {
                    workflow_key: wf.key.clone(),
                    workflow_version: wf.version,
                    stage: stage.clone(),
                }));
            }
        }
        at.into_iter().collect()
    }

    /// The reader's notifications, newest first: messages to their roles about decisions they may read.
    pub async fn inbox_for(&self, actor: &Actor, limit: i64, now: DateTime<Utc>) -> Result<Vec<OutboxMessage>, Error> {
        let mut out = Vec::new();
        for role in &actor.roles {
            out.extend(self.store().inbox(role.as_str(), limit).await?);
        }
        out.sort_by_key(|m| std::cmp::Reverse(m.created_at));
        out.dedup_by(|a, b| a.id == b.id);
        let mut readable: BTreeMap<String, bool> = BTreeMap::new();
        let mut kept = Vec::new();
        for m in out {
            if kept.len() as i64 >= limit {
                break;
            }
            let may = match readable.get(&m.decision_id) {
                Some(may) => *may,
                None => {
                    let may = match self.store().load(&m.decision_id).await? {
                        Some(l) => visibility::read_access(&l.decision, actor, now).is_ok_and(|a| a == Access::Full),
                        None => false,
                    };
                    readable.insert(m.decision_id.clone(), may);
                    may
                }
            };
            if may {
                kept.push(m);
            }
        }
        Ok(kept)
    }

    /// When the reader marked each of `messages` read (those not in the map are unread). Read marks are
    /// per person: a message goes to a role, and one holder's reading it says nothing of another's.
    pub async fn inbox_reads(
        &self,
        actor: &Actor,
        messages: &[OutboxMessage],
    ) -> Result<BTreeMap<String, DateTime<Utc>>, Error> {
        let Some(oldest) = messages.iter().map(|m| m.created_at).min() else {
            return Ok(BTreeMap::new());
        };
        Ok(self.store().reads_since(&actor.user_id, oldest).await?.into_iter().collect())
    }

    /// Mark a message of the reader's inbox read; `None` when it is not in their inbox (addressed to a role
    /// they do not hold, or about a decision they may not read), which says nothing of whether it exists.
    pub async fn mark_inbox_read(
        &self,
        actor: &Actor,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<OutboxMessage>, Error> {
        let Some(m) = self.store().outbox_message(id).await? else {
            return Ok(None);
        };
        if !actor.roles.iter().any(|r| r.as_str() == m.recipient_role) {
            return Ok(None);
        }
        let readable = match self.store().load(&m.decision_id).await? {
            Some(l) => visibility::read_access(&l.decision, actor, now).is_ok_and(|a| a == Access::Full),
            None => false,
        };
        if !readable {
            return Ok(None);
        }
        self.store().mark_read(&actor.user_id, id, now).await?;
        Ok(Some(m))
    }

    /// The stages of a decision's procedure in the order they are reached, each marked from the record the
    /// reader may see and the applicability determinations in their view.
    pub fn stage_map<'a>(&self, d: &DecisionView, record: impl IntoIterator<Item = &'a AuditRecord>) -> Vec<StageMark> {
        let Some(wf) = self.workflows().find(|w| w.key == d.workflow_key && w.version == d.workflow_version) else {
            return Vec::new();
        };
        let visited: BTreeSet<&str> =
            record.into_iter().flat_map(|r| [r.stage_from.as_str(), r.stage_to.as_str()]).collect();
        let skipped: BTreeSet<&str> = d
            .facts
            .get("applicability")
            .and_then(|a| a.as_object())
            .map(|a| a.keys().map(String::as_str).collect())
            .unwrap_or_default();
        stage_order(wf)
            .into_iter()
            .filter_map(|key| wf.stage(&key))
            .map(|s| {
                let status = if s.key == d.stage {
                    StageStatus::Current
                } else if visited.contains(s.key.as_str()) {
                    StageStatus::Done
                } else if skipped.contains(s.kind.as_str()) {
                    StageStatus::Skipped
                } else {
                    StageStatus::Todo
                };
                StageMark { key: s.key.clone(), title_zh: s.title_zh.clone(), title_en: s.title_en.clone(), status }
            })
            .collect()
    }
}

/// Stages breadth-first from the start along the procedure's edges; stages no edge reaches come last.
fn stage_order(wf: &Workflow) -> Vec<String> {
    let edges = wf.graph.edges();
    let mut order = Vec::new();
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([wf.start.clone()]);
    while let Some(s) = queue.pop_front() {
        if !seen.insert(s.clone()) {
            continue;
        }
        for (from, to, _) in &edges {
            if *from == s && !seen.contains(to) {
                queue.push_back(to.clone());
            }
        }
        order.push(s);
    }
    order.extend(wf.stages.keys().filter(|k| !seen.contains(*k)).cloned());
    order
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::TimeZone;

    use super::*;
    use crate::act::Act;
    use crate::actor::Role;
    use crate::memo::tests::{engine_on, open_numbered};
    use crate::orchestrator::ActRequest;
    use crate::sample::who;
    use crate::store::{SqliteStore, Store};

    /// Open decision `id` and start it with `unit` undertaking it.
    async fn started(engine: &Engine, id: &str, unit: &str, now: DateTime<Utc>) {
        let office = who("王文", "示范市人民政府办公室", Role::GeneralOffice);
        let proposal = Act::new(
            "submit_proposal",
            serde_json::json!({ "title": id, "organ": "示范市人民政府", "proposer_type": "leader",
                                "proposer": "张市长", "summary": "建议" }),
        );
        engine.open("national", ActRequest::new(id, &proposal, &office, now)).await.expect("opened");
        let start = Act::new("start_decision", serde_json::json!({ "category": 1, "undertaking_units": [unit] }));
        engine.apply(ActRequest::new(id, &start, &office, now)).await.expect("started");
    }

    /// Other units' decisions, however many and however new, do not hide a drafter's own: the store looks for the
    /// decisions naming the reader's unit among those at their stages. A row written before decisions named their
    /// parties is examined whatever it names, as before.
    #[tokio::test]
    async fn a_drafter_s_task_is_found_behind_any_number_of_other_units_decisions() {
        let store = Arc::new(SqliteStore::connect("sqlite::memory:").await.expect("connect"));
        store.migrate().await.expect("migrate");
        let engine = engine_on(store.clone()).await;
        let t = |minute| Utc.with_ymd_and_hms(2026, 3, 2, 1, minute, 0).single().expect("instant");
        started(&engine, "own", "示范市生态环境局", t(0)).await;
        for i in 0..4 {
            started(&engine, &format!("other-{i}"), "示范市交通运输局", t(i + 1)).await;
        }
        let drafter = who("李明", "示范市生态环境局", Role::Drafter);
        let tasks = engine.worklist_within(&drafter, t(10), 2).await.expect("worklist");
        let ids: Vec<&str> = tasks.tasks.iter().map(|t| t.decision.id.as_str()).collect();
        assert_eq!(ids, ["own"], "the oldest decision, behind four newer ones of another unit");
        assert!(!tasks.partial, "one decision names the reader's unit, and it was examined");

        // A renamed unit's drafter finds what names the unit under its former name.
        let renamed = crate::actor::Actor {
            former_units: vec!["示范市生态环境局".into()],
            ..who("李明", "示范市生态局", Role::Drafter)
        };
        let ids: Vec<String> = engine
            .worklist_within(&renamed, t(10), 2)
            .await
            .expect("worklist")
            .tasks
            .into_iter()
            .map(|t| t.decision.id)
            .collect();
        assert_eq!(ids, ["own"]);

        // Rows written by a replica from before the parties were stored: examined (newest first, within the bound)
        // whatever they name, never skipped. The next start fills their parties in.
        store
            .execute_raw("update decisions set parties = null, parties_version = null where id like 'other-%'")
            .await
            .expect("raw");
        store
            .execute_raw("update decisions set parties = '|unit:示范市交通运输局|' where id = 'other-3'")
            .await
            .expect("raw");
        let unnamed = engine.worklist_within(&drafter, t(10), 2).await.expect("worklist");
        assert!(unnamed.partial && unnamed.tasks.is_empty(), "four unnamed rows, the newest two examined, none theirs");
        let all = engine.worklist_within(&drafter, t(10), 5).await.expect("worklist");
        assert!(!all.partial && all.tasks.len() == 1 && all.tasks[0].decision.id == "own");
        store.migrate().await.expect("migrated again: the parties are filled in");
        let filled = engine.worklist_within(&drafter, t(10), 2).await.expect("worklist");
        assert!(!filled.partial && filled.tasks.len() == 1 && filled.tasks[0].decision.id == "own");
    }

    /// The store keeps names between bars, so a unit whose name has one is cut in two there: its drafters are
    /// looked for among every decision at their stages instead, and still find their task; the pieces of its
    /// name find nothing, since every decision found is checked in full.
    #[tokio::test]
    async fn a_unit_with_a_bar_in_its_name_finds_its_tasks() {
        let store = Arc::new(SqliteStore::connect("sqlite::memory:").await.expect("connect"));
        store.migrate().await.expect("migrate");
        let engine = engine_on(store.clone()).await;
        let t = |minute| Utc.with_ymd_and_hms(2026, 3, 2, 1, minute, 0).single().expect("instant");
        started(&engine, "barred", "甲|乙局", t(0)).await;
        let ids = |w: Worklist| w.tasks.into_iter().map(|t| t.decision.id).collect::<Vec<_>>();
        let barred = who("李明", "甲|乙局", Role::Drafter);
        assert_eq!(ids(engine.worklist(&barred, t(10)).await.expect("worklist")), ["barred"]);
        for piece in ["甲", "乙局"] {
            let drafter = who("李明", piece, Role::Drafter);
            assert!(ids(engine.worklist(&drafter, t(10)).await.expect("worklist")).is_empty(), "{piece}");
        }
    }

    /// More decisions at the reader's stages than one worklist examines: the worklist says it is partial (the page
    /// tells the reader), and with room for them all it lists them all and is not.
    #[tokio::test]
    async fn a_worklist_that_could_not_examine_every_candidate_says_so() {
        let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
        store.migrate().await.expect("migrate");
        let engine = engine_on(Arc::new(store)).await;
        for i in 0..3 {
            open_numbered(&engine, i).await.expect("opened and started");
        }
        let drafter = who("李明", "示范市生态环境局", Role::Drafter);
        let now = Utc.with_ymd_and_hms(2026, 3, 3, 1, 0, 0).single().expect("instant");
        let all = engine.worklist_within(&drafter, now, 3).await.expect("worklist");
        assert!(!all.partial, "three candidates, three examined");
        let mut ids: Vec<&str> = all.tasks.iter().map(|t| t.decision.id.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["num-0", "num-1", "num-2"], "each started decision waits on its undertaking unit");
        let some = engine.worklist_within(&drafter, now, 2).await.expect("worklist");
        assert!(some.partial, "three candidates, two examined");
        assert_eq!(some.tasks.len(), 2, "the two examined are listed");
    }
}
