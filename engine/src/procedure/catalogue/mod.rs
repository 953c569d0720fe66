//! The annual catalogue of decision matters (Decree 713 Art. 3(3)): drafted,
//! consented to by the Party committee version by version, published,
//! adjusted; each item's planned time (`planned.rs`) is a deadline family
//! (`deadline.rs`).

pub(crate) mod acts;
pub(crate) mod deadline;
pub(crate) mod facts;
pub(crate) mod gates;
pub(crate) mod planned;
