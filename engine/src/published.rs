//! What the public reads besides decisions: the annual catalogues of
//! decision matters once published (Art. 3(3)). A catalogue being adjusted
//! goes back to `draft` and drops out until its new version is published,
//! so the public only ever sees the items of a version the Party committee
//! consented to and the organ published.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::Error;
use crate::orchestrator::Engine;
use crate::procedure::facts::CatalogueItem;
use crate::queries::{ListQuery, Page, MAX_PAGE};
use crate::store::DecisionFilter;

/// The workflow and stage of a published catalogue.
const CATALOGUE_WORKFLOW: &str = "catalogue";
const PUBLISHED_STAGE: &str = "published";

/// A published catalogue as the public sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedCatalogue {
    pub id: String,
    pub title: String,
    pub organ: String,
    pub year: i32,
    /// The version published last; `items` are that version's.
    pub version: u32,
    pub items: Vec<CatalogueItem>,
    pub standards: String,
    pub channels: Vec<String>,
    pub published_at: DateTime<Utc>,
}

impl Engine {
    /// Published catalogues, a page of the store's `published` records at a time.
    pub async fn public_catalogues(&self, q: &ListQuery) -> Result<Page<PublishedCatalogue>, Error> {
        let limit = if q.limit <= 0 { 50 } else { q.limit.min(MAX_PAGE) };
        let offset = q.offset.max(0);
        let filter = DecisionFilter { stage: Some(PUBLISHED_STAGE.into()), limit, offset, ..Default::default() };
        let summaries = self.store().list(&filter).await?;
        let examined = summaries.len() as i64;
        let mut items = Vec::new();
        let catalogues = summaries.iter().filter(|s| s.workflow_key == CATALOGUE_WORKFLOW);
        for d in self.load_listed(catalogues.map(|s| s.id.as_str())).await? {
            let Some(c) = &d.facts.catalogue else { continue };
            // Only a version that was itself published is shown.
            let Some(p) = c.published.iter().rev().find(|p| p.version == c.version) else { continue };
            items.push(PublishedCatalogue {
                id: d.id.clone(),
                title: d.facts.title.clone(),
                organ: d.facts.organ.clone(),
                year: c.year,
                version: c.version,
                items: c.items.clone(),
                standards: c.standards.clone(),
                channels: p.channels.clone(),
                published_at: p.published_at,
            });
        }
        Ok(Page { items, next_offset: (examined == limit).then_some(offset + examined) })
    }
}
