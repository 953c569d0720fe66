//! Raw file structs → a checked [`Workflow`]. Every problem names its file
//! and, where there is one, its stage; all problems are reported at once.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use super::params::Parameters;
use super::raw::{RawGate, RawProfile, RawWorkflow};
use super::{ActDef, DeadlineDef, DeadlineKind, Gate, Names, Procedure, Stage, StageKind, Workflow};
use crate::actor::Role;
use crate::definition::graph::WorkflowGraph;
use crate::definition::proof;

/// A definition refused at load time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    pub file: PathBuf,
    pub stage: Option<String>,
    pub message: String,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.stage {
            Some(s) => write!(f, "{}: stage `{}`: {}", self.file.display(), s, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for DefinitionError {}

struct Errors {
    file: PathBuf,
    list: Vec<DefinitionError>,
}

impl Errors {
    fn new(file: &Path) -> Self {
        Errors { file: file.to_path_buf(), list: Vec::new() }
    }
    fn push(&mut self, stage: Option<&str>, message: impl Into<String>) {
        self.list.push(DefinitionError {
            file: self.file.clone(),
            stage: stage.map(str::to_string),
            message: message.into(),
        });
    }
}

pub(super) fn load_dir(dir: &Path, names: &dyn Names) -> Result<Vec<Workflow>, Vec<DefinitionError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut paths: Vec<PathBuf> = Vec::new();
    let read = std::fs::read_dir(dir).map_err(|e| vec![io_error(dir, e)])?;
    for entry in read.flatten() {
        let p = entry.path();
        if p.join("workflow.toml").is_file() {
            paths.push(p.join("workflow.toml"));
        }
    }
    if let Ok(read) = std::fs::read_dir(dir.join("profiles")) {
        for entry in read.flatten() {
            let p = entry.path();
            if p.extension().is_some_and(|e| e == "toml") {
                paths.push(p);
            }
        }
    }
    paths.sort();
    for p in paths {
        match load_path(&p, dir, names) {
            Ok(w) => out.push(w),
            Err(e) => {
                // A profile reports its base's errors again; keep each once.
                for err in e {
                    if !errors.contains(&err) {
                        errors.push(err);
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn io_error(path: &Path, e: std::io::Error) -> DefinitionError {
    DefinitionError { file: path.to_path_buf(), stage: None, message: format!("cannot read: {e}") }
}

fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Vec<DefinitionError>> {
    let text = std::fs::read_to_string(path).map_err(|e| vec![io_error(path, e)])?;
    toml::from_str(&text).map_err(|e| {
        vec![DefinitionError { file: path.to_path_buf(), stage: None, message: format!("invalid file: {e}") }]
    })
}

pub(super) fn load_path(path: &Path, base_dir: &Path, names: &dyn Names) -> Result<Workflow, Vec<DefinitionError>> {
    let text = std::fs::read_to_string(path).map_err(|e| vec![io_error(path, e)])?;
    if text.lines().any(|l| l.trim() == "[profile]") {
        return load_profile(path, base_dir, names);
    }
    let raw: RawWorkflow = read_toml(path)?;
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    build(raw, path, dir, names)
}

fn load_profile(path: &Path, base_dir: &Path, names: &dyn Names) -> Result<Workflow, Vec<DefinitionError>> {
    load_profile_at(path, base_dir, 0, names)
}

/// A profile extends a base procedure or another profile (a county its province), at most
/// [`MAX_PROFILE_DEPTH`] deep; each only tightens what it extends.
const MAX_PROFILE_DEPTH: usize = 8;

fn load_profile_at(
    path: &Path,
    base_dir: &Path,
    depth: usize,
    names: &dyn Names,
) -> Result<Workflow, Vec<DefinitionError>> {
    let raw: RawProfile = read_toml(path)?;
    if depth >= MAX_PROFILE_DEPTH {
        return Err(vec![DefinitionError {
            file: path.to_path_buf(),
            stage: None,
            message: format!("profiles extend each other more than {MAX_PROFILE_DEPTH} deep (a cycle?)"),
        }]);
    }
    let parent_profile = base_dir.join("profiles").join(format!("{}.toml", raw.profile.extends));
    let base_path = base_dir.join(&raw.profile.extends).join("workflow.toml");
    if !base_path.is_file() && parent_profile.is_file() {
        let base = load_profile_at(&parent_profile, base_dir, depth + 1, names)?;
        return tighten(raw, path, base);
    }
    if !base_path.is_file() {
        return Err(vec![DefinitionError {
            file: path.to_path_buf(),
            stage: None,
            message: format!("extends `{}`, but {} does not exist", raw.profile.extends, base_path.display()),
        }]);
    }
    let base = load_path(&base_path, base_dir, names)?;
    tighten(raw, path, base)
}

/// The profile `raw` over `base`, refused where it would relax it.
fn tighten(raw: RawProfile, path: &Path, base: Workflow) -> Result<Workflow, Vec<DefinitionError>> {
    let params = base.parameters.with_overrides(&raw.parameters);
    let mut errors = Errors::new(path);
    for relax in params.relaxations_of(&base.parameters) {
        errors.push(None, format!("a profile may only be stricter than `{}`: {relax}", base.key));
    }
    check_params(&params, &mut errors);
    if !errors.list.is_empty() {
        return Err(errors.list);
    }
    let h = raw.profile;
    Ok(Workflow {
        key: h.key,
        version: h.version,
        title_zh: h.title_zh,
        title_en: h.title_en,
        jurisdiction: Some(h.jurisdiction),
        parameters: params,
        source: path.to_path_buf(),
        ..base
    })
}

fn check_params(p: &Parameters, errors: &mut Errors) {
    for s in &p.always_applicable {
        if !StageKind::parse(s).is_some_and(StageKind::is_conditional) {
            errors.push(None, format!("always_applicable names `{s}`, which is not a conditional stage kind"));
        }
    }
    if p.expert_max_official_percent > 100 {
        errors.push(None, "expert_max_official_percent is over 100");
    }
    if p.risk_levels.is_empty() {
        errors.push(None, "risk_levels is empty");
    }
    if p.execution_report_interval_days == 0 {
        errors.push(None, "execution_report_interval_days is 0");
    }
}

/// Gates or warnings (`what`) as declared: each names a known check and
/// carries an article and messages in both languages.
fn named_checks(
    what: &str,
    raw: BTreeMap<String, RawGate>,
    names: &dyn Names,
    errors: &mut Errors,
) -> BTreeMap<String, Gate> {
    let mut out = BTreeMap::new();
    for (code, g) in raw {
        if !names.check(&g.check) {
            errors.push(None, format!("{what} `{code}` uses unknown check `{}`", g.check));
        }
        if g.article.trim().is_empty() || g.zh.trim().is_empty() || g.en.trim().is_empty() {
            errors.push(None, format!("{what} `{code}` needs an article and messages in Chinese and English"));
        }
        out.insert(code.clone(), Gate { reason_code: code, check: g.check, article: g.article, zh: g.zh, en: g.en });
    }
    out
}

fn build(raw: RawWorkflow, path: &Path, dir: PathBuf, names: &dyn Names) -> Result<Workflow, Vec<DefinitionError>> {
    let mut errors = Errors::new(path);
    let params = Parameters::national().with_overrides(&raw.parameters);
    for relax in params.relaxations_of(&Parameters::national()) {
        errors.push(None, format!("the national floor may not be relaxed: {relax}"));
    }
    check_params(&params, &mut errors);

    let mut stages = BTreeMap::new();
    for s in raw.stages {
        let Some(kind) = StageKind::parse(&s.kind) else {
            errors.push(Some(&s.key), format!("unknown stage kind `{}`", s.kind));
            continue;
        };
        if stages.contains_key(&s.key) {
            errors.push(Some(&s.key), "stage defined twice");
        }
        stages.insert(
            s.key.clone(),
            Stage { key: s.key, kind, title_zh: s.title_zh, title_en: s.title_en, terminal: s.terminal },
        );
    }
    let procedure = raw.workflow.procedure;
    for &kind in StageKind::required_for(procedure) {
        let n = stages.values().filter(|s| s.kind == kind).count();
        if n != 1 {
            errors.push(None, format!("the procedure needs exactly one stage of kind `{kind}`, found {n}"));
        }
    }
    if !stages.contains_key(&raw.workflow.start) {
        errors.push(None, format!("start stage `{}` is not defined", raw.workflow.start));
    }

    let gates = named_checks("gate", raw.gates, names, &mut errors);
    let warnings = named_checks("warning", raw.warnings, names, &mut errors);

    // Act name → whether the scheduler (role `system`) may perform it, for the auto-act deadlines.
    let by_system: BTreeMap<String, bool> =
        raw.acts.iter().map(|a| (a.name.clone(), a.roles.iter().any(|r| r == Role::System.as_str()))).collect();
    let mut deadlines = BTreeMap::new();
    for (name, d) in raw.deadlines {
        let kind = match d.kind.as_str() {
            "due" => DeadlineKind::Due,
            "reminder" => DeadlineKind::Reminder,
            "escalation" => DeadlineKind::Escalation,
            "auto_act" => DeadlineKind::AutoAct,
            "periodic" => DeadlineKind::Periodic,
            other => {
                errors.push(None, format!("deadline `{name}` has unknown kind `{other}`"));
                continue;
            }
        };
        if !names.anchor(&d.anchor) {
            errors.push(None, format!("deadline `{name}` has unknown anchor `{}`", d.anchor));
        }
        let cron = match &d.cron {
            Some(expr) => match cron::Schedule::from_str(expr) {
                Ok(s) => Some(s),
                Err(e) => {
                    errors.push(None, format!("deadline `{name}` has a bad cron expression `{expr}`: {e}"));
                    None
                }
            },
            None => None,
        };
        if matches!(kind, DeadlineKind::Reminder | DeadlineKind::Escalation | DeadlineKind::Periodic) && cron.is_none()
        {
            errors.push(None, format!("deadline `{name}` of kind `{}` needs a cron schedule", d.kind));
        }
        if kind == DeadlineKind::AutoAct && d.act.is_none() {
            errors.push(None, format!("deadline `{name}` of kind auto_act needs an act"));
        }
        // The scheduler applies an act only under a lease that one firing ends; a series fires again and again.
        if kind != DeadlineKind::AutoAct && d.act.is_some() {
            errors.push(None, format!("deadline `{name}` of kind `{}` names an act; only auto_act does", d.kind));
        }
        match d.act.as_ref().map(|act| (act, by_system.get(act))) {
            Some((act, None)) => errors.push(None, format!("deadline `{name}` applies unknown act `{act}`")),
            Some((act, Some(false))) => {
                errors.push(None, format!("deadline `{name}` applies act `{act}`, which role `system` may not perform"))
            }
            _ => {}
        }
        let notify = d.notify.as_deref().and_then(|r| {
            let role = Role::parse(r);
            if role.is_none() {
                errors.push(None, format!("deadline `{name}` notifies unknown role `{r}`"));
            }
            role
        });
        let def =
            DeadlineDef { name: name.clone(), kind, anchor: d.anchor, cron, act: d.act, notify, zh: d.zh, en: d.en };
        deadlines.insert(name, def);
    }

    let mut acts = BTreeMap::new();
    for a in raw.acts {
        let first = a.stages.first().map(String::as_str);
        if acts.contains_key(&a.name) {
            errors.push(first, format!("act `{}` defined twice", a.name));
        }
        let handler = a.handler.clone().unwrap_or_else(|| a.name.clone());
        if !names.handler(&handler) {
            errors.push(first, format!("act `{}` uses unknown handler `{handler}`", a.name));
        }
        if a.stages.is_empty() {
            errors.push(None, format!("act `{}` is allowed in no stage", a.name));
        }
        for s in &a.stages {
            if !stages.contains_key(s) {
                errors.push(Some(s), format!("act `{}` names an unknown stage", a.name));
            }
        }
        if let Some(to) = &a.to {
            if !stages.contains_key(to) {
                errors.push(first, format!("act `{}` moves to unknown stage `{to}`", a.name));
            }
        }
        if a.roles.is_empty() {
            errors.push(first, format!("act `{}` has no role that may perform it", a.name));
        }
        let mut roles = BTreeSet::new();
        for r in &a.roles {
            match Role::parse(r) {
                Some(role) => {
                    roles.insert(role);
                }
                None => errors.push(first, format!("act `{}` names unknown role `{r}`", a.name)),
            }
        }
        for g in a.gates.iter().chain(&a.early_gates) {
            if !gates.contains_key(g) {
                errors.push(first, format!("act `{}` names undefined gate `{g}`", a.name));
            }
        }
        for w in &a.warnings {
            if !warnings.contains_key(w) {
                errors.push(first, format!("act `{}` names undefined warning `{w}`", a.name));
            }
        }
        let mut skips = Vec::new();
        for s in &a.skips {
            match StageKind::parse(s) {
                Some(k) if k.is_conditional() => skips.push(k),
                Some(k) => errors.push(
                    first,
                    format!("act `{}` skips `{k}`, which the Decree makes unconditional ({})", a.name, k.article()),
                ),
                None => errors.push(first, format!("act `{}` skips unknown stage kind `{s}`", a.name)),
            }
        }
        if !a.skips.is_empty() && a.to.is_none() {
            errors.push(first, format!("act `{}` skips stages but moves nowhere", a.name));
        }
        for d in a.set_deadlines.iter().chain(&a.cancel_deadlines) {
            if !deadlines.contains_key(d) {
                errors.push(first, format!("act `{}` names undefined deadline `{d}`", a.name));
            }
        }
        if let Some(m) = &a.memo {
            for lang in ["zh", "en"] {
                let p = dir.join("memos").join(format!("{m}.{lang}.hbs"));
                if !p.is_file() {
                    errors.push(first, format!("act `{}` produces memo `{m}`, but {} is missing", a.name, p.display()));
                }
            }
        }
        acts.insert(
            a.name.clone(),
            ActDef {
                name: a.name,
                handler,
                stages: a.stages.into_iter().collect(),
                to: a.to,
                roles,
                article: a.article,
                gates: a.gates,
                early_gates: a.early_gates,
                warnings: a.warnings,
                skips,
                memo: a.memo,
                set_deadlines: a.set_deadlines,
                cancel_deadlines: a.cancel_deadlines,
            },
        );
    }
    for d in deadlines.values() {
        if let Some(act) = &d.act {
            if !acts.contains_key(act) {
                errors.push(None, format!("deadline `{}` applies undefined act `{act}`", d.name));
            }
        }
    }
    if !errors.list.is_empty() {
        return Err(errors.list);
    }

    let graph = WorkflowGraph::build(&stages, &acts);
    for s in stages.values() {
        if !graph.reachable_from(&raw.workflow.start).contains(&s.key) {
            errors.push(Some(&s.key), "unreachable from the start stage");
        }
        let leaves = graph.has_outgoing(&s.key);
        // A pool is a standing record with no stage to move to.
        if !s.terminal && !leaves && procedure != Procedure::ExpertPool {
            errors.push(Some(&s.key), "dead end: no act leaves this stage and it is not terminal");
        }
        if s.terminal && leaves {
            errors.push(Some(&s.key), "terminal stage has an act that leaves it");
        }
    }
    if !errors.list.is_empty() {
        return Err(errors.list);
    }
    // The Decree's obligations bind decisions; a catalogue has its own gates.
    let report = match procedure {
        Procedure::Decision => proof::prove(&graph, &stages, &raw.workflow.start),
        Procedure::Catalogue | Procedure::ExpertPool => proof::ProofReport::empty(),
    };
    if !report.holds() {
        for o in report.failures() {
            errors.push(None, format!("compliance proof failed: {}\n{}", o.statement, o.counterexample_text()));
        }
        return Err(errors.list);
    }
    // The proof covers the gates too: every act of a kind the Decree regulates keeps its statutory gates.
    if procedure == Procedure::Decision {
        for m in crate::definition::statutory::missing(&acts, &gates, &stages) {
            errors.push(None, format!("compliance proof failed: {m}"));
        }
        if !errors.list.is_empty() {
            return Err(errors.list);
        }
    }
    Ok(Workflow {
        key: raw.workflow.key,
        version: raw.workflow.version,
        title_zh: raw.workflow.title_zh,
        title_en: raw.workflow.title_en,
        jurisdiction: None,
        procedure,
        start: raw.workflow.start,
        stages,
        acts,
        gates,
        warnings,
        deadlines,
        parameters: params,
        dir,
        source: path.to_path_buf(),
        graph,
        proof: report,
    })
}
