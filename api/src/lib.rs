//! The juece server and command-line tool. This crate speaks HTTP and the
//! command line; every rule and every query lives in `juece_engine`, and no
//! SQL lives here.
//!
//! * `cli` — the `juece` commands.
//! * `server` — the axum router and its layers; `routes/` the JSON API under `/api/v1`;
//!   `listen` — the accept loop under it (timeouts, a connection cap);
//!   `pages/` the web UI at `/` (server-rendered HTML over the same engine calls).
//! * `demo` — one complete sample decision through the engine.
//! * `setup` — opening the store, the workflows and the calendar from the configuration.

pub mod accountability;
pub mod annual_report;
pub mod calendar_load;
pub mod cli;
pub mod clock;
pub mod delivery;
pub mod demo;
pub mod documents;
pub mod embedded;
pub mod extract;
pub mod idempotency;
pub mod listen;
pub mod mail;
pub mod metrics;
pub mod pages;
pub mod pdf;
pub mod problem;
pub mod ratelimit;
pub mod routes;
pub mod server;
pub mod setup;
pub mod telemetry;
pub mod webhook;
