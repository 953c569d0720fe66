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

/// The built-in workflows written out once per content. The shared temporary directory is open to every local
/// account, so a folder found there under the expected name is used only when this account owns it, no one else may
/// write to it, and it holds exactly the built-in files; otherwise this process reads its own private copy. A new copy
/// is written beside the shared name (mode 0700) and renamed into place, so two processes starting at once never read
/// a half-written folder.
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
    let partial = std::env::temp_dir().join(format!("juece-workflows-{}.{}", &digest[..16], std::process::id()));
    private_dir(&partial)
        .and_then(|()| WORKFLOWS.extract(&partial))
        .with_context(|| format!("writing the built-in workflows to {}", partial.display()))?;
    if trusted(&dir, &partial, &files) {
        let _ = std::fs::remove_dir_all(&partial);
        return Ok(dir);
    }
    // Renamed into place, it is this process's own 0700 folder under the shared name.
    if std::fs::rename(&partial, &dir).is_ok() {
        return Ok(dir);
    }
    // The shared name is taken by a folder this account cannot trust: read the private copy.
    if !partial.join(NATIONAL).is_file() {
        bail!("the built-in workflows could not be written to {}", partial.display());
    }
    Ok(partial)
}

/// A folder only its owner may enter.
fn private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// `dir` is owned by the owner of `ours` (a folder this process made), no one else may write to it or to anything in
/// it, and it holds exactly `files` with their bytes.
fn trusted(dir: &Path, ours: &Path, files: &[&include_dir::File<'_>]) -> bool {
    let on_disk: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(dir).into_iter().flatten().collect();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(me) = std::fs::metadata(ours).map(|m| m.uid()) else { return false };
        let safe = |e: &walkdir::DirEntry| {
            std::fs::symlink_metadata(e.path()).is_ok_and(|m| m.uid() == me && m.mode() & 0o022 == 0 && !m.is_symlink())
        };
        if on_disk.is_empty() || !on_disk.iter().all(safe) {
            return false;
        }
    }
    let count = on_disk.iter().filter(|e| e.file_type().is_file()).count();
    count == files.len() && files.iter().all(|f| std::fs::read(dir.join(f.path())).is_ok_and(|b| b == f.contents()))
}

fn collect<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(d) => collect(d, out),
            DirEntry::File(f) => out.push(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<&'static include_dir::File<'static>> {
        let mut files = Vec::new();
        collect(&WORKFLOWS, &mut files);
        files
    }

    #[test]
    fn a_shared_folder_is_trusted_only_with_exactly_the_built_in_files() {
        let tmp = tempfile::tempdir().unwrap();
        let copy = tmp.path().join("copy");
        private_dir(&copy).unwrap();
        WORKFLOWS.extract(&copy).unwrap();
        let files = files();
        assert!(trusted(&copy, &copy, &files), "a faithful copy is trusted");

        let national = copy.join(NATIONAL);
        let text = std::fs::read_to_string(&national).unwrap();
        std::fs::write(&national, text.replacen("comment_min_days = 30", "comment_min_days = 3", 1)).unwrap();
        assert!(!trusted(&copy, &copy, &files), "a changed definition is not");
        std::fs::write(&national, &text).unwrap();

        let extra = copy.join("profiles/planted.toml");
        std::fs::write(&extra, "x").unwrap();
        assert!(!trusted(&copy, &copy, &files), "an added profile is not");
        std::fs::remove_file(&extra).unwrap();

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&national, std::fs::Permissions::from_mode(0o666)).unwrap();
            assert!(!trusted(&copy, &copy, &files), "a file others may write is not");
            std::fs::set_permissions(&national, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        assert!(trusted(&copy, &copy, &files), "restored, it is again");
    }
}
