//! The code that runs the procedure of Decree 713, one folder per phase. Each
//! phase holds its act handlers (`acts.rs`), its gates' checks (`gates.rs`),
//! its fact types (`facts.rs`) and the deadline anchors it sets
//! (`deadline.rs`), so where an article is enforced is one folder:
//!
//! | phase | Decree 713 | what |
//! |---|---|---|
//! | `initiation` | Arts. 3, 10–11 | proposal, scope, start |
//! | `drafting` | Arts. 12–14 | draft, legal basis, consultations, cost-benefit, which stages apply |
//! | `participation` | Arts. 14–18 | comment notice and period, opinions, hearing suggestions, hearings |
//! | `experts` | Arts. 19–21 | expert selection and the pool, declarations, opinions |
//! | `risk` | Arts. 22–24 | risk report, controllability |
//! | `legality` | Arts. 25–29 | legality review, fair competition, the package |
//! | `meeting` | Art. 30 | the meeting, stances, the decision |
//! | `release` | Arts. 8, 31–32, 34–35 | Party and NPC reports, executing unit, publication |
//! | `execution` | Arts. 33–37 | execution reports, suspension, post-evaluation, adjustment |
//! | `archive` | Art. 33 | the archive and its manifest |
//! | `catalogue` | Art. 3(3) | the annual catalogue |
//! | `responsibility` | Arts. 38–41 | responsibility tracing |
//!
//! `workflows/RULES.md` gives each reason code's check and line. What the
//! phases share is here: [`acts`] (the handler registry and what a handler
//! sees), [`gates`] (the check registry and what a check sees), [`facts`]
//! (the decision's facts, each phase's types re-exported) and [`deadline`]
//! (the anchor registry, schedules and deadline families).

pub mod acts;
pub mod deadline;
pub mod facts;
pub mod gates;

pub(crate) mod archive;
pub(crate) mod catalogue;
pub(crate) mod drafting;
pub(crate) mod execution;
pub(crate) mod experts;
pub(crate) mod initiation;
pub(crate) mod legality;
pub(crate) mod meeting;
pub(crate) mod participation;
pub(crate) mod release;
pub(crate) mod responsibility;
pub(crate) mod risk;
