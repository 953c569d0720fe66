//! `juece memo render` and `juece report annual`: the stored memos of a
//! decision, and the annual work report computed from the store. Both print
//! to stdout (Markdown by default, `--format html` for the print page).

use std::path::Path;

use anyhow::{bail, Context};
use chrono::Utc;
use clap::{Subcommand, ValueEnum};
use juece_engine::memo::pages::renditions;
use juece_engine::report;

use crate::annual_report::ReportFormat;
use crate::setup;

#[derive(Subcommand, Debug)]
pub enum MemoCommand {
    /// Print a memo as stored when its act was accepted (the latest, if the act ran more than once).
    Render {
        /// The decision's id.
        decision: String,
        /// The template name (`decision`) or the document type of regulation.md §3 (`D25`).
        memo: String,
        /// The memo's language.
        #[arg(long, value_enum, default_value = "zh")]
        lang: Lang,
        /// Markdown, a printable HTML page, or that page as an A4 PDF with its fonts embedded (printed by the
        /// browser `--browser` / `JUECE_BROWSER` names; written to standard output as bytes).
        #[arg(long, value_enum, default_value = "md")]
        format: Format,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// 年度重大行政决策工作情况报告 of one organ for one year (the same bytes as `GET /api/v1/reports/annual`).
    Annual {
        /// The decision organ, as the unit directory and its decisions name it (e.g. 示范市人民政府); an organ
        /// with neither is an error that lists those that exist.
        #[arg(long)]
        organ: String,
        /// The calendar year the report covers (China Standard Time).
        #[arg(long)]
        year: i32,
        /// The report's language.
        #[arg(long, value_enum, default_value = "zh")]
        lang: Lang,
        /// `md`, `html` (the printable A4 page), `pdf` (that page printed by the `--browser`; bytes) or `csv` (the
        /// counts, one row per figure, for the statistics office).
        #[arg(long, value_enum, default_value = "md")]
        format: ReportFormat,
        /// Write to this file instead of stdout.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Issue the report: number it in the organ's report series (示政报〔2027〕1号) and freeze its figures,
        /// as the general-office user `--by` names. Once per organ and year: issuing again, or asking without
        /// `--issue`, gives the issued report, number and figures unchanged. Without it, before the report is
        /// issued, the output is an unnumbered draft counted now.
        #[arg(long, requires = "by")]
        issue: bool,
        /// The login of the general-office user who issues the report (with `--issue`).
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Lang {
    Zh,
    En,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Format {
    Md,
    Html,
    Pdf,
}

impl Lang {
    fn as_str(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

impl Format {
    fn as_str(self) -> &'static str {
        match self {
            Format::Md => "md",
            // A PDF is printed from the HTML page.
            Format::Html | Format::Pdf => "html",
        }
    }
}

pub async fn memo(database_url: &str, browser: Option<&Path>, command: MemoCommand) -> anyhow::Result<u8> {
    let MemoCommand::Render { decision, memo, lang, format } = command;
    // Before any work: a PDF needs the browser.
    let printer = match (format, browser) {
        (Format::Pdf, None) => bail!("{}", crate::pdf::UNAVAILABLE_EN),
        (Format::Pdf, Some(path)) => Some(crate::pdf::Browser::at(path)?),
        _ => None,
    };
    let store = setup::open_store(database_url).await?;
    // Sealed renditions and the HTML pages of those sealed as Markdown.
    let memos: Vec<_> = renditions(&store.memos(&decision).await?).into_iter().map(|r| r.memo).collect();
    if memos.is_empty() {
        bail!("decision {decision} has no memos (or does not exist)");
    }
    let is_type = |data: &str| {
        serde_json::from_str::<serde_json::Value>(data)
            .ok()
            .and_then(|v| v.pointer("/meta/doc_type").and_then(|t| t.as_str()).map(|t| t.eq_ignore_ascii_case(&memo)))
            .unwrap_or(false)
    };
    let found = memos
        .iter()
        .filter(|m| m.lang == lang.as_str() && m.format == format.as_str())
        .filter(|m| m.memo == memo || is_type(&m.data))
        .max_by_key(|m| m.seq);
    match found {
        Some(m) => {
            match printer {
                Some(browser) => {
                    use std::io::Write;
                    let pdf = browser.print(&m.body).await?;
                    std::io::stdout().write_all(&pdf).context("writing the PDF")?;
                }
                None => print!("{}", m.body),
            }
            Ok(0)
        }
        None => {
            let mut names: Vec<&str> = memos.iter().map(|m| m.memo.as_str()).collect();
            names.dedup();
            bail!("decision {decision} has no memo `{memo}`; it has: {}", names.join(", "))
        }
    }
}

/// The last anchor of the record, as the annual report prints it, so that a
/// published report fixes the record's global head (SECURITY.md); `None`
/// before the first anchor.
pub fn anchor_note(anchoring: &setup::Anchoring) -> anyhow::Result<Option<String>> {
    let Some(key) = anchoring.public_key(None)? else { return Ok(None) };
    let anchors = juece_engine::anchor::log::read_verified(&anchoring.log, &key)?;
    Ok(anchors.last().map(|a| format!("\n\n**记录锚点 / Record anchor** — {}\n", a.summary())))
}

/// The organs a report can be about: those of the unit directory and those that stored decisions name.
async fn known_organs(
    engine: &juece_engine::orchestrator::Engine,
    directory: &juece_engine::memo::manifest::Manifest,
) -> anyhow::Result<std::collections::BTreeSet<String>> {
    let mut known: std::collections::BTreeSet<String> = directory.organs.keys().cloned().collect();
    let store = engine.store();
    for (id, _) in store.versions().await? {
        if let Some(loaded) = store.load(&id).await? {
            known.insert(loaded.decision.facts.organ);
        }
    }
    known.remove("");
    Ok(known)
}

pub async fn report(
    database_url: &str,
    workflows: &Path,
    anchoring: &setup::Anchoring,
    browser: Option<&Path>,
    command: ReportCommand,
) -> anyhow::Result<u8> {
    let ReportCommand::Annual { organ, year, lang, format, out, issue, by } = command;
    // Before any work (an issue writes): a PDF needs the browser.
    let printer = match (format, browser) {
        (ReportFormat::Pdf, None) => bail!("{}", crate::pdf::UNAVAILABLE_EN),
        (ReportFormat::Pdf, Some(path)) => Some(crate::pdf::Browser::at(path)?),
        _ => None,
    };
    let engine = setup::open_engine(database_url, workflows).await?;
    let set = engine.memos("national").context("the national procedure is not loaded")?;
    // A mistyped organ would otherwise report all zeros as if nothing had been decided.
    let known = known_organs(&engine, set.manifest()).await?;
    if !known.contains(&organ) {
        let list: Vec<&str> = known.iter().map(String::as_str).collect();
        bail!("no organ named {organ:?} in the unit directory or the decisions; the organs are: {}", list.join(", "));
    }
    let r = match by.filter(|_| issue) {
        Some(login) => {
            let user = engine.store().user(&login).await?.with_context(|| format!("no user {login:?}"))?;
            let actor = juece_engine::auth::actor_of(&user);
            // A refusal prints its reason code, article and both messages, and writes nothing.
            let issued = engine.issue_annual_report(&actor, &organ, year, Utc::now(), anchor_note(anchoring)?).await?;
            let number = issued.report.number.clone().unwrap_or_default();
            let said = if issued.newly { "issued as" } else { "was issued before as" };
            eprintln!("the {year} report of {organ} {said} {number}");
            issued.report
        }
        None => report::current(&engine, &organ, year, Utc::now()).await?,
    };
    let text = crate::annual_report::render(&engine, &r, lang.as_str(), format, anchor_note(anchoring)?)?;
    let bytes = match printer {
        Some(browser) => browser.print(&text).await?,
        None => text.into_bytes(),
    };
    match out {
        Some(path) => std::fs::write(&path, bytes).with_context(|| path.display().to_string())?,
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes).context("writing the report")?;
        }
    }
    Ok(0)
}
