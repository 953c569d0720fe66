//! Every refusal's `detail` is in Chinese and English like its message (issue 16, item 6): "中文 / English",
//! times in China Standard Time as the law reads them, never "… UTC" nor a machine instant. The HTTP client runs
//! this on every problem the tests receive, so every reason any scenario provokes is checked.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// How many details have been checked in this test process (a test that walks reasons reads it).
pub static CHECKED: AtomicUsize = AtomicUsize::new(0);

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// What is wrong with one detail, if anything.
pub fn fault(detail: &str) -> Option<String> {
    CHECKED.fetch_add(1, Ordering::Relaxed);
    if detail.contains("UTC") {
        return Some(format!("a time in UTC, not China Standard Time: {detail}"));
    }
    // 2025-10-09T16:00:00Z and the like: an instant for machines, not as the law reads it.
    let b = detail.as_bytes();
    let instant = b.windows(13).any(|w| {
        w[..4].iter().all(u8::is_ascii_digit) && w[4] == b'-' && w[7] == b'-' && w[10] == b'T' && w[11].is_ascii_digit()
    });
    if instant {
        return Some(format!("a machine timestamp: {detail}"));
    }
    let Some((zh, en)) = detail.split_once(" / ") else {
        return Some(format!("not \"中文 / English\": {detail}"));
    };
    if !has_cjk(zh) {
        return Some(format!("no Chinese before \" / \": {detail}"));
    }
    if !en.chars().any(|c| c.is_ascii_alphabetic()) {
        return Some(format!("no English after \" / \": {detail}"));
    }
    None
}

/// Every fault of a problem+json body: its `detail` and each reason's.
pub fn faults(problem: &Value) -> Vec<String> {
    let reasons = problem["reasons"].as_array().into_iter().flatten().map(|r| &r["detail"]);
    std::iter::once(&problem["detail"]).chain(reasons).filter_map(Value::as_str).filter_map(fault).collect()
}

#[cfg(test)]
mod tests {
    use super::fault;

    #[test]
    fn a_detail_in_one_language_or_in_utc_is_a_fault() {
        assert_eq!(
            fault("征求意见期限截至2026年4月1日24时 / the period runs until 24:00 on 1 Apr 2026 (China Standard Time)"),
            None
        );
        assert!(fault("missing: necessity").is_some());
        assert!(fault("缺少：必要性").is_some());
        assert!(fault("截至 / until 2026-04-01 16:00:00 UTC").is_some());
        assert!(fault("截至2026年 / until 2026-04-01T16:00:00Z").is_some());
    }
}
