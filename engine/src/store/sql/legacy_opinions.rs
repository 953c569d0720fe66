//! The one-off upgrade that follows migration 0013: decisions recorded their opinions in their state before then
//! (`facts.opinions`, `facts.feedback`, `facts.hearing_suggestions`). Each is copied into a row through the intake
//! — numbered as it was, linked into its kind's chain, placed in its campaign — with its disposition or the
//! unit's decision on it, once; the state keeps what it recorded. A kind a decision already has rows of is left
//! alone, so the copy can be run again after a crash without a second copy.

use chrono::{DateTime, Utc};

use super::Backend;
use crate::audit::format_instant;
use crate::decision::Decision;
use crate::ledger::cluster::Fingerprint;
use crate::ledger::{new_receipt, Kind, LedgerWrite, Settled, Submission};
use crate::store::opinions::Incoming;
use crate::store::rows::Cols;
use crate::store::StoreError;

const NAME: &str = "legacy_opinions";

/// One opinion as the state recorded it, and what was done with it.
struct Recorded {
    content: String,
    submitter: Option<String>,
    at: DateTime<Utc>,
    settled: Option<(String, String, String, Option<DateTime<Utc>>)>,
}

pub(super) async fn copy(b: &Backend) -> Result<(), StoreError> {
    let done: Option<String> =
        sqlx::query_scalar("select name from upgrades where name = $1").bind(NAME).fetch_optional(&b.writer).await?;
    if done.is_some() {
        return Ok(());
    }
    let found = sqlx::query(
        "select id from decisions where state_json like '%\"opinions\":[{%' \
         or state_json like '%\"feedback\":[{%' or state_json like '%\"hearing_suggestions\":[{%'",
    )
    .fetch_all(&b.writer)
    .await?;
    for r in found {
        let id = r.text("id")?;
        let Some(loaded) = crate::store::Store::load(b, &id).await? else { continue };
        copy_decision(b, &loaded.decision).await?;
    }
    let now = format_instant(&Utc::now());
    sqlx::query("insert into upgrades (name, done_at) values ($1, $2) on conflict (name) do nothing")
        .bind(NAME)
        .bind(now)
        .execute(&b.writer)
        .await?;
    Ok(())
}

async fn copy_decision(b: &Backend, d: &Decision) -> Result<(), StoreError> {
    let f = &d.facts;
    let opinion = |o: &crate::procedure::facts::PublicOpinion| Recorded {
        content: o.content.clone(),
        submitter: o.submitter.clone(),
        at: o.received_at,
        settled: o.disposition.as_ref().map(|x| (x.outcome.clone(), x.reason.clone(), x.by.clone(), None)),
    };
    let suggestion = |s: &crate::procedure::facts::HearingSuggestion| Recorded {
        content: s.content.clone(),
        submitter: s.submitter.clone(),
        at: s.received_at,
        settled: s.decision.as_ref().map(|x| {
            let outcome = if x.hold { "hold" } else { "no_hearing" };
            (outcome.to_string(), x.reason.clone(), x.by.clone(), Some(x.at))
        }),
    };
    let kinds = [
        (Kind::Comment, f.opinions.iter().map(opinion).collect::<Vec<_>>()),
        (Kind::Feedback, f.feedback.iter().map(opinion).collect()),
        (Kind::HearingSuggestion, f.hearing_suggestions.iter().map(suggestion).collect()),
    ];
    let heads = crate::store::opinions::OpinionStore::opinion_heads(b, &d.id).await?;
    for (kind, recorded) in kinds {
        if recorded.is_empty() || heads.iter().any(|(k, n, _)| *k == kind && *n > 0) {
            continue;
        }
        let batch = recorded
            .iter()
            .map(|r| Incoming {
                decision_id: d.id.clone(),
                checked_version: d.version,
                submission: Submission {
                    kind,
                    content: r.content.clone(),
                    submitter: r.submitter.clone(),
                    notice: None,
                },
                received_at: r.at,
                receipt: new_receipt(kind),
                fingerprint: Fingerprint::of(&r.content),
                answer: None,
                notify_at: None,
            })
            .collect();
        for written in super::opinion_intake::receive(b, batch).await? {
            written?;
        }
        // What was done with each, on the row numbered as the state numbered it.
        let writes: Vec<LedgerWrite> = recorded
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let (outcome, reason, by, at) = r.settled.clone()?;
                let settled = Settled { outcome, reason, by, at: at.unwrap_or(r.at), act_seq: 0, via_cluster: false };
                Some(LedgerWrite::Settle { kind, seq: i as i64 + 1, cluster: false, settled })
            })
            .collect();
        let mut tx = b.begin_write().await?;
        super::opinions::apply_writes(&mut tx, &d.id, &writes).await?;
        tx.commit().await?;
    }
    Ok(())
}
