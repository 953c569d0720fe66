//! Accountability queries and the offline-verifiable dossier, on the demo's record.

use chrono::Utc;
use juece_engine::accountability::{acts_by, export_dossier, overrides, stances, stances_of_member, verify_dossier};
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
    let out = dir.path().join("dossier");
    let manifest = export_dossier(store, &id, &out, Utc::now()).await.unwrap();
    assert!(manifest.files.len() > 40);
    verify_dossier(&out).expect("fresh dossier verifies");
    let memo = manifest.files.iter().find(|f| f.path.ends_with(".md")).unwrap().path.clone();
    let path = out.join(&memo);
    let original = std::fs::read(&path).unwrap();
    std::fs::write(&path, [original.as_slice(), b" "].concat()).unwrap();
    assert!(verify_dossier(&out).unwrap_err().to_string().contains("does not match the manifest"));
    std::fs::write(&path, &original).unwrap();
    // Rewriting the manifest to match a forged memo still fails: the record does not vouch for it.
    let forged = b"forged".to_vec();
    std::fs::write(&path, &forged).unwrap();
    let mut m = manifest.clone();
    for f in m.files.iter_mut().filter(|f| f.path == memo) {
        f.sha256 = juece_engine::audit::sha256_hex(&forged);
    }
    std::fs::write(out.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
    assert!(verify_dossier(&out).unwrap_err().to_string().contains("not vouched for by the record"));
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
    };
    let drafter = Actor {
        user_id: "d".into(),
        name: "李".into(),
        unit: "局".into(),
        position: "科长".into(),
        roles: vec![Role::Drafter],
    };
    let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 3, 2, 1, 0, 0).unwrap();
    let p =
        serde_json::json!({ "title": "t", "organ": "o", "proposer_type": "leader", "proposer": "p", "summary": "s" });
    engine.open("national", "d1", &Act::new("submit_proposal", p), &office, now).await.unwrap();
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
        engine.apply("d1", &Act::new(name, payload), who, now, None).await.unwrap();
    }
    let o = overrides(engine.store().as_ref()).await.unwrap();
    assert_eq!(o.len(), 1);
    assert_eq!((o[0].kind, o[0].article, o[0].reason.as_str()), ("comment_period_shortened", "Art. 15", "汛期临近"));
}
