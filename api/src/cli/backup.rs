//! `juece backup` and `juece restore`: a consistent online copy of a SQLite
//! database, taken while `juece serve` reads and writes (`VACUUM INTO`
//! reads one snapshot), and put back only if it verifies. PostgreSQL is
//! backed up with its own tools; the commands say how.

use std::path::{Path, PathBuf};

use anyhow::Context;
use juece_engine::store::SqliteStore;
use juece_engine::verify::verify_with;

use crate::setup::{self, Anchoring};

/// What to do on PostgreSQL, printed by both commands there.
pub const POSTGRES: &str = "PostgreSQL: back up with `pg_dump --format=custom --file=juece.dump \"$DATABASE_URL\"` \
(consistent while juece serves); restore into an empty database with `pg_restore --no-owner --dbname=NEWURL \
juece.dump`, then run `juece --database-url NEWURL audit verify` before serving from it";

fn url_of(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// Verify the database at `url` against the key and anchors; prints the outcome; true when it holds.
async fn verified(url: &str, anchoring: &Anchoring, what: &str) -> anyhow::Result<bool> {
    let trust = anchoring.trust(None)?.map_err(|finding| anyhow::anyhow!(finding))?;
    let store = setup::open_store(url).await?;
    let report = verify_with(store.as_ref(), &trust).await?;
    for b in &report.breaks {
        println!("FAIL {what}: {b}");
    }
    if report.breaks.is_empty() {
        println!(
            "OK {what}: {} decisions, {} records, {} memos, {} seals, {} anchors, {} opinions verified",
            report.decisions, report.records, report.memos, report.sealed, report.anchors, report.opinions
        );
    }
    Ok(report.breaks.is_empty())
}

/// Copy the database into the new file `out` and verify the copy.
pub async fn backup(database_url: &str, anchoring: &Anchoring, out: &Path) -> anyhow::Result<u8> {
    if setup::sqlite_file(database_url).is_none() {
        println!("{POSTGRES}");
        return Ok(1);
    }
    if out.exists() {
        println!("FAIL {} exists: a backup never overwrites a file", out.display());
        return Ok(1);
    }
    let store = SqliteStore::connect(database_url).await.context("opening the database")?;
    store.backup_into(out).await.with_context(|| format!("writing {}", out.display()))?;
    Ok(if verified(&url_of(out), anchoring, "backup").await? { 0 } else { 1 })
}

/// Put the backup `from` in place of the database, if it verifies; an
/// existing database is replaced only with `force` (stop `juece serve` first).
pub async fn restore(database_url: &str, anchoring: &Anchoring, from: &Path, force: bool) -> anyhow::Result<u8> {
    let Some(target) = setup::sqlite_file(database_url) else {
        println!("{POSTGRES}");
        return Ok(1);
    };
    if !from.is_file() {
        anyhow::bail!("{}: no such backup", from.display());
    }
    if target.exists() && !force {
        println!("FAIL {} exists; restore over it with --force, after stopping juece serve", target.display());
        return Ok(1);
    }
    if !verified(&url_of(from), anchoring, "backup").await? {
        println!("FAIL the backup does not verify: nothing restored");
        return Ok(1);
    }
    if force {
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", target.display()));
            if file.exists() {
                std::fs::remove_file(&file).with_context(|| format!("removing {}", file.display()))?;
            }
        }
    }
    let source = SqliteStore::connect(&url_of(from)).await.context("opening the backup")?;
    source.backup_into(&target).await.with_context(|| format!("writing {}", target.display()))?;
    Ok(if verified(database_url, anchoring, "restored").await? { 0 } else { 1 })
}
