//! The integration suite, one binary. Table of contents:
//!
//! * `definitions` — every file in `workflows/` proves; broken copies are
//!   refused with the offending path; profiles may only tighten.
//! * `demo` — the complete sample decision through the engine on SQLite
//!   (and PostgreSQL when configured); tampering with one byte of the record
//!   is detected and the record named.
//! * `accountability` — who did what, stances, overrides; the dossier export
//!   verified offline, and tampering with it detected.
//! * `forgery` — a DBA's rewrites of the record (a cut-back tail, a forged
//!   append, a re-chained chain, an edited state or stage, a deleted memo or
//!   decision), each named by `audit verify` against the server key and the
//!   anchor log.
//! * `pool` — the expert pool: superior-pool fallback, the reproducible draw,
//!   exited and disqualified experts refused; Art. 37 adjustments as child
//!   decisions and suspension.
//! * `integrity` — EX-8/A13: a non-submission reaches the pool record in the
//!   replacement's transaction, or nothing is written.
//! * `adjustments` — AD-1/PE-4: a child decision and its parent's link in
//!   one transaction; opened on a post-evaluation's recommendation.
//! * `duties` — on an injected clock: A13 overdue-opinion reminders,
//!   IM-1/AC-5 periodic execution reports, AC-2 catalogue delay escalations.
//! * `calendars` — official notices across replicas: loaded through one,
//!   used by the others without restart.
//! * `cli` — the `juece` binary's commands and their exit codes.
//! * `concurrency` — many acts on one record at once, through two replicas: none turned away, each taken once.
//! * `deadlines` — the national procedure's deadlines under the real
//!   scheduler with an injected clock: the comment period's auto-act and a
//!   crashed claim taken over after its lease.
//! * `browser` — each user's main job in headless Chromium over WebDriver, axe-core
//!   on every page, screenshots kept (`target/browser-artifacts/`).
//! * `pages` — the web UI over HTTP as a browser without JavaScript sends it:
//!   sign-in, CSRF, refusals shown with their articles and the typed text kept,
//!   a form sent twice acting once, escaping, the public portal.
//! * `backup` — `juece backup` under load and `juece restore`: the copy
//!   verifies and holds the same decisions; a tampered copy is not restored.
//! * `kill` — the real `juece serve` as processes: SIGKILL under load loses
//!   no acknowledged act; three replicas on one PostgreSQL take acts and fire
//!   deadlines once each.
//! * `bench` — `juece-bench` in its short mode on each store: its W8, OPEN, READS and BENCH lines parse, and
//!   every act it drove is in the record (no timing asserted).
//! * `api` — the HTTP API end to end: scenarios, the authorization matrix,
//!   malformed input, sessions and tokens, idempotency, the OpenAPI document.

mod accountability;
mod adjustments;
mod api;
mod backup;
mod bench;
mod browser;
mod calendars;
mod cli;
mod concurrency;
mod deadlines;
mod definitions;
mod demo;
mod duties;
mod forgery;
mod integrity;
mod kill;
mod logs;
mod memos;
mod opinions;
mod pages;
mod pool;
