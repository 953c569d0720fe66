//! `juece unit …`: the unit directory from the command line — add, list, move under another unit, rename. A
//! user's unit must be in it (`juece user add --unit`); an organ the memo templates name takes their 机关代字.

use std::path::Path;
use std::sync::Arc;

use chrono::Utc;
use clap::Subcommand;
use juece_engine::store::Store;
use juece_engine::units::{NewUnit, UnitChange, UnitError, Units};

#[derive(Subcommand, Debug)]
pub enum UnitCommand {
    /// Add a unit to the directory.
    Add {
        /// The unit's name as documents and acts print it, e.g. 示范市生态环境局.
        name: String,
        /// Its 机关代字 for document numbers, e.g. 示环 (an organ of the memo templates takes theirs).
        #[arg(long)]
        code: Option<String>,
        /// The current name of the unit it belongs to, e.g. 示范市人民政府 (access does not follow it upwards).
        #[arg(long)]
        parent: Option<String>,
    },
    /// Every unit: id, name, 机关代字, parent, former names.
    List,
    /// Put a unit under another unit, or on its own.
    Move {
        /// The unit's current name.
        name: String,
        /// The current name of the unit it now belongs to.
        #[arg(long, conflicts_with = "top", required_unless_present = "top")]
        parent: Option<String>,
        /// Belong to no other unit.
        #[arg(long)]
        top: bool,
    },
    /// Rename a unit: it keeps its users and its decisions, and its old name leads to it still.
    Rename {
        /// The unit's current name.
        name: String,
        /// Its new name.
        new_name: String,
        /// A new 机关代字 as well.
        #[arg(long)]
        code: Option<String>,
    },
}

/// The 机关代字 every memo manifest under `workflows` gives its organs.
pub fn directory(store: Arc<dyn Store>, workflows: &Path) -> anyhow::Result<Units> {
    Ok(Units::new(store).with_organ_codes(juece_engine::units::organ_codes_in(workflows)?))
}

pub async fn unit(units: Units, command: UnitCommand) -> anyhow::Result<()> {
    let now = Utc::now();
    let shown = match command {
        UnitCommand::Add { name, code, parent } => units.add(NewUnit { name, code, parent }, now).await,
        UnitCommand::List => {
            for u in units.list().await.map_err(said)? {
                let parent = u.parent_id.unwrap_or_default();
                let code = u.code.unwrap_or_default();
                println!("{}\t{}\t{code}\t{parent}\t{}", u.id, u.name, u.former_names.join("、"));
            }
            return Ok(());
        }
        UnitCommand::Move { name, parent, top: _ } => {
            // `--top` is the absence of a parent (clap requires one of the two).
            units.change_named(&name, UnitChange { parent: Some(parent), ..UnitChange::default() }, now).await
        }
        UnitCommand::Rename { name, new_name, code } => {
            let change = UnitChange { name: Some(new_name), code: code.map(Some), ..UnitChange::default() };
            units.change_named(&name, change, now).await
        }
    };
    let u = shown.map_err(said)?;
    println!("{}\t{}\t{}", u.id, u.name, u.code.unwrap_or_default());
    Ok(())
}

/// A refusal as the command prints it: its reason code and the detail in both languages.
fn said(e: UnitError) -> anyhow::Error {
    match e {
        UnitError::Refused(r) | UnitError::Forbidden(r) => {
            anyhow::anyhow!("{}: {} ({})", r.reason_code, r.detail.unwrap_or_default(), r.message_en)
        }
        other => anyhow::anyhow!(other),
    }
}
