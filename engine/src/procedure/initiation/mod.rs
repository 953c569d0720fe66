//! Initiation (Decree 713 Arts. 3, 10–11): a matter is proposed, checked
//! against the Art. 3 scope (its category, the exclusions, its catalogue
//! item) and started by the decision organ with its undertaking and lead
//! units.

pub(crate) mod acts;
pub(crate) mod facts;
pub(crate) mod gates;
