//! What a refusal tells the caller (issue 16, items 6–8): a version conflict names the version the decision is
//! at; an act out of its stage names the stage the decision is in and where the act belongs, and cites no
//! article of the act; times read as the law reads them, in China Standard Time, in Chinese and English.

use reqwest::Method;
use serde_json::json;

use super::api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_conflict_names_the_current_version() {
    let a = api().await;
    let id = a.drafting("版本冲突测试").await;
    let now = a.get(&format!("/api/v1/decisions/{id}"), Some("drafter")).await.body["version"].as_i64().expect("v");
    let draft = json!({ "text": "草案", "explanation": "说明", "legal_basis": ["《中华人民共和国大气污染防治法》"] });
    let stale = format!("/api/v1/decisions/{id}/acts/record_draft?expected_version={}", now - 1);
    let refused = a.call(Method::POST, &stale, Some("drafter"), Some(draft.clone())).await;
    refused.expect(409, "version_conflict");
    assert_eq!(refused.body["current_version"], json!(now), "{}", refused.body);
    let detail = refused.body["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains(&format!("当前版本为 {now}")) && detail.contains(&format!("now at version {now}")),
        "{detail}"
    );
    // Acting on the version it named succeeds.
    let fresh = format!("/api/v1/decisions/{id}/acts/record_draft?expected_version={now}");
    a.call(Method::POST, &fresh, Some("drafter"), Some(draft)).await.expect(200, "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_act_out_of_its_stage_names_the_stage_and_where_the_act_belongs() {
    let a = api().await;
    let id = a.drafting("阶段提示测试").await;
    let refused = a.act("drafter", &id, "close_participation", json!({})).await;
    refused.expect(422, "act_not_allowed_in_stage");
    // Not the article of `close_participation` (Art. 15): the order of the stages is what was enforced.
    assert_eq!(
        refused.body["article"], "stage order of the procedure `national` (workflow definition)",
        "{}",
        refused.body
    );
    let detail = refused.body["detail"].as_str().unwrap_or("");
    for part in ["决策事项处于", "`drafting`", "`public_participation`", "the decision is in stage", "is allowed in"]
    {
        assert!(detail.contains(part), "{part} missing from {detail}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn times_in_refusals_read_in_china_standard_time() {
    let a = api().await;
    let id = a.at_stage("期限时间表述测试", "public_participation").await;
    let notice = json!({ "channels": ["website"], "submission_methods": ["电子邮件"], "start": a.today(), "days": 30 });
    a.ok("drafter", &id, "publish_comment_notice", notice).await;
    let refused = a.act("drafter", &id, "close_participation", json!({})).await;
    refused.expect(422, "art15_period_not_ended");
    let detail = refused.body["reasons"][0]["detail"].as_str().unwrap_or("").to_string();
    // Published Monday 2 March 2026 for 30 days: the period runs to 24:00 on 1 April.
    assert_eq!(
        detail, "征求意见期限截至2026年4月1日24时 / the period runs until 24:00 on 1 Apr 2026 (China Standard Time)",
        "{}",
        refused.body
    );
    assert!(!refused.body.to_string().contains("UTC"), "{}", refused.body);
}

/// Item 6 across the procedure: at stages from drafting to the legality review, every act of the national
/// workflow is checked (`/checks/{act}`, which answers every reason at once and writes nothing) by each kind of
/// user, with no payload and with the act's documented example (the demo's); every detail of every reason is "中文 / English", never in UTC (the
/// client checks each problem it receives, `juece_tests::bilingual`). The count shows the walk reached them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_reason_a_walk_through_the_procedure_meets_is_in_chinese_and_english() {
    use std::collections::BTreeSet;
    use std::sync::atomic::Ordering;

    let a = api().await;
    let doc = a.get("/api/v1/openapi.json", None).await.body;
    let op = &doc["paths"]["/api/v1/decisions/{id}/acts/{act}"]["post"];
    let acts: Vec<String> = op["x-act-payloads"].as_object().expect("x-act-payloads").keys().cloned().collect();
    assert!(acts.len() > 40, "{} acts", acts.len());
    let examples = juece_api::routes::act_payloads::examples();
    let before = juece_tests::bilingual::CHECKED.load(Ordering::Relaxed);
    let mut codes = BTreeSet::new();
    for stage in ["drafting", "public_participation", "legality_review"] {
        let id = if stage == "drafting" {
            a.drafting("双语提示测试").await
        } else {
            a.at_stage("双语提示测试", stage).await
        };
        for act in &acts {
            let example = examples.get(act).cloned();
            for payload in std::iter::once(json!({})).chain(example) {
                for user in ["drafter", "office", "reviewer", "other-drafter"] {
                    let path = format!("/api/v1/decisions/{id}/checks/{act}");
                    let got = a.call(Method::POST, &path, Some(user), Some(payload.clone())).await;
                    let reasons = got.body["reasons"].as_array().cloned().unwrap_or_default();
                    codes.extend(reasons.iter().filter_map(|r| r["reason_code"].as_str().map(str::to_string)));
                }
            }
        }
    }
    let checked = juece_tests::bilingual::CHECKED.load(Ordering::Relaxed) - before;
    // Refusals of many kinds were met, each detail checked on the way.
    assert!(codes.len() >= 12, "only {codes:?}");
    assert!(checked >= 300, "{checked} details checked");
    for code in ["invalid_payload", "act_not_allowed_in_stage", "role_not_permitted", "not_assigned"] {
        assert!(codes.contains(code), "{code} not met: {codes:?}");
    }
}
