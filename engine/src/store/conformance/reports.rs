//! Reports numbered outside any act (the annual report): issued once per
//! organ, kind and year however many ask at once, numbered from the same
//! counters as the acts' documents, and never rewritten.

use std::sync::Arc;

use super::{t0, RawSql};
use crate::store::reports::{IssueOutcome, IssuedReport};
use crate::store::StoreError;

fn report(report_year: i32, by: &str) -> IssuedReport {
    IssuedReport {
        organ: "conf-reports-organ".into(),
        kind: "annual".into(),
        report_year,
        series: "conf报".into(),
        year: 2031,
        number: 0,
        data: String::new(),
        issued_at: t0(),
        issued_by: by.into(),
    }
}

/// Issue as a caller does: a claim lost to a concurrent issuer is asked again.
async fn issue<S: RawSql + ?Sized>(store: &S, r: &IssuedReport) -> IssueOutcome {
    for _ in 0..20 {
        match store.issue_report(r, &|n| format!("{{\"by\":\"{}\",\"number\":{n}}}", r.issued_by)).await {
            Err(StoreError::NumberTaken { .. }) => continue,
            Ok(outcome) => return outcome,
            Err(e) => panic!("issue_report: {e}"),
        }
    }
    panic!("issue_report lost twenty races in a row");
}

pub(super) async fn issued_once<S: RawSql + 'static>(store: Arc<S>) {
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move { issue(&*store, &report(2030, &format!("u{i}"))).await }));
    }
    let mut issued = Vec::new();
    let mut again = Vec::new();
    for t in tasks {
        match t.await.expect("task") {
            IssueOutcome::Issued(r) => issued.push(r),
            IssueOutcome::AlreadyIssued(r) => again.push(r),
        }
    }
    assert_eq!(issued.len(), 1, "one issuer numbers the report: {issued:?}");
    let first = &issued[0];
    assert_eq!(first.number, 1);
    assert_eq!(first.data, format!("{{\"by\":\"{}\",\"number\":1}}", first.issued_by), "the data built for its number");
    assert!(again.iter().all(|r| r == first), "the others get the issued report unchanged: {again:?}");
    let found = store.issued_report("conf-reports-organ", "annual", 2030).await.expect("read");
    assert_eq!(found.as_ref(), Some(first));
    assert_eq!(store.issued_report("conf-reports-organ", "annual", 2029).await.expect("read"), None);
    // The next year's report takes the next number of the series; the counter is the acts' own.
    let IssueOutcome::Issued(second) = issue(&*store, &report(2029, "u9")).await else { panic!("a new report") };
    assert_eq!(second.number, 2);
    assert_eq!(store.next_number("conf-reports-organ", "conf报", 2031).await.expect("next"), 3);
    for sql in [
        "update issued_reports set number = 9".to_string(),
        "delete from issued_reports where organ = 'conf-reports-organ'".to_string(),
    ] {
        match store.execute_raw(&sql).await {
            Ok(n) => panic!("the database accepted `{sql}` ({n} rows)"),
            Err(e) => assert!(e.to_string().contains("append-only"), "`{sql}` refused for the wrong reason: {e}"),
        }
    }
}
