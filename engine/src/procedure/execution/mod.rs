//! Execution (Decree 713 Arts. 33–37): execution reports, the public's
//! feedback, suspension, post-evaluation, and adjustment or stopping only by
//! procedure (`supersession.rs`). Periodic execution reports count from a
//! deadline anchor (`deadline.rs`).

pub(crate) mod acts;
pub(crate) mod deadline;
pub(crate) mod facts;
pub(crate) mod gates;
pub(crate) mod supersession;
