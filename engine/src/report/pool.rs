//! The expert pool over a year, replayed from its record: who was admitted,
//! who left (exited or disqualified), and who was active at the end.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::count::year_of;
use super::{KeyCount, PoolCounts};
use crate::audit::AuditRecord;
use crate::procedure::facts::ExpertPool;

pub(super) fn counts(pool: &ExpertPool, records: &[AuditRecord], year: i32, as_of: DateTime<Utc>) -> PoolCounts {
    let mut out = PoolCounts::default();
    // Each expert's status as the record stood at the end of the year (or on the day of the figures).
    let mut status: BTreeMap<String, String> = BTreeMap::new();
    for a in records.iter().filter(|a| year_of(&a.at) <= year && a.at <= as_of) {
        let payload: serde_json::Value = serde_json::from_str(&a.payload).unwrap_or_default();
        let Some(id) = payload.get("id").and_then(|v| v.as_str()) else { continue };
        let this_year = year_of(&a.at) == year;
        match a.act.as_str() {
            "admit_expert" => {
                status.insert(id.to_string(), "active".into());
                out.admitted += usize::from(this_year);
            }
            "set_expert_status" => {
                let s = payload.get("status").and_then(|v| v.as_str()).unwrap_or_default().to_string();
                out.retired += usize::from(this_year && (s == "exited" || s == "disqualified"));
                status.insert(id.to_string(), s);
            }
            _ => {}
        }
    }
    let active: Vec<&str> = status.iter().filter(|(_, s)| *s == "active").map(|(id, _)| id.as_str()).collect();
    out.size = active.len();
    let mut fields: BTreeMap<String, usize> = BTreeMap::new();
    for e in pool.experts.iter().filter(|e| active.contains(&e.id.as_str())) {
        e.fields.iter().for_each(|f| *fields.entry(f.clone()).or_default() += 1);
    }
    out.by_field = fields.into_iter().map(|(key, count)| KeyCount { key, count }).collect();
    out
}
