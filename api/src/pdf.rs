//! Memos as PDF: the memo's A4 HTML page printed by headless Chromium, an
//! optional dependency (`--browser` / `JUECE_BROWSER`, e.g. Debian's
//! `chromium` with `fonts-noto-cjk`). Without one configured, PDF is
//! answered "unavailable" and everything else works.
//!
//! Why a browser and not a crate: a memo is Chinese text in the GB/T 9704
//! layout, which needs font fallback, shaping, CJK line breaking (禁则),
//! tables and the print CSS (`@page` A4 margins, page-number boxes, page
//! breaks before an annex). The PDF crates that are kept up (printpdf,
//! lopdf, krilla) place glyphs someone else has laid out; the layout engines
//! that lay out HTML and CSS with CJK are browsers. Chromium prints the same
//! page a reader saves from the browser, embeds the subset fonts it used
//! (TrueType faces as fonts; a CFF collection such as Noto CJK as Type 3
//! glyph drawings, hence AR PL UMing in the page's font stacks), and its
//! A4 is exact.
//!
//! The page is printed from a private temporary folder with a content
//! security policy that forbids scripts and every load, so the print sees
//! only the stored bytes; a print that takes too long is killed.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::{bail, Context};
use tokio::sync::Semaphore;

/// Longest a print may take (a memo prints in about a second).
const TIMEOUT: Duration = Duration::from_secs(60);

/// Prints at once: each is a browser process of a few hundred megabytes.
fn permits() -> &'static Semaphore {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| Semaphore::new(2))
}

/// Shown when PDF is asked for and no browser is configured.
pub const UNAVAILABLE_EN: &str = "PDF needs headless Chromium: start juece with --browser PATH or JUECE_BROWSER=PATH \
     (Debian: apt-get install chromium fonts-arphic-uming fonts-noto-cjk, then JUECE_BROWSER=/usr/bin/chromium)";
pub const UNAVAILABLE_ZH: &str = "PDF 需要无界面 Chromium：以 --browser 路径或 JUECE_BROWSER 环境变量指定\
     （Debian：安装 chromium、fonts-arphic-uming 和 fonts-noto-cjk）";

/// A configured browser, checked to exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Browser(PathBuf);

impl Browser {
    /// The browser at `path`, or an error naming it when there is no such file.
    pub fn at(path: &Path) -> anyhow::Result<Browser> {
        if !path.is_file() {
            bail!("--browser / JUECE_BROWSER: no browser at {}", path.display());
        }
        Ok(Browser(path.to_path_buf()))
    }

    /// Print an HTML page to PDF bytes.
    pub async fn print(&self, html: &str) -> anyhow::Result<Vec<u8>> {
        let _permit = permits().acquire().await.context("the PDF printer is shut down")?;
        let dir = tempfile::tempdir().context("a temporary folder for the print")?;
        let page = dir.path().join("memo.html");
        let out = dir.path().join("memo.pdf");
        std::fs::write(&page, locked(html)).context("writing the page to print")?;
        let mut cmd = tokio::process::Command::new(&self.0);
        cmd.arg("--headless")
            .args(["--disable-gpu", "--disable-dev-shm-usage", "--disable-extensions", "--no-first-run"])
            .args(["--no-default-browser-check", "--no-pdf-header-footer"])
            .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
            .arg(format!("--print-to-pdf={}", out.display()))
            .arg(format!("file://{}", page.display()))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        // Chromium's sandbox cannot start as root (a container's usual user): the page is ours and inert anyway.
        if running_as_root() {
            cmd.arg("--no-sandbox");
        }
        let run = cmd.output();
        let output = match tokio::time::timeout(TIMEOUT, run).await {
            Ok(output) => output.with_context(|| format!("starting {}", self.0.display()))?,
            Err(_) => bail!("the browser did not print within {} s", TIMEOUT.as_secs()),
        };
        let pdf = std::fs::read(&out).unwrap_or_default();
        if !pdf.starts_with(b"%PDF-") {
            let err = String::from_utf8_lossy(&output.stderr);
            bail!("the browser printed no PDF ({}): {}", output.status, err.lines().last().unwrap_or_default());
        }
        Ok(pdf)
    }
}

/// The page with a policy that forbids scripts and every load (the HTTP header does not reach a file).
fn locked(html: &str) -> String {
    let policy =
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">";
    match html.find("<head>") {
        Some(i) => format!("{}{policy}{}", &html[..i + 6], &html[i + 6..]),
        None => format!("{policy}{html}"),
    }
}

fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_page_forbids_scripts_and_loads() {
        let page = locked("<!DOCTYPE html>\n<html><head>\n<style></style></head><body>x</body></html>");
        let head = page.split("</head>").next().unwrap_or_default();
        assert!(head.contains("Content-Security-Policy") && head.contains("default-src 'none'"), "{page}");
        assert!(Browser::at(Path::new("/no/such/browser")).is_err());
    }
}
