//! `juece audit who|stances|member|overrides` and `juece dossier
//! export|verify`: the accountability queries for oversight, printed as
//! JSON lines so other tools can read them.

use std::path::PathBuf;

use clap::Subcommand;
use juece_engine::accountability as acc;

use crate::setup;

#[derive(Subcommand, Debug)]
pub enum DossierCommand {
    /// Write a decision's dossier (state, record, memos, manifest of hashes) into DIR.
    Export {
        /// The decision's id.
        decision: String,
        /// The directory to write the dossier into.
        #[arg(long)]
        out: PathBuf,
    },
    /// Verify an exported dossier with nothing but its files and the server's
    /// public key; exit 1 if it fails.
    Verify {
        /// The directory of an exported dossier.
        dir: PathBuf,
        /// The server's public key (hex, or a `.pub` or key file); default: the configured key's.
        #[arg(long)]
        public_key: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum QueryCommand {
    /// Everything a person did (user id or name), with name, unit and position as of each act.
    Who {
        /// A user id or a name as recorded on acts, e.g. li.ming or 李明.
        person: String,
    },
    /// Every member's stance on a decision, in speaking order.
    Stances {
        /// The decision's id.
        decision: String,
    },
    /// Every decision where a member spoke, and how.
    Member {
        /// The member's name as on the meeting's roster, e.g. 郑副市长.
        name: String,
    },
    /// Every override of a soft floor, with its reason.
    Overrides,
    /// An expert's integrity record across pools and decisions.
    Integrity {
        /// The expert's id in the pools.
        expert: String,
    },
}

fn print_lines<T: serde::Serialize>(rows: &[T]) -> anyhow::Result<()> {
    for r in rows {
        println!("{}", serde_json::to_string(r)?);
    }
    Ok(())
}

pub async fn query(database_url: &str, command: QueryCommand) -> anyhow::Result<u8> {
    let store = setup::open_store(database_url).await?;
    let s = store.as_ref();
    match command {
        QueryCommand::Who { person } => print_lines(&acc::acts_by(s, &person).await?)?,
        QueryCommand::Stances { decision } => print_lines(&acc::stances(s, &decision).await?)?,
        QueryCommand::Member { name } => print_lines(&acc::stances_of_member(s, &name).await?)?,
        QueryCommand::Overrides => print_lines(&acc::overrides(s).await?)?,
        QueryCommand::Integrity { expert } => print_lines(&acc::integrity_record(s, &expert).await?)?,
    }
    Ok(0)
}

pub async fn dossier(database_url: &str, anchoring: &setup::Anchoring, command: DossierCommand) -> anyhow::Result<u8> {
    match command {
        DossierCommand::Export { decision, out } => {
            let store = setup::open_store(database_url).await?;
            let key = anchoring.server_key()?;
            // The latest anchor line that holds the decision (a line holds the heads that moved).
            let anchors = juece_engine::anchor::log::read_verified(&anchoring.log, &key.public())?;
            let anchor = anchors.iter().rev().find(|a| a.head(&decision).is_some());
            let now = chrono::Utc::now();
            let m = acc::export_dossier(store.as_ref(), &decision, &out, now, Some(&key), anchor).await?;
            println!(
                "exported {} files for {} to {}, signed by {}",
                m.files.len(),
                m.decision_id,
                out.display(),
                key.public().to_hex()
            );
            Ok(0)
        }
        DossierCommand::Verify { dir, public_key } => {
            let Some(key) = anchoring.public_key(public_key.as_deref())? else {
                println!("FAIL no public key to check the dossier's signature with (give --public-key)");
                return Ok(1);
            };
            verify_dossier(&dir, &key)
        }
    }
}

fn verify_dossier(dir: &std::path::Path, key: &juece_engine::anchor::PublicKey) -> anyhow::Result<u8> {
    match acc::verify_dossier(dir, key) {
        Ok(m) => {
            println!("OK dossier of {}: {} files verified, signed by {}", m.decision_id, m.files.len(), key.to_hex());
            Ok(0)
        }
        Err(e) => {
            println!("FAIL {e}");
            Ok(1)
        }
    }
}
