//! Risk assessment (Decree 713 Arts. 22–24): the risk report, the organ's
//! judgement of controllability, and both kept bound to the draft they
//! assessed.

pub(crate) mod acts;
pub(crate) mod facts;
pub(crate) mod gates;
