//! Instants as the law reads them: China Standard Time (UTC+8, no daylight saving since 1991), and the end of a
//! day as "24时" of that day, not "0时" of the next — "截至2025年10月9日24时" / "until 24:00 on 9 Oct 2025 (China
//! Standard Time)". Refusals and notices quote instants this way, never as "… UTC".

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Timelike, Utc};

fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The CST day and time of `at`; midnight is 24:00 of the day before, as periods end.
fn parts(at: DateTime<Utc>) -> (NaiveDate, u32, u32, u32) {
    let local = at.with_timezone(&beijing());
    let (h, m, s) = (local.hour(), local.minute(), local.second());
    if (h, m, s) == (0, 0, 0) && local.nanosecond() == 0 {
        (local.date_naive() - Duration::days(1), 24, 0, 0)
    } else {
        (local.date_naive(), h, m, s)
    }
}

/// "2025年10月9日24时", "2026年3月2日9时30分", seconds only when there are any.
pub fn zh(at: DateTime<Utc>) -> String {
    let (d, h, m, s) = parts(at);
    let date = format!("{}年{}月{}日", d.year(), d.month(), d.day());
    match (m, s) {
        (0, 0) => format!("{date}{h}时"),
        (_, 0) => format!("{date}{h}时{m}分"),
        _ => format!("{date}{h}时{m}分{s}秒"),
    }
}

/// "24:00 on 9 Oct 2025 (China Standard Time)", "09:30 on 2 Mar 2026 (China Standard Time)".
pub fn en(at: DateTime<Utc>) -> String {
    let (d, h, m, s) = parts(at);
    let time = if s == 0 { format!("{h:02}:{m:02}") } else { format!("{h:02}:{m:02}:{s:02}") };
    format!("{time} on {} (China Standard Time)", d.format("%-d %b %Y"))
}

/// Both, as a refusal's detail carries them: "截至2025年10月9日24时 / until 24:00 on 9 Oct 2025 (China Standard
/// Time)", the Chinese and English words before each given by the caller.
pub fn both(zh_words: &str, at: DateTime<Utc>, en_words: &str) -> crate::refusal::Detail {
    crate::refusal::Detail::new(format!("{zh_words}{}", zh(at)), format!("{en_words} {}", en(at)))
}

/// A calendar day as the Chinese text writes it: "2025年10月9日".
pub fn day_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A calendar day in English: "9 Oct 2025".
pub fn day_en(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_end_of_a_day_reads_as_24_hours_of_that_day() {
        // 16:00 UTC on 9 October is 00:00 CST on the 10th: the period ran until 24:00 on the 9th.
        let end = Utc.with_ymd_and_hms(2025, 10, 9, 16, 0, 0).single().expect("t");
        assert_eq!(zh(end), "2025年10月9日24时");
        assert_eq!(en(end), "24:00 on 9 Oct 2025 (China Standard Time)");
        assert_eq!(
            both("截至", end, "until").to_string(),
            "截至2025年10月9日24时 / until 24:00 on 9 Oct 2025 (China Standard Time)"
        );
        let day = NaiveDate::from_ymd_opt(2025, 10, 9).expect("d");
        assert_eq!((day_zh(day).as_str(), day_en(day).as_str()), ("2025年10月9日", "9 Oct 2025"));
        let morning = Utc.with_ymd_and_hms(2026, 3, 2, 1, 30, 0).single().expect("t");
        assert_eq!(
            (zh(morning).as_str(), en(morning).as_str()),
            ("2026年3月2日9时30分", "09:30 on 2 Mar 2026 (China Standard Time)")
        );
        let odd = Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 7).single().expect("t");
        assert_eq!(
            (zh(odd).as_str(), en(odd).as_str()),
            ("2027年1月1日7时59分7秒", "07:59:07 on 1 Jan 2027 (China Standard Time)")
        );
        assert!(!en(end).contains("UTC") && !zh(end).contains("UTC"));
    }
}
