//! The rule → code table: every refusal the engine can give, with the article it enforces, the acts that
//! carry it and the check behind it. Gates come from the loaded definitions (so a jurisdiction's own
//! definition gets its own table from `juece check --rules`); the refusals the engine raises itself, outside
//! any gate, come from [`ENGINE`]. `workflows/RULES.md` is this table for the shipped definitions, with each
//! check's source line and a test that names the reason code, written and kept current by the test in
//! `rules/tests.rs`.

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use crate::definition::statutory;
use crate::definition::Workflow;
use crate::procedure::gates;

/// How the engine applies a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A gate the code requires of every act of its kind: a definition cannot drop it (`statutory`).
    Statutory,
    /// A statutory gate checked before the act's handler runs, which relies on it (`gates::is_precondition`).
    Precondition,
    /// A gate the definition attaches.
    Gate,
    /// A gate reported instead of "not in this stage" when an act comes too early.
    Early,
    /// A check that records a warning with the act and does not refuse it.
    Warning,
    /// A refusal of the engine itself, outside any gate ([`ENGINE`]).
    Engine,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Statutory => "statutory",
            Kind::Precondition => "precondition",
            Kind::Gate => "gate",
            Kind::Early => "early",
            Kind::Warning => "warning",
            Kind::Engine => "engine",
        }
    }
}

/// One reason code and what stands behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub article: String,
    pub reason_code: String,
    /// The check function's name (see `gates`); `None` for an engine refusal.
    pub check: Option<String>,
    pub acts: BTreeSet<String>,
    pub kind: Kind,
}

/// A refusal the engine raises outside the gates: the frame of the procedure, access, the act's data, links.
pub struct EngineReason {
    pub code: &'static str,
    /// The article, or what takes its place where the refusal's article depends on the act or the stage.
    pub article: &'static str,
    pub what: &'static str,
}

const fn engine(code: &'static str, article: &'static str, what: &'static str) -> EngineReason {
    EngineReason { code, article, what }
}

/// Every reason code raised in code rather than by a gate. The test in `rules/tests.rs` reads the source and
/// fails on a code raised anywhere that is neither here nor a gate of a shipped definition.
pub const ENGINE: &[EngineReason] = &[
    engine("unknown_act", "—", "the procedure has no such act"),
    engine("act_not_allowed_in_stage", "stage order of the procedure", "the act belongs to other stages"),
    engine(
        "applicability_not_determined",
        "the stage's article",
        "passing over a conditional stage needs a determination",
    ),
    engine("profile_stage_always_applicable", "the stage's article", "the profile makes the stage always applicable"),
    engine("role_not_permitted", "the act's article; access policy", "the actor's role may not act or read"),
    engine("not_assigned", "the act's article; access policy", "the actor is not in the unit or assignment"),
    engine("invalid_payload", "the act's article", "the act's data is malformed"),
    engine("linked_act_chain", "Art. 33", "a linked act cannot cause another"),
    engine("invalid_act_route", "Art. 15", "opinions from the public go through the intake, other acts not"),
    engine("linked_record_not_found", "Art. 33", "the linked record does not exist"),
    engine("expert_opinion_sealed", "Art. 19", "other experts' opinions stay sealed before one's own"),
    engine("confidentiality_undertaking_required", "Art. 19(2)", "materials open after the undertaking"),
    engine("accountability_case_restricted", "Art. 38", "case files are read by oversight and the office only"),
    engine(
        "opinion_sender_restricted",
        "Art. 14; 个人信息保护法 Art. 6",
        "an opinion's sender is read by drafters and oversight only",
    ),
    engine("cannot_remove_own_administrator", "access policy", "an administrator keeps their own role"),
    engine("cannot_deactivate_self", "access policy", "an administrator cannot deactivate themselves"),
    engine("unit_unknown", "unit directory (access policy)", "a user's unit must be in the unit directory"),
    engine("unit_renamed", "unit directory (access policy)", "a user is placed under a unit's current name"),
    engine("unit_name_taken", "unit directory (access policy)", "a name belongs to one unit for ever"),
    engine("unit_parent_unknown", "unit directory (access policy)", "a parent unit must be in the directory"),
    engine("unit_parent_cycle", "unit directory (access policy)", "no unit under itself or its sub-units"),
    engine("unit_code_disagrees", "unit directory (access policy)", "the 机关代字 the memo templates print"),
    engine("invalid_unit", "unit directory (access policy)", "a unit's name and code are 1 to 200 characters"),
];

/// The table of `workflows`: one row per reason code, sorted by article.
pub fn table(workflows: &[Workflow]) -> Vec<Rule> {
    let mut rows: BTreeMap<String, Rule> = BTreeMap::new();
    for wf in workflows {
        for act in wf.acts.values() {
            let lists = [(&act.gates, false, false), (&act.early_gates, true, false), (&act.warnings, false, true)];
            for (codes, early, warning) in lists {
                for code in codes {
                    let declared = if warning { wf.warnings.get(code) } else { wf.gates.get(code) };
                    let Some(gate) = declared else { continue };
                    let kind = if warning {
                        Kind::Warning
                    } else if gates::is_precondition(&gate.check) {
                        Kind::Precondition
                    } else if statutory::GATES.iter().any(|s| s.reason_code == code) {
                        Kind::Statutory
                    } else if early {
                        Kind::Early
                    } else {
                        Kind::Gate
                    };
                    let row = rows.entry(code.clone()).or_insert_with(|| Rule {
                        article: gate.article.clone(),
                        reason_code: code.clone(),
                        check: Some(gate.check.clone()),
                        acts: BTreeSet::new(),
                        kind,
                    });
                    row.kind = row.kind.min(kind);
                    row.acts.insert(act.name.clone());
                }
            }
        }
    }
    // A declared gate no act lists is the wording of a refusal to pass over a stage that has begun
    // (`machine::check_skips`): it belongs to the acts that pass over stages.
    for wf in workflows {
        for (code, gate) in &wf.gates {
            let skipping = wf.acts.values().filter(|a| !a.skips.is_empty()).map(|a| a.name.clone());
            let row = rows.entry(code.clone()).or_insert_with(|| Rule {
                article: gate.article.clone(),
                reason_code: code.clone(),
                check: Some(gate.check.clone()),
                acts: skipping.clone().collect(),
                kind: Kind::Gate,
            });
            if row.acts.is_empty() {
                row.acts.extend(skipping);
            }
        }
    }
    for e in ENGINE {
        rows.entry(e.code.to_string()).or_insert_with(|| Rule {
            article: e.article.to_string(),
            reason_code: e.code.to_string(),
            check: None,
            acts: BTreeSet::new(),
            kind: Kind::Engine,
        });
    }
    let mut out: Vec<Rule> = rows.into_values().collect();
    out.sort_by(|a, b| {
        article_order(&a.article).cmp(&article_order(&b.article)).then(a.reason_code.cmp(&b.reason_code))
    });
    out
}

/// Decree articles first, in their order ("Art. 9" before "Art. 15(2)"), then everything else.
fn article_order(article: &str) -> (u32, u32, String) {
    let number = |s: &str| s.chars().take_while(char::is_ascii_digit).collect::<String>().parse::<u32>().ok();
    match article.strip_prefix("Art. ").and_then(number) {
        Some(n) => {
            let sub = article.split_once('(').and_then(|(_, r)| number(r)).unwrap_or(0);
            (n, sub, article.to_string())
        }
        None => (u32::MAX, 0, article.to_string()),
    }
}

/// Where a rule lives in the source and which test names it, for the committed table.
pub struct Located {
    pub source: String,
    pub test: String,
}

/// The table as Markdown: with `locate`, the columns of `workflows/RULES.md`; without, those `juece check
/// --rules` prints for any definition (no source tree at hand).
pub fn markdown(rules: &[Rule], locate: Option<&dyn Fn(&Rule) -> Located>) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = String::new();
    out.push_str("| article | act | reason_code | kind | check |");
    out.push_str(if locate.is_some() {
        " file:line | test |\n|---|---|---|---|---|---|---|\n"
    } else {
        "\n|---|---|---|---|---|\n"
    });
    for r in rules {
        let acts = if r.acts.is_empty() {
            "any act".to_string()
        } else {
            r.acts.iter().cloned().collect::<Vec<_>>().join(", ")
        };
        let check = r.check.as_deref().map_or("—".to_string(), |c| format!("`{c}`"));
        out.push_str(&format!(
            "| {} | {} | `{}` | {} | {} |",
            cell(&r.article),
            cell(&acts),
            r.reason_code,
            r.kind.as_str(),
            check
        ));
        if let Some(locate) = locate {
            let l = locate(r);
            out.push_str(&format!(" {} | {} |", cell(&l.source), cell(&l.test)));
        }
        out.push('\n');
    }
    out
}
