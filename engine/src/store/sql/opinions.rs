//! [`OpinionStore`]: intake in one write transaction on the writer, reads on the read pool.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{dialect, Backend, Db};
use crate::audit::{format_instant, sha256_hex, GENESIS};
use crate::ledger::{chain, cluster, Campaign, Kind, LedgerWrite, Opinion, OpinionQuery, Settled, Standing, Targets};
use crate::store::idempotency::KeyCompletion;
use crate::store::opinions::{convert, sql, Incoming, OpinionStore};
use crate::store::rows::{self, Cols};
use crate::store::StoreError;

type Conn = <Db as sqlx::Database>::Connection;

#[async_trait]
impl OpinionStore for Backend {
    async fn receive(&self, batch: Vec<Incoming>) -> Result<Vec<Result<Opinion, StoreError>>, StoreError> {
        let mut results: Vec<Option<Result<Opinion, StoreError>>> = batch.iter().map(|_| None).collect();
        // Decisions in id order, so two replicas' batches lock them in the same order.
        let mut by_decision: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, x) in batch.iter().enumerate() {
            by_decision.entry(x.decision_id.as_str()).or_default().push(i);
        }
        let mut tx = self.begin_write().await?;
        for (decision_id, items) in by_decision {
            let version: Option<i64> =
                sqlx::query_scalar(dialect::OPINION_DECISION_VERSION).bind(decision_id).fetch_optional(&mut *tx).await?;
            let mut current = Vec::new();
            for i in items {
                if version == Some(batch[i].checked_version) {
                    current.push(i);
                } else {
                    // The decision moved on since the check (a period may have closed): the engine checks again.
                    let expected = batch[i].checked_version;
                    results[i] = Some(Err(StoreError::Conflict { decision_id: decision_id.to_string(), expected }));
                }
            }
            for kind in Kind::ALL {
                let of_kind: Vec<usize> =
                    current.iter().copied().filter(|&i| batch[i].submission.kind == kind).collect();
                if of_kind.is_empty() {
                    continue;
                }
                sqlx::query(sql::ENSURE_HEAD).bind(decision_id).bind(kind.as_str()).bind(GENESIS).execute(&mut *tx).await?;
                let head = sqlx::query(dialect::OPINION_HEAD).bind(decision_id).bind(kind.as_str()).fetch_one(&mut *tx).await?;
                let (mut count, mut last) = (head.int("count")?, head.text("head")?);
                for i in of_kind {
                    let x = &batch[i];
                    let needs_savepoint = x.answer.is_some();
                    if needs_savepoint {
                        sqlx::query(rows::SAVEPOINT).execute(&mut *tx).await?;
                    }
                    let written = write_one(&mut tx, x, count + 1, &last).await;
                    if needs_savepoint {
                        if written.is_err() {
                            sqlx::query(rows::ROLLBACK_TO).execute(&mut *tx).await?;
                        }
                        sqlx::query(rows::RELEASE).execute(&mut *tx).await?;
                    }
                    if let Ok(o) = &written {
                        count = o.seq;
                        last = o.chain_hash.clone();
                    }
                    results[i] = Some(written);
                }
                sqlx::query(sql::SET_HEAD).bind(decision_id).bind(kind.as_str()).bind(count).bind(&last).execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        Ok(results.into_iter().map(|r| r.unwrap_or_else(|| Err(StoreError::Corrupt("an opinion was not taken".into())))).collect())
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
            let row = sqlx::query(sql::ONE).bind(decision_id).bind(kind.as_str()).bind(seq).fetch_optional(&self.reader).await?;
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
        let mut b = sqlx::QueryBuilder::<Db>::new("select * from opinions where decision_id = ");
        b.push_bind(q.decision_id.clone());
        if let Some(kind) = q.kind {
            b.push(" and kind = ").push_bind(kind.as_str());
        }
        if let Some(n) = q.notice {
            b.push(" and notice = ").push_bind(n);
        }
        if let Some(c) = q.cluster {
            b.push(" and cluster = ").push_bind(c);
        }
        if q.leaders_only {
            b.push(" and cluster = seq");
        }
        match q.disposition.as_deref() {
            None => {}
            Some("open") => {
                b.push(" and settled is null and hidden is null");
            }
            Some("settled") => {
                b.push(" and settled is not null");
            }
            Some("hidden") => {
                b.push(" and hidden is not null");
            }
            Some(outcome) => {
                b.push(" and outcome = ").push_bind(outcome.to_string());
            }
        }
        match q.submitter.as_deref() {
            Some("named") => {
                b.push(" and submitter is not null");
            }
            Some("anonymous") => {
                b.push(" and submitter is null");
            }
            _ => {}
        }
        if let Some(from) = q.from {
            b.push(" and received_at >= ").push_bind(format_instant(&from));
        }
        if let Some(until) = q.until {
            b.push(" and received_at < ").push_bind(format_instant(&until));
        }
        if let Some(text) = q.text.as_deref().filter(|t| !t.trim().is_empty()) {
            dialect::opinion_text_filter(&mut b, text.trim());
        }
        if let Some((kind, seq)) = q.after {
            b.push(" and (kind, seq) > (").push_bind(kind.as_str()).push(", ").push_bind(seq).push(")");
        }
        let limit = if q.limit <= 0 { 50 } else { q.limit.min(1000) };
        b.push(" order by kind, seq limit ").push_bind(limit);
        let found = b.build().fetch_all(&self.reader).await?;
        found.iter().map(convert::opinion).collect()
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

/// Number, link, place in its campaign and write one opinion; and store the answer under its key.
async fn write_one(conn: &mut Conn, x: &Incoming, seq: i64, prev: &str) -> Result<Opinion, StoreError> {
    let s = &x.submission;
    let kind = s.kind;
    let content_sha256 = sha256_hex(s.content.as_bytes());
    let chain_hash = chain::link(prev, &x.decision_id, kind, seq, &x.received_at, &content_sha256, s.submitter.as_deref());
    let f = &x.fingerprint;
    let (norm, signature, bands) = (f.norm_hex(), f.signature_hex(), f.bands());
    let candidates = sqlx::query(sql::CANDIDATES)
        .bind(&x.decision_id)
        .bind(kind.as_str())
        .bind(&norm)
        .bind(bands[0])
        .bind(bands[1])
        .bind(bands[2])
        .bind(bands[3])
        .fetch_all(&mut *conn)
        .await?;
    let mut campaign = None;
    for c in &candidates {
        let same = c.text("norm_sha")? == norm;
        if same || (f.near && cluster::similarity(&c.text("signature")?, &signature) >= cluster::NEAR) {
            campaign = Some((c.int("seq")?, c.opt_text("settled")?));
            break;
        }
    }
    // A member joining a campaign settled as a whole inherits its settlement; one settled on its own passes
    // nothing on.
    let inherited: Option<Settled> = match &campaign {
        Some((_, Some(text))) => {
            let s: Settled = rows::from_json(text, "a campaign's settlement")?;
            s.via_cluster.then_some(s)
        }
        _ => None,
    };
    let leader = campaign.as_ref().map_or(seq, |(leader, _)| *leader);
    sqlx::query(sql::INSERT)
        .bind(&x.decision_id)
        .bind(kind.as_str())
        .bind(seq)
        .bind(s.notice.map(i64::from))
        .bind(&s.content)
        .bind(&s.submitter)
        .bind(format_instant(&x.received_at))
        .bind(&x.receipt)
        .bind(&content_sha256)
        .bind(&chain_hash)
        .bind(&norm)
        .bind(&signature)
        .bind(bands[0])
        .bind(bands[1])
        .bind(bands[2])
        .bind(bands[3])
        .bind(leader)
        .bind(inherited.as_ref().map(rows::to_json).transpose()?)
        .bind(inherited.as_ref().map(|s| s.outcome.clone()))
        .execute(&mut *conn)
        .await?;
    if let Some((_, message)) = x.notify_at.as_ref().filter(|(n, _)| *n == seq) {
        super::insert_outbox(&mut *conn, std::slice::from_ref(message)).await?;
    }
    if leader != seq {
        sqlx::query(sql::JOIN_CAMPAIGN).bind(&x.decision_id).bind(kind.as_str()).bind(leader).execute(&mut *conn).await?;
    }
    let opinion = Opinion {
        decision_id: x.decision_id.clone(),
        kind,
        seq,
        notice: s.notice.map(i64::from),
        content: s.content.clone(),
        submitter: s.submitter.clone(),
        received_at: x.received_at,
        receipt: x.receipt.clone(),
        content_sha256,
        chain_hash,
        cluster: leader,
        members: 1,
        settled: inherited,
        hidden: None,
    };
    if let Some((held, answer)) = &x.answer {
        let completion = KeyCompletion { held: held.clone(), response: answer(&opinion) };
        super::idempotency::complete_in(&mut *conn, Some(&completion)).await?;
    }
    Ok(opinion)
}

/// What a drafter's act does to the rows, in the act's transaction.
pub(super) async fn apply_writes(conn: &mut Conn, decision_id: &str, writes: &[LedgerWrite]) -> Result<(), StoreError> {
    for w in writes {
        match w {
            LedgerWrite::Settle { kind, seq, cluster, settled } => {
                let statement = if *cluster { sql::SETTLE_CAMPAIGN } else { sql::SETTLE_ONE };
                sqlx::query(statement)
                    .bind(decision_id)
                    .bind(kind.as_str())
                    .bind(*seq)
                    .bind(rows::to_json(settled)?)
                    .bind(&settled.outcome)
                    .execute(&mut *conn)
                    .await?;
            }
            LedgerWrite::Split { kind, seq } => {
                let leader: Option<i64> = sqlx::query(sql::ONE)
                    .bind(decision_id)
                    .bind(kind.as_str())
                    .bind(*seq)
                    .fetch_optional(&mut *conn)
                    .await?
                    .map(|r| r.int("cluster"))
                    .transpose()?;
                if let Some(leader) = leader.filter(|l| l != seq) {
                    sqlx::query(sql::LEAVE_CAMPAIGN).bind(decision_id).bind(kind.as_str()).bind(leader).execute(&mut *conn).await?;
                }
                sqlx::query(sql::SPLIT).bind(decision_id).bind(kind.as_str()).bind(*seq).execute(&mut *conn).await?;
            }
            LedgerWrite::Hide { kind, seq, hidden } => {
                sqlx::query(sql::HIDE)
                    .bind(decision_id)
                    .bind(kind.as_str())
                    .bind(*seq)
                    .bind(rows::to_json(hidden)?)
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    Ok(())
}
