//! Public participation (Decree 713 Arts. 14–18): the comment notice and
//! its period (Art. 15, with shortening), the public's comments and the
//! drafter's dispositions of them (the opinion ledger's acts, Art. 18),
//! hearing suggestions, and hearings (Arts. 16–17). The comment period's
//! end is a deadline anchor (`deadline.rs`).

pub(crate) mod acts;
pub(crate) mod deadline;
pub(crate) mod facts;
pub(crate) mod gates;
pub(crate) mod opinions;
pub(crate) mod shortening;
pub(crate) mod suggestions;
