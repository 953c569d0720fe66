//! `juece user …` and `juece token …`: people and API tokens from the
//! command line, and the first administrator on first start. Passwords are
//! read from standard input (`--password-stdin`, or a prompt on a terminal);
//! never from arguments, where `ps` and shell history would show them.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;

use anyhow::{bail, Context};
use chrono::Utc;
use clap::Subcommand;
use juece_engine::actor::Role;
use juece_engine::auth::admin::Placement;
use juece_engine::auth::{Auth, NewUser};
use juece_engine::store::Store;

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user (the password is read from standard input).
    Add {
        /// The login name: 1 to 64 of A-Z a-z 0-9 . _ -, e.g. li.ming.
        name: String,
        /// The user's unit, as the unit directory names it, e.g. 示范市生态环境局: a drafter's access follows it.
        #[arg(long)]
        unit: String,
        /// The user's position, recorded on every act, e.g. 法规科科长.
        #[arg(long)]
        position: String,
        /// A role (repeatable): general_office, drafter, expert, pool_manager, legality_reviewer,
        /// legal_adviser, meeting_member, chief_executive, executing_unit, oversight, administrator.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// The name recorded on acts (defaults to NAME), e.g. 李明.
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from the first line of standard input without prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password: ends the user's sessions and revokes their API tokens.
    Passwd {
        /// The login name of the user.
        name: String,
        /// Read the password from the first line of standard input without prompting.
        #[arg(long)]
        password_stdin: bool,
        /// Keep the user's API tokens (a routine change, not a leaked password).
        #[arg(long)]
        keep_tokens: bool,
    },
    /// Add or remove roles.
    Role {
        /// The login name of the user.
        name: String,
        /// A role to add (repeatable).
        #[arg(long)]
        add: Vec<String>,
        /// A role to remove (repeatable).
        #[arg(long)]
        remove: Vec<String>,
    },
    /// Move a user to another unit or position; acts already recorded keep the old ones.
    Move {
        /// The login name of the user.
        name: String,
        /// The new unit: what the user may read and do follows it.
        #[arg(long)]
        unit: Option<String>,
        /// The new position, e.g. 法规科科长.
        #[arg(long)]
        position: Option<String>,
        /// The name recorded on the user's acts from now on.
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Deactivate a user who left: sign-in refused, sessions ended, API tokens revoked. Never deleted.
    Deactivate {
        /// The login name of the user.
        name: String,
    },
    /// Let a deactivated user sign in again with their password.
    Reactivate {
        /// The login name of the user.
        name: String,
    },
    /// List every user: login, name, unit, position, roles, and whether active.
    List,
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create an API token for NAME and print it (once).
    Create {
        /// The login name of the user the token acts as.
        name: String,
        /// What the token is for, shown in the token list (at most 200 characters).
        #[arg(long, default_value = "")]
        label: String,
    },
}

fn roles(names: &[String]) -> anyhow::Result<Vec<Role>> {
    names.iter().map(|n| Role::parse(n).with_context(|| format!("unknown role `{n}`"))).collect()
}

/// One line of standard input, prompting on a terminal.
fn read_password(prompt_for: &str, no_prompt: bool) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if !no_prompt && stdin.is_terminal() {
        eprint!("password for {prompt_for}: ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        bail!("no password given on standard input");
    }
    Ok(password)
}

pub async fn user(store: Arc<dyn Store>, command: UserCommand) -> anyhow::Result<()> {
    let auth = Auth::new(store.clone());
    match command {
        UserCommand::Add { name, unit, position, roles: r, display_name, password_stdin } => {
            let roles = roles(&r)?;
            let password = read_password(&name, password_stdin)?;
            let new = NewUser { name, display_name, unit, position, roles };
            let u = auth.add_user(new, &password, Utc::now()).await?;
            let r: Vec<&str> = u.roles.iter().map(|r| r.as_str()).collect();
            println!(
                "created user {} ({}, {} of {}) with roles {}",
                u.name,
                u.display_name,
                u.position,
                u.unit,
                r.join(", ")
            );
        }
        UserCommand::Passwd { name, password_stdin, keep_tokens } => {
            let password = read_password(&name, password_stdin)?;
            let revoked = auth.set_password(&name, &password, keep_tokens, Utc::now()).await?;
            if keep_tokens {
                println!("password of {name} changed; their sessions are ended, their API tokens kept");
            } else {
                println!("password of {name} changed; their sessions are ended and {revoked} API token(s) revoked");
            }
        }
        UserCommand::Role { name, add, remove } => {
            let now = auth.change_roles(&name, &roles(&add)?, &roles(&remove)?).await?;
            let r: Vec<&str> = now.iter().map(|r| r.as_str()).collect();
            println!("{name}: {}", r.join(", "));
        }
        UserCommand::Move { name, unit, position, display_name } => {
            if unit.is_none() && position.is_none() && display_name.is_none() {
                bail!("say what changes: --unit, --position or --display-name");
            }
            let u = auth.change_placement(&name, Placement { display_name, unit, position }).await?;
            tracing::info!(target: "juece::audit", by = "command line", user = %name, unit = %u.unit,
                position = %u.position, "user moved");
            println!("{}: {} ({} of {})", u.name, u.display_name, u.position, u.unit);
        }
        UserCommand::Deactivate { name } => {
            let (_, revoked) = auth.deactivate(&name, Utc::now()).await?;
            tracing::info!(target: "juece::audit", by = "command line", user = %name, "user deactivated");
            println!("{name} deactivated: sessions ended, {revoked} API token(s) revoked; the record keeps the user");
        }
        UserCommand::Reactivate { name } => {
            auth.reactivate(&name).await?;
            tracing::info!(target: "juece::audit", by = "command line", user = %name, "user reactivated");
            println!("{name} reactivated: they sign in with their password (create a new token if they need one)");
        }
        UserCommand::List => {
            for u in store.all_users().await? {
                let r: Vec<&str> = u.roles.iter().map(|r| r.as_str()).collect();
                let status = if u.deactivated_at.is_some() { "deactivated" } else { "active" };
                println!("{}\t{}\t{}\t{}\t{}\t{status}", u.name, u.display_name, u.unit, u.position, r.join(","));
            }
        }
    }
    Ok(())
}

pub async fn token(store: Arc<dyn Store>, command: TokenCommand) -> anyhow::Result<()> {
    let TokenCommand::Create { name, label } = command;
    let created = Auth::new(store).create_token(&name, &label, Utc::now()).await?;
    eprintln!("token {} for {name} — shown once, store it now:", created.token.id);
    println!("{}", created.secret);
    Ok(())
}

/// On start: create the administrator named by `JUECE_ADMIN_USER` with
/// `JUECE_ADMIN_PASSWORD` when the database has no user yet. There is no
/// default password: without both variables nothing is created.
pub async fn bootstrap_admin(store: &Arc<dyn Store>) -> anyhow::Result<()> {
    let (Ok(name), Ok(password)) = (std::env::var("JUECE_ADMIN_USER"), std::env::var("JUECE_ADMIN_PASSWORD")) else {
        return Ok(());
    };
    if Auth::new(store.clone()).ensure_first_admin(&name, &password, Utc::now()).await? {
        tracing::info!(user = %name, "created the first administrator from JUECE_ADMIN_USER");
    }
    Ok(())
}
