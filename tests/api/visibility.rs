//! One visibility rule behind every read (Art. 19): an expert sees no other
//! expert's opinion before submitting their own, and no material before
//! their confidentiality undertaking (Art. 19(2)); a responsibility-tracing
//! case (Arts. 38–41) is read only by oversight, the general office and
//! administrators. Unique markers are
//! planted in an opinion and in the draft; every read path, for every
//! caller, is fetched and its body searched for them — status codes alone
//! prove nothing here.

use serde_json::{json, Value};

use super::{api, Api};

/// In e-1's opinion: no one on the panel reads it before their own.
const OPINION: &str = "OPINIONMARKER7f3a 甲专家独立论证意见";
/// In the draft the experts are consulted on: closed before the undertaking.
const DRAFT: &str = "DRAFTMARKER91c2 第一条 专家论证稿正文";

/// Every read a caller can make of decision `id`: (what, status, body as text).
async fn every_read(a: &Api, id: &str, user: &str) -> Vec<(String, u16, String)> {
    let mut paths = vec![
        format!("/api/v1/decisions/{id}"),
        format!("/api/v1/decisions/{id}/record"),
        format!("/api/v1/decisions/{id}/memos"),
        format!("/api/v1/decisions/{id}/deadlines"),
        format!("/api/v1/decisions/{id}/dossier"),
        "/api/v1/decisions?limit=200".to_string(),
        "/api/v1/accountability/acts?person=e-1".to_string(),
        format!("/api/v1/accountability/decisions/{id}/stances"),
        "/api/v1/accountability/experts/e-1/integrity".to_string(),
        "/api/v1/accountability/overrides".to_string(),
        "/api/v1/public/consultations".to_string(),
        "/api/v1/public/decisions".to_string(),
    ];
    // Every memo in all four formats, listed as the office sees them.
    let memos = a.get(&format!("/api/v1/decisions/{id}/memos"), Some("office")).await;
    for m in memos.body.as_array().into_iter().flatten() {
        let file = format!(
            "{}.{}.{}",
            m["memo"].as_str().unwrap_or(""),
            m["lang"].as_str().unwrap_or(""),
            m["format"].as_str().unwrap_or("")
        );
        paths.push(format!("/api/v1/decisions/{id}/memos/{}/{file}", m["seq"]));
    }
    let mut out = Vec::new();
    for p in paths {
        let got = a.get(&p, Some(user)).await;
        let text = match &got.body {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.push((p, got.status.as_u16(), text));
    }
    out
}

/// The reads whose body carries `marker`.
fn leaks(reads: &[(String, u16, String)], marker: &str) -> Vec<String> {
    reads.iter().filter(|(_, _, body)| body.contains(marker)).map(|(p, s, _)| format!("{p} ({s})")).collect()
}

/// A decision in expert consultation with e-1, e-2, e-3 (and `dual`, an
/// expert who is also of the general office) on the panel, the draft
/// carrying [`DRAFT`]; e-1 has given the undertaking and an opinion
/// carrying [`OPINION`], e-2 and `dual` only the undertaking, e-3 nothing.
async fn panel(a: &Api) -> String {
    a.add_user("dual", "示范市人民政府办公室", "expert").await;
    let roles = a
        .call(
            reqwest::Method::POST,
            "/api/v1/users/dual/roles",
            Some("admin"),
            Some(json!({ "add": ["general_office"] })),
        )
        .await;
    roles.expect(200, "");
    let id = a.at_stage("专家意见保密测试", "expert_consultation").await;
    let draft = json!({ "text": DRAFT, "explanation": "DRAFTMARKER91c2 起草说明", "legal_basis": ["《中华人民共和国大气污染防治法》"] });
    a.ok("drafter", &id, "record_draft", draft).await;
    for e in ["e-1", "e-2", "e-3", "dual"] {
        a.ok("drafter", &id, "select_expert", json!({ "expert_id": e, "name": e, "field": "大气环境" })).await;
    }
    for e in ["e-1", "e-2", "dual"] {
        a.ok(e, &id, "declare_no_direct_interest", json!({ "expert_id": e })).await;
        a.ok(e, &id, "acknowledge_confidentiality", json!({ "expert_id": e })).await;
    }
    let opinion = json!({ "expert_id": "e-1", "necessity": OPINION, "feasibility": "可行", "scientific_soundness": "科学",
        "signature": "赵教授" });
    a.ok("e-1", &id, "submit_expert_opinion", opinion).await;
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_read_path_shows_an_expert_another_opinion_before_their_own() {
    let a = api().await;
    let id = panel(&a).await;
    // The markers are really there: the office and e-1 read them.
    for user in ["office", "e-1"] {
        let reads = every_read(&a, &id, user).await;
        assert!(!leaks(&reads, OPINION).is_empty(), "{user} should read the opinion somewhere");
    }
    let mut wrong = Vec::new();
    for user in ["e-2", "e-3", "dual"] {
        let reads = every_read(&a, &id, user).await;
        wrong.extend(leaks(&reads, OPINION).into_iter().map(|p| format!("{user} read the sealed opinion at {p}")));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // e-2 is told what was withheld, and why; the opinion's memo is refused, not emptied.
    let d = a.get(&format!("/api/v1/decisions/{id}"), Some("e-2")).await;
    d.expect(200, "");
    assert_eq!(d.body["withheld"][0]["reason_code"], "expert_opinion_sealed", "{}", d.body["withheld"]);
    let record = a.get(&format!("/api/v1/decisions/{id}/record"), Some("e-2")).await;
    let sealed = record.body.as_array().into_iter().flatten().find(|r| r["act"] == "submit_expert_opinion");
    let sealed = sealed.expect("the opinion's record is listed");
    assert_eq!((sealed["payload"].as_str(), sealed["withheld"]["article"].as_str()), (Some("null"), Some("Art. 19")));
    let memos = a.get(&format!("/api/v1/decisions/{id}/memos"), Some("e-2")).await;
    let memo = memos.body.as_array().into_iter().flatten().find(|m| m["memo"] == "expert_opinion").cloned();
    let memo = memo.expect("the opinion's memo is listed");
    assert_eq!(memo["withheld"]["reason_code"], "expert_opinion_sealed");
    // The page rendered on read from the sealed Markdown is withheld as its Markdown is.
    let listed = a.get(&format!("/api/v1/decisions/{id}/memos"), Some("office")).await;
    let listed: Vec<&Value> =
        listed.body.as_array().into_iter().flatten().filter(|m| m["memo"] == "expert_opinion").collect();
    for (lang, format) in [("zh", "html"), ("zh", "md"), ("en", "html"), ("en", "md")] {
        let path = format!("/api/v1/decisions/{id}/memos/{}/expert_opinion.{lang}.{format}", memo["seq"]);
        let open = a.get(&path, Some("office")).await;
        open.expect(200, "");
        let text = open.body.as_str().unwrap_or_default();
        assert!(lang == "en" || text.contains(OPINION), "{path}: the office reads the opinion");
        let entry = listed.iter().find(|m| m["seq"] == memo["seq"] && m["lang"] == lang && m["format"] == format);
        let entry = entry.unwrap_or_else(|| panic!("{path}: listed"));
        assert_eq!(entry["sha256"], juece_engine::audit::sha256_hex(text.as_bytes()), "{path}: the listed hash");
        let got = a.get(&path, Some("e-2")).await;
        got.expect(403, "expert_opinion_sealed");
        assert_eq!(got.body["article"], "Art. 19");
        assert!(!got.body.to_string().contains(OPINION), "{}", got.body);
    }
    // As PDF too: refused before any printing (this server has no browser: the office is told so), and the
    // refusal carries nothing of the opinion.
    let pdf = format!("/api/v1/decisions/{id}/memos/{}/expert_opinion.zh.pdf", memo["seq"]);
    let got = a.get(&pdf, Some("e-2")).await;
    got.expect(403, "expert_opinion_sealed");
    assert!(got.body["article"] == "Art. 19" && !got.body.to_string().contains(OPINION), "{}", got.body);
    a.get(&pdf, Some("office")).await.expect(503, "pdf_unavailable");
    // The dossier cannot be redacted: an office member on the panel gets none yet.
    a.get(&format!("/api/v1/decisions/{id}/dossier"), Some("dual")).await.expect(403, "expert_opinion_sealed");
    // Once e-2 has given an opinion, the others' open to them.
    let own = json!({ "expert_id": "e-2", "necessity": "必要", "feasibility": "可行", "scientific_soundness": "科学",
        "signature": "钱研究员" });
    a.ok("e-2", &id, "submit_expert_opinion", own).await;
    let reads = every_read(&a, &id, "e-2").await;
    let opened = leaks(&reads, OPINION);
    assert!(opened.iter().any(|p| p.contains("/record")), "{opened:?}");
    assert!(opened.iter().any(|p| p.contains("expert_opinion.zh.md")), "{opened:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expert_sees_no_material_before_the_confidentiality_undertaking() {
    let a = api().await;
    let id = panel(&a).await;
    let reads = every_read(&a, &id, "e-3").await;
    let seen = leaks(&reads, "DRAFTMARKER91c2");
    assert!(seen.is_empty(), "e-3 read the draft before the undertaking at {seen:?}");
    let d = a.get(&format!("/api/v1/decisions/{id}"), Some("e-3")).await;
    let codes: Vec<&str> =
        d.body["withheld"].as_array().into_iter().flatten().filter_map(|w| w["reason_code"].as_str()).collect();
    assert!(codes.contains(&"confidentiality_undertaking_required"), "{}", d.body["withheld"]);
    // The undertaking is still an act e-3 may take, and the draft memo is refused with the reason.
    assert!(d.body["allowed_acts"].as_array().into_iter().flatten().any(|a| a == "acknowledge_confidentiality"));
    let memos = a.get(&format!("/api/v1/decisions/{id}/memos"), Some("e-3")).await;
    let draft =
        memos.body.as_array().into_iter().flatten().find(|m| m["memo"] == "draft").cloned().expect("draft memo");
    let path = format!("/api/v1/decisions/{id}/memos/{}/draft.zh.md", draft["seq"]);
    a.get(&path, Some("e-3")).await.expect(403, "confidentiality_undertaking_required");
    // After the undertaking the draft opens; the other expert's opinion stays sealed.
    a.ok("e-3", &id, "declare_no_direct_interest", json!({ "expert_id": "e-3" })).await;
    a.ok("e-3", &id, "acknowledge_confidentiality", json!({ "expert_id": "e-3" })).await;
    let reads = every_read(&a, &id, "e-3").await;
    assert!(!leaks(&reads, DRAFT).is_empty(), "the draft opens after the undertaking");
    assert!(leaks(&reads, OPINION).is_empty(), "{:?}", leaks(&reads, OPINION));
    a.get(&path, Some("e-3")).await.expect(200, "");
}

/// In a responsibility-tracing case: its grounds, the person it names and its conclusion's reasoning.
const CASE: [&str; 3] = ["CASEMARKER5d1e 未按规定组织专家论证", "CASEPERSONb7 某某", "CASEREASONc4 未尽组织职责"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_responsibility_tracing_case_is_read_only_by_oversight_and_the_general_office() {
    let a = api().await;
    let id = panel(&a).await;
    let record = a.get(&format!("/api/v1/decisions/{id}/record"), Some("oversight")).await;
    let traced = record.body.as_array().into_iter().flatten().find(|r| r["act"] == "select_expert");
    let seq = traced.and_then(|r| r["seq"].as_i64()).expect("an act to trace");
    let person = json!({ "name": CASE[1], "unit": "示范市生态环境局", "position": "法规科科长" });
    let case = json!({ "article": "Art. 39", "grounds": CASE[0], "persons": [person], "acts": [seq] });
    a.ok("oversight", &id, "open_accountability_case", case).await;
    let end = json!({ "case": 1, "finding": "liable", "measures": "诫勉谈话", "reasoning": CASE[2] });
    a.ok("oversight", &id, "conclude_accountability_case", end).await;

    // The markers are really there for those who read case files.
    for user in ["oversight", "office", "admin"] {
        let reads = every_read(&a, &id, user).await;
        for marker in CASE {
            assert!(!leaks(&reads, marker).is_empty(), "{user} should read {marker}");
        }
    }
    // Every other reader of the decision: no read path carries them.
    let mut wrong = Vec::new();
    for user in ["drafter", "e-1", "e-2", "e-3"] {
        let reads = every_read(&a, &id, user).await;
        assert!(reads.iter().any(|(p, s, _)| p.ends_with(&id) && *s == 200), "{user} reads the decision");
        for marker in CASE {
            wrong.extend(leaks(&reads, marker).into_iter().map(|p| format!("{user} read {marker} at {p}")));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The drafter is told what was withheld and why; the acts stay on the record, their payloads do not.
    let d = a.get(&format!("/api/v1/decisions/{id}"), Some("drafter")).await;
    let codes: Vec<&str> =
        d.body["withheld"].as_array().into_iter().flatten().filter_map(|w| w["reason_code"].as_str()).collect();
    assert!(codes.contains(&"accountability_case_restricted"), "{}", d.body["withheld"]);
    assert_eq!(d.body["facts"]["accountability"], json!([]), "no case in the drafter's facts");
    let record = a.get(&format!("/api/v1/decisions/{id}/record"), Some("drafter")).await;
    let cases: Vec<&Value> = record
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["act"] == "open_accountability_case" || r["act"] == "conclude_accountability_case")
        .collect();
    assert_eq!(cases.len(), 2, "both acts are listed");
    for r in cases {
        assert_eq!(
            (r["payload"].as_str(), r["withheld"]["reason_code"].as_str()),
            (Some("null"), Some("accountability_case_restricted"))
        );
        assert_eq!(r["withheld"]["article"], "Art. 38");
    }

    // The web UI reads through the same rule: should the decision page ever show a case, the drafter's would not.
    let page = crate::pages::Browser::new(&a);
    page.sign_in("drafter").await;
    let html = page.get(&format!("/decisions/{id}")).await;
    assert_eq!(html.status, 200);
    for marker in CASE {
        assert!(!html.body.contains(marker), "the drafter's decision page shows {marker}");
    }
}
