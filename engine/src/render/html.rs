//! A memo's Markdown as a print-ready A4 HTML page. Raw HTML in the source
//! is shown as text and only http(s) links survive, so nothing a user typed
//! can become markup.

use pulldown_cmark::{html, CowStr, Event, Parser, Tag};

const STYLE: &str = "@page{size:A4;margin:37mm 26mm 35mm 28mm}\
body{font-family:\"FangSong\",\"仿宋\",\"STFangsong\",\"Noto Serif CJK SC\",\"SimSun\",serif;font-size:16pt;line-height:28pt;max-width:156mm;margin:auto}\
h1{font-family:\"FZXiaoBiaoSong-B05S\",\"方正小标宋简体\",\"SimSun\",serif;font-size:22pt;text-align:center;font-weight:normal}\
h2{font-family:\"SimHei\",\"黑体\",sans-serif;font-size:16pt;font-weight:normal}\
table{border-collapse:collapse}td,th{border:1px solid #000;padding:2pt 6pt}\
hr{page-break-after:always;border:0}";

pub fn page(markdown: &str, lang: &str) -> String {
    let parser = Parser::new(markdown).map(|event| match event {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::Link { dest_url, .. })
            if !(dest_url.starts_with("https://") || dest_url.starts_with("http://")) =>
        {
            Event::Text(CowStr::from(""))
        }
        other => other,
    });
    let mut body = String::new();
    html::push_html(&mut body, parser);
    let lang = if lang == "zh" { "zh-CN" } else { "en" };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
}
