//! Writing a batch of opinions: one transaction, and a fixed number of statements whatever the batch's size —
//! the decision's version checked (its row held on PostgreSQL), the chain head claimed, the campaign leaders
//! every opinion of the batch may join read in one query, the rows inserted many to a statement, the campaigns'
//! counts added once each, the head moved on. Round trips, not rows, are what a batch costs on a networked
//! database, so opinions arriving together cost little more than one.

use std::collections::BTreeMap;

use super::{dialect, Backend, Db};
use crate::audit::{format_instant, sha256_hex, GENESIS};
use crate::ledger::cluster::{self, Fingerprint};
use crate::ledger::{chain, Kind, Opinion, Settled};
use crate::store::idempotency::KeyCompletion;
use crate::store::opinions::{sql, Incoming};
use crate::store::rows::{self, Cols};
use crate::store::{OutboxMessage, StoreError};

type Conn = <Db as sqlx::Database>::Connection;

/// The most campaign leaders one band key stands for. A band shared by many leaders (texts alike, but none alike
/// enough to join another: form letters with a field filled in differently) would make every later text sharing
/// it compare with all of them, a cost that grows with the consultation; a leader past the cap keeps its other
/// keys and is still found by identical text.
const BAND_CAP: usize = 8;

/// Rows (and candidate lookups) per statement: 19 binds a row keeps SQLite under its limit of bound values.
const PER_STATEMENT: usize = 50;

/// A campaign leader an opinion may join.
struct Leader {
    seq: i64,
    norm: String,
    signature: String,
    bands: [i64; 4],
    settled: Option<Settled>,
}

impl Leader {
    /// Whether `f` joins this campaign: the same text, or (both long enough) a band and most shingles shared.
    fn takes(&self, f: &Fingerprint, norm: &str, signature: &str) -> bool {
        if self.norm == norm {
            return true;
        }
        f.near
            && self.bands.iter().zip(f.bands()).any(|(a, b)| *a == b)
            && cluster::similarity(&self.signature, signature) >= cluster::NEAR
    }
}

/// One opinion placed: its row's values besides the opinion itself.
struct Placed {
    opinion: Opinion,
    norm: String,
    signature: String,
    bands: [i64; 4],
}

pub(super) async fn receive(b: &Backend, batch: Vec<Incoming>) -> Result<Vec<Result<Opinion, StoreError>>, StoreError> {
    let mut results: Vec<Option<Result<Opinion, StoreError>>> = batch.iter().map(|_| None).collect();
    // Decisions in id order, so two replicas' batches lock them in the same order.
    let mut by_decision: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, x) in batch.iter().enumerate() {
        by_decision.entry(x.decision_id.as_str()).or_default().push(i);
    }
    let mut tx = b.begin_write().await?;
    let mut crossed = false;
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
            let of_kind: Vec<usize> = current.iter().copied().filter(|&i| batch[i].submission.kind == kind).collect();
            if !of_kind.is_empty() {
                let written = write_kind(&mut tx, decision_id, kind, of_kind.iter().map(|&i| &batch[i])).await?;
                let decade = |n: i64| (n.max(1) as f64).log10().floor() as i64;
                let seqs: Vec<i64> = written.iter().filter_map(|r| r.as_ref().ok().map(|o| o.seq)).collect();
                if let (Some(first), Some(last)) = (seqs.first(), seqs.last()) {
                    crossed |= *last >= 1_000 && decade(*first - 1) < decade(*last);
                }
                for (i, r) in of_kind.into_iter().zip(written) {
                    results[i] = Some(r);
                }
            }
        }
        // Counted on the decision's row in the opinions' transaction: an act that read fewer no longer commits.
        let received = current.iter().filter(|&&i| matches!(results[i], Some(Ok(_)))).count() as i64;
        if received > 0 {
            sqlx::query(sql::RECEIVED).bind(decision_id).bind(received).execute(&mut *tx).await?;
        }
    }
    tx.commit().await?;
    // A consultation that grew tenfold (1,000, 10,000, … opinions) has its statistics refreshed now, not when the
    // autovacuum daemon next looks: until then PostgreSQL plans the campaign lookups as if the table were empty,
    // scanning a decision's every row for each opinion.
    if let Some(analyze) = dialect::OPINIONS_ANALYZE.filter(|_| crossed) {
        if let Err(e) = sqlx::query(analyze).execute(&b.writer).await {
            tracing::warn!(error = %e, "analysing the opinions table");
        }
    }
    Ok(results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(StoreError::Corrupt("an opinion was not taken".into()))))
        .collect())
}

/// The opinions of one kind on one decision, in order.
async fn write_kind<'a>(
    conn: &mut Conn,
    decision_id: &str,
    kind: Kind,
    items: impl Iterator<Item = &'a Incoming> + Clone,
) -> Result<Vec<Result<Opinion, StoreError>>, StoreError> {
    // Claimed (and on PostgreSQL locked) in one statement: another replica's intake waits for this one's numbers.
    let head =
        sqlx::query(sql::CLAIM_HEAD).bind(decision_id).bind(kind.as_str()).bind(GENESIS).fetch_one(&mut *conn).await?;
    let (mut count, mut last) = (head.int("count")?, head.text("head")?);
    let fingerprints: Vec<&Fingerprint> = items.clone().map(|x| &x.fingerprint).collect();
    let mut leaders = leaders(conn, decision_id, kind, &fingerprints).await?;
    let mut results = Vec::new();
    let mut placed = Vec::new();
    let mut joined: BTreeMap<i64, i64> = BTreeMap::new();
    let mut outbox: Vec<OutboxMessage> = Vec::new();
    for x in items {
        let p = place(x, count + 1, &last, &leaders)?;
        // The answer is stored under the request's key with the row; a key no longer held takes no row.
        if let Some((held, answer)) = &x.answer {
            let completion = KeyCompletion { held: held.clone(), response: answer(&p.opinion) };
            if let Err(e) = super::idempotency::complete_in(&mut *conn, Some(&completion)).await {
                results.push(Err(e));
                continue;
            }
        }
        let o = &p.opinion;
        if o.leads_cluster() {
            let (norm, signature, bands) = (p.norm.clone(), p.signature.clone(), p.bands);
            leaders.push(Leader { seq: o.seq, norm, signature, bands, settled: None });
        }
        if let Some((_, message)) = x.notify_at.as_ref().filter(|(n, _)| *n == o.seq) {
            outbox.push(message.clone());
        }
        (count, last) = (o.seq, o.chain_hash.clone());
        *joined.entry(o.cluster).or_default() += 1;
        results.push(Ok(o.clone()));
        placed.push(p);
    }
    for chunk in placed.chunks(PER_STATEMENT) {
        insert(conn, chunk).await?;
    }
    if !joined.is_empty() {
        let mut add =
            sqlx::QueryBuilder::<Db>::new("insert into opinion_campaigns (decision_id, kind, leader, members) ");
        add.push_values(&joined, |mut v, (leader, n)| {
            v.push_bind(decision_id.to_string()).push_bind(kind.as_str()).push_bind(*leader).push_bind(*n);
        });
        add.push(" on conflict (decision_id, kind, leader) do update set members = opinion_campaigns.members + excluded.members");
        add.build().execute(&mut *conn).await?;
    }
    super::insert_outbox(&mut *conn, &outbox).await?;
    sqlx::query(sql::SET_HEAD)
        .bind(decision_id)
        .bind(kind.as_str())
        .bind(count)
        .bind(&last)
        .execute(&mut *conn)
        .await?;
    Ok(results)
}

/// The campaign leaders any of `fingerprints` may join: one indexed lookup per key kind and chunk (a single `or`
/// of them makes the planners walk every row of the decision instead).
async fn leaders(
    conn: &mut Conn,
    decision_id: &str,
    kind: Kind,
    fingerprints: &[&Fingerprint],
) -> Result<Vec<Leader>, StoreError> {
    let mut found: BTreeMap<i64, Leader> = BTreeMap::new();
    for chunk in fingerprints.chunks(PER_STATEMENT) {
        let mut q = sqlx::QueryBuilder::<Db>::new("");
        for (n, column) in ["norm_sha", "band0", "band1", "band2", "band3"].into_iter().enumerate() {
            if n > 0 {
                q.push(" union all ");
            }
            q.push("select seq, norm_sha, signature, settled, band0, band1, band2, band3 from opinions where decision_id = ");
            q.push_bind(decision_id.to_string()).push(" and kind = ").push_bind(kind.as_str());
            q.push(format!(" and cluster = seq and {column} in ("));
            let mut values = q.separated(", ");
            for f in chunk {
                match n {
                    0 => values.push_bind(f.norm_hex()),
                    band => values.push_bind(f.bands()[band - 1]),
                };
            }
            q.push(")");
        }
        for r in q.build().fetch_all(&mut *conn).await? {
            let seq = r.int("seq")?;
            let settled: Option<Settled> =
                r.opt_text("settled")?.map(|t| rows::from_json(&t, "a campaign's settlement")).transpose()?;
            let bands = [r.int("band0")?, r.int("band1")?, r.int("band2")?, r.int("band3")?];
            let (norm, signature) = (r.text("norm_sha")?, r.text("signature")?);
            found.insert(seq, Leader { seq, norm, signature, bands, settled });
        }
    }
    Ok(found.into_values().collect())
}

/// Number, link and campaign of one opinion: the identical text's campaign first, else the earliest
/// near-identical one. A member joining a campaign settled as a whole inherits its settlement.
fn place(x: &Incoming, seq: i64, prev: &str, leaders: &[Leader]) -> Result<Placed, StoreError> {
    let s = &x.submission;
    let f = &x.fingerprint;
    let (norm, signature, mut bands) = (f.norm_hex(), f.signature_hex(), f.bands());
    let identical = leaders.iter().filter(|l| l.norm == norm).min_by_key(|l| l.seq);
    let campaign = identical.or_else(|| leaders.iter().filter(|l| l.takes(f, &norm, &signature)).min_by_key(|l| l.seq));
    if campaign.is_none() {
        // A new leader: a band already standing for `BAND_CAP` leaders gets a key of its own instead. The leaders
        // read for this batch are every one holding any of its bands, so the count is whole.
        for (i, band) in bands.iter_mut().enumerate() {
            if leaders.iter().filter(|l| l.bands[i] == *band).count() >= BAND_CAP {
                *band = i64::MIN + seq;
            }
        }
    }
    let inherited = campaign.and_then(|l| l.settled.clone()).filter(|s| s.via_cluster);
    let content_sha256 = sha256_hex(s.content.as_bytes());
    let chain_hash =
        chain::link(prev, &x.decision_id, s.kind, seq, &x.received_at, &content_sha256, s.submitter.as_deref());
    let opinion = Opinion {
        decision_id: x.decision_id.clone(),
        kind: s.kind,
        seq,
        notice: s.notice.map(i64::from),
        content: s.content.clone(),
        submitter: s.submitter.clone(),
        received_at: x.received_at,
        receipt: x.receipt.clone(),
        content_sha256,
        chain_hash,
        cluster: campaign.map_or(seq, |l| l.seq),
        members: 1,
        settled: inherited,
        hidden: None,
    };
    Ok(Placed { opinion, norm, signature, bands })
}

async fn insert(conn: &mut Conn, rows: &[Placed]) -> Result<(), StoreError> {
    let mut q = sqlx::QueryBuilder::<Db>::new(
        "insert into opinions (decision_id, kind, seq, notice, content, submitter, received_at, receipt, \
         content_sha256, chain_hash, norm_sha, signature, band0, band1, band2, band3, cluster, settled, outcome) ",
    );
    let mut failed = None;
    q.push_values(rows, |mut v, p| {
        let o = &p.opinion;
        let settled = match o.settled.as_ref().map(rows::to_json).transpose() {
            Ok(s) => s,
            Err(e) => {
                failed = Some(e);
                None
            }
        };
        v.push_bind(o.decision_id.clone())
            .push_bind(o.kind.as_str())
            .push_bind(o.seq)
            .push_bind(o.notice)
            .push_bind(o.content.clone())
            .push_bind(o.submitter.clone())
            .push_bind(format_instant(&o.received_at))
            .push_bind(o.receipt.clone())
            .push_bind(o.content_sha256.clone())
            .push_bind(o.chain_hash.clone())
            .push_bind(p.norm.clone())
            .push_bind(p.signature.clone())
            .push_bind(p.bands[0])
            .push_bind(p.bands[1])
            .push_bind(p.bands[2])
            .push_bind(p.bands[3])
            .push_bind(o.cluster)
            .push_bind(settled)
            .push_bind(o.settled.as_ref().map(|s| s.outcome.clone()));
    });
    if let Some(e) = failed {
        return Err(e);
    }
    q.build().execute(&mut *conn).await?;
    Ok(())
}
