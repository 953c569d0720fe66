//! Fills in the parties (migration 0017) of decisions whose parties were not written with their state: those no
//! act has written since the migration, and those a replica from before it wrote. Migration 0018's triggers list
//! each of them under `*` in `decision_parties`, and a worklist examines it whatever it names, so until then every
//! task is still found, only after more reading. Page by page, each row only while it is at the version it was
//! read at (an act that wrote it meanwhile wrote its parties itself); the triggers then list its names instead.

use super::Backend;
use crate::store::rows::Cols;
use crate::store::{plan, Store, StoreError};

/// Decisions read and written at once.
const PAGE: i64 = 500;

pub(super) async fn fill(b: &Backend) -> Result<(), StoreError> {
    let mut after = String::new();
    loop {
        let page = sqlx::query(
            "select decision_id as id from decision_parties where party = '*' and decision_id > $1 \
             order by decision_id limit $2",
        )
        .bind(&after)
        .bind(PAGE)
        .fetch_all(&b.writer)
        .await?;
        let ids: Vec<String> = page.iter().map(|r| r.text("id")).collect::<Result<_, _>>()?;
        let Some(last) = ids.last() else { return Ok(()) };
        after = last.clone();
        let loaded = match b.load_many(&ids.iter().map(String::as_str).collect::<Vec<_>>()).await {
            Ok(loaded) => loaded,
            // A row that does not load (tampered with, say) must not keep the store from opening, where `audit
            // verify` reports it: each is read alone, and one that fails stays unnamed, so worklists examine it.
            Err(_) => one_by_one(b, &ids).await,
        };
        let mut tx = b.begin_write().await?;
        for l in &loaded {
            let d = &l.decision;
            sqlx::query("update decisions set parties = $2, parties_version = $3 where id = $1 and version = $3")
                .bind(&d.id)
                .bind(plan::parties_text(d))
                .bind(d.version)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
}

async fn one_by_one(b: &Backend, ids: &[String]) -> Vec<crate::store::Loaded> {
    let mut loaded = Vec::new();
    for id in ids {
        match b.load(id).await {
            Ok(Some(l)) => loaded.push(l),
            Ok(None) => {}
            Err(e) => tracing::warn!(decision = %id, error = %e, "parties not filled in: the decision does not load"),
        }
    }
    loaded
}
