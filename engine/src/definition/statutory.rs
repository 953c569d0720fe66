//! The statutory gates of the national procedure, kept in code like the stage kinds: a definition arranges
//! acts and words their refusals, but it cannot drop what the Decree requires of an act. Loading a decision
//! procedure checks that every act of a kind carries each of its kind's gates, with the built-in check that
//! enforces it; a definition that deletes one is refused with the missing gate named (`juece check`).

use crate::definition::{ActDef, Gate, Stage, StageKind};

/// What an act is, for the law: the built-in handler it runs, or (for an act that only moves the decision on)
/// the kind of stage it closes without skipping it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActKind {
    Handler(&'static str),
    Closes(StageKind),
}

/// One statutory gate: acts of `kind` carry the gate `reason_code`, whose check is `check`.
pub struct Statutory {
    pub kind: ActKind,
    pub reason_code: &'static str,
    pub check: &'static str,
    pub article: &'static str,
}

const fn h(handler: &'static str, reason_code: &'static str, check: &'static str, article: &'static str) -> Statutory {
    Statutory { kind: ActKind::Handler(handler), reason_code, check, article }
}

const fn closes(kind: StageKind, reason_code: &'static str, check: &'static str, article: &'static str) -> Statutory {
    Statutory { kind: ActKind::Closes(kind), reason_code, check, article }
}

pub const GATES: &[Statutory] = &[
    h("open_accountability_case", "art38_case_incomplete", "accountability_case_complete", "Art. 38"),
    h("open_accountability_case", "art38_act_not_in_record", "accountability_acts_recorded", "Art. 38"),
    h("conclude_accountability_case", "art38_case_not_open", "accountability_case_open", "Art. 38"),
    h("conclude_accountability_case", "art38_conclusion_unreasoned", "accountability_conclusion_reasoned", "Art. 38"),
    h("publish_comment_notice", "art15_min_30_days", "comment_period_min", "Art. 15"),
    h("publish_comment_notice", "art15_start_backdated", "comment_start_not_backdated", "Art. 15"),
    h("receive_comment", "art15_comment_period_closed", "comment_period_open", "Art. 15"),
    closes(StageKind::PublicParticipation, "art15_period_not_ended", "comment_period_ended", "Art. 15"),
    closes(StageKind::PublicParticipation, "art18_opinions_undisposed", "opinions_disposed", "Art. 18"),
    h("dispose_opinion", "art18_disposition_reason", "disposition_reason", "Art. 18"),
    closes(StageKind::Hearing, "art17_record_unconfirmed", "hearing_record_confirmed", "Art. 17"),
    h("determine_applicability", "art14_participation_mandatory", "participation_not_determined_away", "Art. 14(1)"),
    h("determine_applicability", "art22_already_done_only_risk", "already_done_only_risk", "Art. 22(2)"),
    h("submit_expert_opinion", "art19_signature_required", "expert_signed", "Art. 19(2)"),
    h("select_expert", "art20_direct_interest", "expert_no_conflict", "Art. 20"),
    h("submit_expert_opinion", "art20_interest_undeclared", "interest_declared", "Art. 20"),
    h("submit_for_legality_review", "art26_min_7_working_days", "review_time_floor", "Art. 26(2)"),
    h("issue_legality_opinion", "art27_findings_required", "legality_findings_complete", "Art. 27"),
    h("issue_legality_opinion", "art28_lawyer_opinion_required", "lawyer_opinion_present", "Art. 28"),
    closes(StageKind::LegalityReview, "art25_no_legality_review", "legality_opinion_present", "Art. 25"),
    h("submit_package", "art25_no_legality_review", "legality_opinion_present", "Art. 25"),
    h("submit_package", "art25_unlawful", "legality_not_unlawful", "Art. 25(2)"),
    h("submit_package", "art29_2_public_opinion_adoption", "package_public_adoption", "Art. 29(2)"),
    h("submit_package", "art29_3_expert_adoption", "expert_adoption_recorded", "Art. 29(3)"),
    h("submit_package", "art29_4_risk_report", "package_risk_report", "Art. 29(4)"),
    h("decide", "art30_meeting_type", "meeting_type_lawful", "Art. 30(1)"),
    h("decide", "art30_chief_decision_missing", "chief_adopted", "Art. 30(1)"),
    h("decide", "art25_no_legality_review", "legality_opinion_present", "Art. 25"),
    h("decide", "art24_uncontrollable", "risk_controllable", "Art. 24"),
    h("record_chief_opinion", "art30_divergence_reason", "divergence_explained", "Art. 30(2)"),
    h("publish_decision", "art31_party_report_missing", "party_report_answered", "Art. 31"),
    h("publish_decision", "art32_required_channels", "publication_channels", "Art. 32"),
    // Preconditions (`gates::is_precondition`): what the handler relies on, checked before it runs.
    h("confirm_risk_unaffected", "draft_required", "draft_recorded", "Art. 12"),
    h("record_cost_benefit", "draft_required", "draft_recorded", "Art. 12"),
    h("submit_expert_opinion", "draft_required", "draft_recorded", "Art. 12"),
    h("submit_risk_report", "draft_required", "draft_recorded", "Art. 12"),
    h("judge_controllability", "draft_required", "draft_recorded", "Art. 12"),
    h("publish_comment_notice", "draft_required", "draft_recorded", "Art. 12"),
    h("decide", "draft_required", "draft_recorded", "Art. 12"),
    h("submit_for_legality_review", "draft_required", "draft_recorded", "Art. 12"),
    h("record_lawyer_opinion", "draft_required", "draft_recorded", "Art. 12"),
    h("issue_legality_opinion", "draft_required", "draft_recorded", "Art. 12"),
    h("submit_package", "draft_required", "draft_recorded", "Art. 12"),
    h("confirm_opinion_unaffected", "draft_required", "draft_recorded", "Art. 12"),
    h("add_hearing_participant", "art16_notice_first", "hearing_notice_published", "Art. 16(2)"),
    h("publish_hearing_selection_method", "art16_notice_first", "hearing_notice_published", "Art. 16(2)"),
    h("publish_hearing_participant_list", "art16_notice_first", "hearing_notice_published", "Art. 16(2)"),
    h("record_hearing_segments", "art16_notice_first", "hearing_notice_published", "Art. 16(2)"),
    h("record_stance", "art30_meeting_not_convened", "meeting_convened", "Art. 30(1)"),
    h("record_chief_opinion", "art30_meeting_not_convened", "meeting_convened", "Art. 30(1)"),
    h("close_meeting", "art30_meeting_not_convened", "meeting_convened", "Art. 30(1)"),
    h("decide", "art30_meeting_not_convened", "meeting_convened", "Art. 30(1)"),
    h("draw_experts", "art20_draw_seed_chosen", "draw_seed_not_chosen", "Art. 20"),
    h("draw_experts", "art21_pool_not_found", "expert_pool_found", "Art. 21"),
];

/// Every statutory gate an act lacks (or carries with another check), as load errors.
pub fn missing(
    acts: &std::collections::BTreeMap<String, ActDef>,
    gates: &std::collections::BTreeMap<String, Gate>,
    stages: &std::collections::BTreeMap<String, Stage>,
) -> Vec<String> {
    let kind_of = |key: &str| stages.get(key).map(|s| s.kind);
    let mut out = Vec::new();
    for act in acts.values() {
        let closes = act.skips.is_empty().then_some(act.to.as_ref()).flatten().and_then(|to| {
            let from: Vec<StageKind> = act.stages.iter().filter_map(|s| kind_of(s)).collect();
            (from.len() == 1 && kind_of(to) != from.first().copied()).then(|| from[0])
        });
        for s in GATES.iter().filter(|s| match s.kind {
            ActKind::Handler(name) => act.handler == name,
            ActKind::Closes(kind) => closes == Some(kind),
        }) {
            let carried = act.gates.iter().any(|g| g == s.reason_code);
            let check = gates.get(s.reason_code).map(|g| g.check.as_str());
            if !carried {
                out.push(format!("act `{}` lacks the statutory gate `{}` ({})", act.name, s.reason_code, s.article));
            } else if check != Some(s.check) {
                out.push(format!(
                    "gate `{}` of act `{}` must run the check `{}` ({}), not `{}`",
                    s.reason_code,
                    act.name,
                    s.check,
                    s.article,
                    check.unwrap_or("none")
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crate::bind::load_path;

    fn workflows() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../workflows")
    }

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                copy_dir(&p, &to.join(e.file_name()));
            } else {
                std::fs::copy(&p, to.join(e.file_name())).unwrap();
            }
        }
    }

    /// A copy of the national procedure whose definition text went through `edit`, and its folder.
    fn national_edited(edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&workflows().join("national"), &dir.path().join("national"));
        let file = dir.path().join("national/workflow.toml");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, edit(text)).unwrap();
        (dir, file)
    }

    fn errors(file: &Path, base: &Path) -> String {
        let errs = load_path(file, base).expect_err("the definition is refused");
        errs.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn a_definition_that_deletes_a_statutory_gate_fails_with_the_gate_named() {
        let (dir, file) = national_edited(|t| {
            t.replacen(
                "  \"art31_party_report_missing\", \"art8_npc_report_missing\",",
                "  \"art8_npc_report_missing\",",
                1,
            )
        });
        let e = errors(&file, dir.path());
        assert!(
            e.contains("act `publish_decision` lacks the statutory gate `art31_party_report_missing` (Art. 31)"),
            "{e}"
        );
        // Every edge of the graph is still there: only the gate check catches it.
        assert!(!e.contains("counter-example"), "{e}");
        let (dir, file) = national_edited(|t| t.replacen("\"art15_min_30_days\", ", "", 1));
        assert!(errors(&file, dir.path()).contains("`art15_min_30_days` (Art. 15)"));
        // A precondition is as statutory as the rest: the handler relies on it.
        let (dir, file) = national_edited(|t| {
            t.replacen(
                "gates = [\"art16_notice_first\", \"art16_side_unrepresented\"]",
                "gates = [\"art16_side_unrepresented\"]",
                1,
            )
        });
        let e = errors(&file, dir.path());
        assert!(
            e.contains("act `publish_hearing_participant_list` lacks the statutory gate `art16_notice_first`"),
            "{e}"
        );
    }

    #[test]
    fn a_statutory_gate_keeps_its_check() {
        let (dir, file) = national_edited(|t| {
            t.replacen(
                "[gates.art31_party_report_missing]\ncheck = \"party_report_answered\"",
                "[gates.art31_party_report_missing]\ncheck = \"npc_report_made\"",
                1,
            )
        });
        let e = errors(&file, dir.path());
        assert!(e.contains("must run the check `party_report_answered` (Art. 31), not `npc_report_made`"), "{e}");
    }

    #[test]
    fn a_county_profile_extends_its_province_and_only_tightens_it() {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&workflows().join("national"), &dir.path().join("national"));
        let profiles = dir.path().join("profiles");
        std::fs::create_dir_all(&profiles).unwrap();
        std::fs::copy(workflows().join("profiles/example-province.toml"), profiles.join("example-province.toml"))
            .unwrap();
        let county = |params: &str| {
            format!(
                "[profile]\nkey = \"example-county\"\nversion = 1\nextends = \"example-province\"\n\
                 jurisdiction = \"示例县\"\ntitle_zh = \"县\"\ntitle_en = \"county\"\n\n[parameters]\n{params}\n"
            )
        };
        std::fs::write(profiles.join("example-county.toml"), county("hearing_notice_min_days = 20")).unwrap();
        let w = load_path(&profiles.join("example-county.toml"), dir.path()).expect("the county loads");
        let province = load_path(&profiles.join("example-province.toml"), dir.path()).unwrap();
        assert_eq!(w.parameters.hearing_notice_min_days, 20);
        // What the province made stricter stays so.
        assert_eq!(w.parameters.always_applicable, province.parameters.always_applicable);
        assert!(w.parameters.catalogue_mandatory);
        std::fs::write(profiles.join("example-county.toml"), county("catalogue_mandatory = false")).unwrap();
        let e = errors(&profiles.join("example-county.toml"), dir.path());
        assert!(e.contains("a profile may only be stricter than `example-province`"), "{e}");
    }
}
