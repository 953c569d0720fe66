//! Workflow definitions: the procedure as data, its graph ([`graph`]), the
//! proof that it is lawful ([`proof`]) and the gates the Decree requires of
//! each act ([`statutory`]). `parse_dir` validates and proves what it reads,
//! and checks every name it holds against the code's [`Names`], which the
//! bind step ([`crate::bind`]) passes in: this module imports none of the
//! code that runs it. `crate::bind::load_dir` is the single door from
//! `workflows/` into the engine.

pub mod graph;
mod kind;
pub mod params;
pub mod proof;
mod raw;
pub mod statutory;
mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use kind::{Procedure, StageKind};
pub use params::Parameters;
pub use validate::DefinitionError;

use crate::actor::Role;
use graph::WorkflowGraph;
use proof::ProofReport;

/// One stage of a procedure.
#[derive(Debug, Clone)]
pub struct Stage {
    pub key: String,
    pub kind: StageKind,
    pub title_zh: String,
    pub title_en: String,
    pub terminal: bool,
}

/// An act allowed in some stages, with who may perform it and what it must pass.
#[derive(Debug, Clone)]
pub struct ActDef {
    pub name: String,
    pub handler: String,
    pub stages: BTreeSet<String>,
    pub to: Option<String>,
    pub roles: BTreeSet<Role>,
    pub article: String,
    pub gates: Vec<String>,
    /// Gates reported instead of `act_not_allowed_in_stage` when they fail (see `raw::RawAct::early_gates`).
    pub early_gates: Vec<String>,
    pub warnings: Vec<String>,
    pub skips: Vec<StageKind>,
    pub memo: Option<String>,
    pub set_deadlines: Vec<String>,
    pub cancel_deadlines: Vec<String>,
}

/// A named check with the refusal it produces (a gate), or with the warning
/// it raises (a warning: then `reason_code` is the warning's code).
#[derive(Debug, Clone)]
pub struct Gate {
    pub reason_code: String,
    pub check: String,
    pub article: String,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    Due,
    Reminder,
    Escalation,
    AutoAct,
    Periodic,
}

impl DeadlineKind {
    /// The name as stored and serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::Due => "due",
            DeadlineKind::Reminder => "reminder",
            DeadlineKind::Escalation => "escalation",
            DeadlineKind::AutoAct => "auto_act",
            DeadlineKind::Periodic => "periodic",
        }
    }
}

#[derive(Debug, Clone)]
pub struct DeadlineDef {
    pub name: String,
    pub kind: DeadlineKind,
    pub anchor: String,
    pub cron: Option<cron::Schedule>,
    pub act: Option<String>,
    pub notify: Option<Role>,
    /// What falls due, in Chinese and English: notices name it so.
    pub zh: String,
    pub en: String,
}

/// A validated, proven workflow (or a profile applied to one).
#[derive(Debug, Clone)]
pub struct Workflow {
    pub key: String,
    pub version: u32,
    pub title_zh: String,
    pub title_en: String,
    /// The jurisdiction a profile names; `None` for the national baseline.
    pub jurisdiction: Option<String>,
    pub procedure: Procedure,
    pub start: String,
    pub stages: BTreeMap<String, Stage>,
    pub acts: BTreeMap<String, ActDef>,
    pub gates: BTreeMap<String, Gate>,
    pub warnings: BTreeMap<String, Gate>,
    pub deadlines: BTreeMap<String, DeadlineDef>,
    pub parameters: Parameters,
    /// Folder holding `memos/`.
    pub dir: PathBuf,
    pub source: PathBuf,
    pub graph: WorkflowGraph,
    pub proof: ProofReport,
}

impl Workflow {
    pub fn stage(&self, key: &str) -> Option<&Stage> {
        self.stages.get(key)
    }

    /// The (only) stage of a kind; validation guarantees required kinds exist.
    pub fn stage_of_kind(&self, kind: StageKind) -> Option<&Stage> {
        self.stages.values().find(|s| s.kind == kind)
    }

    /// Acts that can be taken in `stage`, sorted by name.
    pub fn acts_in(&self, stage: &str) -> Vec<&ActDef> {
        self.acts.values().filter(|a| a.stages.contains(stage)).collect()
    }

    /// Path of a memo template in a language.
    pub fn memo_path(&self, memo: &str, lang: &str) -> PathBuf {
        self.dir.join("memos").join(format!("{memo}.{lang}.hbs"))
    }
}

/// The names a build of the engine provides — act handlers, gate checks,
/// deadline anchors — against which a definition's names are checked, in the
/// same pass as everything else (so every error of a file is reported at
/// once). The engine's registries implement it in [`crate::bind`].
pub trait Names {
    fn handler(&self, name: &str) -> bool;
    fn check(&self, name: &str) -> bool;
    fn anchor(&self, name: &str) -> bool;
}

/// Read every workflow (`*/workflow.toml`) and every profile
/// (`profiles/*.toml`) under `dir`, validated, proven and checked against
/// `names`. All errors of all files are returned.
pub fn parse_dir(dir: &Path, names: &dyn Names) -> Result<Vec<Workflow>, Vec<DefinitionError>> {
    validate::load_dir(dir, names)
}

/// Read one workflow file, or one profile file whose base lives in the
/// workflows folder `base_dir`, checked against `names`.
pub fn parse_path(path: &Path, base_dir: &Path, names: &dyn Names) -> Result<Workflow, Vec<DefinitionError>> {
    validate::load_path(path, base_dir, names)
}
