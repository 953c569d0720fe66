//! `juece calendar …`: dates for the people who check them. The calendar is the shipped year files with every
//! notice an administrator loaded into the database (`calendar load`, or the API) merged over them, so the command
//! answers as the running servers compute. Output lines are a contract for scripts: the first line is the date,
//! followed by ` (PROVISIONAL: …)` when it rests on a year with no official notice.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::bail;
use chrono::NaiveDate;
use clap::Subcommand;
use juece_engine::calendar::period::{add_working_days, calendar_day_period, PeriodResult};
use juece_engine::calendar::WorkCalendar;

use crate::setup;

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// The date N working days after FROM (FROM not counted).
    WorkingDays {
        /// The day counting starts after, YYYY-MM-DD.
        from: NaiveDate,
        /// How many working days.
        n: u32,
        /// Print each day counted or skipped, with why.
        #[arg(long)]
        explain: bool,
    },
    /// The last day of a calendar-day period under the Civil Code rules.
    Period {
        /// The day the period starts from (not counted), YYYY-MM-DD.
        from: NaiveDate,
        /// The period's length in calendar days.
        days: u32,
        /// Print how the last day was found (a last day on a rest day rolls forward).
        #[arg(long)]
        explain: bool,
    },
    /// Rest days and make-up working days of a year.
    Show {
        /// The year, e.g. 2026.
        year: i32,
    },
    /// Load a newly published year's official notice (a year file, see workflows/calendars/README.md) into the
    /// database: validated, stored for every replica, audited, and the pending provisional deadlines recomputed.
    /// Running servers use it from their next computation, without a restart.
    Load {
        /// The year file of the official notice, e.g. workflows/calendars/2027.toml.
        file: PathBuf,
        /// Who loads it, for the audit record.
        #[arg(long, env = "USER", default_value = "administrator")]
        by: String,
    },
}

/// Runs one calendar command, writing its lines to `out`; the exit code.
pub async fn run(
    database_url: &str,
    workflows: &Path,
    command: CalendarCommand,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    if let CalendarCommand::Load { file, by } = &command {
        return crate::calendar_load::load(database_url, workflows, file, by).await;
    }
    let cal = setup::calendar_with_stored_notices(database_url, workflows).await?;
    print(&cal, command, out)?;
    Ok(0)
}

fn print(cal: &WorkCalendar, command: CalendarCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    let period = |r: &PeriodResult, explain: bool, out: &mut dyn Write| -> std::io::Result<()> {
        let flag = if r.provisional { " (PROVISIONAL: rests on a calendar with no official notice)" } else { "" };
        writeln!(out, "{}{flag}", r.last_day)?;
        if explain {
            for d in &r.days {
                writeln!(out, "  {} {} {}", d.date, if d.counted { "counted" } else { "skipped" }, d.note)?;
            }
            writeln!(
                out,
                "  ends at 24:00 CST = {} UTC; calendar {}",
                r.ends_at.format("%Y-%m-%dT%H:%M:%SZ"),
                r.calendar_version
            )?;
        }
        Ok(())
    };
    match command {
        CalendarCommand::WorkingDays { from, n, explain } => period(&add_working_days(cal, from, n), explain, out)?,
        CalendarCommand::Period { from, days, explain } => {
            if days == 0 {
                bail!("a period has at least one day");
            }
            period(&calendar_day_period(cal, from, days), explain, out)?
        }
        CalendarCommand::Load { .. } => bail!("`calendar load` writes to the database; `run` handles it"),
        CalendarCommand::Show { year } => {
            let info = cal.year_info(year);
            writeln!(out, "{year} {:?} — {}", info.status, info.source.title)?;
            for (d, h) in info.rest_days() {
                writeln!(out, "  {d} rest     {}", h.name)?;
            }
            for (d, h) in info.makeup_days() {
                writeln!(out, "  {d} make-up  {}", h.name)?;
            }
        }
    }
    Ok(())
}
