//! Workflow files: the shipped ones prove, edited copies that break the law are refused.

use std::path::Path;

use juece_engine::{bind, definition};
use juece_tests::workflows;

#[test]
fn shipped_definitions_prove() {
    let all = bind::load_dir(&workflows()).unwrap_or_else(|e| panic!("{e:?}"));
    let keys: Vec<&str> = all.iter().map(|w| w.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "catalogue",
            "expert_pool",
            "national",
            "example-district",
            "example-guangdong",
            "example-province",
            "example-township"
        ]
    );
    for w in all.iter().filter(|w| w.procedure == definition::Procedure::Decision) {
        assert!(w.proof.holds());
        assert!(w.proof.decision_dominators.contains(&"legality_review".to_string()));
        assert!(w.proof.publication_dominators.contains(&"party_report".to_string()));
    }
    let province = all.iter().find(|w| w.key == "example-province").expect("province");
    assert_eq!(province.parameters.expert_panel_min, 5);
    assert!(province.parameters.always_applicable.contains("risk_assessment"));
    let guangdong = all.iter().find(|w| w.key == "example-guangdong").expect("guangdong");
    assert!(guangdong.parameters.hearing_suggestions_must_be_decided);
    let district = all.iter().find(|w| w.key == "example-district").expect("district");
    assert!(district.parameters.catalogue_items_must_use_pool);
}

/// A copy of the national folder with `edit` applied to its workflow.toml.
fn edited_copy(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = workflows().join("national");
    let dst = dir.path().join("national");
    copy_dir(&src.join("memos"), &dst.join("memos"));
    let text = std::fs::read_to_string(src.join("workflow.toml")).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit must change the file");
    std::fs::write(dst.join("workflow.toml"), edited).unwrap();
    dir
}

/// Copy a folder tree (workflow definitions, to edit the copy).
pub(crate) fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap().flatten() {
        if e.path().is_dir() {
            copy_dir(&e.path(), &dst.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), dst.join(e.file_name())).unwrap();
        }
    }
}

fn errors_of(dir: &Path) -> String {
    match bind::load_dir(dir) {
        Ok(_) => panic!("the edited definition was accepted"),
        Err(errs) => errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"),
    }
}

#[test]
fn a_shortcut_past_the_legality_review_is_refused_with_its_path() {
    // Let the risk-assessment close jump straight to the meeting.
    let dir = edited_copy(|t| {
        t.replace(
            "name = \"close_risk_assessment\"\nhandler = \"advance\"\nstages = [\"risk_assessment\"]\nto = \"legality_review\"",
            "name = \"close_risk_assessment\"\nhandler = \"advance\"\nstages = [\"risk_assessment\"]\nto = \"collective_discussion\"",
        )
    });
    let errors = errors_of(dir.path());
    assert!(errors.contains("every path to `decided` passes `legality_review`"), "{errors}");
    assert!(errors.contains("--close_risk_assessment--> collective_discussion\n    --decide--> decided"), "{errors}");
}

#[test]
fn skipping_an_unconditional_stage_is_refused() {
    let dir = edited_copy(|t| t.replace("skips = [\"risk_assessment\"]", "skips = [\"legality_review\"]"));
    assert!(errors_of(dir.path()).contains("which the Decree makes unconditional"));
}

#[test]
fn structural_errors_name_file_and_stage() {
    let dir = edited_copy(|t| {
        t.replace("name = \"resume\"\nhandler = \"run_execution\"", "name = \"resume\"\nhandler = \"no_such_handler\"")
            .replace(
                "cron = \"0 0 9 * * *\"\nnotify = \"legality_reviewer\"",
                "cron = \"not a cron\"\nnotify = \"legality_reviewer\"",
            )
            .replace("memo = \"suspension\"", "memo = \"missing_memo\"")
    });
    let errors = errors_of(dir.path());
    assert!(errors.contains("workflow.toml: stage `suspended`: act `resume` uses unknown handler"), "{errors}");
    assert!(errors.contains("bad cron expression `not a cron`"), "{errors}");
    assert!(errors.contains("missing_memo.zh.hbs is missing"), "{errors}");
}

#[test]
fn a_dead_end_and_an_unreachable_stage_are_refused() {
    // Archiving no longer moves to `closed`: `archive` becomes a dead end and `closed` unreachable.
    let dir = edited_copy(|t| t.replace("to = \"closed\"\n", ""));
    let errors = errors_of(dir.path());
    assert!(errors.contains("stage `archive`: dead end"), "{errors}");
    assert!(errors.contains("stage `closed`: unreachable from the start stage"), "{errors}");
}

#[test]
fn a_profile_that_relaxes_a_floor_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let base = workflows();
    std::fs::create_dir_all(dir.path().join("profiles")).unwrap();
    let profile = dir.path().join("profiles").join("lax.toml");
    std::fs::write(
        &profile,
        "[profile]\nkey = \"lax\"\nversion = 1\nextends = \"national\"\njurisdiction = \"x\"\ntitle_zh = \"x\"\ntitle_en = \"x\"\n\n[parameters]\ncomment_min_days = 20\npublication_required_channels = [\"website\"]\n",
    )
    .unwrap();
    let errs = bind::load_path(&profile, &base).unwrap_err();
    let text = errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n");
    assert!(text.contains("comment_min_days = 20 is below the floor 30"), "{text}");
    assert!(text.contains("publication_required_channels drops \"gazette\""), "{text}");
}

#[test]
fn warnings_are_validated_like_gates() {
    let dir = edited_copy(|t| {
        t.replace("warnings = [\"art12_single_option_on_major_disagreement\"]", "warnings = [\"no_such_warning\"]")
            .replace("check = \"all_members_heard\"", "check = \"no_such_check\"")
    });
    let errors = errors_of(dir.path());
    assert!(errors.contains("act `record_draft` names undefined warning `no_such_warning`"), "{errors}");
    assert!(
        errors.contains("warning `art30_chief_spoke_before_members` uses unknown check `no_such_check`"),
        "{errors}"
    );
}

#[test]
fn an_auto_act_must_be_one_the_scheduler_may_perform() {
    // The comment period's auto-act given to the drafter instead of the system: it would always be refused.
    let dir = edited_copy(|t| {
        t.replace(
            "name = \"end_comment_period\"\nstages = [\"public_participation\"]\nroles = [\"system\"]",
            "name = \"end_comment_period\"\nstages = [\"public_participation\"]\nroles = [\"drafter\"]",
        )
    });
    let errors = errors_of(dir.path());
    assert!(errors.contains("role `system` may not perform"), "{errors}");
    // An unknown act, and an act on a deadline that is not an auto-act.
    let dir = edited_copy(|t| t.replace("act = \"end_comment_period\"", "act = \"end_everything\""));
    assert!(errors_of(dir.path()).contains("applies unknown act `end_everything`"));
    let dir = edited_copy(|t| {
        t.replace(
            "kind = \"auto_act\"\nanchor = \"comment_period_end\"",
            "kind = \"due\"\nanchor = \"comment_period_end\"",
        )
    });
    assert!(errors_of(dir.path()).contains("names an act; only auto_act does"));
}

#[test]
fn a_loop_with_no_way_to_an_end_is_refused_with_its_path() {
    // Execution can enter a stage that only ever leads back to itself: every stage is reachable and has an act
    // leaving it, yet a decision taken there can never be archived.
    let limbo = "\n[[stage]]\nkey = \"limbo\"\nkind = \"suspension\"\ntitle_zh = \"搁置\"\ntitle_en = \"Limbo\"\n\n\
        [[act]]\nname = \"enter_limbo\"\nhandler = \"advance\"\nstages = [\"execution\"]\nto = \"limbo\"\n\
        roles = [\"general_office\"]\narticle = \"Art. 37\"\n\n\
        [[act]]\nname = \"stay_in_limbo\"\nhandler = \"advance\"\nstages = [\"limbo\"]\nto = \"limbo\"\n\
        roles = [\"general_office\"]\narticle = \"Art. 37\"\n";
    let dir = edited_copy(|t| t + limbo);
    let errors = errors_of(dir.path());
    assert!(errors.contains("from every reachable stage a path leads to an end (closed, not_started)"), "{errors}");
    assert!(errors.contains("--enter_limbo--> limbo"), "{errors}");
}
