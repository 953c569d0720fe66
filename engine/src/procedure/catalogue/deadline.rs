//! Each catalogue item's planned time (Art. 3(3), AC-2), the deadline family `catalogue_item_planned`.

use crate::calendar::period::china_midnight_after;
use crate::procedure::deadline::family::Members;
use crate::procedure::facts::Facts;

/// Each published item not yet decided, from 24:00 CST of its last planned day.
pub(crate) fn catalogue_item_planned(f: &Facts) -> Members {
    f.catalogue
        .iter()
        .flat_map(|c| &c.watch)
        .map(|w| (w.name.clone(), w.decided.is_none().then(|| china_midnight_after(w.planned_by))))
        .collect()
}
