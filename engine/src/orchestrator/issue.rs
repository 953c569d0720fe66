//! Issuing an act's memos inside the act: the data each template sees
//! (the act's data, or the facts after the act when the handler built none,
//! plus `meta`), document numbers for numbered documents, and the rows to
//! store with their hashes.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Asia::Shanghai;

use super::numbers::Floors;
use crate::act::Act;
use crate::actor::Actor;
use crate::audit::{self, format_instant};
use crate::decision::Decision;
use crate::error::Error;
use crate::memo::{with_meta, Author, DocNumber, MemoSet, Meta};
use crate::store::numbering::NumberClaim;
use crate::store::{Store, StoredMemo};

/// The memos an accepted act issues, with the numbers they carry.
pub struct Issued {
    pub memos: Vec<StoredMemo>,
    pub numbers: Vec<NumberClaim>,
}

/// What one accepted act asks to issue.
pub struct Request<'a> {
    /// The decision after the act.
    pub next: &'a Decision,
    pub act: &'a Act,
    pub actor: &'a Actor,
    pub now: DateTime<Utc>,
    /// `(memo, data)` pairs the act's effects asked for.
    pub requested: &'a [(String, serde_json::Value)],
    /// Numbers claimed by acts committed in the same transaction.
    pub taken: &'a [NumberClaim],
    /// Numbers this process handed out to acts not committed yet.
    pub floors: &'a Floors,
}

/// Render each `(memo, data)` an act's effects asked for. A numbered memo
/// gets the next free number of its series (after those `taken` by acts
/// committed with it, and after those this process handed out to acts on
/// their way to the database); the claim goes into the act's commit, which
/// fails with `NumberTaken` if another act took it first.
pub async fn issue(set: &MemoSet, store: &dyn Store, r: Request<'_>) -> Result<Issued, Error> {
    let Request { next, act, actor, now, requested, taken, floors } = r;
    let mut out = Issued { memos: Vec::new(), numbers: Vec::new() };
    let year = now.with_timezone(&Shanghai).year();
    for (memo, data) in requested {
        let info = set.info(memo);
        let directory = set.manifest().organ(&next.facts.organ);
        let missing = directory.missing(info.map(|i| i.needs.as_slice()).unwrap_or_default());
        if !missing.is_empty() {
            // A document is never sent to a placeholder: the act fails, visibly, until the directory is completed.
            let fields: Vec<String> = missing.iter().map(ToString::to_string).collect();
            let why = format!(
                "the unit directory ([organs] in memos/manifest.toml) has no {} for {}",
                fields.join(", "),
                next.facts.organ
            );
            return Err(Error::Memo(crate::memo::MemoError::Render(memo.clone(), why)));
        }
        let organ = set.manifest().numbering_organ(memo, &next.facts.organ, &actor.unit).to_string();
        let number = match set.manifest().series(memo, &organ) {
            Some(series) => {
                let earlier = (out.numbers.iter().chain(taken))
                    .filter(|c| c.organ == organ && c.series == series && c.year == year)
                    .count() as i64;
                let free = store.next_number(&organ, &series, year).await?.max(floors.floor(&organ, &series, year));
                let n = free + earlier;
                out.numbers.push(NumberClaim {
                    organ: organ.clone(),
                    series: series.clone(),
                    year,
                    number: n,
                    decision_id: next.id.clone(),
                    seq: next.version,
                    memo: memo.clone(),
                });
                let text = set.manifest().number_text(memo, &series, year, n);
                Some(DocNumber { organ, text, series, year, number: n })
            }
            None => None,
        };
        let meta = Meta {
            doc_type: info.map(|i| i.doc.clone()).unwrap_or_default(),
            doc_zh: info.map(|i| i.zh.clone()).unwrap_or_default(),
            doc_en: info.map(|i| i.en.clone()).unwrap_or_default(),
            decision_id: next.id.clone(),
            seq: next.version,
            act: act.name.clone(),
            author: Author {
                user_id: actor.user_id.clone(),
                name: actor.name.clone(),
                unit: actor.unit.clone(),
                position: actor.position.clone(),
            },
            issued_at: format_instant(&now),
            number,
            directory,
        };
        // A handler that builds no data leaves the facts as they stand after the act.
        let base = match data {
            serde_json::Value::Object(m) if m.is_empty() => serde_json::to_value(&next.facts)
                .map_err(|e| Error::Memo(crate::memo::MemoError::Render(memo.clone(), e.to_string())))?,
            other => other.clone(),
        };
        let base = match (info.is_some_and(|i| i.lists_dossier), base) {
            (true, serde_json::Value::Object(mut m)) => {
                let listed = crate::memo::archive::list(set, &store.memos(&next.id).await?);
                m.insert("dossier".into(), serde_json::to_value(listed).unwrap_or_default());
                serde_json::Value::Object(m)
            }
            (_, other) => other,
        };
        let data = with_meta(base, &meta);
        let data_text = audit::canonical_json(&data);
        for r in set.render(memo, &data)? {
            out.memos.push(StoredMemo {
                decision_id: next.id.clone(),
                seq: next.version,
                memo: r.memo,
                lang: r.lang,
                format: r.format,
                body: r.body,
                sha256: r.sha256,
                template_sha256: r.template_sha256,
                data: data_text.clone(),
                created_at: now,
            });
        }
    }
    Ok(out)
}
