//! The juece engine: it runs each major administrative decision (重大行政决策)
//! through the procedure of State Council Decree No. 713 and enforces it.
//!
//! # Concepts
//! * **Workflow** — a procedure as data (`workflows/`), validated and
//!   proven lawful on load ([`definition`], [`graph`], [`proof`]) and bound
//!   to the code that runs it ([`bind`]).
//! * **Decision** — one matter going through a workflow ([`decision`]),
//!   with the facts recorded so far ([`procedure::facts`]).
//! * **Act** — something a person (or the scheduler) does to a decision
//!   ([`act`]); `machine::step` accepts or refuses it, purely.
//! * **Gate** — a named check an act must pass, with its `reason_code` and
//!   article (`procedure::gates`); **handlers** record what an act says ([`procedure::acts`]).
//! * **Warning** — a declared check that, when it fails, is recorded and
//!   returned but does not refuse the act ([`warning`]).
//! * **Effects** — memos, deadlines, notifications an act causes ([`effect`]).
//! * **Record** — the hash-chained audit trail ([`audit`]), sealed and anchored
//!   outside the database ([`anchor`]) and verified against both ([`verify`]).
//!
//! # Layout
//! Every module, by what it owns (no two import each other around a loop: `engine/tests/imports.rs`).
//! * The procedure as data: `definition` (with its `graph`, compliance `proof` and `statutory` gates),
//!   `calendar` (working days and periods), `codes` (payload vocabularies), `nondisclosure` (grounds for not
//!   publishing).
//! * A decision and what happens to it: `decision`, `act`, `actor`, `effect`, `refusal`, `warning`;
//!   `ledger` (the public's opinions, rows of their own: chain, campaigns, what the step reads of them).
//! * The code that runs the procedure: `procedure` (one folder per phase of Decree 713 — initiation, drafting,
//!   participation, experts, risk, legality, meeting, release, execution, archive, catalogue, responsibility —
//!   each with its act handlers, gates, facts and deadline anchors; shared: the handler and check registries, the
//!   decision's `Facts`, deadline schedules), `bind` (the definition's names checked against them on load),
//!   `machine` (the pure step), `rules` (the rule → code table).
//! * The record and its proofs: `audit` (the hash chain), `anchor` (key, seal, anchor log), `anchoring`
//!   (the store's heads into the log), `verify` (`juece audit verify`), `dossier`.
//! * Documents: `memo` (templates, numbering, the archive list), `render` (graphs, A4 pages), `report`
//!   (the annual report).
//! * Persistence and people: `store` (the contract and its SQLite and PostgreSQL implementations), `auth`
//!   (users, sessions, tokens), `units` (the unit directory users are placed in), `notice` (holiday notices
//!   loaded at run time), `notify` (the outbox's delivery).
//! * Running it: `orchestrator` (the only type callers act through: load → step → commit), `error` (the one
//!   error type it and the readers below return, `juece_engine::Error`), `group_commit`,
//!   `scheduler` (firing due deadlines), `sample` (a scripted run of the national procedure the benchmarks drive).
//! * Reads, each through the one visibility rule (`visibility`): `queries`, `worklist` (a person's tasks and
//!   notifications, the stage map), `oversight` and `accountability` (who did what, Art. 38), `published`
//!   (the published annual catalogues).

pub mod accountability;
pub mod act;
pub mod actor;
pub mod anchor;
pub mod anchoring;
pub mod audit;
pub mod auth;
pub mod bind;
pub mod calendar;
pub(crate) mod codes;
pub mod decision;
pub mod definition;
pub mod dossier;
pub mod effect;
pub(crate) mod error;
pub(crate) mod group_commit;
pub mod ledger;
pub(crate) mod machine;
pub mod memo;
pub(crate) mod nondisclosure;
pub mod notice;
pub mod notify;
pub mod orchestrator;
pub mod oversight;
pub mod procedure;
pub mod published;
pub mod queries;
pub mod refusal;
pub mod render;
pub mod report;
pub mod rules;
pub mod sample;
pub mod scheduler;
pub mod store;
pub mod units;
pub mod verify;
pub mod visibility;
pub mod warning;
pub mod worklist;

pub use error::Error;

// Paths callers have used since these lived at the top; they belong to the definition.
pub use definition::{graph, proof, statutory};
