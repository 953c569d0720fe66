//! What an accepted act causes besides the new state. The transition
//! function only *describes* effects; the orchestrator turns them into rows
//! committed in the same transaction as the state change.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::act::Act;
use crate::actor::Role;
use crate::definition::DeadlineKind;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    /// Render a memo template with this data (both languages).
    RenderMemo {
        memo: String,
        data: serde_json::Value,
    },
    SetDeadline(DeadlineSpec),
    CancelDeadline {
        name: String,
    },
    Notify {
        role: Role,
        subject: String,
    },
    /// An act the engine takes on another record, committed in the same
    /// transaction as the act that causes it (e.g. a non-submission fact on
    /// the expert's pool record). It runs as the `system` role, so only acts
    /// the target's workflow grants to `system` can be taken this way.
    Link {
        decision_id: String,
        act: Act,
    },
    /// An opinion from the public, taken: the orchestrator's intake numbers and writes it as a row of its own
    /// ([`crate::ledger`]); the decision's state does not change.
    Receive(crate::ledger::Submission),
    /// What the act does to opinion rows, written with the act.
    Ledger(crate::ledger::LedgerWrite),
}

/// A deadline as the transition function computed it, with the inputs of
/// the computation so it can be explained and re-checked later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlineSpec {
    pub name: String,
    pub kind: DeadlineKind,
    pub due_at: DateTime<Utc>,
    /// The act the scheduler applies when it falls due (auto-acts).
    pub act: Option<String>,
    pub notify: Option<Role>,
    /// How `due_at` was computed (rule, start, calendar version...).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub basis: serde_json::Value,
}
