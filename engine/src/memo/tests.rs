//! Every template rendered from its fixture: the layout, the fields §3
//! requires, byte-identical re-rendering, snapshots, and numbering through
//! the engine. Snapshots live in `tests/snapshots/memos/`; after an
//! intended change run `UPDATE_SNAPSHOTS=1 cargo test -p juece-engine memo`
//! and review the diff in git.

use crate::orchestrator::ActRequest;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};

use super::*;
use crate::act::Act;
use crate::actor::{Actor, Role};
use crate::audit::AuditRecord;
use crate::orchestrator::Engine;
use crate::store::numbering::NumberClaim;
use crate::store::{Store, StoreError, TransitionCommit};

mod attached;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn national() -> PathBuf {
    repo().join("workflows").join("national")
}

fn memos() -> MemoSet {
    match MemoSet::load(&national()) {
        Ok(set) => set,
        Err(e) => panic!("the national memos load: {e}"),
    }
}

fn fixture(memo: &str) -> Value {
    let path = national().join("memos").join("fixtures").join(format!("{memo}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fields regulation.md §3 requires of each document, as JSON pointers
/// into the fixture; the value must appear in the rendered Chinese text
/// (dates in the official form).
const REQUIRED: &[(&str, &[&str])] = &[
    (
        "proposal",
        &[
            "/proposal/proposer",
            "/proposal/summary",
            "/proposal/main_problem",
            "/proposal/reasons_and_basis",
            "/proposal/preliminary_solution",
            "/proposal/necessity",
            "/proposal/feasibility",
        ],
    ),
    (
        "start_decision",
        &["/start/undertaking_units/0", "/start/undertaking_units/1", "/start/lead_unit", "/meta/number/text"],
    ),
    ("draft", &["/draft/text", "/draft/explanation", "/draft/legal_basis/0"]),
    ("comment_notice", &["/notice/submission_methods/0", "/notice/last_day", "/notice/start", "/notice/published_at"]),
    ("adoption_summary", &["/public_adoption_summary", "/opinions/0/content", "/opinions/1/disposition/reason"]),
    ("hearing_notice", &["/hearing/place", "/hearing/date", "/hearing/notice_published_at"]),
    (
        "hearing_participants",
        &["/selection/criteria", "/selection/published_at", "/participants/0/name", "/participants/0/affiliation"],
    ),
    (
        "hearing_record",
        &[
            "/hearing/place",
            "/hearing/date",
            "/hearing/presiding",
            "/hearing/recorder",
            "/hearing/participants/0/name",
            "/hearing/participants/1/refusal_reason",
            "/hearing/statements/0/text",
        ],
    ),
    ("expert_selection", &["/experts/0/name", "/experts/0/field", "/expert_adoption_summary"]),
    (
        "expert_opinion",
        &[
            "/expert/opinion/necessity",
            "/expert/opinion/feasibility",
            "/expert/opinion/scientific_soundness",
            "/expert/opinion/signature",
            "/expert/opinion/submitted_at",
        ],
    ),
    (
        "risk_report",
        &[
            "/report/assessor",
            "/report/methods/0",
            "/report/departments_consulted/0",
            "/report/risk_points/0",
            "/report/measures/0",
            "/report/contingency_plan",
        ],
    ),
    ("controllability", &["/controllability/by", "/controllability/at"]),
    (
        "legality_submission",
        &[
            "/submission/legal_basis/0",
            "/submission/procedure_explanation",
            "/submission/received_complete_on",
            "/submission/requested_due",
            // The draft and related materials (draft_ref, related_materials[]): the attached list of the
            // documents sent; the digests that bind them are in the record and the dossier's manifest.
            "/dossier/documents/2/title",
            "/dossier/documents/10/title",
        ],
    ),
    (
        "legality_opinion",
        &[
            "/opinion/authority",
            "/opinion/procedure",
            "/opinion/content",
            "/opinion/reviewer",
            "/opinion/issued_at",
            "/lawyer_opinions/0/opinion",
        ],
    ),
    // Each Art. 29 item linked to its document: the attached list of materials, by number and title.
    (
        "package",
        &["/package/items/0", "/dossier/documents/9/title", "/dossier/documents/12/number", "/package/submitted_at"],
    ),
    ("meeting_notice", &["/meeting/date", "/meeting/members/0"]),
    ("minutes", &["/meeting/stances/0/words", "/meeting/stances/1/member", "/meeting/chief/words", "/meeting/date"]),
    // The decided text itself, attached (its hash is in the record, not on the published document).
    ("decision", &["/outcome/decided_at", "/draft/text", "/meta/number/text"]),
    ("party_report", &["/report/reference_no", "/report/submitted_at"]),
    (
        "publication",
        &[
            "/publication/published_at",
            "/publication/adoption_explanation",
            "/publication/interpretation_activities/0",
            "/executing_unit",
        ],
    ),
    ("suspension", &["/suspension/urgency_reason", "/suspension/at", "/report/text", "/meta/number/text"]),
    ("post_evaluation_start", &["/post_evaluation/trigger", "/post_evaluation/evaluator", "/meta/number/text"]),
    ("post_evaluation_report", &["/post_evaluation/report", "/post_evaluation/evaluator"]),
    ("archive_manifest", &["/archive/items/0", "/archive/archivist", "/archive/archived_at"]),
    (
        "annual_report",
        &[
            "/organ",
            "/addressee",
            "/started",
            "/catalogue_items",
            "/pool/size",
            "/pool/by_field/0/key",
            "/comments_received",
            "/comments_adopted",
            "/hearing_participants",
            "/mitigation_plans",
            "/legality_opinions/0/count",
            "/lawyer_opinions/0/key",
            "/shortened/0/reason",
            "/shortened/0/floor_days",
            "/divergences/0/reason",
            "/not_applicable/0/reason",
            "/cases/0/persons/0",
            "/decisions/0/number",
        ],
    ),
];

fn shown(value: &Value) -> String {
    match value {
        Value::String(s) if s.len() >= 10 && s.as_bytes()[4] == b'-' => crate::render::helpers::date_cn(s),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn every_template_shows_the_fields_section_3_requires() {
    let set = memos();
    let listed: Vec<&str> = REQUIRED.iter().map(|(m, _)| *m).collect();
    for memo in set.manifest().memos.keys() {
        assert!(listed.contains(&memo.as_str()), "{memo} has no required-field list in REQUIRED");
    }
    for (memo, pointers) in REQUIRED {
        let data = fixture(memo);
        let md = set.render_markdown(memo, "zh", &data).unwrap_or_else(|e| panic!("{e}"));
        for p in *pointers {
            let value = data.pointer(p).unwrap_or_else(|| panic!("{memo}: fixture has no {p}"));
            let text = shown(value);
            assert!(md.contains(&text), "{memo}.zh does not show {p} = {text:?}:\n{md}");
        }
        let en = set.render_markdown(memo, "en", &data).unwrap_or_else(|e| panic!("{e}"));
        assert!(check_layout(&en).is_ok(), "{memo}.en layout");
    }
}

/// Official usage writes the name of a regulation or document in 《》, never in quotation marks.
#[test]
fn document_names_are_written_in_title_marks() {
    let set = memos();
    for memo in set.manifest().memos.keys() {
        let data = fixture(memo);
        let Some(title) = data.get("title").and_then(Value::as_str) else { continue };
        let md = set.render_markdown(memo, "zh", &data).unwrap_or_else(|e| panic!("{e}"));
        assert!(!md.contains(&format!("“{title}”")), "{memo}: 《{title}》, not quotation marks:\n{md}");
    }
}

/// Addressees and issuers are real names from the unit directory, never a placeholder; the 请示 carries its
/// 签发人; a unit that both leads and undertakes is written once.
#[test]
fn addressees_and_signers_come_from_the_unit_directory() {
    let set = memos();
    for memo in set.manifest().memos.keys() {
        let md = set.render_markdown(memo, "zh", &fixture(memo)).unwrap_or_else(|e| panic!("{e}"));
        for placeholder in ["同级党委", "上一级人民政府", "决策承办单位：", "合法性审查机构：", "各有关单位"]
        {
            assert!(!md.contains(placeholder), "{memo}: placeholder {placeholder}:\n{md}");
        }
    }
    let report = set.render_markdown("party_report", "zh", &fixture("party_report")).unwrap_or_default();
    assert!(report.contains("中共示范市委员会：") && report.contains("签发人：李明"), "{report}");
    let sent = set.render_markdown("legality_submission", "zh", &fixture("legality_submission")).unwrap_or_default();
    assert!(sent.contains("示范市司法局："), "{sent}");
    let start = set.render_markdown("start_decision", "zh", &fixture("start_decision")).unwrap_or_default();
    assert!(start.contains("由示范市生态环境局牵头，会同示范市住房和城乡建设局承办"), "{start}");
    let mut alone = fixture("start_decision");
    alone["start"]["undertaking_units"] = json!(["示范市生态环境局"]);
    let one = set.render_markdown("start_decision", "zh", &alone).unwrap_or_default();
    assert!(one.contains("本事项由示范市生态环境局承办（") && one.matches("示范市生态环境局").count() == 2, "{one}");
    // An organ the directory does not know has no addressee to print: its upward document is refused.
    let unknown = set.manifest().organ("某县人民政府");
    let needs = &set.info("party_report").map(|i| i.needs.clone()).unwrap_or_default();
    assert_eq!(unknown.missing(needs), [DirectoryField::PartyCommittee, DirectoryField::Signer]);
    assert!(set.manifest().organ("示范市人民政府").missing(needs).is_empty());
}

/// A normative document is issued by a 印发 notice with the document itself attached; a document that lists a
/// 附件 carries it, in Markdown and HTML.
#[test]
fn a_normative_document_is_issued_with_the_text_attached() {
    let set = memos();
    let data = fixture("decision");
    let text = data.pointer("/draft/text").and_then(Value::as_str).unwrap_or_default().to_string();
    let md = set.render_markdown("decision", "zh", &data).unwrap_or_default();
    assert!(md.contains("# 示范市人民政府关于印发《示范市大气污染防治条例实施办法》的通知"), "{md}");
    let sections = check_layout(&md).unwrap_or_default();
    assert!(sections.contains(&"attachments") && sections.contains(&"annex"), "{sections:?}");
    let annex = md.split("<!-- gbt:annex -->").nth(1).unwrap_or_default();
    assert!(annex.contains(&text) && annex.contains("# 示范市大气污染防治条例实施办法"), "{annex}");
    let html = crate::render::html::page(&md, "zh");
    assert!(html.contains("<div class=\"gbt-annex\">") && html.contains(&text), "{html}");
    // Not adopted: a decision, nothing to issue or attach.
    let mut rejected = data.clone();
    rejected["outcome"]["outcome"] = json!("reject");
    let md = set.render_markdown("decision", "zh", &rejected).unwrap_or_default();
    assert!(md.contains("关于《示范市大气污染防治条例实施办法》的决定") && !md.contains("gbt:annex"), "{md}");
}

#[test]
fn numbered_documents_carry_mark_number_and_red_rule() {
    let set = memos();
    for (memo, info) in &set.manifest().memos {
        let data = fixture(memo);
        let md = set.render_markdown(memo, "zh", &data).unwrap_or_else(|e| panic!("{e}"));
        let sections = check_layout(&md).unwrap_or_else(|e| panic!("{memo}: {e}"));
        // The annual report, numbered outside any act, carries its number at the top of its data.
        let number = data.pointer("/meta/number/text").or(data.pointer("/number")).and_then(Value::as_str);
        match (info.number.is_some(), info.number_style) {
            // The 请示 prints the reference number its act records.
            (false, _) => {}
            (true, manifest::NumberStyle::Document) => {
                assert_eq!(&sections[..3], &["mark", "number", "title"], "{memo}");
                let html = crate::render::html::page(&md, "zh");
                assert!(html.contains("gbt-rule"), "{memo}: the red rule");
                assert!(number.is_some_and(|n| n.contains("〔20") && n.ends_with('号')), "{memo}: the official form");
            }
            // The minutes' 期号 under their mark.
            (true, manifest::NumberStyle::Issue) => {
                assert_eq!(&sections[..3], &["mark", "number", "title"], "{memo}");
                assert!(number.is_some_and(|n| n.starts_with("2026年第") && n.ends_with('期')), "{memo}");
            }
            // A 公告's number above its title, no mark.
            (true, manifest::NumberStyle::Notice) => {
                assert_eq!(&sections[..2], &["number", "title"], "{memo}");
                assert!(number.is_some_and(|n| n.starts_with("2026年第") && n.ends_with('号')), "{memo}");
            }
        }
        if info.number.is_some() {
            let number = number.unwrap_or_else(|| panic!("{memo}: the fixture has no number"));
            assert!(md.contains(number), "{memo}: shows its number {number}");
        }
        assert!(!md.contains("Art. "), "{memo}: article references are written in Chinese");
    }
}

#[test]
fn rendering_the_same_data_twice_gives_identical_bytes() {
    let set = memos();
    for memo in set.manifest().memos.keys() {
        let data = fixture(memo);
        let first = set.render(memo, &data).unwrap_or_else(|e| panic!("{e}"));
        // Round trip through the stored (canonical) form of the data.
        let stored: Value = serde_json::from_str(&crate::audit::canonical_json(&data)).unwrap_or_default();
        let second = set.render(memo, &stored).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first, second, "{memo}");
        let sealed: Vec<(&str, &str)> = first.iter().map(|r| (r.lang.as_str(), r.format.as_str())).collect();
        assert_eq!(sealed, [("zh", "md"), ("en", "md")], "{memo}: an act seals the Markdown; pages render on read");
    }
}

#[test]
fn snapshots_match() {
    let set = memos();
    let dir = repo().join("tests").join("snapshots").join("memos");
    let update = std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    for memo in set.manifest().memos.keys() {
        // Each sealed rendition and the page a reader gets of it.
        let sealed = set.render(memo, &fixture(memo)).unwrap_or_else(|e| panic!("{e}"));
        let pages = sealed.iter().map(|r| crate::memo::Rendered {
            format: "html".into(),
            body: crate::render::html::page(&r.body, &r.lang),
            ..r.clone()
        });
        for r in sealed.clone().into_iter().chain(pages) {
            let path = dir.join(format!("{memo}.{}.{}", r.lang, r.format));
            if update {
                std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
                std::fs::write(&path, &r.body).unwrap_or_else(|e| panic!("{e}"));
                continue;
            }
            let expected = std::fs::read_to_string(&path).unwrap_or_default();
            if expected != r.body {
                failures.push(diff(&path, &expected, &r.body));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} snapshot(s) differ; if intended, run UPDATE_SNAPSHOTS=1 cargo test -p juece-engine memo\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn diff(path: &Path, expected: &str, actual: &str) -> String {
    let d = similar::TextDiff::from_lines(expected, actual);
    format!("--- {}\n{}", path.display(), d.unified_diff().context_radius(2).header("expected", "rendered"))
}

#[test]
fn a_template_using_a_field_its_act_does_not_record_fails_at_load() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let src = national().join("memos");
    let dst = tmp.path().join("memos");
    std::fs::create_dir_all(dst.join("fixtures")).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(&src).into_iter().flatten().flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), dst.join(entry.file_name())).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    for entry in std::fs::read_dir(src.join("fixtures")).into_iter().flatten().flatten() {
        std::fs::copy(entry.path(), dst.join("fixtures").join(entry.file_name())).unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(MemoSet::load(tmp.path()).is_ok(), "the copy loads");
    let template = dst.join("party_report.zh.hbs");
    let text = std::fs::read_to_string(&template).unwrap_or_default();
    std::fs::write(&template, text.replace("{{report.reference_no}}", "{{report.reference_number}}"))
        .unwrap_or_else(|e| panic!("{e}"));
    let err = MemoSet::load(tmp.path()).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("party_report.zh") && err.contains("reference_number"), "{err}");
    // A template whose sections are out of order is refused too.
    std::fs::write(&template, text.replace("<!-- gbt:date -->", "<!-- gbt:mark -->")).unwrap_or_else(|e| panic!("{e}"));
    let err = MemoSet::load(tmp.path()).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("cannot follow"), "{err}");
}

// ---- numbering through the engine (used by the store conformance runs) ----

pub(crate) async fn engine_on(store: Arc<dyn Store>) -> Arc<Engine> {
    let workflows = crate::bind::load_dir(&repo().join("workflows")).unwrap_or_else(|e| panic!("{e:?}"));
    let calendar = crate::calendar::WorkCalendar::load_dir(&repo().join("workflows").join("calendars"))
        .unwrap_or_else(|e| panic!("{e}"));
    Arc::new(Engine::new(workflows, calendar, store).unwrap_or_else(|e| panic!("{e}")))
}

fn office() -> Actor {
    Actor {
        user_id: "u-office".into(),
        name: "王文".into(),
        unit: "示范市人民政府办公室".into(),
        position: "秘书长".into(),
        roles: vec![Role::GeneralOffice],
        former_units: Vec::new(),
    }
}

/// Open decision `num-i` and start it: the start letter takes a 示政办函 number.
pub(crate) async fn open_numbered(engine: &Engine, i: usize) -> Result<(), crate::error::Error> {
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).single().unwrap_or_default();
    let id = format!("num-{i}");
    let proposal = Act::new(
        "submit_proposal",
        json!({ "title": format!("事项{i}"), "organ": "示范市人民政府", "proposer_type": "leader",
                "proposer": "张市长", "summary": "建议" }),
    );
    engine.open("national", ActRequest::new(&id, &proposal, &office(), now)).await?;
    let start = Act::new("start_decision", json!({ "category": 1, "undertaking_units": ["示范市生态环境局"] }));
    let applied = engine.apply(ActRequest::new(&id, &start, &office(), now)).await?;
    let data: Value = serde_json::from_str(&applied.memos[0].data).unwrap_or_default();
    let text = data.pointer("/meta/number/text").and_then(Value::as_str).unwrap_or_default();
    assert!(applied.memos[0].body.contains(text) && text.starts_with("示政办函〔2026〕"), "{text}");
    Ok(())
}

/// A commit on `num-0` claiming `number` of its series: what it failed with (asserting it wrote nothing then).
pub(crate) async fn commit_claim(engine: &Engine, number: i64) -> Option<StoreError> {
    let store = engine.store();
    let loaded = store.load("num-0").await.ok().flatten()?;
    let mut next = loaded.decision.clone();
    next.version += 1;
    let audit = AuditRecord::next(
        &next.id,
        next.version,
        "noop",
        &next.stage,
        &next.stage,
        &Actor::system(),
        next.updated_at,
        &json!({}),
        Vec::new(),
        &loaded.last_hash,
    );
    let claim = NumberClaim {
        organ: "示范市人民政府".into(),
        series: "示政办函".into(),
        year: 2026,
        number,
        decision_id: next.id.clone(),
        seq: next.version,
        memo: "start_decision".into(),
    };
    let commit = TransitionCommit {
        numbers: vec![claim],
        ..TransitionCommit::bare(next, loaded.decision.version, audit, Vec::new())
    };
    let err = store.commit(vec![commit]).await.into_iter().next()?.err();
    let after = store.load("num-0").await.ok().flatten()?;
    if err.is_some() {
        assert_eq!(after.decision.version, loaded.decision.version, "the refused commit wrote nothing");
    }
    err
}
