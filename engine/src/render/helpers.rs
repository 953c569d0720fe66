//! Handlebars helpers for official documents: dates written as
//! 2026年11月26日 in China Standard Time, numbers in Chinese where the
//! layout calls for them (第十一条, （三）, 二〇二六年), lists joined in
//! Chinese, and the engine's codes (`executive`, `lawful`…) as words.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Asia::Shanghai;
use handlebars::{handlebars_helper, Handlebars};

use super::numerals::{cn_article, cn_number, cn_year};

fn parse_day(s: &str) -> Option<NaiveDate> {
    s.parse::<DateTime<Utc>>().map(|t| t.with_timezone(&Shanghai).date_naive()).or_else(|_| s.parse::<NaiveDate>()).ok()
}

/// An ISO date or RFC 3339 instant as 2026年11月26日 (CST for instants).
pub fn date_cn(s: &str) -> String {
    parse_day(s).map(|d| d.format("%Y年%-m月%-d日").to_string()).unwrap_or_else(|| s.to_string())
}

/// The same in English: 26 November 2026.
pub fn date_en(s: &str) -> String {
    parse_day(s).map(|d| d.format("%-d %B %Y").to_string()).unwrap_or_else(|| s.to_string())
}

/// An instant as 2026年3月2日 9时30分 (CST), for notices that name an hour.
pub fn time_cn(s: &str) -> String {
    s.parse::<DateTime<Utc>>()
        .map(|t| t.with_timezone(&Shanghai).format("%Y年%-m月%-d日 %-H时%M分").to_string())
        .unwrap_or_else(|_| date_cn(s))
}

/// The year of a date or instant in CST, spelled out: 二〇二六年.
pub fn year_cn(s: &str) -> String {
    parse_day(s).map(|d| format!("{}年", cn_year(i64::from(d.year())))).unwrap_or_else(|| s.to_string())
}

/// The engine's codes as Chinese words; an unknown code is shown as it is.
pub fn code_zh(code: &str) -> String {
    let word = match code {
        "executive" => "常务会议",
        "plenary" => "全体会议",
        "support" => "同意",
        "oppose" => "不同意",
        "support_with_changes" => "修改后同意",
        "reserve" => "保留意见",
        "adopt" => "通过",
        "reject" => "不予通过",
        "none" => "无多数意见",
        "tie" => "赞成与反对人数相同",
        "counted" => "论证意见计入",
        "excluded_conflict" => "因利害关系回避，意见不予采用",
        "replaced" => "已更换",
        "pending" => "待提交",
        "lawful" => "合法",
        "lawful_subject_to_changes" => "修改后合法",
        "unlawful" => "不合法",
        "exploratory_with_legal_risk" => "探索性改革事项，存在法律风险",
        "adopted" => "采纳",
        "partly" => "部分采纳",
        "not_adopted" => "不予采纳",
        "gazette" => "政府公报",
        "website" => "政府网站",
        "new_media" => "政府网站新媒体",
        "newspaper" => "报刊",
        "radio_tv" => "广播电视",
        "high" => "高风险",
        "medium" => "中风险",
        "low" => "低风险",
        "keep" => "继续执行",
        "adjust" => "调整",
        "stop" => "停止执行",
        "progress" => "执行进展",
        "decision_problem" => "决策本身存在问题",
        "major_change" => "客观情况发生重大变化",
        "force_majeure" => "不可抗力",
        "department" => "所属部门",
        "leader" => "决策机关领导",
        "lower_government" => "下一级人民政府",
        "npc_deputy" => "人大代表",
        "cppcc_member" => "政协委员",
        "citizen" => "公民、法人或者其他组织",
        "not_applicable" => "不适用",
        "already_done" => "已开展",
        "applicable" => "适用",
        "publication_alarm" => "决策公布",
        "legality_review_due" => "合法性审查",
        "comment_period_end" => "公开征求意见",
        "proposal" => "决策启动",
        "drafting" => "决策草案起草",
        "public_participation" => "公众参与",
        "hearing" => "听证",
        "expert_consultation" => "专家论证",
        "risk_assessment" => "风险评估",
        "legality_review" => "合法性审查",
        "submission" => "提请审议",
        "collective_discussion" => "集体讨论决定",
        "decided" => "已作出决定",
        "party_report" => "向党委请示报告",
        "publication" => "决策公布",
        "execution" => "决策执行",
        "suspended" => "中止执行",
        "post_evaluation" => "决策后评估",
        "archive" => "归档",
        "closed" => "已归档结案",
        "not_started" => "不予启动",
        _ => return code.to_string(),
    };
    word.to_string()
}

/// The engine's codes in English words (`lawful_subject_to_changes` → lawful subject to changes).
pub fn code_en(code: &str) -> String {
    match code {
        "executive" => "executive meeting".into(),
        "plenary" => "plenary meeting".into(),
        "gazette" => "government gazette".into(),
        "website" => "government website".into(),
        _ => code.replace('_', " "),
    }
}

handlebars_helper!(date_cn_helper: |s: str| date_cn(s));
handlebars_helper!(date_en_helper: |s: str| date_en(s));
handlebars_helper!(time_cn_helper: |s: str| time_cn(s));
handlebars_helper!(year_cn_helper: |s: str| year_cn(s));
// The items of a list but one: the units that share an undertaking with its lead unit.
handlebars_helper!(others: |items: array, except: Json| {
    serde_json::Value::Array(items.iter().filter(|v| *v != except).cloned().collect())
});
handlebars_helper!(join_cn: |items: array| items.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join("、"));
handlebars_helper!(join_en: |items: array| items.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(", "));
handlebars_helper!(cn_number_helper: |n: u64| cn_number(n));
// `@index` is 0-based: {{cn_index @index}} numbers items 一、二、三.
handlebars_helper!(cn_index: |n: u64| cn_number(n + 1));
handlebars_helper!(cn_item: |n: u64| format!("（{}）", cn_number(n + 1)));
handlebars_helper!(inc: |n: u64| n + 1);
handlebars_helper!(article_cn: |s: str| cn_article(s));
handlebars_helper!(zh_helper: |s: str| code_zh(s));
handlebars_helper!(en_helper: |s: str| code_en(s));
handlebars_helper!(zh_codes: |items: array| items.iter().filter_map(|v| v.as_str()).map(code_zh).collect::<Vec<_>>().join("、"));
handlebars_helper!(en_codes: |items: array| items.iter().filter_map(|v| v.as_str()).map(code_en).collect::<Vec<_>>().join(", "));
handlebars_helper!(short_hash: |s: str| s.chars().take(16).collect::<String>());
handlebars_helper!(len: |items: array| items.len());

pub fn register(h: &mut Handlebars<'_>) {
    h.register_helper("date_cn", Box::new(date_cn_helper));
    h.register_helper("date_en", Box::new(date_en_helper));
    h.register_helper("time_cn", Box::new(time_cn_helper));
    h.register_helper("year_cn", Box::new(year_cn_helper));
    h.register_helper("join_cn", Box::new(join_cn));
    h.register_helper("join_en", Box::new(join_en));
    h.register_helper("cn_number", Box::new(cn_number_helper));
    h.register_helper("cn_index", Box::new(cn_index));
    h.register_helper("cn_item", Box::new(cn_item));
    h.register_helper("inc", Box::new(inc));
    h.register_helper("article_cn", Box::new(article_cn));
    h.register_helper("zh", Box::new(zh_helper));
    h.register_helper("en", Box::new(en_helper));
    h.register_helper("zh_codes", Box::new(zh_codes));
    h.register_helper("en_codes", Box::new(en_codes));
    h.register_helper("short_hash", Box::new(short_hash));
    h.register_helper("len", Box::new(len));
    h.register_helper("others", Box::new(others));
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
        assert_eq!(time_cn("2026-03-02T01:30:00Z"), "2026年3月2日 9时30分");
        assert_eq!(year_cn("2026-12-31T16:00:00Z"), "二〇二七年");
    }

    #[test]
    fn helpers_render_through_handlebars() {
        let mut h = Handlebars::new();
        h.set_strict_mode(true);
        register(&mut h);
        let data = serde_json::json!({ "items": ["a", "b"], "art": "Art. 11", "c": "lawful" });
        let out = h
            .render_template("{{#each items}}{{cn_index @index}}、{{this}} {{/each}}{{article_cn art}} {{zh c}}", &data)
            .expect("renders");
        assert_eq!(out, "一、a 二、b 第十一条 合法");
        assert!(h.render_template("{{zh missing}}", &data).is_err(), "strict: a missing field is an error");
    }
}
