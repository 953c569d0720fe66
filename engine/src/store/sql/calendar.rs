//! [`CalendarStore`]: the notice, the moved deadlines and the chain record are written in one write
//! transaction. On SQLite `begin immediate` takes the single writer; on PostgreSQL the transaction first locks
//! `calendar_notices`, so two replicas loading notices take turns (one chain head) and the moved rows are
//! locked against the schedulers.

use async_trait::async_trait;

use super::{dialect, Backend};
use crate::audit::{format_instant, AuditRecord, GENESIS};
use crate::store::calendar::{
    self as sql, CalendarStore, NoticeOutcome, RecomputePlanner, RecordBuilder, StoredNotice,
};
use crate::store::rows::{self, Cols};
use crate::store::StoreError;

#[async_trait]
impl CalendarStore for Backend {
    async fn calendar_notices(&self) -> Result<Vec<StoredNotice>, StoreError> {
        let found = sqlx::query(sql::NOTICES).fetch_all(&self.reader).await?;
        found.iter().map(sql::notice).collect()
    }

    async fn calendar_notice_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(sql::NOTICE_COUNT).fetch_one(&self.reader).await?)
    }

    async fn load_calendar_notice(
        &self,
        notice: &StoredNotice,
        plan: RecomputePlanner<'_>,
        record: RecordBuilder<'_>,
    ) -> Result<NoticeOutcome, StoreError> {
        let mut tx = self.begin_write().await?;
        if let Some(lock) = dialect::CALENDAR_LOCK {
            sqlx::query(lock).execute(&mut *tx).await?;
        }
        let existing: Option<String> =
            sqlx::query_scalar(sql::NOTICE_SHA).bind(notice.year).fetch_optional(&mut *tx).await?;
        if let Some(existing_sha256) = existing {
            return Ok(if existing_sha256 == notice.sha256 {
                NoticeOutcome::AlreadyLoaded
            } else {
                NoticeOutcome::Conflicting { existing_sha256 }
            });
        }
        sqlx::query(sql::INSERT_NOTICE)
            .bind(notice.year)
            .bind(&notice.toml)
            .bind(&notice.sha256)
            .bind(format_instant(&notice.loaded_at))
            .bind(&notice.loaded_by)
            .execute(&mut *tx)
            .await?;
        let pending = sqlx::query(dialect::CALENDAR_PENDING).fetch_all(&mut *tx).await?;
        let mut changes = Vec::new();
        for row in &pending {
            let deadline = rows::deadline(row)?;
            if let Some(change) = sql::plan_change(&deadline, plan) {
                sqlx::query(sql::MOVE_DEADLINE)
                    .bind(&change.deadline_id)
                    .bind(change.new_due.timestamp_micros())
                    .bind(rows::to_json(&change.basis)?)
                    .execute(&mut *tx)
                    .await?;
                changes.push(change);
            }
        }
        let head = sqlx::query(sql::CHAIN_HEAD).fetch_optional(&mut *tx).await?;
        let (seq, prev) = match head {
            Some(r) => (r.int("seq")? + 1, r.text("hash")?),
            None => (1, GENESIS.to_string()),
        };
        let rec: AuditRecord = record(seq, &prev, &changes);
        sqlx::query(sql::INSERT_RECORD).bind(seq).bind(rows::to_json(&rec)?).bind(&rec.hash).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(NoticeOutcome::Loaded { changes, record: Box::new(rec) })
    }

    async fn calendar_audit(&self) -> Result<Vec<AuditRecord>, StoreError> {
        let found = sqlx::query(sql::CHAIN).fetch_all(&self.reader).await?;
        found.iter().map(|r| sql::record(&r.text("record_json")?)).collect()
    }
}
