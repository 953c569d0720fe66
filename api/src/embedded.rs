//! The national definitions, profiles, memo templates and calendars built into the binary, so a release binary runs
//! anywhere: without `--workflows` / `JUECE_WORKFLOWS`, juece writes them once to a folder of the temporary directory
//! named for their content hash and reads them from there (the engine reads definitions from a folder). A folder
//! given by `--workflows` / `JUECE_WORKFLOWS` overrides them; one that does not exist is an error saying where juece
//! looked and how to point elsewhere.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use include_dir::{include_dir, Dir, DirEntry};
use sha2::{Digest, Sha256};

static WORKFLOWS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../workflows");

/// The file every workflows folder has: the national procedure.
const NATIONAL: &str = "national/workflow.toml";

/// The folder to read workflows from: `given` when set (it must hold the national procedure), else the built-in one.
pub fn workflows_dir(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    match given {
        Some(dir) => {
            if !dir.join(NATIONAL).is_file() {
                let looked = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
                bail!(
                    "no workflow definitions in {} (from --workflows or JUECE_WORKFLOWS): juece looked for {} there. \
                     Point --workflows or JUECE_WORKFLOWS at a workflows/ folder (the repository's, or a copy you \
                     changed), or leave both unset to use the national definitions built into juece",
                    looked.display(),
                    NATIONAL
                );
            }
            Ok(dir.to_path_buf())
        }
        None => built_in(),
    }
}

/// The built-in workflows written out once per content: a finished folder is reused; a new one is written beside
/// it and renamed into place, so two processes starting at once never read a half-written folder.
fn built_in() -> anyhow::Result<PathBuf> {
    let mut files = Vec::new();
    collect(&WORKFLOWS, &mut files);
    let mut hash = Sha256::new();
    for f in &files {
        hash.update(f.path().to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update(f.contents());
    }
    let digest = hex::encode(hash.finalize());
    let dir = std::env::temp_dir().join(format!("juece-workflows-{}", &digest[..16]));
    if dir.join(NATIONAL).is_file() {
        return Ok(dir);
    }
    let partial = std::env::temp_dir().join(format!("juece-workflows-{}.{}", &digest[..16], std::process::id()));
    std::fs::create_dir_all(&partial)
        .and_then(|()| WORKFLOWS.extract(&partial))
        .with_context(|| format!("writing the built-in workflows to {}", partial.display()))?;
    if std::fs::rename(&partial, &dir).is_err() {
        // Another process put its copy in place first: the same content; ours is not needed.
        let _ = std::fs::remove_dir_all(&partial);
    }
    if !dir.join(NATIONAL).is_file() {
        bail!("the built-in workflows could not be written to {}", dir.display());
    }
    Ok(dir)
}

fn collect<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(d) => collect(d, out),
            DirEntry::File(f) => out.push(f),
        }
    }
}
