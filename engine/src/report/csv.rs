//! The report's counts as CSV for the statistics office: one row per figure,
//! `organ,year,indicator,key,value`, the indicators named as in the JSON
//! answer (a keyed figure, e.g. risk assessments by level, has one row per key).

use super::AnnualReport;

/// The counts as CSV, header first (RFC 4180 quoting by the `csv` crate).
pub fn counts(r: &AnnualReport) -> String {
    let mut rows: Vec<(&str, String, usize)> = vec![
        ("decisions_started", String::new(), r.started),
        ("decisions_decided", String::new(), r.decided),
        ("decisions_published", String::new(), r.published),
        ("decisions_suspended", String::new(), r.suspended),
        ("decisions_adjusted", String::new(), r.adjusted),
        ("catalogue_items", String::new(), r.catalogue_items),
        ("catalogue_items_decided", String::new(), r.catalogue_decided),
        ("expert_pool_size", String::new(), r.pool.size),
        ("experts_admitted", String::new(), r.pool.admitted),
        ("experts_retired", String::new(), r.pool.retired),
        ("expert_consultations", String::new(), r.expert_consultations),
        ("experts_used", String::new(), r.experts_used),
        ("comment_notices", String::new(), r.comment_notices),
        ("comments_received", String::new(), r.comments_received),
        ("comments_adopted", String::new(), r.comments_adopted),
        ("hearings", String::new(), r.hearings),
        ("hearing_participants", String::new(), r.hearing_participants),
        ("risk_assessments", String::new(), r.risk_assessments),
        ("mitigation_plans", String::new(), r.mitigation_plans),
        ("legality_opinions", String::new(), r.legality_total),
        ("comment_periods_shortened", String::new(), r.shortened.len()),
        ("legality_reviews_shortened", String::new(), r.shortened_reviews.len()),
        ("chief_executive_divergences", String::new(), r.divergences.len()),
        ("overdue_items", String::new(), r.overdue.len()),
        ("stages_not_applicable", String::new(), r.not_applicable.len()),
        ("post_evaluations_started", String::new(), r.post_evaluations_started),
        ("post_evaluation_reports", String::new(), r.post_evaluation_reports),
        ("accountability_cases_opened", String::new(), r.cases_opened),
        ("accountability_cases_concluded", String::new(), r.cases_concluded),
    ];
    rows.extend(r.pool.by_field.iter().map(|k| ("experts_by_field", k.key.clone(), k.count)));
    rows.extend(r.risk_levels.iter().map(|k| ("risk_assessments_by_level", k.key.clone(), k.count)));
    rows.extend(r.legality_opinions.iter().map(|c| ("legality_opinions_by_conclusion", c.conclusion.clone(), c.count)));
    rows.extend(r.lawyer_opinions.iter().map(|k| ("lawyer_opinions_by_capacity", k.key.clone(), k.count)));
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let year = r.year.to_string();
    let mut write = |fields: [&str; 5]| w.write_record(fields).is_ok();
    let mut ok = write(["organ", "year", "indicator", "key", "value"]);
    for (indicator, key, value) in &rows {
        ok &= write([&r.organ, &year, indicator, key, &value.to_string()]);
    }
    // Writing into memory cannot fail; an empty answer would say so.
    if !ok {
        return String::new();
    }
    w.into_inner().ok().and_then(|b| String::from_utf8(b).ok()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_one_row_per_figure_quoted_where_needed() {
        let r = AnnualReport {
            organ: "示范市人民政府".into(),
            year: 2026,
            started: 3,
            risk_levels: vec![super::super::KeyCount { key: "low, with \"care\"".into(), count: 2 }],
            ..AnnualReport::default()
        };
        let text = counts(&r);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "organ,year,indicator,key,value");
        assert_eq!(lines[1], "示范市人民政府,2026,decisions_started,,3");
        assert!(
            lines.contains(&"示范市人民政府,2026,risk_assessments_by_level,\"low, with \"\"care\"\"\",2"),
            "{text}"
        );
        assert_eq!(lines.len(), 1 + 29 + 1);
    }
}
