//! Expert consultation (Decree 713 Arts. 19–21): experts selected or drawn
//! from a pool (`pool.rs`, the pool's own record and the reproducible draw),
//! their declarations, sealed opinions and the adoption summary; each
//! expert's opinion due date is a deadline family (`deadline.rs`).

pub(crate) mod acts;
pub(crate) mod deadline;
pub(crate) mod facts;
pub(crate) mod gates;
pub(crate) mod pool;
