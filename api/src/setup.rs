//! Opening what a command needs: the store named by the database URL, the
//! workflow definitions and the official calendars.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{anyhow, Context};
use juece_engine::calendar::WorkCalendar;
use juece_engine::definition;
use juece_engine::orchestrator::Engine;
use juece_engine::store::{self, Store};

pub async fn open_store(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    store::connect(url).await.with_context(|| format!("opening the database {}", redact(url)))
}

/// A database URL with any password removed, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}@{}", &url[..s + 3], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

pub fn calendars_dir(workflows: &Path) -> PathBuf {
    workflows.join("calendars")
}

pub fn load_engine_parts(workflows: &Path) -> anyhow::Result<(Vec<definition::Workflow>, WorkCalendar)> {
    let defs = definition::load_dir(workflows)
        .map_err(|errs| anyhow!(errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")))?;
    let calendar = WorkCalendar::load_dir(&calendars_dir(workflows)).context("loading calendars")?;
    Ok((defs, calendar))
}

pub async fn open_engine(url: &str, workflows: &Path) -> anyhow::Result<Engine> {
    let store = open_store(url).await?;
    let (defs, mut calendar) = load_engine_parts(workflows)?;
    // Notices loaded at run time (`juece calendar load`) live in the database, so every replica sees them.
    juece_engine::notice::merge_stored(store.as_ref(), &mut calendar)
        .await
        .context("merging stored calendar notices")?;
    Ok(Engine::new(defs, calendar, store)?)
}
