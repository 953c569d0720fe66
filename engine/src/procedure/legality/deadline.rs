//! The legality review's due date (Art. 26), the anchor `legality_review_due`.

use crate::calendar::period::china_midnight_after;
use crate::procedure::deadline::Anchored;
use crate::procedure::facts::Facts;

/// 24:00 China Standard Time of the day the latest submission asked the review by.
pub(crate) fn legality_review_due(f: &Facts) -> Option<Anchored> {
    let s = f.legality_submissions.last()?;
    Some((
        china_midnight_after(s.requested_due),
        serde_json::json!({
            "rule": "requested_due", "received_complete_on": s.received_complete_on,
            "requested_due": s.requested_due, "floor_due": s.floor_due,
        }),
    ))
}
