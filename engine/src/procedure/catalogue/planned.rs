//! A catalogue item's planned time read as its last day (AC-2): the forms a
//! catalogue uses — `2026年第二季度`, `2026年6月`, `2026年上半年`,
//! `2026年下半年` / `2026年底` / `2026年内` — or none.

use chrono::{Datelike, NaiveDate};

/// The last day `text` plans for, if it is one of the known forms.
pub fn last_planned_day(text: &str) -> Option<NaiveDate> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let (year, rest) = text.split_once('年')?;
    let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
    let month = match rest {
        "上半年" => 6,
        "下半年" | "底" | "年底" | "末" | "内" | "全年" => 12,
        _ => match rest.strip_prefix('第').and_then(|q| q.strip_suffix("季度")) {
            Some(q) => 3 * quarter(q)?,
            None => rest.strip_suffix('月')?.parse().ok().filter(|m| (1..=12).contains(m))?,
        },
    };
    let first_of_next = match month {
        12 => NaiveDate::from_ymd_opt(year + 1, 1, 1)?,
        m => NaiveDate::from_ymd_opt(year, m + 1, 1)?,
    };
    first_of_next.pred_opt().filter(|d| d.year() == year)
}

fn quarter(q: &str) -> Option<u32> {
    match q {
        "一" | "1" => Some(1),
        "二" | "2" => Some(2),
        "三" | "3" => Some(3),
        "四" | "4" => Some(4),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn the_forms_a_catalogue_uses() {
        assert_eq!(last_planned_day("2026年第二季度"), day(2026, 6, 30));
        assert_eq!(last_planned_day("2026年第1季度"), day(2026, 3, 31));
        assert_eq!(last_planned_day("2026年第四季度"), day(2026, 12, 31));
        assert_eq!(last_planned_day("2026年2月"), day(2026, 2, 28));
        assert_eq!(last_planned_day("2028年2月"), day(2028, 2, 29));
        assert_eq!(last_planned_day("2026年 上半年"), day(2026, 6, 30));
        assert_eq!(last_planned_day("2026年下半年"), day(2026, 12, 31));
        assert_eq!(last_planned_day("2026年底"), day(2026, 12, 31));
        for unknown in ["适时推进", "2026年第五季度", "2026年13月", "1999年底", "2026", "年底"] {
            assert_eq!(last_planned_day(unknown), None, "{unknown}");
        }
    }
}
