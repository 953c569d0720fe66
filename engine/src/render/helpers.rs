//! Handlebars helpers for official documents: dates written as
//! 2026年11月26日 in China Standard Time, and lists joined in Chinese.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Shanghai;
use handlebars::{handlebars_helper, Handlebars};

/// An ISO date or RFC 3339 instant as 2026年11月26日 (CST for instants).
pub fn date_cn(s: &str) -> String {
    let date =
        s.parse::<DateTime<Utc>>().map(|t| t.with_timezone(&Shanghai).date_naive()).or_else(|_| s.parse::<NaiveDate>());
    match date {
        Ok(d) => d.format("%Y年%-m月%-d日").to_string(),
        Err(_) => s.to_string(),
    }
}

/// The same in English: 26 November 2026.
pub fn date_en(s: &str) -> String {
    let date =
        s.parse::<DateTime<Utc>>().map(|t| t.with_timezone(&Shanghai).date_naive()).or_else(|_| s.parse::<NaiveDate>());
    match date {
        Ok(d) => d.format("%-d %B %Y").to_string(),
        Err(_) => s.to_string(),
    }
}

handlebars_helper!(date_cn_helper: |s: str| date_cn(s));
handlebars_helper!(date_en_helper: |s: str| date_en(s));
handlebars_helper!(join_cn: |items: array| items.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join("、"));
handlebars_helper!(join_en: |items: array| items.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(", "));

pub fn register(h: &mut Handlebars<'_>) {
    h.register_helper("date_cn", Box::new(date_cn_helper));
    h.register_helper("date_en", Box::new(date_en_helper));
    h.register_helper("join_cn", Box::new(join_cn));
    h.register_helper("join_en", Box::new(join_en));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_dated_in_china_standard_time() {
        // 16:30 UTC on the 25th is 00:30 on the 26th in Beijing.
        assert_eq!(date_cn("2026-11-25T16:30:00Z"), "2026年11月26日");
        assert_eq!(date_cn("2026-01-05"), "2026年1月5日");
        assert_eq!(date_en("2026-01-05"), "5 January 2026");
    }
}
