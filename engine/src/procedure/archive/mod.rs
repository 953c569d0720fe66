//! The archive (Decree 713 Art. 33, D33): a closed decision's file and its
//! manifest, complete before archiving.

pub(crate) mod acts;
pub(crate) mod facts;
pub(crate) mod gates;
