//! Collective discussion and decision (Decree 713 Art. 30): the meeting,
//! its members' stances, the chief executive's opinion, the decision or the
//! matter sent back, and the meeting's order of events (`order.rs`).

pub(crate) mod acts;
pub(crate) mod facts;
pub(crate) mod gates;
pub(crate) mod order;
