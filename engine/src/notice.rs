//! Loading a year's official holiday notice at run time, and what it does to deadlines already set.
//!
//! Deadlines in a year with no notice are computed on the provisional calendar and say so in their basis
//! (`"provisional": true`). When the State Council publishes the notice, an administrator loads its year file
//! (`juece calendar load FILE`); the engine stores it (every replica merges it over the shipped files, at start
//! and as soon as it sees the stored notice count move), recomputes each pending provisional deadline on the new
//! calendar and appends one record to the `calendar` audit chain naming every deadline it moved — all in one
//! transaction (see [`crate::store::calendar`]).
//!
//! A date already announced to the public (a comment period's end) never moves earlier: people were told they may
//! comment until then, so the later of the announced and the recomputed end is kept. Every other deadline follows
//! the official calendar, earlier or later. Each moved row keeps the old and new instants in its basis.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Shanghai;

use crate::actor::Actor;
use crate::audit::{self, AuditRecord};
use crate::calendar::period::{add_working_days, calendar_day_period, PeriodResult};
use crate::calendar::{CalendarError, CalendarStatus, CalendarYear, WorkCalendar};
use crate::procedure::deadline::next_working_occurrence;
use crate::refusal::Refusal;
use crate::store::calendar::{DeadlineChange, NoticeOutcome, StoredNotice, CALENDAR_CHAIN};
use crate::store::{DeadlineRow, Store, StoreError};

#[cfg(test)]
mod tests;

/// Anchors whose instant has been announced to the public, so a recomputation never moves them earlier.
pub const PUBLIC_ANCHORS: [&str; 1] = ["comment_period_end"];

/// The act name of a notice's record in the `calendar` chain.
pub const LOAD_ACT: &str = "calendar.load_notice";

#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error("{year} 年的文件不是正式通知 / the {year} file is not an official notice (status must be \"official\")")]
    NotOfficial { year: i32 },
    #[error("地方补充日历不能作为全国通知载入 / a jurisdiction overlay ({0}) cannot be loaded as a national notice")]
    Overlay(String),
    #[error(
        "{year} 年已载入另一份通知（{existing}）/ a different notice for {year} is already loaded ({existing}); \
         a loaded notice is never replaced"
    )]
    Conflicting { year: i32, existing: String },
    #[error("通知年份为 {found}，而非 {expected} / the notice is for {found}, not {expected}")]
    YearMismatch { expected: i32, found: i32 },
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl NoticeError {
    /// Stable code for scripts and the API.
    pub fn reason_code(&self) -> &str {
        match self {
            NoticeError::Calendar(_) => "calendar_file_invalid",
            NoticeError::NotOfficial { .. } => "calendar_not_official",
            NoticeError::Overlay(_) => "calendar_overlay_not_national",
            NoticeError::Conflicting { .. } => "calendar_year_already_loaded",
            NoticeError::YearMismatch { .. } => "calendar_year_mismatch",
            NoticeError::Refused(r) => r.reason_code(),
            NoticeError::Store(_) => "store_error",
        }
    }

    /// What went wrong, in Chinese and in English (the details are in the error's text).
    pub fn messages(&self) -> (&str, &str) {
        match self {
            NoticeError::Calendar(_) => {
                ("节假日安排文件格式或内容有误", "the holiday notice file is malformed or invalid")
            }
            NoticeError::NotOfficial { .. } => ("只能载入正式通知", "only an official notice can be loaded"),
            NoticeError::Overlay(_) => {
                ("地方补充日历不能作为全国通知载入", "a jurisdiction overlay is not a national notice")
            }
            NoticeError::Conflicting { .. } => {
                ("该年度已载入另一份通知", "a different notice for this year is already loaded")
            }
            NoticeError::YearMismatch { .. } => ("通知年份与所载入的年份不一致", "the notice is for another year"),
            NoticeError::Refused(r) => r.reasons.first().map_or(("", ""), |x| (&x.message_zh, &x.message_en)),
            NoticeError::Store(_) => ("服务器内部错误", "internal server error"),
        }
    }

    /// The specifics in Chinese and English. A calendar file's fault quotes the parser's words (the file, the
    /// line, the value) after the Chinese headline: they are the same in either language.
    pub fn detail(&self) -> crate::refusal::Detail {
        use crate::refusal::Detail;
        match self {
            NoticeError::NotOfficial { year } => Detail::new(
                format!("{year} 年的文件不是正式通知（status 应为 \"official\"）"),
                format!("the {year} file is not an official notice (status must be \"official\")"),
            ),
            NoticeError::Overlay(j) => Detail::new(
                format!("地方补充日历（{j}）不能作为全国通知载入"),
                format!("a jurisdiction overlay ({j}) cannot be loaded as a national notice"),
            ),
            NoticeError::Conflicting { year, existing } => Detail::new(
                format!("{year} 年已载入另一份通知（{existing}），已载入的通知不会被替换"),
                format!(
                    "a different notice for {year} is already loaded ({existing}); a loaded notice is never replaced"
                ),
            ),
            NoticeError::YearMismatch { expected, found } => Detail::new(
                format!("通知年份为 {found}，而非 {expected}"),
                format!("the notice is for {found}, not {expected}"),
            ),
            other => {
                let (zh, _) = other.messages();
                Detail::new(format!("{zh}：{other}"), other)
            }
        }
    }
}

/// What loading a notice did.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeReport {
    pub year: i32,
    pub sha256: String,
    /// False when the same text had been loaded before (nothing was written).
    pub newly_loaded: bool,
    pub calendar_version_before: String,
    pub calendar_version_after: String,
    pub changes: Vec<DeadlineChange>,
}

/// Validate `toml_text` as an official national year file, store it, recompute the pending provisional deadlines
/// on `calendar` with it added, and audit the load. On success `calendar` includes the notice.
pub async fn load_notice(
    store: &dyn Store,
    calendar: &mut WorkCalendar,
    toml_text: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<NoticeReport, NoticeError> {
    let year = CalendarYear::from_toml_str(toml_text, "(notice being loaded)")?;
    if let Some(j) = &year.jurisdiction {
        return Err(NoticeError::Overlay(j.clone()));
    }
    if year.status != CalendarStatus::Official {
        return Err(NoticeError::NotOfficial { year: year.year });
    }
    let before = calendar.version();
    let mut next = calendar.clone();
    next.add_year_file(toml_text).map_err(|e| match e {
        // The shipped files or an earlier load already give this year a different official calendar.
        CalendarError::DuplicateYear { year, other, .. } => NoticeError::Conflicting { year, existing: other },
        e => NoticeError::Calendar(e),
    })?;
    let after = next.version();
    let sha256 = audit::sha256_hex(toml_text.as_bytes());
    let notice = StoredNotice {
        year: year.year,
        toml: toml_text.to_string(),
        sha256: sha256.clone(),
        loaded_at: now,
        loaded_by: actor.user_id.clone(),
    };
    let plan = |row: &DeadlineRow| recompute(row, &next, &before, now);
    let payload = |changes: &[DeadlineChange]| {
        serde_json::json!({
            "year": year.year, "sha256": sha256, "title": year.source.title,
            "calendar_version_before": before, "calendar_version_after": after,
            "moved": changes.iter().map(|c| serde_json::json!({
                "deadline_id": c.deadline_id, "decision_id": c.decision_id, "name": c.name,
                "old_due_at": audit::format_instant(&c.old_due), "new_due_at": audit::format_instant(&c.new_due),
            })).collect::<Vec<_>>(),
        })
    };
    let record = |seq: i64, prev: &str, changes: &[DeadlineChange]| {
        AuditRecord::next(CALENDAR_CHAIN, seq, LOAD_ACT, "", "", actor, now, &payload(changes), vec![], prev)
    };
    let outcome = store.load_calendar_notice(&notice, &plan, &record).await?;
    let (newly_loaded, changes) = match outcome {
        NoticeOutcome::Loaded { changes, .. } => (true, changes),
        NoticeOutcome::AlreadyLoaded => (false, Vec::new()),
        NoticeOutcome::Conflicting { existing_sha256 } => {
            return Err(NoticeError::Conflicting { year: year.year, existing: format!("sha256 {existing_sha256}") })
        }
    };
    *calendar = next;
    Ok(NoticeReport {
        year: year.year,
        sha256,
        newly_loaded,
        calendar_version_before: before,
        calendar_version_after: after,
        changes,
    })
}

/// Add every notice stored in the database to `calendar` (the shipped files were read first). A stored notice that
/// contradicts a shipped official file is an error: the two sources would give different dates.
pub async fn merge_stored(store: &dyn Store, calendar: &mut WorkCalendar) -> Result<usize, NoticeError> {
    let notices = store.calendar_notices().await?;
    for n in &notices {
        calendar.add_year_file(&n.toml)?;
    }
    Ok(notices.len())
}

/// The recomputed `(due, basis)` of a pending deadline on `cal`, or `None` when it does not rest on a provisional
/// calendar or has no period to recount. A reminder or escalation series (a `cron` in the basis) has its pending
/// occurrence re-armed instead ([`rearm_series`]).
pub fn recompute(
    row: &DeadlineRow,
    cal: &WorkCalendar,
    version_before: &str,
    now: DateTime<Utc>,
) -> Option<(DateTime<Utc>, serde_json::Value)> {
    let basis = row.spec.basis.as_object()?;
    if basis.contains_key("cron") {
        return rearm_series(row, cal, version_before, now);
    }
    if basis.get("provisional").and_then(|v| v.as_bool()) != Some(true) {
        return None;
    }
    let start: NaiveDate = serde_json::from_value(basis.get("start")?.clone()).ok()?;
    let result: PeriodResult = match basis.get("rule")?.as_str()? {
        "calendar_days" => calendar_day_period(cal, start, u32::try_from(basis.get("days")?.as_u64()?).ok()?),
        "working_days" => add_working_days(cal, start, u32::try_from(basis.get("count")?.as_u64()?).ok()?),
        _ => return None,
    };
    let public = basis.get("anchor").and_then(|a| a.as_str()).is_some_and(|a| PUBLIC_ANCHORS.contains(&a));
    let old = row.spec.due_at;
    let (new_due, held) = if public && result.ends_at < old { (old, true) } else { (result.ends_at, false) };
    let mut next = basis.clone();
    next.insert("provisional".into(), serde_json::json!(result.provisional));
    next.insert("calendar_version".into(), serde_json::json!(result.calendar_version));
    if !held {
        next.insert("last_day".into(), serde_json::json!(result.last_day));
        if next.contains_key("days") && basis.get("rule")?.as_str()? == "working_days" {
            next.insert("days".into(), serde_json::to_value(&result.days).ok()?);
        }
        if next.contains_key("ends_at") {
            next.insert("ends_at".into(), serde_json::json!(result.ends_at));
        }
    }
    record_recomputation(
        &mut next,
        serde_json::json!({
            "at": audit::format_instant(&now),
            "calendar_version_before": version_before,
            "calendar_version_after": result.calendar_version,
            "old_due_at": audit::format_instant(&old),
            "computed_due_at": audit::format_instant(&result.ends_at),
            "new_due_at": audit::format_instant(&new_due),
            "note": if held {
                "the official calendar gives an earlier end, but the announced date never moves earlier"
            } else {
                "recomputed on the official calendar"
            },
        }),
    );
    Some((new_due, serde_json::Value::Object(next)))
}

/// Append `entry` to the basis' `recomputed` history: every move of a deadline stays explained.
fn record_recomputation(basis: &mut serde_json::Map<String, serde_json::Value>, entry: serde_json::Value) {
    let mut history = basis.get("recomputed").and_then(|h| h.as_array()).cloned().unwrap_or_default();
    history.push(entry);
    basis.insert("recomputed".into(), serde_json::Value::Array(history));
}

/// The pending occurrence of a recurring series moved to the first working-day occurrence of its schedule on
/// `cal` after both `now` and the series' anchor, or `None` when it stays. Its occurrence was chosen on the
/// calendar of its time: on a provisional year it may fall on what the notice makes a rest day (it must not
/// fire then), or pass over a 调休 make-up Sunday (a working day, when it must). An occurrence already due is left
/// to the scheduler, which fires it and re-arms the series on the calendar it holds then.
fn rearm_series(
    row: &DeadlineRow,
    cal: &WorkCalendar,
    version_before: &str,
    now: DateTime<Utc>,
) -> Option<(DateTime<Utc>, serde_json::Value)> {
    let old = row.spec.due_at;
    if old <= now {
        return None;
    }
    let basis = row.spec.basis.as_object()?;
    let schedule: cron::Schedule = basis.get("cron")?.as_str()?.parse().ok()?;
    let anchor = basis.get("anchor_at").and_then(|a| a.as_str()).and_then(|a| DateTime::parse_from_rfc3339(a).ok());
    let after = anchor.map_or(now, |a| a.with_timezone(&Utc).max(now));
    let new_due = next_working_occurrence(&schedule, cal, after)?;
    if new_due == old {
        return None;
    }
    let mut next = basis.clone();
    record_recomputation(
        &mut next,
        serde_json::json!({
            "at": audit::format_instant(&now),
            "calendar_version_before": version_before,
            "calendar_version_after": cal.version(),
            "old_due_at": audit::format_instant(&old),
            "new_due_at": audit::format_instant(&new_due),
            "after": audit::format_instant(&after),
            "provisional": cal.is_provisional(new_due.with_timezone(&Shanghai).date_naive()),
            "note": "the series' next occurrence re-armed on the first working day of the official calendar",
        }),
    );
    Some((new_due, serde_json::Value::Object(next)))
}
