//! Jurisdiction parameters (regulation.md §5). The national values are
//! floors: a profile may only make them stricter, and `stricter_violations`
//! says which overrides would relax them.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// Parameters as written in a file: every field optional, so a profile
/// names only what it overrides.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParameters {
    pub comment_min_days: Option<u32>,
    pub hearing_notice_min_days: Option<u32>,
    pub hearing_materials_min_days: Option<u32>,
    pub hearing_min_participants: Option<u32>,
    pub legality_review_min_working_days: Option<u32>,
    pub expert_panel_min: Option<u32>,
    pub expert_panel_odd: Option<bool>,
    pub expert_max_official_percent: Option<u32>,
    pub always_applicable: Option<Vec<String>>,
    pub publication_required_channels: Option<Vec<String>>,
    pub catalogue_mandatory: Option<bool>,
    pub publication_alarm_working_days: Option<u32>,
    pub post_evaluation_feedback_threshold: Option<u32>,
    pub risk_levels: Option<Vec<String>>,
    pub hearing_suggestions_must_be_decided: Option<bool>,
    pub catalogue_items_must_use_pool: Option<bool>,
    pub execution_report_interval_days: Option<u32>,
}

/// Effective parameters of a workflow or profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parameters {
    /// Art. 15: public comment period, calendar days ("一般不少于30日").
    pub comment_min_days: u32,
    /// Art. 16(2): the hearing notice is published "提前"; 1 day at least.
    pub hearing_notice_min_days: u32,
    /// Art. 16(3): materials reach each participant 7 days before.
    pub hearing_materials_min_days: u32,
    pub hearing_min_participants: u32,
    /// Art. 26: review time "一般不少于7个工作日".
    pub legality_review_min_working_days: u32,
    pub expert_panel_min: u32,
    pub expert_panel_odd: bool,
    /// Share of officials on an expert panel, in percent (100 = no limit).
    pub expert_max_official_percent: u32,
    /// Conditional stage kinds this jurisdiction makes always applicable.
    pub always_applicable: BTreeSet<String>,
    /// Art. 32 channels every publication must use.
    pub publication_required_channels: BTreeSet<String>,
    /// SC-5: every decision must reference a catalogue item.
    pub catalogue_mandatory: bool,
    /// PB-1: "及时" alarm, working days after the decision.
    pub publication_alarm_working_days: u32,
    /// PE-1(2): feedback count that raises a post-evaluation task.
    pub post_evaluation_feedback_threshold: u32,
    /// RA-6: the levels a risk report may name.
    pub risk_levels: Vec<String>,
    /// PP-8 (Guangdong 2023): public participation closes only when every
    /// hearing suggestion from the public has the unit's decision.
    pub hearing_suggestions_must_be_decided: bool,
    /// EX-6 (洞头, P8): experts on a catalogue item come from the expert pool.
    pub catalogue_items_must_use_pool: bool,
    /// IM-1/AC-5: calendar days between execution reports. Art. 34 sets no
    /// interval; a quarter is the national default [I].
    pub execution_report_interval_days: u32,
}

impl Parameters {
    /// The national baseline of Decree No. 713.
    pub fn national() -> Self {
        Parameters {
            comment_min_days: 30,
            hearing_notice_min_days: 1,
            hearing_materials_min_days: 7,
            hearing_min_participants: 0,
            legality_review_min_working_days: 7,
            expert_panel_min: 1,
            expert_panel_odd: false,
            expert_max_official_percent: 100,
            always_applicable: BTreeSet::new(),
            publication_required_channels: ["gazette", "website"].iter().map(|s| s.to_string()).collect(),
            catalogue_mandatory: false,
            publication_alarm_working_days: 20,
            post_evaluation_feedback_threshold: 100,
            risk_levels: vec!["high".into(), "medium".into(), "low".into()],
            hearing_suggestions_must_be_decided: false,
            catalogue_items_must_use_pool: false,
            execution_report_interval_days: 90,
        }
    }

    /// These parameters with the overrides of `raw` applied.
    pub fn with_overrides(&self, raw: &RawParameters) -> Self {
        let mut p = self.clone();
        macro_rules! take {
            ($($f:ident),*) => { $( if let Some(v) = &raw.$f { p.$f = v.clone(); } )* };
        }
        take!(
            comment_min_days,
            hearing_notice_min_days,
            hearing_materials_min_days,
            hearing_min_participants,
            legality_review_min_working_days,
            expert_panel_min,
            expert_panel_odd,
            expert_max_official_percent,
            catalogue_mandatory,
            publication_alarm_working_days,
            post_evaluation_feedback_threshold,
            risk_levels,
            hearing_suggestions_must_be_decided,
            catalogue_items_must_use_pool,
            execution_report_interval_days
        );
        if let Some(v) = &raw.always_applicable {
            p.always_applicable = v.iter().cloned().collect();
        }
        if let Some(v) = &raw.publication_required_channels {
            p.publication_required_channels = v.iter().cloned().collect();
        }
        p
    }

    /// Every parameter in which `self` is laxer than `floor`, described.
    pub fn relaxations_of(&self, floor: &Parameters) -> Vec<String> {
        let mut out = Vec::new();
        let mut min = |name: &str, v: u32, f: u32| {
            if v < f {
                out.push(format!("{name} = {v} is below the floor {f}"));
            }
        };
        min("comment_min_days", self.comment_min_days, floor.comment_min_days);
        min("hearing_notice_min_days", self.hearing_notice_min_days, floor.hearing_notice_min_days);
        min("hearing_materials_min_days", self.hearing_materials_min_days, floor.hearing_materials_min_days);
        min("hearing_min_participants", self.hearing_min_participants, floor.hearing_min_participants);
        min(
            "legality_review_min_working_days",
            self.legality_review_min_working_days,
            floor.legality_review_min_working_days,
        );
        min("expert_panel_min", self.expert_panel_min, floor.expert_panel_min);
        if self.expert_max_official_percent > floor.expert_max_official_percent {
            out.push(format!(
                "expert_max_official_percent = {} is above the ceiling {}",
                self.expert_max_official_percent, floor.expert_max_official_percent
            ));
        }
        if self.publication_alarm_working_days > floor.publication_alarm_working_days {
            out.push(format!(
                "publication_alarm_working_days = {} is later than {}",
                self.publication_alarm_working_days, floor.publication_alarm_working_days
            ));
        }
        if self.post_evaluation_feedback_threshold > floor.post_evaluation_feedback_threshold {
            out.push(format!(
                "post_evaluation_feedback_threshold = {} is above {}",
                self.post_evaluation_feedback_threshold, floor.post_evaluation_feedback_threshold
            ));
        }
        if self.execution_report_interval_days > floor.execution_report_interval_days {
            out.push(format!(
                "execution_report_interval_days = {} is longer than {}",
                self.execution_report_interval_days, floor.execution_report_interval_days
            ));
        }
        let mut flag = |name: &str, v: bool, f: bool| {
            if f && !v {
                out.push(format!("{name} = false relaxes the floor true"));
            }
        };
        flag("expert_panel_odd", self.expert_panel_odd, floor.expert_panel_odd);
        flag("catalogue_mandatory", self.catalogue_mandatory, floor.catalogue_mandatory);
        flag(
            "hearing_suggestions_must_be_decided",
            self.hearing_suggestions_must_be_decided,
            floor.hearing_suggestions_must_be_decided,
        );
        flag("catalogue_items_must_use_pool", self.catalogue_items_must_use_pool, floor.catalogue_items_must_use_pool);
        for (name, v, f) in [
            ("always_applicable", &self.always_applicable, &floor.always_applicable),
            (
                "publication_required_channels",
                &self.publication_required_channels,
                &floor.publication_required_channels,
            ),
        ] {
            for missing in f.difference(v) {
                out.push(format!("{name} drops \"{missing}\" required by the floor"));
            }
        }
        out
    }
}
