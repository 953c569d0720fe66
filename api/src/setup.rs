//! Opening what a command needs: the store named by the database URL, the
//! workflow definitions and the official calendars.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{anyhow, Context};
use juece_engine::anchor::{PublicKey, ServerKey};
use juece_engine::calendar::WorkCalendar;
use juece_engine::orchestrator::Engine;
use juece_engine::store::{self, Store};
use juece_engine::verify::Trust;
use juece_engine::{bind, definition};

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
    let defs = bind::load_dir(workflows)
        .map_err(|errs| anyhow!(errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")))?;
    let calendar = WorkCalendar::load_dir(&calendars_dir(workflows)).context("loading calendars")?;
    Ok((defs, calendar))
}

/// The shipped calendars with the notices stored in the database merged over them, for commands that only read
/// dates. A SQLite file that does not exist is not created: checking a date must not make a database. A database
/// that cannot be read is reported on standard error and the shipped files are used alone; every result on a year
/// without a notice still says it is provisional, so nothing is passed off as official.
pub async fn calendar_with_stored_notices(url: &str, workflows: &Path) -> anyhow::Result<WorkCalendar> {
    let mut calendar = WorkCalendar::load_dir(&calendars_dir(workflows)).context("loading calendars")?;
    if sqlite_file_missing(url) {
        return Ok(calendar);
    }
    let merged = match open_store(url).await {
        Ok(store) => juece_engine::notice::merge_stored(store.as_ref(), &mut calendar).await.map_err(|e| anyhow!(e)),
        Err(e) => Err(e),
    };
    if let Err(e) = merged {
        eprintln!("note: stored calendar notices not read ({e:#}); using the shipped calendar files only");
        return WorkCalendar::load_dir(&calendars_dir(workflows)).context("loading calendars");
    }
    Ok(calendar)
}

/// A `sqlite:` URL naming a file that is not there (an in-memory database is never missing).
fn sqlite_file_missing(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) else {
        return false;
    };
    let path = rest.split('?').next().unwrap_or_default();
    !path.is_empty() && !path.starts_with(":memory:") && !Path::new(path).exists()
}

pub async fn open_engine(url: &str, workflows: &Path) -> anyhow::Result<Engine> {
    open_sealed_engine(url, workflows, None).await
}

/// The engine, with every audit record it writes sealed by `key` when given.
pub async fn open_sealed_engine(url: &str, workflows: &Path, key: Option<Arc<ServerKey>>) -> anyhow::Result<Engine> {
    let store =
        store::connect_sealed(url, key).await.with_context(|| format!("opening the database {}", redact(url)))?;
    let (defs, mut calendar) = load_engine_parts(workflows)?;
    // Notices loaded at run time (`juece calendar load`) live in the database, so every replica sees them.
    juece_engine::notice::merge_stored(store.as_ref(), &mut calendar)
        .await
        .context("merging stored calendar notices")?;
    Ok(Engine::new(defs, calendar, store)?)
}

/// Where the server key and the anchor log live: as configured, else beside
/// a SQLite database file, else in the working directory. Both belong
/// outside the database; in production keep them where its DBA cannot write
/// (SECURITY.md).
#[derive(Debug, Clone)]
pub struct Anchoring {
    pub key: PathBuf,
    pub log: PathBuf,
}

impl Anchoring {
    pub fn resolve(url: &str, key: Option<&Path>, log: Option<&Path>) -> Anchoring {
        let beside = sqlite_file(url).and_then(|f| f.parent().map(Path::to_path_buf)).unwrap_or_default();
        Anchoring {
            key: key.map(Path::to_path_buf).unwrap_or_else(|| beside.join("juece-anchor.key")),
            log: log.map(Path::to_path_buf).unwrap_or_else(|| beside.join("juece-anchors.jsonl")),
        }
    }

    /// The server key, created (with its `.pub`) on first start.
    pub fn server_key(&self) -> anyhow::Result<Arc<ServerKey>> {
        Ok(Arc::new(ServerKey::load_or_create(&self.key).context("the server key")?))
    }

    /// The public key to verify with: `given` (hex, or a `.pub` or key file),
    /// else the configured key's, else none when no key was ever created.
    pub fn public_key(&self, given: Option<&str>) -> anyhow::Result<Option<PublicKey>> {
        if let Some(spec) = given {
            return Ok(Some(PublicKey::load(spec).context("the public key")?));
        }
        let published = juece_engine::anchor::key::public_path(&self.key);
        for candidate in [published, self.key.clone()] {
            if candidate.exists() {
                return Ok(Some(PublicKey::load(&candidate.to_string_lossy()).context("the public key")?));
            }
        }
        Ok(None)
    }

    /// What verification trusts beyond the database: the public key (`given`, else the configured one) and
    /// the anchor log checked against it. The outer error is a key that cannot be read; the inner one an
    /// anchor log whose signatures do not hold, which is itself a finding of the verification.
    pub fn trust(&self, given: Option<&str>) -> anyhow::Result<Result<Trust, String>> {
        let key = self.public_key(given)?;
        let anchors = match &key {
            Some(k) => match juece_engine::anchor::log::read_verified(&self.log, k) {
                Ok(anchors) => anchors,
                Err(e) => return Ok(Err(format!("{e} ({})", self.log.display()))),
            },
            None => Vec::new(),
        };
        Ok(Ok(Trust { key, anchors }))
    }
}

/// The file a `sqlite:` URL names, if it names one.
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| PathBuf::from(path))
}
