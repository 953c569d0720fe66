//! [`OpinionStore`]: the public's opinions as rows of their own (see [`crate::ledger`]). Opinions arriving
//! together are written in one transaction, each numbered, linked into its kind's chain and placed in its
//! campaign there; one whose decision moved on since its check (a period closed meanwhile) gets `Conflict`,
//! and nothing of it is written. What drafters' acts do to the rows is written by [`crate::store::Store::commit`]
//! with the act ([`crate::ledger::LedgerWrite`]).

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::idempotency::{KeyClaim, StoredResponse};
use super::StoreError;
use crate::ledger::cluster::Fingerprint;
use crate::ledger::{Campaign, Kind, Opinion, OpinionQuery, Standing, Submission, Targets};

/// How the answer to the request that sent an opinion is made, once its number is known: it is stored under
/// the request's idempotency key in the opinion's own transaction, so an opinion written always replays.
pub type AnswerFn = Arc<dyn Fn(&Opinion) -> StoredResponse + Send + Sync>;

/// An opinion the transition function took, to be written.
#[derive(Clone)]
pub struct Incoming {
    pub decision_id: String,
    /// The decision's version the opinion was checked against: it is written only while that is still current.
    pub checked_version: i64,
    pub submission: Submission,
    pub received_at: DateTime<Utc>,
    pub receipt: String,
    pub fingerprint: Fingerprint,
    pub answer: Option<(KeyClaim, AnswerFn)>,
    /// A notification queued with the opinion if it is the `n`-th of its kind (feedback reaching the
    /// procedure's threshold for a post-evaluation, Art. 36).
    pub notify_at: Option<(i64, super::OutboxMessage)>,
}

#[async_trait]
pub trait OpinionStore: Send + Sync {
    /// Write `batch` in one transaction; one result per opinion, in order.
    async fn receive(&self, batch: Vec<Incoming>) -> Result<Vec<Result<Opinion, StoreError>>, StoreError>;
    /// The tallies of a decision's opinions, and what `targets` names.
    async fn standing(&self, decision_id: &str, targets: &Targets) -> Result<Standing, StoreError>;
    /// A page of opinions, filtered, by kind and number.
    async fn opinions(&self, q: &OpinionQuery) -> Result<Vec<Opinion>, StoreError>;
    /// A page of campaigns of one kind, by their leaders' numbers after `after`.
    async fn campaigns(
        &self,
        decision_id: &str,
        kind: Kind,
        after: i64,
        limit: i64,
    ) -> Result<Vec<Campaign>, StoreError>;
    async fn opinion_by_receipt(&self, receipt: &str) -> Result<Option<Opinion>, StoreError>;
    /// The count and chain head of each kind on a decision.
    async fn opinion_heads(&self, decision_id: &str) -> Result<Vec<(Kind, i64, String)>, StoreError>;
    /// How many opinions of `kind` a decision received in `[from, until)`, and how many of them were adopted
    /// (fully or partly), for the annual report.
    async fn opinion_counts(
        &self,
        decision_id: &str,
        kind: Kind,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<(i64, i64), StoreError>;
}

/// SQL shared by both stores.
pub(super) mod sql {
    pub const INSERT: &str = "insert into opinions (decision_id, kind, seq, notice, content, submitter, received_at, \
         receipt, content_sha256, chain_hash, norm_sha, signature, band0, band1, band2, band3, cluster, settled, \
         outcome) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
    pub const ENSURE_HEAD: &str = "insert into opinion_heads (decision_id, kind, count, head) values ($1, $2, 0, $3) \
         on conflict do nothing";
    pub const SET_HEAD: &str = "update opinion_heads set count = $3, head = $4 where decision_id = $1 and kind = $2";
    pub const HEADS: &str = "select kind, count, head from opinion_heads where decision_id = $1 order by kind";
    /// Campaign leaders an opinion may join: the identical text, or one sharing a band ($3 norm, $4–$7 bands).
    pub const CANDIDATES: &str = "select seq, norm_sha, signature, settled from opinions \
         where decision_id = $1 and kind = $2 and cluster = seq \
         and (norm_sha = $3 or band0 = $4 or band1 = $5 or band2 = $6 or band3 = $7) order by seq limit 32";
    pub const JOIN_CAMPAIGN: &str =
        "update opinions set members = members + 1 where decision_id = $1 and kind = $2 and seq = $3";
    pub const OPEN: &str = "select kind, count(distinct cluster) as open from opinions \
         where decision_id = $1 and settled is null and hidden is null group by kind";
    pub const OPEN_SAMPLE: &str = "select distinct cluster from opinions \
         where decision_id = $1 and kind = $2 and settled is null and hidden is null order by cluster limit 20";
    pub const PROMISED: &str = "select seq from opinions \
         where decision_id = $1 and kind = 'hearing_suggestion' and outcome = 'hold' order by seq";
    pub const ONE: &str = "select * from opinions where decision_id = $1 and kind = $2 and seq = $3";
    pub const BY_RECEIPT: &str = "select * from opinions where receipt = $1";
    pub const CAMPAIGNS: &str = "select o.*, (select count(*) from opinions m where m.decision_id = o.decision_id \
         and m.kind = o.kind and m.cluster = o.seq and m.settled is null and m.hidden is null) as open \
         from opinions o where o.decision_id = $1 and o.kind = $2 and o.cluster = o.seq and o.seq > $3 \
         order by o.seq limit $4";
    pub const COUNTS: &str = "select count(*) as received, \
         coalesce(sum(case when outcome in ('adopted', 'partly') then 1 else 0 end), 0) as adopted \
         from opinions where decision_id = $1 and kind = $2 and received_at >= $3 and received_at < $4";
    /// A drafter's act settles one opinion ($3 seq) …
    pub const SETTLE_ONE: &str =
        "update opinions set settled = $4, outcome = $5 where decision_id = $1 and kind = $2 and seq = $3";
    /// … or a campaign ($3 its leader): members settled on their own keep it.
    pub const SETTLE_CAMPAIGN: &str = "update opinions set settled = $4, outcome = $5 \
         where decision_id = $1 and kind = $2 and cluster = $3 \
         and (settled is null or settled like '%\"via_cluster\":true%')";
    pub const SPLIT: &str = "update opinions set cluster = seq, \
         outcome = case when settled like '%\"via_cluster\":true%' then null else outcome end, \
         settled = case when settled like '%\"via_cluster\":true%' then null else settled end \
         where decision_id = $1 and kind = $2 and seq = $3";
    pub const LEAVE_CAMPAIGN: &str =
        "update opinions set members = members - 1 where decision_id = $1 and kind = $2 and seq = $3";
    pub const HIDE: &str = "update opinions set hidden = $4 where decision_id = $1 and kind = $2 and seq = $3";
}

/// Row conversion shared by both stores.
pub(super) mod convert {
    use super::super::rows::{corrupt, from_json, Cols};
    use super::super::users::convert::instant;
    use super::super::StoreError;
    use crate::ledger::{Kind, Opinion};

    pub fn kind(s: &str) -> Result<Kind, StoreError> {
        Kind::parse(s).ok_or_else(|| corrupt(format!("unknown opinion kind `{s}`")))
    }

    pub fn opinion(row: &impl Cols) -> Result<Opinion, StoreError> {
        let what = || format!("opinion {} {}", row.text("decision_id").unwrap_or_default(), row.int("seq").unwrap_or(0));
        Ok(Opinion {
            decision_id: row.text("decision_id")?,
            kind: kind(&row.text("kind")?)?,
            seq: row.int("seq")?,
            notice: row.opt_int("notice")?,
            content: row.text("content")?,
            submitter: row.opt_text("submitter")?,
            received_at: instant(&row.text("received_at")?)?,
            receipt: row.text("receipt")?,
            content_sha256: row.text("content_sha256")?,
            chain_hash: row.text("chain_hash")?,
            cluster: row.int("cluster")?,
            members: row.int("members")?,
            settled: row.opt_text("settled")?.map(|s| from_json(&s, &what())).transpose()?,
            hidden: row.opt_text("hidden")?.map(|s| from_json(&s, &what())).transpose()?,
        })
    }
}
