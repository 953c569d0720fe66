//! [`OpinionStore`]: intake in one write transaction on the writer, reads on the read pool.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{Backend, Db};
use crate::audit::format_instant;
use crate::ledger::{Campaign, Kind, LedgerWrite, Opinion, OpinionQuery, Standing, Targets};
use crate::store::opinions::{convert, sql, Incoming, OpinionStore};
use crate::store::rows::Cols;
use crate::store::StoreError;

type Conn = <Db as sqlx::Database>::Connection;

#[async_trait]
impl OpinionStore for Backend {
    async fn receive(&self, batch: Vec<Incoming>) -> Result<Vec<Result<Opinion, StoreError>>, StoreError> {
        super::opinion_intake::receive(self, batch).await
    }

    async fn standing(&self, decision_id: &str, targets: &Targets) -> Result<Standing, StoreError> {
        let mut standing = Standing::default();
        for (kind, count, head) in self.opinion_heads(decision_id).await? {
            let tally = standing.tallies.entry(kind).or_default();
            tally.count = count;
            tally.head = head;
        }
        // A decision nobody has sent an opinion on (most of them) costs one lookup.
        if standing.tallies.is_empty() {
            return Ok(standing);
        }
        for r in sqlx::query(sql::OPEN).bind(decision_id).fetch_all(&self.reader).await? {
            let kind = convert::kind(&r.text("kind")?)?;
            let tally = standing.tallies.entry(kind).or_default();
            tally.open = r.int("open")?;
            tally.open_sample = sqlx::query_scalar(sql::OPEN_SAMPLE)
                .bind(decision_id)
                .bind(kind.as_str())
                .fetch_all(&self.reader)
                .await?;
        }
        if standing.tallies.contains_key(&Kind::HearingSuggestion) {
            let promised = sqlx::query_scalar(sql::PROMISED).bind(decision_id).fetch_all(&self.reader).await?;
            standing.tallies.entry(Kind::HearingSuggestion).or_default().promised = promised;
        }
        if let Some((kind, seq)) = targets.named {
            let row = sqlx::query(sql::ONE)
                .bind(decision_id)
                .bind(kind.as_str())
                .bind(seq)
                .fetch_optional(&self.reader)
                .await?;
            if let Some(r) = row {
                standing.named.push(convert::opinion(&r)?);
            }
        }
        if targets.campaigns {
            let mut after = 0;
            loop {
                let page = self.campaigns(decision_id, Kind::Comment, after, 500).await?;
                let Some(last) = page.last() else { break };
                after = last.leader.seq;
                standing.campaigns.extend(page);
            }
        }
        Ok(standing)
    }

    async fn opinions(&self, q: &OpinionQuery) -> Result<Vec<Opinion>, StoreError> {
        super::opinion_list::opinions(self, q).await
    }

    async fn campaigns(
        &self,
        decision_id: &str,
        kind: Kind,
        after: i64,
        limit: i64,
    ) -> Result<Vec<Campaign>, StoreError> {
        let found = sqlx::query(sql::CAMPAIGNS)
            .bind(decision_id)
            .bind(kind.as_str())
            .bind(after)
            .bind(limit.clamp(1, 1000))
            .fetch_all(&self.reader)
            .await?;
        found
            .iter()
            .map(|r| Ok(Campaign { leader: convert::opinion(r)?, size: r.int("members")?, open: r.int("open")? }))
            .collect()
    }

    async fn opinion_by_receipt(&self, receipt: &str) -> Result<Option<Opinion>, StoreError> {
        let row = sqlx::query(sql::BY_RECEIPT).bind(receipt).fetch_optional(&self.reader).await?;
        row.as_ref().map(convert::opinion).transpose()
    }

    async fn opinion_heads(&self, decision_id: &str) -> Result<Vec<(Kind, i64, String)>, StoreError> {
        let found = sqlx::query(sql::HEADS).bind(decision_id).fetch_all(&self.reader).await?;
        found.iter().map(|r| Ok((convert::kind(&r.text("kind")?)?, r.int("count")?, r.text("head")?))).collect()
    }

    async fn opinion_counts(
        &self,
        decision_id: &str,
        kind: Kind,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<(i64, i64), StoreError> {
        let r = sqlx::query(sql::COUNTS)
            .bind(decision_id)
            .bind(kind.as_str())
            .bind(format_instant(&from))
            .bind(format_instant(&until))
            .fetch_one(&self.reader)
            .await?;
        Ok((r.int("received")?, r.int("adopted")?))
    }
}

/// What a drafter's act does to the rows, in the act's transaction.
pub(super) async fn apply_writes(conn: &mut Conn, decision_id: &str, writes: &[LedgerWrite]) -> Result<(), StoreError> {
    let mut statements = Vec::new();
    crate::store::plan::ledger(&mut statements, decision_id, writes)?;
    super::run(conn, &statements, super::unnamed).await
}
