//! `juece audit verify` and `juece audit anchor`: the record checked against
//! the server key and the anchor log kept outside the database, and a new
//! anchor written on demand (e.g. from cron, or before a backup).

use juece_engine::verify::verify_with;

use crate::setup::{self, Anchoring};

/// Verify every chain in one snapshot; 0 when all holds, 1 on the first break.
pub async fn verify(database_url: &str, anchoring: &Anchoring, public_key: Option<&str>) -> anyhow::Result<u8> {
    let store = setup::open_store(database_url).await?;
    let trust = match anchoring.trust(public_key)? {
        Ok(trust) => trust,
        Err(finding) => {
            println!("FAIL {finding}");
            return Ok(1);
        }
    };
    if trust.key.is_none() {
        println!(
            "NOTE no server key at {}: seals and anchors not checked (give --public-key)",
            anchoring.key.display()
        );
    }
    let report = verify_with(store.as_ref(), &trust).await?;
    let counts = format!(
        "{} decisions, {} records, {} memos, {} seals, {} anchors, {} opinions",
        report.decisions, report.records, report.memos, report.sealed, report.anchors, report.opinions
    );
    if !report.breaks.is_empty() {
        for b in &report.breaks {
            println!("FAIL {b}");
        }
        println!("checked {counts}");
        return Ok(1);
    }
    match trust.anchors.last() {
        Some(a) => println!("OK {counts} verified; last {}", a.summary()),
        None => println!("OK {counts} verified"),
    }
    Ok(0)
}

/// Append an anchor of every chain head now (the server key is created if missing).
pub async fn anchor(database_url: &str, anchoring: &Anchoring) -> anyhow::Result<u8> {
    let store = setup::open_store(database_url).await?;
    let key = anchoring.server_key()?;
    let a = juece_engine::anchoring::anchor_now(store.as_ref(), &key, &anchoring.log, chrono::Utc::now()).await?;
    println!("{} ({} decisions) in {}", a.summary(), a.heads.len(), anchoring.log.display());
    Ok(0)
}
