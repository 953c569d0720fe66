//! The expert pool (Art. 21) and the reproducible random draw of a panel
//! from it. The pool is its own record (procedure `expert_pool`), kept by
//! the pool manager; a decision draws from it through the orchestrator,
//! which hands the pool to the pure step function.

use chrono::{DateTime, Utc};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;

use crate::procedure::acts::{non_blank, HandlerCtx};
use crate::procedure::facts::{ExpertAssignment, ExpertDraw, ExpertPool, IntegrityFact, PoolExpert};
use crate::refusal::Reason;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateIn {
    jurisdiction: String,
    superior: Option<String>,
}

pub(crate) fn create_pool(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let c: CreateIn = ctx.parse()?;
    non_blank(ctx, "jurisdiction", &c.jurisdiction)?;
    ctx.facts.title = format!("{}决策咨询论证专家库", c.jurisdiction);
    ctx.facts.organ = c.jurisdiction.clone();
    ctx.facts.pool = Some(ExpertPool { jurisdiction: c.jurisdiction, superior: c.superior, experts: Vec::new() });
    Ok(())
}

fn pool<'a>(ctx: &'a mut HandlerCtx<'_>) -> Result<&'a mut ExpertPool, Reason> {
    let invalid = ctx.invalid("该记录不是专家库", "this record is not an expert pool");
    ctx.facts.pool.as_mut().ok_or(invalid)
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AdmitIn {
    id: String,
    name: String,
    fields: Vec<String>,
    affiliation: String,
    #[serde(default)]
    official: bool,
    #[serde(default)]
    institution: bool,
}

pub(crate) fn admit_expert(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let a: AdmitIn = ctx.parse()?;
    non_blank(ctx, "id", &a.id)?;
    non_blank(ctx, "name", &a.name)?;
    let duplicate =
        ctx.invalid(format!("专家 `{}` 已在库中", a.id), format!("expert `{}` is already in the pool", a.id));
    let p = pool(ctx)?;
    if p.experts.iter().any(|e| e.id == a.id) {
        return Err(duplicate);
    }
    p.experts.push(PoolExpert {
        id: a.id,
        name: a.name,
        fields: a.fields,
        affiliation: a.affiliation,
        official: a.official,
        institution: a.institution,
        status: "active".into(),
        integrity: Vec::new(),
    });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StatusIn {
    id: String,
    status: String,
    reason: String,
}

const STATUSES: [&str; 4] = ["active", "suspended", "exited", "disqualified"];

/// Suspension, exit and disqualification (取消评估资格, Art. 41) are recorded
/// on the integrity record with their reason; nothing is deleted.
pub(crate) fn set_expert_status(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let s: StatusIn = ctx.parse()?;
    if !STATUSES.contains(&s.status.as_str()) {
        return Err(ctx.invalid(
            format!("状态应为其中之一：{}", STATUSES.join(", ")),
            format!("status must be one of {}", STATUSES.join(", ")),
        ));
    }
    non_blank(ctx, "reason", &s.reason)?;
    let (now, by) = (ctx.now, ctx.who());
    let missing = ctx.invalid(format!("库中没有专家 `{}`", s.id), format!("no expert `{}` in the pool", s.id));
    let e = pool(ctx)?.experts.iter_mut().find(|e| e.id == s.id).ok_or(missing)?;
    e.integrity.push(IntegrityFact {
        kind: format!("status:{}", s.status),
        text: s.reason,
        decision_id: None,
        at: now,
        by,
    });
    e.status = s.status;
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FactIn {
    id: String,
    kind: String,
    text: String,
    decision_id: Option<String>,
}

const FACT_KINDS: [&str; 5] = ["non_submission", "通报批评", "限期整改", "取消评估资格", "note"];

pub(crate) fn record_integrity_fact(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let f: FactIn = ctx.parse()?;
    if !FACT_KINDS.contains(&f.kind.as_str()) {
        return Err(ctx.invalid(
            format!("类型应为其中之一：{}", FACT_KINDS.join(", ")),
            format!("kind must be one of {}", FACT_KINDS.join(", ")),
        ));
    }
    non_blank(ctx, "text", &f.text)?;
    let (now, by) = (ctx.now, ctx.who());
    let missing = ctx.invalid(format!("库中没有专家 `{}`", f.id), format!("no expert `{}` in the pool", f.id));
    let e = pool(ctx)?.experts.iter_mut().find(|e| e.id == f.id).ok_or(missing)?;
    if f.kind == "取消评估资格" {
        e.status = "disqualified".into();
    }
    e.integrity.push(IntegrityFact { kind: f.kind, text: f.text, decision_id: f.decision_id, at: now, by });
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NonSubmissionIn {
    id: String,
    decision_id: String,
    reason: String,
    /// Who replaced the expert, as the decision's record names them.
    by: String,
}

/// EX-8: an expert replaced for not submitting in time. Taken only by the
/// engine, in the transaction of the replacement on the decision: a fact on
/// the integrity record, not a sanction (sanctions are the pool manager's).
pub(crate) fn record_non_submission(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let f: NonSubmissionIn = ctx.parse()?;
    let now = ctx.now;
    let missing = ctx.invalid(format!("库中没有专家 `{}`", f.id), format!("no expert `{}` in the pool", f.id));
    let e = pool(ctx)?.experts.iter_mut().find(|e| e.id == f.id).ok_or(missing)?;
    e.integrity.push(IntegrityFact {
        kind: "non_submission".into(),
        text: f.reason,
        decision_id: Some(f.decision_id),
        at: now,
        by: f.by,
    });
    Ok(())
}

/// The reproducible draw: shuffle the sorted candidate ids with a ChaCha8
/// generator seeded by `seed` and take the first `count`. Same candidates,
/// same seed → same panel, on any machine.
pub fn draw(candidates: &[String], seed: u64, count: usize) -> Vec<String> {
    let mut ids = candidates.to_vec();
    ids.sort();
    ids.dedup();
    ids.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    ids.truncate(count);
    ids
}

/// The seed of a decision's `nth` draw at `now`: the first eight bytes of SHA-256 over the decision, the draw's
/// place and the server's instant to the nanosecond. Nobody who draws can know it in advance (the instant is the
/// server's, at commit), yet it is a pure function of what the record keeps, so a replay of the record and anyone
/// re-running [`draw`] from the recorded candidates and seed get the same panel.
pub fn engine_seed(decision_id: &str, nth: usize, now: DateTime<Utc>) -> u64 {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(decision_id.as_bytes());
    h.update(b"\n");
    h.update(nth.to_le_bytes());
    h.update(now.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true).as_bytes());
    let digest = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DrawIn {
    pool: String,
    /// Never the caller's: a seed chosen by whoever draws would choose the panel (they know the candidates and
    /// can try seeds in advance). The engine derives it (see [`engine_seed`]); a seed sent here is refused.
    #[serde(default)]
    #[allow(dead_code)] // Accepted only to be refused by the gate `art20_draw_seed_chosen`, with its reason.
    seed: Option<u64>,
    count: usize,
    #[serde(default)]
    fields: Vec<String>,
    /// Experts who declared a direct interest in this matter (Art. 20).
    #[serde(default)]
    conflicted: Vec<String>,
    /// The day the drawn experts' opinions are due (EX-8).
    due_on: Option<chrono::NaiveDate>,
}

/// Draw a panel from the named pool and its superiors': active experts in
/// the fields asked, minus declared conflicts. The candidate list and the
/// seed are recorded so the draw can be re-run and checked.
pub(crate) fn draw_experts(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    let d: DrawIn = ctx.parse()?;
    // A seed in the payload is refused by the gate `art20_draw_seed_chosen` before this runs.
    let seed = engine_seed(ctx.decision_id, ctx.facts.draws.len(), ctx.now);
    if d.count == 0 || d.count > 50 {
        return Err(ctx.invalid("抽取人数应在1至50之间", "count must be between 1 and 50"));
    }
    // No pool: refused by the gate `art21_pool_not_found` before this runs.
    let Some((_, own)) = ctx.pools.first() else { return Err(ctx.ungated()) };
    let jurisdiction = own.jurisdiction.clone();
    let on_panel: Vec<String> = ctx.facts.experts.iter().map(|e| e.expert_id.clone()).collect();
    let eligible: Vec<&PoolExpert> = ctx
        .pools
        .iter()
        .flat_map(|(_, p)| p.experts.iter())
        .filter(|e| e.selectable())
        .filter(|e| d.fields.is_empty() || e.fields.iter().any(|f| d.fields.contains(f)))
        .filter(|e| !d.conflicted.contains(&e.id) && !on_panel.contains(&e.id))
        .collect();
    let candidates: Vec<String> = eligible.iter().map(|e| e.id.clone()).collect();
    let chosen = draw(&candidates, seed, d.count);
    for id in &chosen {
        let pool = super::acts::pool_of(ctx.pools, id);
        if let Some(e) = eligible.iter().find(|e| &e.id == id) {
            ctx.facts.experts.push(ExpertAssignment {
                expert_id: e.id.clone(),
                name: e.name.clone(),
                institution: e.institution,
                official: e.official,
                field: e.fields.join("、"),
                conflict: None,
                opinion: None,
                replaced_reason: None,
                excluded_conflict: false,
                replaced_by: None,
                confidentiality_ack: None,
                interest_declared_at: None,
                non_submission: false,
                pool,
                due_on: d.due_on,
            });
        }
    }
    let record = ExpertDraw { pool: d.pool, seed, fields: d.fields, candidates, chosen, at: ctx.now };
    *ctx.memo_data = Some(serde_json::json!({
        "title": ctx.facts.title, "organ": ctx.facts.organ, "draw": record, "pool_jurisdiction": jurisdiction,
    }));
    ctx.facts.draws.push(record);
    Ok(())
}
