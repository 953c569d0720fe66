//! The annual report as a document of the organ: a preview computed from
//! the record whenever it is asked for, until the general office issues it;
//! issuing takes the next number of the organ's report series (示政报, from
//! `memos/manifest.toml`) in the store's numbering, once per organ and
//! year, and freezes the figures under that number. Asking again — to issue
//! or to read — returns the issued report: the same number on the same text.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Asia::Shanghai;

use super::AnnualReport;
use crate::actor::{Actor, Role};
use crate::audit::canonical_json;
use crate::error::Error;
use crate::orchestrator::Engine;
use crate::refusal::{Detail, Reason, Refusal};
use crate::store::reports::{IssueOutcome, IssuedReport};
use crate::store::StoreError;

/// The kind under which the annual report is numbered and stored.
pub const ANNUAL: &str = "annual";
/// The memo whose manifest entry names the report's series.
const MEMO: &str = "annual_report";
/// Issuing is not an article of Decree No. 713: the office's rules for documents (党政机关公文处理工作条例).
const OFFICE_RULES: &str = "Regulations on the Handling of Official Documents Art. 19 (issue by the office)";

/// The report and whether this call issued it.
#[derive(Debug, Clone, PartialEq)]
pub struct Issued {
    pub report: AnnualReport,
    /// False when it had been issued before (nothing was written).
    pub newly: bool,
}

fn refused(code: &str, zh: &str, en: &str, detail: Detail) -> Error {
    Error::Refused(Refusal::one(Reason::new(code, OFFICE_RULES, zh, en).with_detail(detail)))
}

fn from_stored(r: &IssuedReport) -> Result<AnnualReport, Error> {
    serde_json::from_str(&r.data)
        .map_err(|e| Error::Store(StoreError::Corrupt(format!("issued report {} {}: {e}", r.organ, r.report_year))))
}

/// The report as it stands: the issued one if the organ issued it, else a preview counted now (no number).
pub async fn current(engine: &Engine, organ: &str, year: i32, now: DateTime<Utc>) -> Result<AnnualReport, Error> {
    match engine.store().issued_report(organ, ANNUAL, year).await? {
        Some(issued) => from_stored(&issued),
        None => Ok(super::annual(engine, organ, year, now).await?),
    }
}

/// Issue the organ's report for `year` as `actor` (the general office): number it and store it as counted
/// now, with the record's last `anchor` as printed, or return the report issued before. Refused, writing
/// nothing, for another role, a year not yet begun, or an organ the unit directory gives no addressee or 签发人.
pub async fn issue(
    engine: &Engine,
    actor: &Actor,
    organ: &str,
    year: i32,
    now: DateTime<Utc>,
    anchor: Option<String>,
) -> Result<Issued, Error> {
    if !actor.roles.contains(&Role::GeneralOffice) {
        return Err(refused(
            "role_not_permitted",
            "年度报告由办公厅（室）编号印发",
            "the general office issues the annual report",
            Detail::new(
                format!("{}不是办公厅（室）人员", actor.name),
                format!("{} is not of the general office", actor.name),
            ),
        ));
    }
    let this_year = now.with_timezone(&Shanghai).year();
    if year > this_year {
        return Err(refused(
            "report_year_not_started",
            "报告年度尚未开始，不能印发",
            "the year of the report has not begun",
            Detail::new(format!("{year}年度（今年是{this_year}年）"), format!("{year} (this year is {this_year})")),
        ));
    }
    let set = engine.memos("national").ok_or_else(|| Error::UnknownWorkflow("national".into()))?;
    let directory = set.manifest().organ(organ);
    let missing: Vec<&str> = [("superior", &directory.superior), ("signer", &directory.signer)]
        .into_iter()
        .filter(|(_, v)| v.as_deref().is_none_or(|v| v.trim().is_empty()))
        .map(|(f, _)| f)
        .collect();
    let series = set.manifest().series(MEMO, organ);
    if !missing.is_empty() || series.is_none() {
        let fields = if missing.is_empty() { "number".to_string() } else { missing.join(", ") };
        return Err(refused(
            "unit_directory_incomplete",
            "单位名录缺少该机关的主送机关或签发人，报告不能印发",
            "the unit directory lacks this organ's addressee or signer: the report cannot be issued",
            Detail::new(
                format!("manifest.toml 的 [organs] 中{organ}缺少：{fields}"),
                format!("[organs] in manifest.toml lacks for {organ}: {fields}"),
            ),
        ));
    }
    let series = series.unwrap_or_default();
    let mut report = super::annual(engine, organ, year, now).await?;
    report.signer = directory.signer.unwrap_or_default();
    report.anchor = anchor;
    let request = IssuedReport {
        organ: organ.to_string(),
        kind: ANNUAL.into(),
        report_year: year,
        series: series.clone(),
        year: this_year,
        number: 0,
        data: String::new(),
        issued_at: now,
        issued_by: format!("{}（{}，{}）", actor.name, actor.unit, actor.position),
    };
    let manifest = set.manifest();
    let build = |n: i64| {
        let mut r = report.clone();
        r.number = Some(manifest.number_text(MEMO, &series, this_year, n));
        canonical_json(&serde_json::to_value(&r).unwrap_or_default())
    };
    // A number lost to a concurrent issuer (another replica) is asked again; the next try finds the report.
    for _ in 0..8 {
        match engine.store().issue_report(&request, &build).await {
            Ok(IssueOutcome::Issued(r)) => {
                tracing::info!(target: "juece::report", organ, year, number = r.number, by = %actor.user_id, "annual report issued");
                return Ok(Issued { report: from_stored(&r)?, newly: true });
            }
            Ok(IssueOutcome::AlreadyIssued(r)) => return Ok(Issued { report: from_stored(&r)?, newly: false }),
            Err(StoreError::NumberTaken { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::Store(StoreError::Corrupt(format!("the {series} number of {organ} was taken eight times running"))))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::TimeZone;

    use super::*;
    use crate::store::{SqliteStore, Store};

    fn person(roles: Vec<Role>) -> Actor {
        Actor {
            user_id: "u-1".into(),
            name: "王文".into(),
            unit: "示范市人民政府办公室".into(),
            position: "秘书长".into(),
            roles,
            former_units: Vec::new(),
        }
    }

    fn code(e: Error) -> String {
        match e {
            Error::Refused(r) => r.reason_code().to_string(),
            other => panic!("not a refusal: {other}"),
        }
    }

    #[tokio::test]
    async fn the_report_is_numbered_once_and_reads_the_same_ever_after() {
        let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
        store.migrate().await.expect("migrate");
        let store: Arc<dyn Store> = Arc::new(store);
        let engine = crate::memo::tests::engine_on(store.clone()).await;
        let jan = Utc.with_ymd_and_hms(2027, 1, 15, 1, 0, 0).single().expect("time");
        let office = person(vec![Role::GeneralOffice]);
        let organ = "示范市人民政府";
        let refused = issue(&engine, &person(vec![Role::Oversight]), organ, 2026, jan, None).await;
        assert_eq!(refused.map(|_| ()).map_err(code), Err("role_not_permitted".to_string()));
        let refused = issue(&engine, &office, organ, 2028, jan, None).await;
        assert_eq!(refused.map(|_| ()).map_err(code), Err("report_year_not_started".to_string()));
        let refused = issue(&engine, &office, "某县人民政府", 2026, jan, None).await;
        assert_eq!(refused.map(|_| ()).map_err(code), Err("unit_directory_incomplete".to_string()));
        assert_eq!(store.issued_report(organ, ANNUAL, 2026).await.expect("read"), None, "refusals write nothing");
        // A preview has no number.
        assert_eq!(current(&engine, organ, 2026, jan).await.expect("preview").number, None);
        let first = issue(&engine, &office, organ, 2026, jan, Some("anchor #1".into())).await.expect("issued");
        assert!(first.newly);
        let want = (Some("示政报〔2027〕1号"), "李明", Some("anchor #1"), "2027-01-15");
        let r = &first.report;
        assert_eq!((r.number.as_deref(), r.signer.as_str(), r.anchor.as_deref(), r.as_of.as_str()), want);
        // Asked again later, with the record anchored further: the same report, no number taken.
        let later = jan + chrono::Duration::days(30);
        let again = issue(&engine, &office, organ, 2026, later, Some("anchor #9".into())).await.expect("again");
        assert!(!again.newly);
        assert_eq!(again.report, first.report);
        assert_eq!(current(&engine, organ, 2026, later).await.expect("read"), first.report);
        assert_eq!(store.next_number(organ, "示政报", 2027).await.expect("next"), 2);
        // The next report takes the next number of the series.
        let next = issue(&engine, &office, organ, 2025, later, None).await.expect("issued");
        assert_eq!(next.report.number.as_deref(), Some("示政报〔2027〕2号"));
    }
}
