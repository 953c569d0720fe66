//! Reads of the public's opinions ([`crate::ledger`]), under the decision's visibility rule: only readers of the
//! full view read them. Who sent an opinion is shown to the decision's drafters and oversight only; the text of
//! a hidden opinion to them and the general office (who moderate) only — every other reader sees that it was
//! hidden and why, and a text search never finds hidden text for them. The sender's own receipt is public.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::actor::{Actor, Role};
use crate::error::Error;
use crate::ledger::{Campaign, Hidden, Kind, Opinion, OpinionQuery, Settled};
use crate::orchestrator::Engine;

/// An opinion as one reader sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpinionView {
    pub decision_id: String,
    pub kind: Kind,
    pub seq: i64,
    pub notice: Option<i64>,
    /// `None` when hidden from this reader (see `hidden`).
    pub content: Option<String>,
    /// `None` when none was given or this reader may not see it (`submitter_withheld`).
    pub submitter: Option<String>,
    pub submitter_withheld: bool,
    pub received_at: DateTime<Utc>,
    pub content_sha256: String,
    pub chain_hash: String,
    pub cluster: i64,
    /// For the first opinion of a campaign, how many sent it (itself included).
    pub members: i64,
    pub settled: Option<Settled>,
    pub hidden: Option<Hidden>,
}

/// How many opinions of one kind a decision has, and how many campaigns (distinct opinions) wait for a
/// disposition.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpinionCount {
    pub kind: Kind,
    pub received: i64,
    pub open: i64,
    /// The chain's head: the last opinion's link.
    pub head: String,
}

/// A page of opinions; `next` continues after its last row.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpinionPage {
    pub items: Vec<OpinionView>,
    /// The cursor of the next page (`<kind>:<seq>`), if there may be one.
    pub next: Option<String>,
}

/// A campaign as one reader sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignView {
    pub leader: OpinionView,
    /// How many sent it (the leader included).
    pub size: i64,
    /// Members neither disposed of nor hidden.
    pub open: i64,
}

/// What the sender of an opinion reads with its receipt: that it was received, when, and what was done with it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceiptView {
    pub receipt: String,
    pub decision_id: String,
    pub title: String,
    pub kind: Kind,
    pub seq: i64,
    pub received_at: DateTime<Utc>,
    /// The text as received (the sender sent it), unless it was hidden.
    pub content: Option<String>,
    pub content_sha256: String,
    /// Its link in the decision's chain of opinions: anyone holding the receipt can check it was kept unchanged.
    pub chain_hash: String,
    /// The disposition, once there is one (outcome and reason; not who).
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub hidden_reason: Option<String>,
}

/// What a reader of the full view may see of opinions.
#[derive(Debug, Clone, Copy)]
struct Readership {
    submitters: bool,
    hidden_text: bool,
}

impl Readership {
    fn of(actor: &Actor) -> Readership {
        let has = |roles: &[Role]| actor.roles.iter().any(|r| roles.contains(r));
        Readership {
            submitters: has(&[Role::Drafter, Role::Oversight]),
            hidden_text: has(&[Role::Drafter, Role::Oversight, Role::GeneralOffice]),
        }
    }

    fn view(self, o: Opinion) -> OpinionView {
        let hide_text = o.hidden.is_some() && !self.hidden_text;
        OpinionView {
            decision_id: o.decision_id,
            kind: o.kind,
            seq: o.seq,
            notice: o.notice,
            content: (!hide_text).then_some(o.content),
            submitter_withheld: o.submitter.is_some() && !self.submitters,
            submitter: o.submitter.filter(|_| self.submitters),
            received_at: o.received_at,
            content_sha256: o.content_sha256,
            chain_hash: o.chain_hash,
            cluster: o.cluster,
            members: o.members,
            settled: o.settled,
            hidden: o.hidden,
        }
    }
}

impl Engine {
    /// A page of a decision's opinions, filtered (`q.decision_id` names the decision).
    pub async fn read_opinions(
        &self,
        actor: &Actor,
        q: &OpinionQuery,
        now: DateTime<Utc>,
    ) -> Result<OpinionPage, Error> {
        self.readable_full(&q.decision_id, actor, now).await?;
        let readers = Readership::of(actor);
        let limit = if q.limit <= 0 { 50 } else { q.limit.min(super::MAX_PAGE) };
        let rows = self.store().opinions(&OpinionQuery { limit, ..q.clone() }).await?;
        let next = (rows.len() as i64 == limit)
            .then(|| rows.last().map(|o| format!("{}:{}", o.kind.as_str(), o.seq)))
            .flatten();
        // Hidden text is not searched for readers who may not read it.
        let searched = q.text.as_deref().is_some_and(|t| !t.trim().is_empty());
        let items = rows
            .into_iter()
            .filter(|o| !(searched && o.hidden.is_some() && !readers.hidden_text))
            .map(|o| readers.view(o))
            .collect();
        Ok(OpinionPage { items, next })
    }

    /// How many opinions of each kind a decision has, and how many campaigns are still to be disposed of.
    pub async fn read_opinion_counts(
        &self,
        actor: &Actor,
        decision_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<OpinionCount>, Error> {
        self.readable_full(decision_id, actor, now).await?;
        let standing = self.store().standing(decision_id, &Default::default()).await?;
        Ok(standing
            .tallies
            .into_iter()
            .map(|(kind, t)| OpinionCount { kind, received: t.count, open: t.open, head: t.head })
            .collect())
    }

    /// A page of a decision's campaigns of `kind`, by their first opinion's number, after `after`.
    pub async fn read_campaigns(
        &self,
        actor: &Actor,
        decision_id: &str,
        kind: Kind,
        after: i64,
        limit: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<CampaignView>, Error> {
        self.readable_full(decision_id, actor, now).await?;
        let readers = Readership::of(actor);
        let page = self.store().campaigns(decision_id, kind, after, limit.clamp(1, super::MAX_PAGE)).await?;
        Ok(page
            .into_iter()
            .map(|Campaign { leader, size, open }| CampaignView { leader: readers.view(leader), size, open })
            .collect())
    }

    /// The opinion a receipt names, as its sender reads it: no sign-in, and nothing of anyone else's.
    pub async fn read_receipt(&self, receipt: &str) -> Result<ReceiptView, Error> {
        let not_found = || Error::NotFound(format!("receipt {receipt}"));
        let o = self.store().opinion_by_receipt(receipt.trim()).await?.ok_or_else(not_found)?;
        let d = self.load(&o.decision_id).await?;
        Ok(ReceiptView {
            receipt: o.receipt,
            decision_id: o.decision_id,
            title: d.title().to_string(),
            kind: o.kind,
            seq: o.seq,
            received_at: o.received_at,
            content: o.hidden.is_none().then_some(o.content),
            content_sha256: o.content_sha256,
            chain_hash: o.chain_hash,
            outcome: o.settled.as_ref().map(|s| s.outcome.clone()),
            reason: o.settled.map(|s| s.reason),
            hidden_reason: o.hidden.map(|h| h.reason),
        })
    }
}

/// `<kind>:<seq>` as a list's cursor.
pub fn parse_cursor(cursor: &str) -> Option<(Kind, i64)> {
    cursor.split_once(':').and_then(|(k, n)| Some((Kind::parse(k)?, n.parse().ok()?)))
}

/// Opinions as CSV rows (UTF-8; the caller writes the byte-order mark once, before the header).
pub fn csv_rows(views: &[OpinionView], header: bool) -> String {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    if header {
        let _ = w.write_record([
            "kind",
            "seq",
            "notice",
            "received_at",
            "campaign",
            "content",
            "submitter",
            "outcome",
            "reason",
            "disposed_by",
            "hidden_reason",
            "chain_hash",
        ]);
    }
    for v in views {
        let s = v.settled.as_ref();
        let _ = w.write_record([
            v.kind.as_str(),
            &v.seq.to_string(),
            &v.notice.map(|n| n.to_string()).unwrap_or_default(),
            &crate::audit::format_instant(&v.received_at),
            &v.cluster.to_string(),
            v.content.as_deref().unwrap_or(""),
            v.submitter.as_deref().unwrap_or(""),
            s.map_or("", |s| s.outcome.as_str()),
            s.map_or("", |s| s.reason.as_str()),
            s.map_or("", |s| s.by.as_str()),
            v.hidden.as_ref().map_or("", |h| h.reason.as_str()),
            &v.chain_hash,
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
