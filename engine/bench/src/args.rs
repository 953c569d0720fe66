//! The command line of `juece-bench`; the flags are part of the contract the test suite runs.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

#[derive(Parser, Debug, Clone)]
#[command(
    name = "juece-bench",
    about = "Decisions through eight acts of Engine::apply beside the fastest bare client on the same database"
)]
pub struct Args {
    /// The database the engine and the baseline both run on.
    #[arg(long, value_enum, default_value = "sqlite")]
    pub store: StoreKind,
    /// `sqlite://FILE` or `postgres://…` (required for PostgreSQL); unset for SQLite: a temp file, removed after.
    /// The run adds its decisions and the baseline's `bench_w8_*` tables: use a throw-away database.
    #[arg(long)]
    pub database_url: Option<String>,
    /// Decisions driven through the eight acts, per concurrency.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    pub n: u64,
    /// Decisions in flight at once (the baseline runs as many clients); a list measures each in turn.
    #[arg(short = 'c', long = "concurrency", value_delimiter = ',', default_values_t = [1, 16])]
    pub c: Vec<usize>,
    /// Engines on the database, each with its own connections, writer and kept records, as replicas of `juece
    /// serve` are; a decision's acts go to them in turn (no routing by record). The W8 lines only. At most 8: each
    /// has a pool of its own, and PostgreSQL takes 100 connections by default.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=8))]
    pub replicas: u64,
    /// Open decisions in the database at which the acts' latency is measured again (`OPEN` lines), e.g.
    /// `1000,10000,100000`; the decision page's reads are timed at the largest (`READS` line).
    #[arg(long, value_delimiter = ',')]
    pub open: Vec<u64>,
    /// Decisions driven through the eight acts, one at a time, at each open count.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
    pub probes: u64,
    /// The workflow definitions and calendars (default: the repository's `workflows/`).
    #[arg(long)]
    pub workflows: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreKind {
    Sqlite,
    Postgres,
}

impl StoreKind {
    pub fn name(self) -> &'static str {
        match self {
            StoreKind::Sqlite => "sqlite",
            StoreKind::Postgres => "postgres",
        }
    }
}
