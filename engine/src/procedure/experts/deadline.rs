//! Each expert's opinion due date (Art. 19, EX-8), the deadline family `expert_opinion_due`.

use crate::calendar::period::china_midnight_after;
use crate::procedure::deadline::family::Members;
use crate::procedure::facts::Facts;

/// Each expert owing an opinion, from 24:00 CST of the day it is due.
pub(crate) fn expert_opinion_due(f: &Facts) -> Members {
    f.experts
        .iter()
        .map(|e| (e.expert_id.clone(), e.due_on.filter(|_| e.outstanding()).map(china_midnight_after)))
        .collect()
}
