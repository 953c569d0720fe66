//! Responsibility tracing (责任追究, Decree 713 Arts. 38–41): a case opened
//! against named people for named acts of the record, and its conclusion.
//! (The reads of who did what are `crate::accountability`.)

pub(crate) mod acts;
pub(crate) mod facts;
pub(crate) mod gates;
