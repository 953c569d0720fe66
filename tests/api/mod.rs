//! The HTTP API end to end: a real server on 127.0.0.1:0 (`support::app`),
//! called with `reqwest` (`support::http`), driven through the procedure by
//! the steps of `support::steps`.
//!
//! * `scenarios` — acceptance scenarios A1, A4, A20, A22 through HTTP;
//!   `scenarios_meeting` — the meeting: one stance per member, closed stays closed, decided at it (Art. 30);
//!   `binding` — risk work bound to the draft, Art. 24 and Art. 37, post-evaluation report;
//!   `pool_manager` — the A11 variant from a pool, and the pool manager's reads;
//! * `scenarios_start` — A2, A3; `scenarios_participation` — A5, A7, A9, A10;
//!   `scenarios_experts` — A11, A12, A13; `scenarios_review` — A16–A19;
//! * `checks` — the what-if: an act checked answers as applying it would, and writes nothing;
//! * `adjustments` — PE-4: an adjustment opened on a post-evaluation's recommendation;
//! * `matrix` — every endpoint × every role, anonymous and another unit;
//!   `ownership` — a proposal belongs to the unit that opened it;
//! * `malformed` — bad input of every kind gets the right problem;
//!   `malformed_routes` — every state-changing route, table driven;
//! * `act_examples` — every act has an example the engine accepts (`act_examples_tour` takes those the demo does not);
//! * `sessions` — login, logout, tokens;
//! * `idempotency` — replays and reused keys, keys stored only for authenticated handled requests, expiry;
//! * `connections` — header-read and idle timeouts, the connection cap, `Connection: close` on unread bodies;
//! * `openapi` — the document lists every route the router serves, and answers outside it are refused;
//!   `documented` — every read of the complete sample decision matches the document;
//! * `oversight` — feedback, catalogues, accountability, the annual report, calendars;
//!   `accountability_report` — responsibility tracing (Arts. 38–41) and the annual report as the command writes it;
//! * `users` — user administration by administrators;
//! * `calendar_notice` — an administrator loads a year's official notice; bad notices refused;
//! * `warnings` — accepted acts that return and record warnings (IN-5, CD-3);
//! * `hearing_suggestions` — the public suggests hearings, the unit decides (PP-8);
//! * `catalogue_pool` — experts on a catalogue item come from the pool (EX-6);
//! * `late_shortening` — a comment period shortened after publication (A5 variant);
//! * `scheduler_metrics` — the scheduler's backlog, firings and lag in `/metrics`;
//! * `visibility` — sealed expert opinions and pre-undertaking materials, searched for in every read's body;
//! * `citations` — refusals cite their own article, or say which other rule they enforce (item 14);
//! * `dates` — dates the caller must not control: comment periods, hearing days (items 8, 10);
//! * `determinations` — what an applicability determination may not waive (issue 12, items 1–4);
//! * `release` — A7 and A22 from a fresh database: the non-disclosable release, the Party-committee report.

mod accountability_report;
mod act_examples;
mod act_examples_tour;
mod adjustments;
mod answers;
mod binding;
mod calendar_notice;
mod catalogue_pool;
mod checks;
mod citations;
mod connections;
mod contract;
mod dates;
mod determinations;
mod documented;
mod hearing_suggestions;
mod idempotency;
mod inbox;
mod late_shortening;
mod malformed;
mod malformed_routes;
mod matrix;
mod openapi;
mod oversight;
mod ownership;
mod payload_contract;
mod pdf;
mod pool_manager;
mod release;
pub(crate) mod scenarios;
mod scenarios_experts;
mod scenarios_meeting;
mod scenarios_participation;
mod scenarios_review;
mod scenarios_start;
mod scheduler_metrics;
mod sessions;
mod users;
mod visibility;
mod warnings;

pub use juece_tests::http::{api, api_with, Api};
