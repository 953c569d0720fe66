//! The compliance proof: before any decision runs on a definition, show by
//! graph analysis that it cannot reach the decision without the legality
//! review and the collective discussion (Arts. 25, 30), cannot reach
//! publication without the decision and the Party-committee report (Art.
//! 31), and that every conditional stage is either performed or passed over
//! only by an act that requires a recorded applicability determination.
//!
//! Each obligation is "every path from the start to T discharges S". An edge
//! discharges S when it leaves S (S was performed) or when it names S in its
//! `skips` (the engine refuses it unless S was determined not applicable).
//! We remove the discharging edges and look for a path to T: if there is
//! one, it is printed as the counter-example.

use std::collections::BTreeMap;

use crate::definition::graph::{Path, WorkflowGraph};
use crate::definition::{Stage, StageKind};

#[derive(Debug, Clone)]
pub struct Obligation {
    pub statement: String,
    pub article: &'static str,
    pub counterexample: Option<Path>,
}

impl Obligation {
    pub fn holds(&self) -> bool {
        self.counterexample.is_none()
    }

    pub fn counterexample_text(&self) -> String {
        let Some(p) = &self.counterexample else { return String::new() };
        let mut s = format!("  counter-example path:\n    {}", p.start);
        for (act, stage) in &p.steps {
            s.push_str(&format!("\n    --{act}--> {stage}"));
        }
        s
    }
}

#[derive(Debug, Clone)]
pub struct ProofReport {
    pub obligations: Vec<Obligation>,
    /// Stages on every path to the decision, from the start (dominators).
    pub decision_dominators: Vec<String>,
    pub publication_dominators: Vec<String>,
}

impl ProofReport {
    /// The report of a procedure with no obligations (a catalogue).
    pub fn empty() -> ProofReport {
        ProofReport { obligations: Vec::new(), decision_dominators: Vec::new(), publication_dominators: Vec::new() }
    }

    pub fn holds(&self) -> bool {
        self.obligations.iter().all(Obligation::holds)
    }

    pub fn failures(&self) -> impl Iterator<Item = &Obligation> {
        self.obligations.iter().filter(|o| !o.holds())
    }
}

pub fn prove(graph: &WorkflowGraph, stages: &BTreeMap<String, Stage>, start: &str) -> ProofReport {
    let key_of = |k: StageKind| stages.values().find(|s| s.kind == k).map(|s| s.key.clone()).unwrap_or_default();
    let decision = key_of(StageKind::Decision);
    let publication = key_of(StageKind::Publication);
    let mut obligations = Vec::new();

    let mut require = |target: &str, kind: StageKind, article: &'static str, conditional: bool| {
        let s = key_of(kind);
        let counterexample = graph.path_avoiding(start, target, |from, _to, e| {
            (from == s && !e.skips.contains(&kind)) || (conditional && e.skips.contains(&kind))
        });
        let how = if conditional { " or a recorded determination that it does not apply" } else { "" };
        obligations.push(Obligation {
            statement: format!("every path to `{target}` passes `{s}` ({kind}){how}"),
            article,
            counterexample,
        });
    };
    require(&decision, StageKind::LegalityReview, "Art. 25", false);
    require(&decision, StageKind::Submission, "Art. 29", false);
    require(&decision, StageKind::CollectiveDiscussion, "Art. 30", false);
    for kind in StageKind::CONDITIONAL {
        require(&decision, kind, kind.article(), true);
    }
    require(&publication, StageKind::Decision, "Art. 30", false);
    require(&publication, StageKind::PartyReport, "Art. 31", false);
    obligations.push(no_dead_end(graph, stages, start));

    ProofReport {
        decision_dominators: graph.dominators(start, &decision),
        publication_dominators: graph.dominators(start, &publication),
        obligations,
    }
}

/// No dead end: from every stage the start reaches, some terminal stage
/// (closed, not started) is reachable, so that every decision can end on
/// record and be archived (Art. 33). A loop with no way out fails, with the
/// path into it as the counter-example.
fn no_dead_end(graph: &WorkflowGraph, stages: &BTreeMap<String, Stage>, start: &str) -> Obligation {
    let ends: Vec<&str> = stages.values().filter(|s| s.terminal).map(|s| s.key.as_str()).collect();
    let trapped = graph.reachable_from(start).into_iter().find(|s| {
        let onward = graph.reachable_from(s);
        !ends.iter().any(|e| onward.contains(*e))
    });
    Obligation {
        statement: format!("from every reachable stage a path leads to an end ({})", ends.join(", ")),
        article: "Art. 33",
        counterexample: trapped.and_then(|s| graph.path_avoiding(start, &s, |_, _, _| false)),
    }
}
