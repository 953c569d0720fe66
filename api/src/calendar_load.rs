//! `juece calendar load FILE`: an administrator loads a newly published year's official holiday notice. The engine
//! validates, stores and audits it and recomputes the pending provisional deadlines (`Engine::load_calendar_notice`,
//! which the API calls too); this prints what moved, one line per deadline, for the administrator to check against
//! the notice.

use std::path::Path;

use anyhow::Context;
use juece_engine::actor::{Actor, Role};
use juece_engine::audit::format_instant;

use crate::setup;

/// Exit code 0 when stored (or already stored, identically); 1 when the file is refused.
pub async fn load(database_url: &str, workflows: &Path, file: &Path, by: &str) -> anyhow::Result<u8> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let engine = setup::open_engine(database_url, workflows).await?;
    let actor = Actor {
        user_id: format!("cli:{by}"),
        name: by.to_string(),
        unit: "system".into(),
        position: "administrator".into(),
        roles: vec![Role::Administrator],
        former_units: Vec::new(),
    };
    match engine.load_calendar_notice(&text, None, &actor, chrono::Utc::now()).await {
        Ok(r) if !r.newly_loaded => {
            println!("{} notice already loaded (sha256 {}); nothing changed", r.year, r.sha256);
            Ok(0)
        }
        Ok(r) => {
            println!(
                "loaded the {} notice (sha256 {}); calendar {} -> {}",
                r.year, r.sha256, r.calendar_version_before, r.calendar_version_after
            );
            for c in &r.changes {
                println!(
                    "  {} {} {}: {} -> {}",
                    c.decision_id,
                    c.name,
                    c.deadline_id,
                    format_instant(&c.old_due),
                    format_instant(&c.new_due)
                );
            }
            println!(
                "{} pending deadline(s) recomputed; running servers use the notice from their next computation",
                r.changes.len()
            );
            Ok(0)
        }
        Err(e) => {
            println!("REFUSED {}: {e}", e.reason_code());
            Ok(1)
        }
    }
}
