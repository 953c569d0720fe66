//! Release (Decree 713 Arts. 8, 31–32, 34–35): the report to the Party
//! committee, the NPC report, the executing unit and publication. The
//! publication alarm is a deadline anchor (`deadline.rs`).

pub(crate) mod acts;
pub(crate) mod deadline;
pub(crate) mod facts;
pub(crate) mod gates;
