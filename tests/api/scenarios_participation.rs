//! Acceptance scenarios A5, A7, A9 and A10 (regulation.md §4) through HTTP:
//! public participation, the non-disclosable matter and the hearing.

use chrono::Duration;
use juece_tests::steps::reason_codes;
use serde_json::{json, Value};

use super::{api, Api};

const REASON: &str = "汛期临近，情况紧急";
/// The article the refusal of an unapproved shortened period cites.
const SHORTENING_ARTICLE: &str = "Art. 15; general-office approval of a soft floor (regulation.md §6), an engine rule";

fn notice(a: &Api, days: u32, reason: Option<&str>) -> Value {
    json!({ "channels": ["website"], "submission_methods": ["电子邮件"], "start": a.today(), "days": days,
        "shortening_reason": reason })
}

/// The body of one memo the decision holds, by name and language, as markdown.
async fn memo_text(a: &Api, id: &str, memo: &str) -> String {
    let list = a.get(&format!("/api/v1/decisions/{id}/memos"), Some("office")).await;
    let m = list
        .body
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["memo"] == memo && m["lang"] == "zh" && m["format"] == "md");
    let m = m.unwrap_or_else(|| panic!("no {memo} memo in {}", list.body));
    let path = format!("/api/v1/decisions/{id}/memos/{}/{memo}.zh.md", m["seq"]);
    a.get(&path, Some("office")).await.body.as_str().expect("text").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a5_a_shortened_comment_period_states_its_reason_before_publication() {
    let a = api().await;
    let id = a.at_stage("汛期排水设施建设方案", "public_participation").await;
    // The general office approves the shorter period before the notice goes out (regulation.md §6).
    let unapproved = (422, "art15_shortening_not_approved", SHORTENING_ARTICLE);
    a.refused("drafter", &id, "publish_comment_notice", notice(&a, 20, Some(REASON)), unapproved).await;
    a.ok("office", &id, "approve_comment_shortening", json!({ "days": 20, "reason": REASON })).await;
    let published = a.ok("drafter", &id, "publish_comment_notice", notice(&a, 20, Some(REASON))).await;
    assert_eq!(published.body["stage"], "public_participation");
    // The public notice says why the period is short.
    assert!(memo_text(&a, &id, "comment_notice").await.contains(REASON), "the notice text carries the reason");
    let view = a.get("/api/v1/public/consultations", None).await;
    let open = &view.body["items"][0];
    assert_eq!(open["facts"]["comment_notices"][0]["shortening_reason"], REASON, "{}", view.body);
    // The record shows the reason entered with the act that published the notice, not after it.
    let n = &open["facts"]["comment_notices"][0];
    let record = a.get(&format!("/api/v1/decisions/{id}/record"), Some("oversight")).await;
    let entry = record.body.as_array().into_iter().flatten().find(|r| r["act"] == "publish_comment_notice").cloned();
    let entry = entry.expect("the publication is on record");
    let payload: Value = serde_json::from_str(entry["payload"].as_str().unwrap_or("")).expect("payload");
    assert_eq!(payload["shortening_reason"], REASON);
    assert!(entry["at"].is_string() && n["published_at"].is_string());
    assert!(
        entry["at"].as_str() <= n["published_at"].as_str(),
        "entered at {} ≤ published {}",
        entry["at"],
        n["published_at"]
    );
    assert!(!record.body.as_array().into_iter().flatten().any(|r| r["seq"].as_i64() > entry["seq"].as_i64()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a5_variant_a_reason_cannot_be_added_after_the_notice_and_the_stage_waits_for_a_compliant_one() {
    let a = api().await;
    let id = a.at_stage("公交票价调整方案", "public_participation").await;
    // A short notice without a reason never goes out. (A period shortened after publication, with the
    // reason given late, is `shorten_comment_period`: see `late_shortening`.)
    a.refused("drafter", &id, "publish_comment_notice", notice(&a, 20, None), (422, "art15_min_30_days", "Art. 15"))
        .await;
    assert_eq!(a.get("/api/v1/public/consultations", None).await.body["items"], json!([]));
    // Without a compliant notice (or another activity) the stage cannot close.
    a.refused("drafter", &id, "close_participation", json!({}), (422, "art14_activity_required", "Art. 14(2)")).await;
    // A new, compliant notice: the period runs and the stage closes only after it.
    a.ok("office", &id, "approve_comment_shortening", json!({ "days": 20, "reason": REASON })).await;
    a.ok("drafter", &id, "publish_comment_notice", notice(&a, 20, Some(REASON))).await;
    a.refused("drafter", &id, "close_participation", json!({}), (422, "art15_period_not_ended", "Art. 15")).await;
    a.wait_days(22);
    a.ok("drafter", &id, "record_public_adoption_summary", json!({ "text": "未收到意见。" })).await;
    assert_eq!(a.ok("drafter", &id, "close_participation", json!({})).await.body["stage"], "hearing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a7_a_non_disclosable_matter_needs_a_ground_and_still_needs_the_legality_review() {
    let a = api().await;
    let id = a.drafting("涉密基础设施布局方案").await;
    let no_ground = (422, "art14_non_disclosable_ground", "Art. 14(1); 政府信息公开条例 Arts. 14–16");
    a.refused("office", &id, "declare_non_disclosable", json!({}), no_ground).await;
    // The decision organ's office declares it, with a legal ground (by its Chinese label) and the provision.
    let ground = json!({ "legal_ground": "国家秘密", "legal_basis": "《中华人民共和国保守国家秘密法》第十三条" });
    a.ok("office", &id, "declare_non_disclosable", ground).await;
    a.ok("drafter", &id, "finish_drafting", json!({})).await;
    a.pass_over(&id, "cost_benefit", "skip_cost_benefit").await;
    // Public participation and the hearing are passed over on the ground alone, which the record keeps.
    a.ok("drafter", &id, "skip_public_participation", json!({})).await;
    a.ok("drafter", &id, "skip_hearing", json!({})).await;
    let d = a.get(&format!("/api/v1/decisions/{id}"), Some("office")).await;
    assert_eq!(d.body["facts"]["non_disclosure"]["legal_ground"], "state_secret", "{}", d.body["facts"]);
    let determination = &d.body["facts"]["applicability"]["public_participation"];
    assert_eq!(determination["outcome"], "not_applicable");
    assert!(determination["reason"].as_str().unwrap_or("").contains("国家秘密"), "{determination}");
    let record = a.get(&format!("/api/v1/decisions/{id}/record"), Some("oversight")).await;
    let acts: Vec<&str> = record.body.as_array().into_iter().flatten().filter_map(|r| r["act"].as_str()).collect();
    assert!(acts.contains(&"declare_non_disclosable") && acts.contains(&"skip_public_participation"), "{acts:?}");
    // The legality review is still required: no way to the discussion without its opinion.
    a.pass_over(&id, "expert_consultation", "skip_expert_consultation").await;
    a.pass_over(&id, "risk_assessment", "skip_risk_assessment").await;
    let no_review = (422, "art25_no_legality_review", "Art. 25(2)");
    a.refused("drafter", &id, "close_legality_review", json!({}), no_review).await;
    a.submit_for_review(&id).await;
    a.review(&id, Api::opinion("lawful")).await;
    a.ok("drafter", &id, "close_legality_review", json!({})).await;
    assert_eq!(a.ok("drafter", &id, "submit_package", json!({})).await.body["stage"], "collective_discussion");
}

/// A decision in the hearing stage (participation held at a symposium) with
/// a hearing in 20 days for three sides and its selection method published.
async fn hearing(a: &Api, title: &str) -> (String, chrono::NaiveDate) {
    let id = a.at_stage(title, "hearing").await;
    let date = a.today() + Duration::days(20);
    let sides = ["居民", "企业", "环保组织"];
    a.ok("drafter", &id, "publish_hearing_notice", json!({ "date": date, "place": "市民中心", "sides": sides })).await;
    a.ok(
        "drafter",
        &id,
        "publish_hearing_selection_method",
        json!({ "criteria": "自愿报名、随机抽取", "quota_per_side": 4 }),
    )
    .await;
    (id, date)
}

async fn participant(a: &Api, id: &str, name: &str, side: &str, date: chrono::NaiveDate) {
    let p = json!({ "name": name, "side": side, "materials_delivered_on": date - Duration::days(10) });
    a.ok("drafter", id, "add_hearing_participant", p).await;
}

/// The list published, the announced day come (the hearing is never recorded before it, Art. 17), the record kept.
async fn held_with_record(a: &Api, id: &str) {
    a.ok("drafter", id, "publish_hearing_participant_list", json!({})).await;
    a.wait_days(20);
    let segments = json!({ "presentation": "承办单位说明草案及依据", "statements": "各方代表发言、质询和辩论" });
    a.ok("drafter", id, "record_hearing_segments", segments).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a9_an_unsigned_hearing_record_holds_the_hearing_until_a_reasoned_refusal() {
    let a = api().await;
    let (id, date) = hearing(&a, "垃圾焚烧厂选址方案").await;
    let names: Vec<String> = (1..=10).map(|i| format!("代表{i}")).collect();
    for (i, name) in names.iter().enumerate() {
        participant(&a, &id, name, ["居民", "企业", "环保组织"][i % 3], date).await;
    }
    held_with_record(&a, &id).await;
    for name in &names[..9] {
        a.ok("drafter", &id, "confirm_hearing_record", json!({ "participant": name, "signed": true })).await;
    }
    // Participant C (the tenth) neither signed nor refused: the hearing stays open.
    let got = a.refused("drafter", &id, "close_hearing", json!({}), (422, "art17_record_unconfirmed", "Art. 17")).await;
    assert!(got.body["detail"].as_str().unwrap_or("").contains("代表10"), "{}", got.body);
    assert_eq!(a.state_of(&id).await.0["stage"], "hearing");
    let refusal = json!({ "participant": "代表10", "signed": false, "refusal_reason": "不同意记录第3页的表述" });
    a.ok("drafter", &id, "confirm_hearing_record", refusal).await;
    assert_eq!(a.ok("drafter", &id, "close_hearing", json!({})).await.body["stage"], "expert_consultation");
    let d = a.get(&format!("/api/v1/decisions/{id}"), Some("oversight")).await;
    let c = d.body["facts"]["hearing"]["participants"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "代表10"))
        .cloned();
    assert_eq!(
        c.map(|c| c["refusal_reason"].clone()),
        Some(json!("不同意记录第3页的表述")),
        "the refusal is on record"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a10_a_list_with_an_unrepresented_side_is_not_finalised_nor_heard() {
    let a = api().await;
    let (id, date) = hearing(&a, "工业园区扩区方案").await;
    // Sides declared: residents, enterprises, environmental NGOs; the selection yields no NGO participant.
    for (name, side) in [("甲", "居民"), ("乙", "居民"), ("丙", "企业"), ("丁", "企业")] {
        participant(&a, &id, name, side, date).await;
    }
    let unrepresented = (422, "art16_side_unrepresented", "Art. 16(3)");
    let got = a.refused("drafter", &id, "publish_hearing_participant_list", json!({}), unrepresented).await;
    assert_eq!(reason_codes(&got), ["art16_side_unrepresented"], "the only reason");
    assert!(got.body["detail"].as_str().unwrap_or("").contains("环保组织"), "{}", got.body);
    assert!(a.state_of(&id).await.0["facts"]["hearing"]["list_published_at"].is_null(), "no list went out");
    // Nor is the hearing held on such a list.
    let segments = json!({ "presentation": "承办单位说明草案及依据", "statements": "各方代表发言、质询和辩论" });
    let got = a.refused("drafter", &id, "record_hearing_segments", segments, unrepresented).await;
    assert!(got.body["detail"].as_str().unwrap_or("").contains("环保组织"), "{}", got.body);
    // An NGO participant is selected: the list goes out, the hearing is held and closes.
    participant(&a, &id, "戊", "环保组织", date).await;
    held_with_record(&a, &id).await;
    for name in ["甲", "乙", "丙", "丁", "戊"] {
        a.ok("drafter", &id, "confirm_hearing_record", json!({ "participant": name, "signed": true })).await;
    }
    assert_eq!(a.ok("drafter", &id, "close_hearing", json!({})).await.body["stage"], "expert_consultation");
}
