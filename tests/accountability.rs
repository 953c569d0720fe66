//! Accountability queries and the offline-verifiable dossier, on the demo's record.

use juece_engine::orchestrator::ActRequest;
use std::path::Path;

use chrono::Utc;
use juece_engine::accountability::{acts_by, export_dossier, overrides, stances, stances_of_member, verify_dossier};
use juece_engine::anchor::ServerKey;
use juece_engine::anchoring::anchor_now;
use juece_engine::audit::{sha256_hex, AuditRecord};
use juece_tests::{engine, sqlite_url};

#[tokio::test]
async fn who_did_what_stances_and_the_dossier() {
    let (dir, url) = sqlite_url();
    let engine = engine(&url).await;
    juece_api::demo::run(&engine, None, &mut Vec::new()).await.expect("demo");
    let store = engine.store().as_ref();
    let id = store.versions().await.unwrap()[0].0.clone();

    // Everything the drafter did, with name, unit and position as of the act.
    let acts = acts_by(store, "u-drafter").await.unwrap();
    assert!(acts.len() >= 20, "{}", acts.len());
    assert!(acts.iter().all(|a| a.actor.name == "李明" && a.actor.position == "法规科科长"));
    assert!(acts.iter().any(|a| a.act == "submit_for_legality_review"));
    assert!(acts.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(acts_by(store, "nobody").await.unwrap().is_empty());

    // Stances in speaking order, the chief executive last, verbatim.
    let st = stances(store, &id).await.unwrap();
    let order: Vec<(&str, &str)> = st.iter().map(|s| (s.member.as_str(), s.stance.as_str())).collect();
    assert_eq!(order[..2], [("郑副市长", "support"), ("王文", "support_with_changes")]);
    assert!(st.last().unwrap().chief && st.last().unwrap().stance == "adopt");
    assert_eq!(st[1].words, "同意，建议明确过渡期。");
    let mine = stances_of_member(store, "郑副市长").await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].decision_id, id);
    assert!(overrides(store).await.unwrap().is_empty(), "the demo overrides no soft floor");

    // The dossier verifies offline, and any altered file is caught.
    let key = ServerKey::generate();
    let out = dir.path().join("dossier");
    let manifest = export_dossier(store, &id, &out, Utc::now(), Some(&key), None).await.unwrap();
    assert!(manifest.files.len() > 40);
    verify_dossier(&out, &key.public()).expect("fresh dossier verifies");
    let memo = manifest.files.iter().find(|f| f.path.ends_with(".md")).unwrap().path.clone();
    let path = out.join(&memo);
    let original = std::fs::read(&path).unwrap();
    std::fs::write(&path, [original.as_slice(), b" "].concat()).unwrap();
    assert!(verify_dossier(&out, &key.public()).unwrap_err().to_string().contains("does not match the manifest"));
    std::fs::write(&path, &original).unwrap();
    verify_dossier(&out, &key.public()).expect("restored");

    // Each memo sealed as Markdown has its A4 page beside it, laid out from it and signed by the manifest.
    let pages: Vec<&str> = manifest.files.iter().map(|f| f.path.as_str()).filter(|p| p.starts_with("pages/")).collect();
    let sealed = manifest.files.iter().filter(|f| f.path.starts_with("memos/") && f.path.ends_with(".md")).count();
    assert_eq!(pages.len(), sealed, "{pages:?}");
    for page in &pages {
        let md = out.join(page.replacen("pages/", "memos/", 1).replace(".html", ".md"));
        let lang = if page.ends_with(".zh.html") { "zh" } else { "en" };
        let expected = juece_engine::render::html::page(&std::fs::read_to_string(&md).unwrap(), lang);
        assert_eq!(std::fs::read_to_string(out.join(page)).unwrap(), expected, "{page}");
    }
    let page = out.join(pages[0]);
    let original = std::fs::read(&page).unwrap();
    std::fs::write(&page, [original.as_slice(), b"<p>added</p>"].concat()).unwrap();
    assert!(verify_dossier(&out, &key.public()).unwrap_err().to_string().contains("does not match the manifest"));
    std::fs::write(&page, &original).unwrap();
    verify_dossier(&out, &key.public()).expect("restored");
}

/// Rewrite `manifest.json` as a forger would: each file's hash recomputed, the signature left as it was.
fn rehash_manifest(dir: &Path) {
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let files = m["files"].as_array_mut().unwrap();
    files.retain(|f| dir.join(f["path"].as_str().unwrap()).exists());
    for f in files.iter_mut() {
        let bytes = std::fs::read(dir.join(f["path"].as_str().unwrap())).unwrap();
        f["sha256"] = serde_json::Value::String(sha256_hex(&bytes));
    }
    std::fs::write(dir.join("manifest.json"), serde_json::to_vec_pretty(&m).unwrap()).unwrap();
}

/// Write `manifest.json` from the manifest `m` (its `files` sorted) with `key`'s signature.
fn sign_manifest(dir: &Path, key: &ServerKey, m: serde_json::Value) {
    let mut manifest: juece_engine::dossier::Manifest = serde_json::from_value(m).unwrap();
    manifest.files.sort_by(|a, b| a.path.cmp(&b.path));
    let signed = juece_engine::dossier::SignedManifest {
        seal: Some(juece_engine::dossier::ManifestSeal {
            public_key: key.public().to_hex(),
            signature: key
                .sign(juece_engine::audit::canonical_json(&serde_json::to_value(&manifest).unwrap()).as_bytes()),
        }),
        manifest,
    };
    std::fs::write(dir.join("manifest.json"), serde_json::to_vec(&signed).unwrap()).unwrap();
}

#[track_caller]
fn refused(dir: &Path, key: &ServerKey, what: &str) {
    let err = verify_dossier(dir, &key.public()).expect_err(what).to_string();
    assert!(err.contains(what), "expected `{what}`, got {err}");
}

#[tokio::test]
async fn a_forged_dossier_is_refused_each_way() {
    let (dir, url) = sqlite_url();
    let engine = engine(&url).await;
    juece_api::demo::run(&engine, None, &mut Vec::new()).await.expect("demo");
    let store = engine.store().as_ref();
    let id = store.versions().await.unwrap()[0].0.clone();
    let key = ServerKey::generate();
    let log = dir.path().join("anchors.jsonl");
    let anchor = anchor_now(store, &key, &log, Utc::now()).await.unwrap();
    let fresh = |name: &str| {
        let out = dir.path().join(name);
        let anchor = anchor.clone();
        let key = &key;
        async move {
            export_dossier(store, &id_of(store).await, &out, Utc::now(), Some(key), Some(&anchor)).await.unwrap();
            verify_dossier(&out, &key.public()).expect("fresh");
            out
        }
    };
    assert!(fresh("a").await.join("anchor.json").exists(), "the anchor rides in the dossier");

    // decision.json edited, the manifest's hash updated: the signature no longer holds.
    let out = fresh("state").await;
    let state = std::fs::read_to_string(out.join("decision.json")).unwrap();
    std::fs::write(out.join("decision.json"), state.replacen("\"version\"", "\"edited\": 1, \"version\"", 1)).unwrap();
    rehash_manifest(&out);
    refused(&out, &key, "signature does not verify");

    // A memo deleted with its manifest entry.
    let out = fresh("memo").await;
    let memo = std::fs::read_dir(out.join("memos")).unwrap().flatten().next().unwrap().path();
    std::fs::remove_file(memo).unwrap();
    rehash_manifest(&out);
    refused(&out, &key, "signature does not verify");

    // The record re-chained after an edit, the manifest updated.
    let out = fresh("rechain").await;
    let mut records: Vec<AuditRecord> = std::fs::read_to_string(out.join("record.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    records[2].payload = records[2].payload.replace("第一条", "第二条");
    records[2].payload_hash = sha256_hex(records[2].payload.as_bytes());
    for i in 2..records.len() {
        records[i].prev_hash = records[i - 1].hash.clone();
        records[i].hash = records[i].compute_hash();
    }
    let lines: String = records.iter().map(|r| serde_json::to_string(r).unwrap() + "\n").collect();
    std::fs::write(out.join("record.jsonl"), lines).unwrap();
    rehash_manifest(&out);
    refused(&out, &key, "signature does not verify");
    // Signed again by a key of the forger's own: still not the server's.
    refused(&out, &ServerKey::generate(), "signature does not verify");

    // A file the manifest does not list.
    let out = fresh("extra").await;
    std::fs::write(out.join("memos/999-note.zh.md"), "补充材料").unwrap();
    refused(&out, &key, "memos/999-note.zh.md: a file the manifest does not list");

    // A manifest (even one the server signed) naming a path outside the dossier.
    let out = fresh("outside").await;
    std::fs::write(dir.path().join("secret.txt"), "x").unwrap();
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    m["files"].as_array_mut().unwrap().push(serde_json::json!({ "path": "../secret.txt", "sha256": sha256_hex(b"x") }));
    sign_manifest(&out, &key, m);
    refused(&out, &key, "../secret.txt: the manifest names a path outside the dossier");

    // A page (signed, even by the server) that lays out no memo of the dossier.
    let out = fresh("page").await;
    std::fs::create_dir_all(out.join("pages")).unwrap();
    std::fs::write(out.join("pages/999-note.zh.html"), "<p>补充材料</p>").unwrap();
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let entry =
        serde_json::json!({ "path": "pages/999-note.zh.html", "sha256": sha256_hex("<p>补充材料</p>".as_bytes()) });
    m["files"].as_array_mut().unwrap().push(entry);
    sign_manifest(&out, &key, m);
    refused(&out, &key, "pages/999-note.zh.html: a page of no memo the dossier holds");

    // An unsigned export does not verify.
    let out = dir.path().join("unsigned");
    export_dossier(store, &id, &out, Utc::now(), None, None).await.unwrap();
    refused(&out, &key, "unsigned");

    // Exported from a record cut back below its anchored head: the anchor names it.
    let mut ahead = anchor.clone();
    let head = ahead.heads.iter_mut().find(|h| h.chain == id).unwrap();
    head.version += 1;
    let log2 = dir.path().join("anchors2.jsonl");
    let ahead = juece_engine::anchor::log::append(&log2, &key, ahead.heads, ahead.calendar, Utc::now()).unwrap();
    let out = dir.path().join("cut");
    export_dossier(store, &id, &out, Utc::now(), Some(&key), Some(&ahead)).await.unwrap();
    refused(&out, &key, "does not reach anchor #1's head");
}

async fn id_of(store: &dyn juece_engine::store::Store) -> String {
    store.versions().await.unwrap()[0].0.clone()
}

#[tokio::test]
async fn overrides_are_listed_with_their_reasons() {
    use juece_engine::act::Act;
    use juece_engine::actor::{Actor, Role};
    let (_dir, url) = sqlite_url();
    let engine = engine(&url).await;
    let office = Actor {
        user_id: "o".into(),
        name: "王".into(),
        unit: "办公厅".into(),
        position: "秘书长".into(),
        roles: vec![Role::GeneralOffice],
        former_units: Vec::new(),
    };
    let drafter = Actor {
        user_id: "d".into(),
        name: "李".into(),
        unit: "局".into(),
        position: "科长".into(),
        roles: vec![Role::Drafter],
        former_units: Vec::new(),
    };
    let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 3, 2, 1, 0, 0).unwrap();
    let p =
        serde_json::json!({ "title": "t", "organ": "o", "proposer_type": "leader", "proposer": "p", "summary": "s" });
    engine.open("national", ActRequest::new("d1", &Act::new("submit_proposal", p), &office, now)).await.unwrap();
    let acts = [
        ("start_decision", serde_json::json!({ "category": 1, "undertaking_units": ["局"] }), &office),
        ("record_draft", serde_json::json!({ "text": "x", "explanation": "e", "legal_basis": ["法"] }), &drafter),
        ("finish_drafting", serde_json::json!({}), &drafter),
        (
            "determine_applicability",
            serde_json::json!({ "stage": "cost_benefit", "outcome": "not_applicable", "reason": "r" }),
            &drafter,
        ),
        ("skip_cost_benefit", serde_json::json!({}), &drafter),
        ("approve_comment_shortening", serde_json::json!({ "days": 15, "reason": "汛期临近" }), &office),
        (
            "publish_comment_notice",
            serde_json::json!({ "channels": ["website"], "submission_methods": ["m"], "start": "2026-03-02", "days": 15, "shortening_reason": "汛期临近" }),
            &drafter,
        ),
    ];
    for (name, payload, who) in acts {
        engine.apply(ActRequest::new("d1", &Act::new(name, payload), who, now)).await.unwrap();
    }
    let o = overrides(engine.store().as_ref()).await.unwrap();
    assert_eq!(o.len(), 1);
    assert_eq!((o[0].kind, o[0].article, o[0].reason.as_str()), ("comment_period_shortened", "Art. 15", "汛期临近"));
}
