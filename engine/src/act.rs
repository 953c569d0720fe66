//! An act: what someone asks the engine to do to a decision.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Act {
    /// The act's name in the workflow definition, e.g. `start_decision`.
    pub name: String,
    /// The act's data; each handler reads it into its own typed struct.
    #[serde(default = "empty_object")]
    pub payload: serde_json::Value,
}

fn empty_object() -> serde_json::Value {
    serde_json::json!({})
}

impl Act {
    pub fn new(name: &str, payload: serde_json::Value) -> Act {
        Act { name: name.to_string(), payload }
    }
}
