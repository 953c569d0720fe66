//! Drafting (Decree 713 Arts. 12–14): the draft versions bound by hash, its
//! legal basis, consultations, the dispute statement, the cost-benefit
//! analysis, and the determinations of which conditional stages apply
//! (public participation, hearing, experts, risk assessment; Arts. 14–16,
//! 19, 22), with what a determination may not waive (`applicability`).

pub(crate) mod acts;
pub(crate) mod applicability;
pub(crate) mod facts;
pub(crate) mod gates;
