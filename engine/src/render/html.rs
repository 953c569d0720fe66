//! A memo's Markdown as a print-ready A4 HTML page in the layout of GB/T
//! 9704-2012 (党政机关公文格式).
//!
//! The Markdown carries the layout as section markers — HTML comments on a
//! line of their own, `<!-- gbt:mark -->`, invisible in any Markdown viewer —
//! each opening a section that lasts until the next marker. Templates write
//! them; user text cannot, because handlebars escapes `<` in every value, so
//! a marker in the Markdown is always the template's. Each section becomes a
//! `<div class="gbt-NAME">` styled by the page CSS: the red issuing-organ
//! mark, the document number, the red rule line, the title, the addressee,
//! the body, attachments, signature, date and the closing record (版记).
//!
//! Any other raw HTML in the source is shown as text and only http(s) links
//! survive, so nothing a user typed can become markup.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

/// The sections of an official document, in the order GB/T 9704 places them;
/// `annex` is the attached document itself (附件), after the note and before
/// the 版记, starting on a new page.
pub const SECTIONS: [&str; 11] =
    ["mark", "number", "title", "addressee", "body", "attachments", "signature", "date", "note", "annex", "record"];

/// The section a line opens, if it is a marker.
pub fn marker(line: &str) -> Option<&'static str> {
    let name = line.trim().strip_prefix("<!-- gbt:")?.strip_suffix("-->")?.trim();
    SECTIONS.iter().copied().find(|s| *s == name)
}

/// The page's CSS. Each Chinese font stack names, after the faces GB/T 9704 asks for (仿宋, 小标宋, 黑体, 楷体:
/// an office's own machines have them), a TrueType face a Linux server can install (AR PL UMing, Debian's
/// `fonts-arphic-uming`) before Noto CJK: Chromium embeds a TrueType face in a PDF as a font, while Noto CJK's
/// CFF collections print as Type 3 glyph drawings (`api/src/pdf.rs`).
const STYLE: &str = "@page{size:A4;margin:37mm 26mm 35mm 28mm;\
@bottom-center{content:\"— \" counter(page) \" —\";font-family:\"SimSun\",\"宋体\",serif;font-size:14pt}}\
*{box-sizing:border-box}\
body{font-family:\"FangSong\",\"仿宋\",\"FangSong_GB2312\",\"STFangsong\",\"AR PL UMing CN\",\"Noto Serif CJK SC\",\"Source Han Serif SC\",\"SimSun\",serif;\
font-size:16pt;line-height:28.9pt;width:156mm;margin:0 auto;color:#000}\
p{margin:0}\
.gbt-body p,.gbt-body li{text-indent:2em}\
.gbt-body ul,.gbt-body ol{list-style:none;padding:0;margin:0}\
.gbt-mark{font-family:\"FZXiaoBiaoSong-B05S\",\"方正小标宋简体\",\"AR PL UMing CN\",\"Noto Serif CJK SC\",\"SimSun\",serif;color:#d40000;\
font-size:36pt;line-height:1.2;text-align:center;letter-spacing:.05em;margin-top:10mm;white-space:nowrap}\
.gbt-number{text-align:center;margin-top:28.9pt}\
.gbt-rule{border-top:2px solid #d40000;margin:4mm 0 28.9pt}\
.gbt-title h1{font-family:\"FZXiaoBiaoSong-B05S\",\"方正小标宋简体\",\"AR PL UMing CN\",\"Noto Serif CJK SC\",\"SimSun\",serif;font-size:22pt;\
line-height:1.5;text-align:center;font-weight:normal;margin:0 0 28.9pt}\
.gbt-addressee{margin-bottom:0}\
h2{font-family:\"SimHei\",\"黑体\",\"AR PL UMing CN\",\"Noto Sans CJK SC\",sans-serif;font-size:16pt;font-weight:normal;margin:0;text-indent:2em}\
h3{font-family:\"KaiTi\",\"楷体\",\"STKaiti\",serif;font-size:16pt;font-weight:normal;margin:0;text-indent:2em}\
strong{font-weight:normal;font-family:\"SimHei\",\"黑体\",sans-serif}\
.gbt-attachments{margin-top:28.9pt;padding-left:2em}\
.gbt-attachments li{list-style:none}.gbt-attachments ul,.gbt-attachments ol{margin:0;padding-left:3em}\
.gbt-signature{margin-top:57.8pt;text-align:right;padding-right:4em}\
.gbt-date{text-align:right;padding-right:4em}\
.gbt-note{margin-top:28.9pt;padding-left:2em}\
.gbt-annex{break-before:page;margin-top:28.9pt}.gbt-annex>p:first-child{font-family:\"SimHei\",\"黑体\",sans-serif}\
.gbt-annex p{text-indent:2em}.gbt-annex>p:first-child{text-indent:0}\
.gbt-annex h1{font-family:\"FZXiaoBiaoSong-B05S\",\"方正小标宋简体\",\"AR PL UMing CN\",\"Noto Serif CJK SC\",\"SimSun\",serif;font-size:22pt;\
line-height:1.5;text-align:center;font-weight:normal;margin:28.9pt 0}\
.gbt-record{margin-top:57.8pt;border-top:1px solid #000;border-bottom:1px solid #000;font-size:14pt;line-height:1.8;\
padding:0 1em;break-inside:avoid}\
table{border-collapse:collapse;width:100%;font-size:14pt;line-height:1.5;margin:8pt 0}\
td,th{border:1px solid #000;padding:2pt 6pt;text-indent:0;vertical-align:top}\
code{font-family:\"Noto Sans Mono\",monospace;font-size:10pt;word-break:break-all}\
hr{break-after:page;border:0}\
html[lang=en] body{font-family:\"Times New Roman\",\"Liberation Serif\",serif;font-size:12pt;line-height:1.5}\
html[lang=en] .gbt-mark{font-family:\"Times New Roman\",\"Liberation Serif\",serif;font-size:24pt;font-weight:bold;letter-spacing:0;white-space:normal}\
html[lang=en] .gbt-title h1,html[lang=en] .gbt-annex h1{font-family:\"Times New Roman\",\"Liberation Serif\",serif;font-size:16pt;font-weight:bold}\
html[lang=en] h2,html[lang=en] h3,html[lang=en] strong{font-family:inherit;font-weight:bold}\
html[lang=en] .gbt-body p,html[lang=en] .gbt-body li,html[lang=en] h2,html[lang=en] h3{text-indent:0}\
html[lang=en] .gbt-body p{margin:0 0 6pt}\
@media screen{body{padding:20mm 0}}";

pub fn page(markdown: &str, lang: &str) -> String {
    let mut open: Option<&'static str> = None;
    let mut seen_mark = false;
    let mut events = Vec::new();
    // The document's title (its first level-1 heading) names the page, for the tab, the print header and
    // a screen reader.
    let (mut in_title, mut title) = (false, None::<String>);
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Html(s) if marker(&s).is_some() => {
                let name = marker(&s).unwrap_or("body");
                let mut raw = String::new();
                if open.take().is_some() {
                    raw.push_str("</div>\n");
                }
                // The red rule separates the header (mark and number) from the title.
                if name == "title" && seen_mark {
                    raw.push_str("<div class=\"gbt-rule\"></div>\n");
                }
                seen_mark |= name == "mark";
                raw.push_str(&format!("<div class=\"gbt-{name}\">\n"));
                open = Some(name);
                events.push(Event::Html(CowStr::from(raw)));
            }
            Event::Html(s) | Event::InlineHtml(s) => events.push(Event::Text(s)),
            Event::Start(Tag::Link { dest_url, .. })
                if !(dest_url.starts_with("https://") || dest_url.starts_with("http://")) =>
            {
                events.push(Event::Text(CowStr::from("")))
            }
            other => {
                match &other {
                    Event::Start(Tag::Heading { level: pulldown_cmark::HeadingLevel::H1, .. }) if title.is_none() => {
                        in_title = true;
                        title = Some(String::new());
                    }
                    Event::End(pulldown_cmark::TagEnd::Heading(pulldown_cmark::HeadingLevel::H1)) => in_title = false,
                    Event::Text(t) | Event::Code(t) if in_title => title.get_or_insert_with(String::new).push_str(t),
                    _ => {}
                }
                events.push(other)
            }
        }
    }
    if open.is_some() {
        events.push(Event::Html(CowStr::from("</div>\n")));
    }
    let mut body = String::new();
    html::push_html(&mut body, events.into_iter());
    let fallback = if lang == "zh" { "公文" } else { "Document" };
    let title = title.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).unwrap_or_else(|| fallback.into());
    // Escaped as body text by the same writer as the page (a user's words may be in the title).
    let mut title_html = String::new();
    html::push_html(&mut title_html, std::iter::once(Event::Text(CowStr::from(title))));
    let lang = if lang == "zh" { "zh-CN" } else { "en" };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title_html}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
}

/// The entities the renderers write for user text, decoded.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#x27;", "'"), ("&#39;", "'"), ("&#x60;", "`"), ("&#x3D;", "=")]
        .iter()
        .fold(text.to_string(), |t, (from, to)| t.replace(from, to))
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_become_styled_blocks_with_the_red_rule_before_the_title() {
        let md = "<!-- gbt:mark -->\n示范市人民政府文件\n\n<!-- gbt:number -->\n示政发〔2026〕1号\n\n<!-- gbt:title -->\n# 关于某事的决定\n\n<!-- gbt:body -->\n正文。\n";
        let html = page(md, "zh");
        let mark = html.find("<div class=\"gbt-mark\">").expect("mark");
        let rule = html.find("<div class=\"gbt-rule\">").expect("rule");
        let title = html.find("<div class=\"gbt-title\">").expect("title");
        assert!(mark < rule && rule < title, "{html}");
        assert!(html.contains("<p>示政发〔2026〕1号</p>"), "{html}");
        assert!(!html.contains("&lt;!-- gbt"), "markers are consumed, not shown");
    }

    #[test]
    fn the_title_names_the_page_escaped_and_the_document_is_its_main_landmark() {
        let html =
            page("<!-- gbt:title -->\n# 关于&lt;b&gt;停车&lt;/b&gt;管理的通知\n\n<!-- gbt:body -->\n正文。\n", "zh");
        assert!(html.contains("<title>关于&lt;b&gt;停车&lt;/b&gt;管理的通知</title>"), "{html}");
        assert!(html.contains("<main>\n<div class=\"gbt-title\">"), "{html}");
        assert!(page("正文。\n", "en").contains("<title>Document</title>"), "a fallback title");
    }

    #[test]
    fn raw_html_and_unknown_markers_are_shown_as_text() {
        let html = page("<!-- gbt:evil -->\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n", "en");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;!-- gbt:evil --&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }
}
