//! The `juece` commands. Each one opens what it needs through `setup` and
//! calls the engine; output formats here are contracts for scripts.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use juece_engine::bind;
use juece_engine::definition::Workflow;
use juece_engine::render::graph;
use juece_engine::scheduler::{Scheduler, SystemClock};

use crate::setup;

mod audit;
mod backup;
pub mod calendar;
mod units;
mod users;

pub use calendar::CalendarCommand;

#[derive(Parser, Debug)]
#[command(
    name = "juece",
    version,
    about = "Runs major administrative decisions through Decree No. 713, and enforces it"
)]
pub struct Cli {
    /// `sqlite://FILE` (default, created on first start) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://juece.db", global = true)]
    pub database_url: String,
    /// A folder of workflow definitions, profiles, memo templates and calendars that overrides the national ones
    /// built into juece (unset: the built-in ones).
    #[arg(long, env = "JUECE_WORKFLOWS", global = true)]
    pub workflows: Option<PathBuf>,
    /// The server's Ed25519 key, created on first start; it seals every record
    /// and signs anchors and dossiers. Keep it outside the database's reach
    /// (default: `juece-anchor.key` beside a SQLite file, else in the working directory).
    #[arg(long, env = "JUECE_ANCHOR_KEY", global = true)]
    pub anchor_key: Option<PathBuf>,
    /// The append-only anchor log (default: `juece-anchors.jsonl` beside the key's default place).
    #[arg(long, env = "JUECE_ANCHOR_LOG", global = true)]
    pub anchor_log: Option<PathBuf>,
    /// Headless Chromium, for memos as PDF (`GET …/memos/{seq}/<memo>.<lang>.pdf`, `juece memo render --format
    /// pdf`), e.g. /usr/bin/chromium with a CJK font (Debian: fonts-noto-cjk); unset, PDF is unavailable.
    #[arg(long, env = "JUECE_BROWSER", global = true)]
    pub browser: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the HTTP server.
    Serve {
        /// The address and port to listen on.
        #[arg(long, env = "JUECE_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// Session cookies without `Secure`, for plain-HTTP local development only.
        #[arg(long, env = "JUECE_INSECURE_COOKIES")]
        insecure_cookies: bool,
        /// Do not fire deadlines in this process (another replica does).
        #[arg(long, env = "JUECE_NO_SCHEDULER")]
        no_scheduler: bool,
        /// Requests a minute each client (IP address) may make to the public endpoints and sign-in. Raise it when
        /// many people reach juece through one address (a carrier-grade NAT, a government network's proxy).
        #[arg(long, env = "JUECE_PUBLIC_PER_MINUTE", default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..))]
        public_per_minute: u32,
        /// The burst of requests a client may make at once before the per-minute rate applies.
        #[arg(long, env = "JUECE_PUBLIC_BURST", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
        public_burst: u32,
        /// Opinions a second one consultation takes from everyone together (comments, feedback, hearing
        /// suggestions); more are answered 429 with `Retry-After`, so one flood cannot take the whole intake.
        #[arg(long, env = "JUECE_CONSULTATION_PER_SECOND", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..))]
        consultation_per_second: u32,
        /// Hours an `Idempotency-Key` and its answer are kept; a retry after that runs as a new request.
        #[arg(long, env = "JUECE_IDEMPOTENCY_TTL_HOURS", default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..))]
        idempotency_ttl_hours: u32,
        /// Connections served at once; one more is answered 503 and closed (keep it under the descriptor limit).
        #[arg(long, env = "JUECE_MAX_CONNECTIONS", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..))]
        max_connections: u32,
        /// Seconds a client has to send a request's headers (also the longest idle keep-alive).
        #[arg(long, env = "JUECE_HEADER_READ_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
        header_read_timeout_secs: u64,
        /// Seconds without a byte either way after which a connection is closed.
        #[arg(long, env = "JUECE_IDLE_TIMEOUT_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
        idle_timeout_secs: u64,
        /// Seconds between anchors of every chain head written to the anchor log.
        #[arg(long, env = "JUECE_ANCHOR_EVERY_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
        anchor_every_secs: u64,
    },
    /// Create or upgrade the database schema.
    Migrate,
    /// Users: add, list, set a password, change roles, move to another unit or position, deactivate, reactivate.
    User {
        #[command(subcommand)]
        command: users::UserCommand,
    },
    /// The unit directory: add, list, move under another unit, rename. A user's unit must be in it.
    Unit {
        #[command(subcommand)]
        command: units::UnitCommand,
    },
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: users::TokenCommand,
    },
    /// Validate and prove workflow definitions (all under --workflows when no path is given).
    Check {
        /// One definition or profile file; every one under --workflows when omitted.
        path: Option<PathBuf>,
        /// Print the rule → code table (article, acts, reason code, kind, check) of the definitions instead.
        #[arg(long)]
        rules: bool,
    },
    /// Draw a workflow's stage graph.
    Graph {
        /// The workflow definition file, e.g. workflows/national/workflow.toml.
        path: PathBuf,
        /// Graphviz DOT, an SVG drawn without Graphviz, or Mermaid.
        #[arg(long, value_enum, default_value = "dot")]
        format: GraphFormat,
    },
    /// The tamper-evident record.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// A decision's dossier: export it, or verify an export offline.
    Dossier {
        #[command(subcommand)]
        command: crate::accountability::DossierCommand,
    },
    /// A consistent copy of a SQLite database into a new file, taken while
    /// serving, and verified (PostgreSQL: prints the pg_dump procedure).
    Backup {
        /// The new file to write the copy to (it must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Put a backup in place of the SQLite database, only if it verifies
    /// (PostgreSQL: prints the pg_restore procedure).
    Restore {
        /// The backup file to restore (as `juece backup --out` wrote it).
        #[arg(long)]
        from: PathBuf,
        /// Replace an existing database (stop `juece serve` first).
        #[arg(long)]
        force: bool,
    },
    /// Run one complete sample decision through the engine.
    Demo {
        /// Write each memo of the sample decision here (HTML and Markdown).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print a decision's memo (`juece memo render DECISION MEMO`).
    Memo {
        #[command(subcommand)]
        command: crate::documents::MemoCommand,
    },
    /// Reports computed from the stored data (`juece report annual --organ … --year …`).
    Report {
        #[command(subcommand)]
        command: crate::documents::ReportCommand,
    },
    /// Working-day calendar and statutory periods.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check every chain, seal, state and memo in one snapshot, against the
    /// anchor log; name each broken record.
    Verify {
        /// The server's public key (hex, or a `.pub` or key file); default: the configured key's.
        #[arg(long)]
        public_key: Option<String>,
    },
    /// Sign every chain head now and append it to the anchor log.
    Anchor,
    /// Accountability queries (JSON lines).
    #[command(flatten)]
    Query(crate::accountability::QueryCommand),
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum GraphFormat {
    Dot,
    Svg,
    Mermaid,
}

/// Run a command; the result is the process exit code (0 success, 1 a
/// failed check or verification).
pub async fn run(cli: Cli) -> anyhow::Result<u8> {
    // Before anything is created (a database file, a key): a wrong folder fails first, saying where it looked.
    let workflows = crate::embedded::workflows_dir(cli.workflows.as_deref())?;
    let anchoring = cli.anchoring();
    match cli.command {
        Command::Serve {
            bind,
            insecure_cookies,
            no_scheduler,
            public_per_minute,
            public_burst,
            consultation_per_second,
            idempotency_ttl_hours,
            max_connections,
            header_read_timeout_secs,
            idle_timeout_secs,
            anchor_every_secs,
        } => {
            let key = anchoring.server_key()?;
            // Refuses to serve on definitions that do not prove.
            let engine = setup::open_sealed_engine(&cli.database_url, &workflows, Some(key.clone())).await?;
            let engine = std::sync::Arc::new(engine);
            let store = engine.store().clone();
            // The first anchor on start vouches for records written before the key existed.
            juece_engine::anchoring::anchor_now(store.as_ref(), &key, &anchoring.log, chrono::Utc::now())
                .await
                .with_context(|| format!("anchoring to {}", anchoring.log.display()))?;
            let listener = tokio::net::TcpListener::bind(&bind).await.with_context(|| format!("binding {bind}"))?;
            tracing::info!(addr = %listener.local_addr()?, database = %setup::redact(&cli.database_url), "juece serving");
            let stop = tokio_util::sync::CancellationToken::new();
            let config = crate::server::ServerConfig {
                insecure_cookies,
                public_per_minute,
                public_burst,
                consultation_per_second,
                idempotency_ttl: chrono::Duration::hours(i64::from(idempotency_ttl_hours)),
                connections: crate::listen::ConnLimits {
                    header_read_timeout: std::time::Duration::from_secs(header_read_timeout_secs),
                    idle_timeout: std::time::Duration::from_secs(idle_timeout_secs),
                    max_connections: max_connections as usize,
                },
                anchoring: Some(anchoring.clone()),
                browser: cli.browser.as_deref().map(crate::pdf::Browser::at).transpose()?,
                ..Default::default()
            };
            let state = crate::server::AppState::new(engine.clone(), config, crate::clock::Clock::system())?;
            let scheduler = (!no_scheduler).then(|| {
                let s = Scheduler::new(engine.clone(), std::sync::Arc::new(SystemClock))
                    .with_observer(state.metrics.clone());
                let stop = stop.clone();
                tokio::spawn(async move { s.run(stop).await })
            });
            // Webhooks and e-mail, when configured; the in-app inbox needs no worker.
            let delivery = crate::delivery::from_env(store.clone())?.map(|d| {
                let stop = stop.clone();
                tokio::spawn(async move { d.run(stop, crate::delivery::POLL).await })
            });
            let anchoring_task = {
                let (store, stop) = (store.clone(), stop.clone());
                let every = std::time::Duration::from_secs(anchor_every_secs);
                tokio::spawn(juece_engine::anchoring::keep_anchoring(store, key, anchoring.log, every, stop))
            };
            let served = {
                users::bootstrap_admin(&store).await?;
                crate::server::serve(listener, state).await
            };
            stop.cancel();
            anchoring_task.await.context("the anchoring task failed")?;
            if let Some(task) = scheduler {
                task.await.context("the scheduler task failed")?;
            }
            if let Some(task) = delivery {
                task.await.context("the delivery task failed")?;
            }
            served?;
            Ok(0)
        }
        Command::User { command } => {
            users::user(setup::open_store(&cli.database_url).await?, command).await?;
            Ok(0)
        }
        Command::Unit { command } => {
            let units = units::directory(setup::open_store(&cli.database_url).await?, &workflows)?;
            units::unit(units, command).await?;
            Ok(0)
        }
        Command::Token { command } => {
            users::token(setup::open_store(&cli.database_url).await?, command).await?;
            Ok(0)
        }
        Command::Migrate => {
            let store = setup::open_store(&cli.database_url).await?;
            println!("migrated: {} (ready: {})", setup::redact(&cli.database_url), store.ready().await?);
            Ok(0)
        }
        Command::Check { path, rules } => Ok(check(&workflows, path, rules)),
        Command::Graph { path, format } => {
            let wf = load_one(&path, &workflows)?;
            let out = match format {
                GraphFormat::Dot => graph::dot(&wf),
                GraphFormat::Mermaid => graph::mermaid(&wf),
                GraphFormat::Svg => graph::svg(&wf).map_err(anyhow::Error::msg)?,
            };
            print!("{out}");
            Ok(0)
        }
        Command::Audit { command: AuditCommand::Verify { public_key } } => {
            audit::verify(&cli.database_url, &anchoring, public_key.as_deref()).await
        }
        Command::Audit { command: AuditCommand::Anchor } => audit::anchor(&cli.database_url, &anchoring).await,
        Command::Audit { command: AuditCommand::Query(q) } => crate::accountability::query(&cli.database_url, q).await,
        Command::Dossier { command } => crate::accountability::dossier(&cli.database_url, &anchoring, command).await,
        Command::Backup { out } => backup::backup(&cli.database_url, &anchoring, &out).await,
        Command::Restore { from, force } => backup::restore(&cli.database_url, &anchoring, &from, force).await,
        Command::Demo { out } => {
            let key = anchoring.server_key()?;
            let engine = setup::open_sealed_engine(&cli.database_url, &workflows, Some(key)).await?;
            crate::demo::run(&engine, out.as_deref(), &mut std::io::stdout()).await?;
            Ok(0)
        }
        Command::Memo { command } => crate::documents::memo(&cli.database_url, cli.browser.as_deref(), command).await,
        Command::Report { command } => {
            crate::documents::report(&cli.database_url, &workflows, &anchoring, cli.browser.as_deref(), command).await
        }
        Command::Calendar { command } => {
            calendar::run(&cli.database_url, &workflows, command, &mut std::io::stdout()).await
        }
    }
}

impl Cli {
    /// Where this invocation's server key and anchor log are.
    pub fn anchoring(&self) -> setup::Anchoring {
        setup::Anchoring::resolve(&self.database_url, self.anchor_key.as_deref(), self.anchor_log.as_deref())
    }
}

fn load_one(path: &std::path::Path, workflows: &std::path::Path) -> anyhow::Result<Workflow> {
    bind::load_path(path, workflows)
        .map_err(|errs| anyhow::anyhow!(errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")))
}

/// Prints one block per definition (or, with `rules`, their rule → code table); exit 0 only when every one
/// proves.
fn check(workflows: &std::path::Path, path: Option<PathBuf>, rules: bool) -> u8 {
    let result = match &path {
        Some(p) => bind::load_path(p, workflows).map(|w| vec![w]),
        None => bind::load_dir(workflows),
    };
    match result {
        Ok(list) if rules => {
            print!("{}", juece_engine::rules::markdown(&juece_engine::rules::table(&list), None));
            0
        }
        Ok(list) => {
            for w in &list {
                print_proof(w);
            }
            println!("{} definition(s) proven", list.len());
            0
        }
        Err(errors) => {
            for e in &errors {
                println!("ERROR {e}");
            }
            println!("{} error(s)", errors.len());
            1
        }
    }
}

fn print_proof(w: &Workflow) {
    let j = w.jurisdiction.as_deref().map(|j| format!(" [{j}]")).unwrap_or_default();
    println!("{} v{}{} — {} ({})", w.key, w.version, j, w.title_zh, w.source.display());
    println!(
        "  {} stages, {} acts, {} gates, {} deadlines",
        w.stages.len(),
        w.acts.len(),
        w.gates.len(),
        w.deadlines.len()
    );
    for o in &w.proof.obligations {
        println!("  PROVEN {} — {}", o.article, o.statement);
    }
    println!("  on every path to the decision: {}", w.proof.decision_dominators.join(" → "));
    println!("  on every path to publication: {}", w.proof.publication_dominators.join(" → "));
}
