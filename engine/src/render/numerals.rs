//! Numbers as official documents write them in Chinese: 十一, 第十一条,
//! （三）, 二〇二六年. GB/T 9704-2012 writes the 成文日期 and the 发文字号 in
//! Arabic numerals, so these are for article references, item numbering and
//! the few places (纪要, 公告 headings) where a document spells a year out.

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// 0–99999 in Chinese (十一, 一百零五, 二千零二十六); larger numbers as digits.
pub fn cn_number(n: u64) -> String {
    if n >= 100_000 {
        return n.to_string();
    }
    if n < 10 {
        return DIGITS[n as usize].to_string();
    }
    if n < 20 {
        // 十, 十一 … 十九: the leading 一 is dropped.
        return format!("十{}", if n == 10 { "" } else { DIGITS[(n - 10) as usize] });
    }
    let units = [(10_000, "万"), (1_000, "千"), (100, "百"), (10, "十"), (1, "")];
    let mut out = String::new();
    let mut pending_zero = false;
    for (value, name) in units {
        let d = (n / value) % 10;
        if d == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        out.push_str(DIGITS[d as usize]);
        out.push_str(name);
    }
    out
}

/// A year digit by digit: 2026 → 二〇二六.
pub fn cn_year(year: i64) -> String {
    year.to_string().chars().map(|c| if c == '0' { '〇' } else { cn_digit(c) }).collect()
}

fn cn_digit(c: char) -> char {
    c.to_digit(10).and_then(|d| DIGITS[d as usize].chars().next()).unwrap_or(c)
}

/// An article reference as the workflow writes it (`Art. 29(1)`,
/// `Art. 36(1)(2)`, `Arts. 22–23`) in the Chinese form: 第二十九条第一款,
/// 第三十六条第一款第（二）项, 第二十二条至第二十三条. Anything else is returned unchanged.
pub fn cn_article(s: &str) -> String {
    let rest = s.trim().trim_start_matches("Arts.").trim_start_matches("Art.").trim();
    if rest.len() == s.trim().len() {
        return s.to_string();
    }
    if let Some((a, b)) = rest.split_once(['–', '-']) {
        return match (one_article(a.trim()), one_article(b.trim())) {
            (Some(a), Some(b)) => format!("{a}至{b}"),
            _ => s.to_string(),
        };
    }
    one_article(rest).unwrap_or_else(|| s.to_string())
}

fn one_article(s: &str) -> Option<String> {
    let (num, tail) = s.split_at(s.find('(').unwrap_or(s.len()));
    let mut out = format!("第{}条", cn_number(num.trim().parse().ok()?));
    let parts: Vec<&str> = tail.split(['(', ')']).filter(|p| !p.is_empty()).collect();
    for (i, p) in parts.iter().enumerate() {
        let n = cn_number(p.parse().ok()?);
        match i {
            0 => out.push_str(&format!("第{n}款")),
            1 => out.push_str(&format!("第（{n}）项")),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_written_in_chinese() {
        let cases = [
            (0, "零"),
            (7, "七"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (29, "二十九"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1001, "一千零一"),
            (2026, "二千零二十六"),
            (10_010, "一万零一十"),
        ];
        for (n, want) in cases {
            assert_eq!(cn_number(n), want, "{n}");
        }
        assert_eq!(cn_number(123_456), "123456");
    }

    #[test]
    fn years_are_spelled_digit_by_digit() {
        assert_eq!(cn_year(2026), "二〇二六");
        assert_eq!(cn_year(2030), "二〇三〇");
    }

    #[test]
    fn article_references_use_tiao_kuan_xiang() {
        assert_eq!(cn_article("Art. 11"), "第十一条");
        assert_eq!(cn_article("Art. 29(1)"), "第二十九条第一款");
        assert_eq!(cn_article("Art. 36(1)(2)"), "第三十六条第一款第（二）项");
        assert_eq!(cn_article("Arts. 22–23"), "第二十二条至第二十三条");
        assert_eq!(cn_article("GB/T 9704"), "GB/T 9704");
    }
}
