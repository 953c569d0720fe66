//! [`SnapshotStore`]: reads inside one read-only transaction on the read
//! pool. SQLite (WAL) keeps the snapshot of the transaction's first read;
//! PostgreSQL's repeatable read keeps the snapshot of its first statement.
//! Neither blocks a writer.

use async_trait::async_trait;

use super::{dialect, Backend, Db};
use crate::anchor::Head;
use crate::audit::GENESIS;
use crate::store::calendar::{self as cal, CALENDAR_CHAIN};
use crate::store::rows::{self, Cols};
use crate::store::snapshot::{
    CalendarSnapshot, ChainSnapshot, ChainVisitor, SealedRecord, SnapshotStore, DECISION_IDS, DECISION_ROW, HEADS,
    SEALED_RECORDS,
};
use crate::store::StoreError;

type Conn = <Db as sqlx::Database>::Connection;

async fn chain(conn: &mut Conn, id: String) -> Result<ChainSnapshot, StoreError> {
    let row = sqlx::query(DECISION_ROW).bind(&id).fetch_one(&mut *conn).await?;
    let found = sqlx::query(SEALED_RECORDS).bind(&id).fetch_all(&mut *conn).await?;
    let records = found
        .iter()
        .map(|r| {
            Ok(SealedRecord {
                record: rows::audit(r)?,
                state_sha256: r.opt_text("state_sha256")?,
                signature: r.opt_text("signature")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let memos = sqlx::query(rows::MEMOS).bind(&id).fetch_all(&mut *conn).await?;
    Ok(ChainSnapshot {
        version: row.int("version")?,
        stage: row.text("stage")?,
        state_json: row.text("state_json")?,
        records,
        memos: memos.iter().map(rows::memo).collect::<Result<_, _>>()?,
        decision_id: id,
    })
}

async fn calendar_head(conn: &mut Conn) -> Result<Head, StoreError> {
    let notices: i64 = sqlx::query_scalar(cal::NOTICE_COUNT).fetch_one(&mut *conn).await?;
    let head = sqlx::query(cal::CHAIN_HEAD).fetch_optional(&mut *conn).await?;
    let hash = match head {
        Some(r) => r.text("hash")?,
        None => GENESIS.to_string(),
    };
    Ok(Head { chain: CALENDAR_CHAIN.into(), version: notices, hash })
}

#[async_trait]
impl SnapshotStore for Backend {
    async fn audit_snapshot(&self, visit: ChainVisitor<'_>) -> Result<CalendarSnapshot, StoreError> {
        let mut tx = self.reader.begin_with(dialect::READ_SNAPSHOT).await?;
        let ids: Vec<String> = sqlx::query_scalar(DECISION_IDS).fetch_all(&mut *tx).await?;
        for id in ids {
            visit(chain(&mut tx, id).await?);
        }
        let found = sqlx::query(cal::CHAIN).fetch_all(&mut *tx).await?;
        let records = found.iter().map(|r| cal::record(&r.text("record_json")?)).collect::<Result<_, _>>()?;
        let notices = sqlx::query_scalar(cal::NOTICE_COUNT).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(CalendarSnapshot { records, notices })
    }

    async fn chain_heads(&self) -> Result<(Vec<Head>, Head), StoreError> {
        let mut tx = self.reader.begin_with(dialect::READ_SNAPSHOT).await?;
        let found = sqlx::query(HEADS).fetch_all(&mut *tx).await?;
        let heads = found
            .iter()
            .map(|r| {
                // A missing head record is anchored as such; verification names it.
                let hash = r.opt_text("hash")?.unwrap_or_default();
                Ok(Head { chain: r.text("id")?, version: r.int("version")?, hash })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let calendar = calendar_head(&mut tx).await?;
        tx.commit().await?;
        Ok((heads, calendar))
    }
}
