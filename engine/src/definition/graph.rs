//! `WorkflowGraph`: the stages of a procedure as a petgraph graph, edges
//! being the acts that move a decision. Built only by validation; petgraph
//! indices never leave this module (stage keys are what the rest uses).

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::definition::{ActDef, Stage, StageKind};

/// One move between stages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub act: String,
    pub skips: Vec<StageKind>,
}

#[derive(Debug, Clone)]
pub struct WorkflowGraph {
    graph: DiGraph<String, Edge>,
    index: HashMap<String, NodeIndex>,
}

/// A path through the graph: the first stage, then each act and the stage it reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub start: String,
    pub steps: Vec<(String, String)>,
}

impl WorkflowGraph {
    pub fn build(stages: &BTreeMap<String, Stage>, acts: &BTreeMap<String, ActDef>) -> Self {
        let mut graph = DiGraph::new();
        let mut index = HashMap::new();
        for key in stages.keys() {
            index.insert(key.clone(), graph.add_node(key.clone()));
        }
        for a in acts.values() {
            let Some(to) = a.to.as_ref().and_then(|t| index.get(t)) else { continue };
            for from in &a.stages {
                if let Some(f) = index.get(from) {
                    graph.add_edge(*f, *to, Edge { act: a.name.clone(), skips: a.skips.clone() });
                }
            }
        }
        WorkflowGraph { graph, index }
    }

    pub fn has_outgoing(&self, stage: &str) -> bool {
        self.index.get(stage).is_some_and(|i| self.graph.edges(*i).next().is_some())
    }

    pub fn reachable_from(&self, start: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let Some(&s) = self.index.get(start) else { return seen };
        let mut dfs = petgraph::visit::Dfs::new(&self.graph, s);
        while let Some(n) = dfs.next(&self.graph) {
            seen.insert(self.graph[n].clone());
        }
        seen
    }

    /// All edges as (from, to, edge), for rendering.
    pub fn edges(&self) -> Vec<(String, String, Edge)> {
        self.graph
            .edge_references()
            .map(|e| (self.graph[e.source()].clone(), self.graph[e.target()].clone(), e.weight().clone()))
            .collect()
    }

    pub fn stages(&self) -> Vec<String> {
        self.graph.node_indices().map(|n| self.graph[n].clone()).collect()
    }

    /// A shortest path from `from` to `to` that uses no edge rejected by
    /// `blocked(from, to, edge)`: the counter-example of a failed obligation.
    pub fn path_avoiding(&self, from: &str, to: &str, blocked: impl Fn(&str, &str, &Edge) -> bool) -> Option<Path> {
        let (&s, &t) = (self.index.get(from)?, self.index.get(to)?);
        let mut prev: HashMap<NodeIndex, (NodeIndex, String)> = HashMap::new();
        let mut queue = VecDeque::from([s]);
        let mut seen = BTreeSet::from([s]);
        while let Some(n) = queue.pop_front() {
            if n == t {
                let mut steps = Vec::new();
                let mut cur = t;
                while let Some((p, act)) = prev.get(&cur) {
                    steps.push((act.clone(), self.graph[cur].clone()));
                    cur = *p;
                }
                steps.reverse();
                return Some(Path { start: from.to_string(), steps });
            }
            for e in self.graph.edges(n) {
                let (a, b) = (&self.graph[e.source()], &self.graph[e.target()]);
                if blocked(a, b, e.weight()) || !seen.insert(e.target()) {
                    continue;
                }
                prev.insert(e.target(), (n, e.weight().act.clone()));
                queue.push_back(e.target());
            }
        }
        None
    }

    /// Stages that dominate `target` from `start` (every path passes them),
    /// in order from the start, by petgraph's dominator algorithm.
    pub fn dominators(&self, start: &str, target: &str) -> Vec<String> {
        let (Some(&s), Some(&t)) = (self.index.get(start), self.index.get(target)) else { return Vec::new() };
        let doms = petgraph::algo::dominators::simple_fast(&self.graph, s);
        let mut out: Vec<String> =
            doms.dominators(t).map(|it| it.map(|n| self.graph[n].clone()).collect()).unwrap_or_default();
        out.reverse();
        out
    }
}
