//! Reads through the engine, each authorized by [`crate::visibility`]: a
//! decision's state with the acts the caller may take, its record, memos
//! and deadlines, filtered lists, and the public lists. Reads of the full
//! (internal) view are logged with the reader — confidential material
//! access is itself on record.

mod opinions;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::actor::Actor;
use crate::decision::Decision;
use crate::error::Error;
use crate::machine;
use crate::memo::pages::{find, markdown_of, renditions, Rendition};
use crate::orchestrator::Engine;
use crate::refusal::{Detail, Reason, Refusal};
use crate::store::{DeadlineRow, DeadlineStatus, DecisionFilter, StoredMemo};
use crate::visibility::{self, Access, RecordView, Veil, Withheld};

pub use opinions::{csv_rows, parse_cursor, CampaignView, OpinionCount, OpinionPage, OpinionView, ReceiptView};

/// Largest page a list returns.
pub const MAX_PAGE: i64 = 200;

/// A decision as one reader sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionView {
    pub id: String,
    pub workflow_key: String,
    pub workflow_version: u32,
    pub stage: String,
    pub stage_kind: Option<String>,
    pub version: i64,
    pub title: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub access: Access,
    /// Acts this reader may take in the current stage (role and assignment; gates not evaluated).
    pub allowed_acts: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::visibility::facts_schema))]
    pub facts: serde_json::Value,
    /// What `facts` leaves out for this reader, and why (empty for most).
    pub withheld: Vec<Withheld>,
}

/// A deadline as a reader sees it: the row, how often it has fired, and
/// whether its obligation is overdue (a recurring deadline is re-armed in
/// place when it fires, so its firing count is what flags it).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlineView {
    #[serde(flatten)]
    pub row: DeadlineRow,
    pub occurrences: i64,
    pub last_fired_at: Option<DateTime<Utc>>,
    /// Pending, and past due: it has fired, or its time has come.
    pub overdue: bool,
}

/// Pending, and past due: it has fired (a repeating reminder re-arms in place), or its time has come. The
/// decision page and the worklist both ask this, so "overdue" means the same on both.
pub(crate) fn overdue(row: &DeadlineRow, occurrences: i64, now: DateTime<Utc>) -> bool {
    row.status == DeadlineStatus::Pending
        && (occurrences > 0 || crate::procedure::deadline::obligation_due(&row.spec) <= now)
}

/// A memo without its body, for listings.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemoInfo {
    pub seq: i64,
    pub memo: String,
    pub lang: String,
    pub format: String,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
    /// Set when this reader may not open the memo, and why.
    pub withheld: Option<Withheld>,
    /// For an HTML page rendered on read, the hash of the sealed Markdown it
    /// lays out (the hash its record vouches for); absent for a memo sealed as is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rendered_from: Option<String>,
}

/// What lists accept.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub stage: Option<String>,
    pub workflow: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// One page; `next_offset` is where the next page starts, if any.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_offset: Option<i64>,
}

impl Engine {
    /// Load a decision and the access `actor` has to it.
    async fn readable(&self, id: &str, actor: &Actor, now: DateTime<Utc>) -> Result<(Decision, Access), Error> {
        let d = self.load(id).await?;
        let access = visibility::read_access(&d, actor, now).map_err(Error::Refused)?;
        if access == Access::Full {
            tracing::info!(target: "juece::access", reader = %actor.user_id, unit = %actor.unit, decision = %id, "full read");
        }
        Ok((d, access))
    }

    /// Like `readable`, but only the full view will do (records, memos,
    /// deadlines); what the reader may still not see is in the [`Veil`].
    async fn readable_full(&self, id: &str, actor: &Actor, now: DateTime<Utc>) -> Result<(Decision, Veil), Error> {
        match self.readable(id, actor, now).await? {
            (d, Access::Full) => {
                let veil = Veil::for_reader(&d, actor);
                Ok((d, veil))
            }
            (d, Access::Public) => Err(Error::Refused(Refusal::one(
                Reason::new(
                    "role_not_permitted",
                    "access policy",
                    "公众只能查阅已公开的内容",
                    "the public sees only what is published or open for comment",
                )
                .with_detail(Detail::new(format!("决策事项 {}", d.id), format!("decision {}", d.id))),
            ))),
        }
    }

    /// The decision as `actor` sees it, if they may read it at all: what every list of decisions shows them.
    pub(crate) fn view_for(&self, d: &Decision, actor: &Actor, now: DateTime<Utc>) -> Option<DecisionView> {
        visibility::read_access(d, actor, now).ok().map(|a| self.view(d, actor, a, now))
    }

    pub fn view(&self, d: &Decision, actor: &Actor, access: Access, now: DateTime<Utc>) -> DecisionView {
        let wf = self.workflow(&d.workflow_key, d.workflow_version);
        let allowed_acts = match (wf, access) {
            (Some(wf), Access::Full) => wf
                .acts
                .values()
                .filter(|a| a.stages.contains(&d.stage) && machine::permitted(a, d, actor))
                .map(|a| a.name.clone())
                .collect(),
            _ => Vec::new(),
        };
        let (facts, withheld) = visibility::facts_view(d, actor, access, now);
        DecisionView {
            id: d.id.clone(),
            workflow_key: d.workflow_key.clone(),
            workflow_version: d.workflow_version,
            stage: d.stage.clone(),
            stage_kind: wf.and_then(|w| w.stage(&d.stage)).map(|s| s.kind.as_str().to_string()),
            version: d.version,
            title: d.title().to_string(),
            created_at: d.created_at,
            updated_at: d.updated_at,
            access,
            allowed_acts,
            facts,
            withheld,
        }
    }

    fn workflow(&self, key: &str, version: u32) -> Option<&crate::definition::Workflow> {
        self.workflows().find(|w| w.key == key && w.version == version)
    }

    pub async fn read_decision(&self, id: &str, actor: &Actor, now: DateTime<Utc>) -> Result<DecisionView, Error> {
        let (d, access) = self.readable(id, actor, now).await?;
        Ok(self.view(&d, actor, access, now))
    }

    pub async fn read_record(&self, id: &str, actor: &Actor, now: DateTime<Utc>) -> Result<Vec<RecordView>, Error> {
        let (_, veil) = self.readable_full(id, actor, now).await?;
        Ok(self.store().audit_records(id).await?.into_iter().map(|r| veil.record(r)).collect())
    }

    /// The memos of a decision, without bodies; those this reader may not
    /// open say so (`withheld`).
    pub async fn read_memos(&self, id: &str, actor: &Actor, now: DateTime<Utc>) -> Result<Vec<MemoInfo>, Error> {
        let (_, veil) = self.readable_full(id, actor, now).await?;
        let stored = self.store().memos(id).await?;
        let records = if veil.is_clear() { Vec::new() } else { self.store().audit_records(id).await? };
        Ok(renditions(&stored)
            .into_iter()
            .map(|Rendition { memo: m, rendered_from }| MemoInfo {
                withheld: veil.rendition(&m, markdown_of(&stored, &m), &records),
                seq: m.seq,
                memo: m.memo,
                lang: m.lang,
                format: m.format,
                sha256: m.sha256,
                created_at: m.created_at,
                rendered_from,
            })
            .collect())
    }

    /// One memo; `NotFound` names the memo when the decision has no such one.
    /// An HTML page not stored is rendered from its sealed Markdown.
    pub async fn read_memo(
        &self,
        id: &str,
        seq: i64,
        name: (&str, &str, &str),
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<StoredMemo, Error> {
        let (_, veil) = self.readable_full(id, actor, now).await?;
        let (memo, lang, format) = name;
        let stored = self.store().memos(id).await?;
        let found = find(&stored, seq, memo, lang, format)
            .ok_or_else(|| Error::NotFound(format!("{id} memo {seq}/{memo}.{lang}.{format}")))?
            .memo;
        if !veil.is_clear() {
            let records = self.store().audit_records(id).await?;
            if let Some(w) = veil.rendition(&found, markdown_of(&stored, &found), &records) {
                return Err(Error::Refused(w.refusal(Detail::new(
                    format!("决策事项 {id} 的文书 {seq}/{memo}.{lang}.{format}"),
                    format!("{id} memo {seq}/{memo}.{lang}.{format}"),
                ))));
            }
        }
        Ok(found)
    }

    pub async fn read_deadlines(
        &self,
        id: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<DeadlineView>, Error> {
        self.readable_full(id, actor, now).await?;
        let mut out = Vec::new();
        for row in self.store().deadlines(id).await? {
            let firing = self.store().firing_state(&row.id).await?;
            let (occurrences, last_fired_at) = firing.map_or((0, None), |f| (f.occurrences, f.last_fired_at));
            let overdue = overdue(&row, occurrences, now);
            out.push(DeadlineView { row, occurrences, last_fired_at, overdue });
        }
        Ok(out)
    }

    /// Decisions `actor` may read, a page of the store at a time. The store
    /// pages before the filter, so a page may hold fewer items than asked;
    /// `next_offset` continues after the last decision examined.
    pub async fn list_for(
        &self,
        q: &ListQuery,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Page<DecisionView>, Error> {
        self.list_where(q, now, |d| self.view_for(d, actor, now)).await
    }

    /// Public consultations (public view): open for comment now, or ended — a consultation once published
    /// stays listed, its `consultation` marked `ended` with when (Art. 15).
    pub async fn public_consultations(&self, q: &ListQuery, now: DateTime<Utc>) -> Result<Page<DecisionView>, Error> {
        let public = crate::auth::anonymous();
        self.list_where(q, now, |d| {
            visibility::consulted_publicly(&d.facts, now).then(|| self.view(d, &public, Access::Public, now))
        })
        .await
    }

    /// Hearings announced to the public (public view): the notice's time, place and sides, and the selection
    /// method and participant list once published (Art. 16).
    pub async fn public_hearings(&self, q: &ListQuery, now: DateTime<Utc>) -> Result<Page<DecisionView>, Error> {
        let public = crate::auth::anonymous();
        self.list_where(q, now, |d| {
            visibility::hearing_announced(&d.facts, now).then(|| self.view(d, &public, Access::Public, now))
        })
        .await
    }

    /// Decisions published to the public (public view); a release withheld on a non-disclosure ground is not
    /// one of them (PB-3).
    pub async fn public_decisions(&self, q: &ListQuery, now: DateTime<Utc>) -> Result<Page<DecisionView>, Error> {
        let public = crate::auth::anonymous();
        self.list_where(q, now, |d| d.facts.publicly_published().then(|| self.view(d, &public, Access::Public, now)))
            .await
    }

    async fn list_where<F>(&self, q: &ListQuery, _now: DateTime<Utc>, keep: F) -> Result<Page<DecisionView>, Error>
    where
        F: Fn(&Decision) -> Option<DecisionView>,
    {
        let limit = if q.limit <= 0 { 50 } else { q.limit.min(MAX_PAGE) };
        let offset = q.offset.max(0);
        let filter = DecisionFilter { stage: q.stage.clone(), limit, offset, ..Default::default() };
        let summaries = self.store().list(&filter).await?;
        let examined = summaries.len() as i64;
        let listed = summaries.iter().filter(|s| q.workflow.as_ref().is_none_or(|w| *w == s.workflow_key));
        let items = self.load_listed(listed.map(|s| s.id.as_str())).await?.iter().filter_map(keep).collect();
        Ok(Page { items, next_offset: (examined == limit).then_some(offset + examined) })
    }

    /// The decisions `ids` that exist, in the order given, in a few reads (`Store::load_many`), not one each.
    pub(crate) async fn load_listed<'a>(&self, ids: impl Iterator<Item = &'a str>) -> Result<Vec<Decision>, Error> {
        let ids: Vec<&str> = ids.collect();
        let mut found: std::collections::HashMap<String, Decision> =
            self.store().load_many(&ids).await?.into_iter().map(|l| (l.decision.id.clone(), l.decision)).collect();
        Ok(ids.iter().filter_map(|id| found.remove(*id)).collect())
    }
}
