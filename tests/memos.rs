//! The memos of the sample decision: clear file names whose bytes the audit
//! record vouches for, byte-identical re-rendering from the stored data,
//! fixtures that have the shape of the data acts record, the annual report's
//! figures, and the `juece memo` / `juece report` commands.

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use clap::Parser;
use juece_api::cli::{run, Cli};
use juece_engine::memo::MemoSet;
use juece_engine::report;
use juece_tests::{assert_vouched_memo_file, engine, sqlite_url, workflows};
use serde_json::Value;

async fn demo(url: &str, out: Option<&std::path::Path>) {
    let engine = engine(url).await;
    let mut buf = Vec::new();
    juece_api::demo::run(&engine, out, &mut buf).await.expect("demo completes");
}

#[tokio::test]
async fn demo_memo_files_are_named_by_seq_type_and_template_and_match_the_record() {
    let (dir, url) = sqlite_url();
    let out = dir.path().join("memos");
    demo(&url, Some(&out)).await;
    let engine = engine(&url).await;
    let id = engine.store().versions().await.unwrap()[0].0.clone();
    let records = engine.store().audit_records(&id).await.unwrap();
    let mut types = std::collections::BTreeSet::new();
    let mut count = 0;
    for f in std::fs::read_dir(&out).unwrap().flatten() {
        let name = f.file_name().to_string_lossy().to_string();
        // 039-D25-decision.zh.html
        let parts: Vec<&str> = name.splitn(3, '-').collect();
        assert_eq!(parts.len(), 3, "{name}");
        assert!(parts[1].starts_with('D'), "{name}: document type");
        assert_vouched_memo_file(&f.path(), &records);
        types.insert(parts[1].to_string());
        count += 1;
    }
    let stored = engine.store().memos(&id).await.unwrap();
    assert!(stored.iter().all(|m| m.format == "md"), "an act seals its memos as Markdown only");
    assert_eq!(count, 2 * stored.len(), "one file per stored memo, and its page");
    for t in [
        "D1", "D2", "D4", "D5", "D7", "D14", "D15", "D16", "D17", "D18", "D20", "D22", "D23", "D24", "D25", "D26",
        "D28", "D30", "D31", "D33",
    ] {
        assert!(types.contains(t), "the demo issues a {t} document: {types:?}");
    }
}

#[tokio::test]
async fn stored_memos_re_render_byte_identical_from_their_data() {
    let (_dir, url) = sqlite_url();
    demo(&url, None).await;
    let engine = engine(&url).await;
    let set = MemoSet::load(&workflows().join("national")).unwrap();
    let id = engine.store().versions().await.unwrap()[0].0.clone();
    let stored = engine.store().memos(&id).await.unwrap();
    assert!(stored.len() >= 40, "{} memos (each in two languages, as Markdown)", stored.len());
    for m in &stored {
        assert_eq!(Some(m.template_sha256.as_str()), set.template_sha256(&m.memo, &m.lang), "{}", m.memo);
        let data: Value = serde_json::from_str(&m.data).unwrap();
        let again = set.render(&m.memo, &data).unwrap();
        let same = again.iter().find(|r| r.lang == m.lang && r.format == m.format).unwrap();
        assert_eq!(same.body, m.body, "{} {} {} re-renders identically", m.memo, m.lang, m.format);
        assert_eq!(same.sha256, m.sha256);
    }
    // Numbered documents carry consecutive numbers of their series.
    let numbers: Vec<String> = stored
        .iter()
        .filter(|m| m.lang == "zh" && m.format == "md")
        .filter_map(|m| {
            let d: Value = serde_json::from_str(&m.data).ok()?;
            d.pointer("/meta/number/text").and_then(Value::as_str).map(str::to_string)
        })
        .collect();
    // Every sent document is numbered: the legality opinion in the review body's series, the meeting notice
    // in the office's, the minutes by 期号 and the 公告 by its own number, each series without gaps.
    assert_eq!(
        numbers,
        [
            "示政办函〔2026〕1号",
            "示司法审〔2026〕1号",
            "示政办函〔2026〕2号",
            "示政发〔2026〕1号",
            "2026年第1期",
            "2026年第1号",
            "示政发〔2026〕2号",
            "示政办函〔2026〕3号"
        ]
    );
}

/// The archive list is the dossier: one row for every document the acts issued before it, each with the number
/// its document printed, and a total that counts those rows (not the eleven kinds of material checked).
#[tokio::test]
async fn the_archive_list_lists_every_document_issued_before_it() {
    let (_dir, url) = sqlite_url();
    demo(&url, None).await;
    let engine = engine(&url).await;
    let id = engine.store().versions().await.unwrap()[0].0.clone();
    let stored = engine.store().memos(&id).await.unwrap();
    let official: Vec<_> = stored.iter().filter(|m| m.lang == "zh" && m.format == "md").collect();
    let archive = official.iter().find(|m| m.memo == "archive_manifest").expect("the demo archives");
    let before: Vec<_> = official.iter().filter(|m| m.seq < archive.seq).collect();
    let data: Value = serde_json::from_str(&archive.data).unwrap();
    let rows = data.pointer("/dossier/documents").and_then(Value::as_array).cloned().unwrap_or_default();
    assert_eq!(rows.len(), before.len(), "one row per document issued before the list");
    assert!(rows.len() > 11, "{} documents", rows.len());
    for (row, m) in rows.iter().zip(&before) {
        assert_eq!(row["seq"].as_i64(), Some(m.seq), "{row}");
        let d: Value = serde_json::from_str(&m.data).unwrap();
        if let Some(n) = d.pointer("/meta/number/text").and_then(Value::as_str) {
            assert!(row["number"].as_str().is_some_and(|r| r.ends_with(n)), "{} is listed as {n}: {row}", m.memo);
            assert!(archive.body.contains(n), "the list shows {n}");
        }
        assert!(row["pages"].as_u64().is_some_and(|p| p >= 1) && row["copies"] == 1, "{row}");
    }
    assert!(
        archive.body.contains(&format!("共{}件", rows.len())) && !archive.body.contains("共十一项"),
        "{}",
        archive.body
    );
}

/// Every path of a value: `a.b[].c`.
fn paths(v: &Value, prefix: &str, out: &mut BTreeMap<String, Value>) {
    out.insert(prefix.to_string(), v.clone());
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| paths(x, &format!("{prefix}.{k}"), out)),
        Value::Array(a) => a.iter().for_each(|x| paths(x, &format!("{prefix}[]"), out)),
        _ => {}
    }
}

#[tokio::test]
async fn fixtures_have_the_shape_of_the_data_acts_record() {
    let (_dir, url) = sqlite_url();
    demo(&url, None).await;
    let engine = engine(&url).await;
    let id = engine.store().versions().await.unwrap()[0].0.clone();
    let fixtures = workflows().join("national/memos/fixtures");
    let mut checked = 0;
    for m in engine.store().memos(&id).await.unwrap().iter().filter(|m| m.lang == "zh" && m.format == "md") {
        let text = std::fs::read_to_string(fixtures.join(format!("{}.json", m.memo))).unwrap();
        let (mut want, mut have) = (BTreeMap::new(), BTreeMap::new());
        paths(&serde_json::from_str(&text).unwrap(), "", &mut want);
        paths(&serde_json::from_str(&m.data).unwrap(), "", &mut have);
        for p in want.keys() {
            // A path the act records as null or as an empty list is optional data.
            let optional = have
                .iter()
                .any(|(h, v)| p.starts_with(h.as_str()) && (v.is_null() || v.as_array().is_some_and(|a| a.is_empty())));
            assert!(
                have.contains_key(p) || optional,
                "{}: the fixture has `{p}`, the act records no such field",
                m.memo
            );
        }
        checked += 1;
    }
    assert!(checked >= 20);
}

#[tokio::test]
async fn the_annual_report_counts_the_demo_decision() {
    let (_dir, url) = sqlite_url();
    demo(&url, None).await;
    let engine = engine(&url).await;
    let as_of = Utc.with_ymd_and_hms(2026, 12, 31, 8, 0, 0).unwrap();
    let r = report::annual(&engine, "示范市人民政府", 2026, as_of).await.unwrap();
    assert_eq!((r.started, r.decided, r.published, r.suspended), (1, 1, 1, 1), "{r:?}");
    assert_eq!((r.hearings, r.expert_consultations, r.experts_used), (0, 1, 3), "{r:?}");
    assert_eq!(r.legality_total, 1);
    assert_eq!(r.legality_opinions[0].conclusion, "lawful");
    assert!(r.shortened.is_empty() && r.divergences.is_empty() && r.overdue.is_empty(), "{r:?}");
    assert_eq!((r.post_evaluations_started, r.post_evaluation_reports), (1, 1));
    assert_eq!(r.decisions.len(), 1);
    assert_eq!(r.decisions[0].stage, "closed");
    // Read by its decision's document number, not its id; addressed to the directory's superior.
    assert_eq!((r.decisions[0].number.as_str(), r.addressee.as_str()), ("示政发〔2026〕1号", "示范省人民政府"));
    // The genre's other figures, from the demo's record.
    assert_eq!((r.comment_notices, r.comments_received, r.comments_adopted), (1, 2, 1), "{r:?}");
    assert_eq!((r.risk_assessments, r.mitigation_plans, r.risk_levels[0].key.as_str()), (1, 1, "low"), "{r:?}");
    assert_eq!((r.lawyer_opinions[0].key.as_str(), r.lawyer_opinions[0].count), ("公职律师", 1), "{r:?}");
    assert_eq!((r.not_applicable.len(), r.not_applicable[0].stage.as_str()), (1, "hearing"), "{r:?}");
    assert_eq!((r.cases_opened, r.adjusted, r.pool.size), (0, 0, 0), "{r:?}");
    // Another year, another organ: nothing.
    let empty = report::annual(&engine, "示范市人民政府", 2027, as_of).await.unwrap();
    assert_eq!((empty.started, empty.decided, empty.decisions.len()), (0, 0, 0));
    let other = report::annual(&engine, "另一市人民政府", 2026, as_of).await.unwrap();
    assert_eq!((other.started, other.decisions.len()), (0, 0));
    // The report renders in the official layout.
    let set = engine.memos("national").unwrap();
    let md = set.render_markdown("annual_report", "zh", &serde_json::to_value(&r).unwrap()).unwrap();
    assert!(md.contains("全年启动重大行政决策事项1件，作出决策1件，公布决策1件；中止执行1件"), "{md}");
    assert!(md.contains("合法1份"), "{md}");
}

async fn juece(args: &[&str]) -> anyhow::Result<u8> {
    let w = workflows();
    let mut argv = vec!["juece", "--workflows", w.to_str().unwrap()];
    argv.extend_from_slice(args);
    run(Cli::try_parse_from(argv)?).await
}

#[tokio::test]
async fn memo_render_and_report_annual_commands() {
    let (_dir, url) = sqlite_url();
    demo(&url, None).await;
    let id = engine(&url).await.store().versions().await.unwrap()[0].0.clone();
    let db = ["--database-url", url.as_str()];
    for args in [
        vec!["memo", "render", &id, "decision"],
        vec!["memo", "render", &id, "D25", "--lang", "en", "--format", "html"],
        vec!["report", "annual", "--organ", "示范市人民政府", "--year", "2026"],
        vec!["report", "annual", "--organ", "示范市人民政府", "--year", "2026", "--format", "html"],
    ] {
        let argv: Vec<&str> = db.iter().copied().chain(args.iter().copied()).collect();
        assert_eq!(juece(&argv).await.unwrap(), 0, "{args:?}");
    }
    // PDF needs a browser: without one configured, the command says how to configure it.
    if std::env::var_os("JUECE_BROWSER").is_none() {
        for args in [
            vec!["memo", "render", &id, "D25", "--format", "pdf"],
            vec!["report", "annual", "--organ", "示范市人民政府", "--year", "2026", "--format", "pdf"],
        ] {
            let argv: Vec<&str> = db.iter().copied().chain(args.iter().copied()).collect();
            let err = juece(&argv).await.unwrap_err().to_string();
            assert!(err.contains("JUECE_BROWSER") && err.contains("chromium"), "{args:?}: {err}");
        }
    }
    let missing: Vec<&str> = db.iter().copied().chain(["memo", "render", &id, "no_such_memo"]).collect();
    let err = juece(&missing).await.unwrap_err().to_string();
    assert!(err.contains("has no memo `no_such_memo`") && err.contains("decision"), "{err}");
}

/// A record written before pages were laid out on read sealed each memo's page too: it still reads (each page
/// once, as stored, not laid out again), verifies, and goes into the dossier as a memo of the record.
#[tokio::test]
async fn a_record_that_sealed_its_pages_reads_verifies_and_exports_as_stored() {
    use juece_engine::actor::{Actor, Role};
    use juece_engine::audit::{sha256_hex, AuditRecord, GENESIS};
    use juece_engine::decision::Decision;
    use juece_engine::store::{StoredMemo, TransitionCommit};
    let (dir, url) = sqlite_url();
    let engine = engine(&url).await;
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    let mut d = Decision::new("legacy-1", "national", 1, "proposal", at);
    d.version = 1;
    let md =
        "<!-- title -->\n# 关于示范事项的请示\n\n<!-- body -->\n正文。\n\n<!-- date -->\n2026年3月2日\n".to_string();
    // Laid out by an earlier version: not what today's layout gives.
    let html = format!("{}<!-- laid out by an earlier version -->", juece_engine::render::html::page(&md, "zh"));
    let memo = |format: &str, body: &str| StoredMemo {
        decision_id: d.id.clone(),
        seq: 1,
        memo: "proposal".into(),
        lang: "zh".into(),
        format: format.into(),
        body: body.into(),
        sha256: sha256_hex(body.as_bytes()),
        template_sha256: "t".into(),
        data: "{}".into(),
        created_at: at,
    };
    let memos = vec![memo("md", &md), memo("html", &html)];
    let hashes = memos.iter().map(|m| m.sha256.clone()).collect();
    let payload = serde_json::json!({});
    let audit =
        AuditRecord::next(&d.id, 1, "submit_proposal", "", "proposal", &Actor::system(), at, &payload, hashes, GENESIS);
    let commit = TransitionCommit::bare(d, 0, audit, memos);
    for written in engine.store().commit(vec![commit]).await {
        written.expect("the legacy record is written");
    }

    let oversight = juece_tests::person("监察", "监察组", Role::Oversight);
    let listed = engine.read_memos("legacy-1", &oversight, Utc::now()).await.expect("listed");
    let names: Vec<(&str, Option<&String>)> =
        listed.iter().map(|m| (m.format.as_str(), m.rendered_from.as_ref())).collect();
    assert_eq!(names, [("md", None), ("html", None)], "each page once, sealed");
    let page = engine.read_memo("legacy-1", 1, ("proposal", "zh", "html"), &oversight, Utc::now()).await.expect("page");
    assert_eq!(page.body, html, "read as stored");

    let report = juece_engine::orchestrator::verify_store(engine.store().as_ref()).await.expect("verify");
    assert!(report.breaks.is_empty() && report.memos == 2, "{:?}", report.breaks);
    let key = juece_engine::anchor::ServerKey::generate();
    let out = dir.path().join("dossier");
    let manifest =
        juece_engine::dossier::export_dossier(engine.store().as_ref(), "legacy-1", &out, Utc::now(), Some(&key), None)
            .await
            .expect("exported");
    let paths: Vec<&str> = manifest.files.iter().map(|f| f.path.as_str()).filter(|p| p.contains("proposal")).collect();
    assert_eq!(paths, ["memos/001-proposal.zh.md", "memos/001-proposal.zh.html"]);
    juece_engine::dossier::verify_dossier(&out, &key.public()).expect("the dossier verifies");
}
