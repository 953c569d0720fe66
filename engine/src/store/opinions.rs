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
    /// The count and head of a chain, its row created if need be; on PostgreSQL the upsert also locks the row
    /// until the batch commits, so another replica's intake waits for this one's numbers.
    pub const CLAIM_HEAD: &str = "insert into opinion_heads (decision_id, kind, count, head) values ($1, $2, 0, $3) \
         on conflict (decision_id, kind) do update set count = opinion_heads.count returning count, head";
    pub const SET_HEAD: &str = "update opinion_heads set count = $3, head = $4 where decision_id = $1 and kind = $2";
    /// The opinions received, counted on the decision's own row, which every act's update checks.
    pub const RECEIVED: &str = "update decisions set opinions = opinions + $2 where id = $1";
    pub const HEADS: &str = "select kind, count, head from opinion_heads where decision_id = $1 order by kind";
    /// Every column of an opinion, and (for a campaign's leader) how many its campaign has.
    pub const COLUMNS: &str =
        "opinions.*, (select c.members from opinion_campaigns c where c.decision_id = opinions.decision_id \
         and c.kind = opinions.kind and c.leader = opinions.seq) as members";
    /// [`COLUMNS`] of the rows of a window `w` of `opinions.*`: the campaign's size looked up for the page's rows
    /// only, not for every row of the window searched.
    pub const WINDOW_COLUMNS: &str =
        "w.*, (select c.members from opinion_campaigns c where c.decision_id = w.decision_id \
         and c.kind = w.kind and c.leader = w.seq) as members";
    pub const OPEN: &str = "select kind, count(distinct cluster) as open from opinions \
         where decision_id = $1 and settled is null and hidden is null group by kind";
    pub const OPEN_SAMPLE: &str = "select distinct cluster from opinions \
         where decision_id = $1 and kind = $2 and settled is null and hidden is null order by cluster limit 20";
    pub const PROMISED: &str = "select seq from opinions \
         where decision_id = $1 and kind = 'hearing_suggestion' and outcome = 'hold' order by seq";
    pub const ONE: &str =
        "select *, (select c.members from opinion_campaigns c where c.decision_id = opinions.decision_id \
         and c.kind = opinions.kind and c.leader = opinions.seq) as members \
         from opinions where decision_id = $1 and kind = $2 and seq = $3";
    pub const BY_RECEIPT: &str = "select *, (select c.members from opinion_campaigns c \
         where c.decision_id = opinions.decision_id and c.kind = opinions.kind and c.leader = opinions.seq) as members \
         from opinions where receipt = $1";
    pub const CAMPAIGNS: &str = "select o.*, (select count(*) from opinions m where m.decision_id = o.decision_id \
         and m.kind = o.kind and m.cluster = o.seq and m.settled is null and m.hidden is null) as open, \
         coalesce((select c.members from opinion_campaigns c where c.decision_id = o.decision_id and c.kind = o.kind \
         and c.leader = o.seq), 1) as members \
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
    /// A split opinion ($3) leaves its campaign: the campaign's leader has one member fewer …
    pub const SPLIT_LEAVE: &str = "insert into opinion_campaigns (decision_id, kind, leader, members) \
         select decision_id, kind, cluster, -1 from opinions \
         where decision_id = $1 and kind = $2 and seq = $3 and cluster <> seq \
         on conflict (decision_id, kind, leader) do update set members = opinion_campaigns.members + excluded.members";
    /// … and it leads a campaign of its own, of one (read before `SPLIT` moves its cluster).
    pub const SPLIT_ALONE: &str = "insert into opinion_campaigns (decision_id, kind, leader, members) \
         select decision_id, kind, seq, 1 from opinions \
         where decision_id = $1 and kind = $2 and seq = $3 and cluster <> seq \
         on conflict (decision_id, kind, leader) do update set members = opinion_campaigns.members + excluded.members";
    pub const SPLIT: &str = "update opinions set cluster = seq, \
         outcome = case when settled like '%\"via_cluster\":true%' then null else outcome end, \
         settled = case when settled like '%\"via_cluster\":true%' then null else settled end \
         where decision_id = $1 and kind = $2 and seq = $3";

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
        let what =
            || format!("opinion {} {}", row.text("decision_id").unwrap_or_default(), row.int("seq").unwrap_or(0));
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
            members: row.opt_int("members")?.unwrap_or(1),
            settled: row.opt_text("settled")?.map(|s| from_json(&s, &what())).transpose()?,
            hidden: row.opt_text("hidden")?.map(|s| from_json(&s, &what())).transpose()?,
        })
    }
}
