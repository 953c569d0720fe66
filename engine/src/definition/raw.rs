//! Serde structs that mirror a workflow file one to one. No logic lives here:
//! `validate.rs` turns these into a checked [`crate::definition::Workflow`].

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::definition::params::RawParameters;

/// A whole workflow file (`workflows/<key>/workflow.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkflow {
    pub workflow: RawHeader,
    #[serde(default)]
    pub parameters: RawParameters,
    #[serde(default, rename = "stage")]
    pub stages: Vec<RawStage>,
    #[serde(default, rename = "act")]
    pub acts: Vec<RawAct>,
    #[serde(default)]
    pub gates: BTreeMap<String, RawGate>,
    /// Declared like gates; a failing one is recorded, not refused.
    #[serde(default)]
    pub warnings: BTreeMap<String, RawGate>,
    #[serde(default)]
    pub deadlines: BTreeMap<String, RawDeadline>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHeader {
    pub key: String,
    pub version: u32,
    pub title_zh: String,
    pub title_en: String,
    pub start: String,
    /// `decision` (default) or `catalogue`.
    #[serde(default)]
    pub procedure: crate::definition::Procedure,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStage {
    pub key: String,
    pub kind: String,
    pub title_zh: String,
    pub title_en: String,
    #[serde(default)]
    pub terminal: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAct {
    pub name: String,
    /// The built-in handler; defaults to `name`.
    pub handler: Option<String>,
    pub stages: Vec<String>,
    /// The stage the act moves the decision to; absent for acts that stay.
    pub to: Option<String>,
    #[serde(default)]
    pub roles: Vec<String>,
    pub article: String,
    #[serde(default)]
    pub gates: Vec<String>,
    /// Gates that explain why the act cannot be taken yet: taken in a stage it is not allowed in, the act is
    /// refused with those of them that fail (their reason and article) instead of `act_not_allowed_in_stage`.
    #[serde(default)]
    pub early_gates: Vec<String>,
    /// Warnings it raises (recorded and returned, never a refusal).
    #[serde(default)]
    pub warnings: Vec<String>,
    /// Conditional stages this act passes over; taking it needs a recorded
    /// applicability determination for each.
    #[serde(default)]
    pub skips: Vec<String>,
    pub memo: Option<String>,
    #[serde(default)]
    pub set_deadlines: Vec<String>,
    #[serde(default)]
    pub cancel_deadlines: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGate {
    pub check: String,
    pub article: String,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeadline {
    pub kind: String,
    pub anchor: String,
    /// For reminders and escalations: a cron schedule (seconds field first).
    pub cron: Option<String>,
    /// For `auto_act` deadlines: the act applied when it falls due.
    pub act: Option<String>,
    pub notify: Option<String>,
    /// What falls due, for the people notified (notices name it, not the key).
    pub zh: String,
    pub en: String,
}

/// A jurisdiction profile file (`workflows/profiles/*.toml`): a base
/// workflow plus parameters that may only be stricter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub profile: RawProfileHeader,
    #[serde(default)]
    pub parameters: RawParameters,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfileHeader {
    pub key: String,
    pub version: u32,
    pub extends: String,
    pub jurisdiction: String,
    pub title_zh: String,
    pub title_en: String,
}
