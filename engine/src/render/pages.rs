//! How many A4 pages a memo fills when printed in the GB/T 9704 layout,
//! estimated from its Markdown: the standard's text block holds 22 lines of
//! 28 characters (16 pt 仿宋 on 156 mm × 225 mm). An estimate, not a print
//! count: it is deterministic (the archive list that prints it re-renders
//! byte for byte from its data) and needs no browser, and it errs on the
//! long side so the archivist does not under-count pages.

use super::html::marker;

/// Lines of text on one page (GB/T 9704-2012 §5.2.2).
pub const LINES_PER_PAGE: u32 = 22;
/// Characters on one line.
pub const CHARS_PER_LINE: u32 = 28;

/// Width of a character in half-width units: a CJK character or full-width
/// punctuation takes one place on the grid (2), Latin letters and digits half (1).
fn width(c: char) -> u32 {
    if c.is_ascii() {
        1
    } else {
        2
    }
}

/// Lines a run of text takes at `chars` characters per line, at least one.
fn lines(text: &str, chars: u32) -> u32 {
    let w: u32 = text.chars().map(width).sum();
    w.div_ceil(chars * 2).max(1)
}

/// The pages of a memo's Markdown. The 版头 (mark, number, red rule) and the
/// title use larger type and blank lines around them; an annex begins on a new
/// page (`break-before: page` in the page CSS); table rows take one or more
/// lines of the slightly smaller table type.
pub fn estimate(markdown: &str) -> u32 {
    let mut pages = 0u32;
    let mut used = 0u32;
    let mut section = "body";
    for raw in markdown.lines() {
        let line = raw.trim();
        if let Some(name) = marker(line) {
            section = name;
            if name == "annex" && used > 0 {
                pages += 1;
                used = 0;
            }
            // The blank line GB/T 9704 leaves before the title, the signature and the note.
            if matches!(name, "title" | "signature" | "note" | "attachments") {
                add(1, &mut used, &mut pages);
            }
            continue;
        }
        if line.is_empty() || line.starts_with("|---") || line.starts_with("| ---") {
            continue;
        }
        let n = match section {
            // 36 pt mark: about 2 lines of 16 pt each, plus the space above.
            "mark" => 3,
            // 22 pt title: about 20 characters a line, one line and a half each.
            "title" => (lines(line.trim_start_matches('#').trim(), 20) * 3).div_ceil(2),
            // The 版记 is 14 pt between rules.
            "record" => lines(line, 31),
            // A table row at 14 pt, about 31 characters a line, less the borders.
            _ if line.starts_with('|') => lines(line, 28),
            _ => lines(line.trim_start_matches('#').trim(), CHARS_PER_LINE),
        };
        add(n, &mut used, &mut pages);
    }
    pages + u32::from(used > 0 || pages == 0)
}

/// `n` more lines: a page that overflows is counted and the rest carried over.
fn add(n: u32, used: &mut u32, pages: &mut u32) {
    *used += n;
    while *used > LINES_PER_PAGE {
        *pages += 1;
        *used -= LINES_PER_PAGE;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_holds_twenty_two_lines_of_twenty_eight_characters() {
        let line = "字".repeat(28);
        let one_page = vec![line.as_str(); 22].join("\n\n");
        assert_eq!(estimate(&format!("<!-- gbt:body -->\n{one_page}")), 1);
        let more = vec![line.as_str(); 23].join("\n\n");
        assert_eq!(estimate(&format!("<!-- gbt:body -->\n{more}")), 2);
        // A 29th character wraps to a second line: 12 such paragraphs are 24 lines.
        let long = vec!["字".repeat(29); 12].join("\n\n");
        assert_eq!(estimate(&format!("<!-- gbt:body -->\n{long}")), 2);
        // Latin text is half as wide.
        assert_eq!(lines(&"a".repeat(56), CHARS_PER_LINE), 1);
    }

    #[test]
    fn an_annex_starts_on_a_new_page() {
        let md = "<!-- gbt:title -->\n# 通知\n\n<!-- gbt:body -->\n正文。\n\n<!-- gbt:annex -->\n附件\n\n文本。\n";
        assert_eq!(estimate(md), 2);
        assert_eq!(estimate("<!-- gbt:title -->\n# 通知\n\n<!-- gbt:body -->\n正文。\n"), 1);
    }
}
