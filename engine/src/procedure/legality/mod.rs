//! Legality review (Decree 713 Arts. 25–28) and the package for the meeting
//! (Art. 29): the submission and its review time, lawyers' opinions, the
//! legality opinion, the fair-competition review. The review's due date is a
//! deadline anchor (`deadline.rs`).

pub(crate) mod acts;
pub(crate) mod deadline;
pub(crate) mod facts;
pub(crate) mod gates;
