//! Warnings over HTTP (IN-5, CD-3): an accepted act returns the warnings it
//! raised, and they stay in the decision's record; a confirmation-required
//! refusal writes nothing.

use serde_json::json;

use super::scenarios::{started, to_meeting};
use super::{api, Api};

async fn version(a: &Api, id: &str) -> i64 {
    a.get(&format!("/api/v1/decisions/{id}"), Some("office")).await.body["version"].as_i64().expect("version")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in5_a_single_option_on_a_major_disagreement_is_accepted_with_a_warning() {
    let a = api().await;
    let id = started(&a).await;
    let draft = json!({ "text": "第一条", "explanation": "说明", "legal_basis": ["某法"],
        "options": ["全市统一限行"], "major_disagreement": true });
    let r = a.ok("drafter", &id, "record_draft", draft).await;
    let w = &r.body["warnings"];
    assert_eq!(w.as_array().map(Vec::len), Some(1), "{}", r.body);
    assert_eq!(w[0]["code"], "art12_single_option_on_major_disagreement");
    assert_eq!(w[0]["article"], "Art. 12(4)");
    assert!(
        !w[0]["message_zh"].as_str().unwrap_or("").is_empty() && !w[0]["message_en"].as_str().unwrap_or("").is_empty()
    );
    let seq = r.body["version"].clone();
    assert_eq!(w[0]["seq"], seq);
    // On record with the decision.
    let d = a.get(&format!("/api/v1/decisions/{id}"), Some("drafter")).await;
    assert_eq!(d.body["facts"]["warnings"][0]["code"], "art12_single_option_on_major_disagreement", "{}", d.body);
    assert_eq!(d.body["facts"]["warnings"][0]["seq"], seq);
    let two = json!({ "text": "第一条", "explanation": "说明", "legal_basis": ["某法"],
        "options": ["全市统一限行", "分区限行"], "major_disagreement": true });
    let r = a.ok("drafter", &id, "record_draft", two).await;
    assert_eq!(r.body["warnings"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cd3_the_chief_confirms_speaking_before_members_and_the_minutes_name_them() {
    let a = api().await;
    let id = to_meeting(&a).await;
    let members = json!([{ "name": "郑副市长", "user": "member" }, "王文", "张市长"]);
    a.ok(
        "office",
        &id,
        "convene_meeting",
        json!({ "meeting_type": "executive", "date": a.today(), "members": members }),
    )
    .await;
    a.ok("member", &id, "record_stance", json!({ "member": "郑副市长", "stance": "support", "words": "同意。" })).await;
    let before = version(&a, &id).await;
    let r = a.act("chief", &id, "record_chief_opinion", json!({ "decision": "adopt", "words": "同意通过。" })).await;
    r.expect(422, "art30_members_not_heard");
    assert!(r.body["detail"].as_str().unwrap_or("").contains("王文"), "{}", r.body);
    assert_eq!(version(&a, &id).await, before, "a refused act writes nothing");
    let confirmed = json!({ "decision": "adopt", "words": "同意通过。", "confirm_unheard": true });
    let r = a.ok("chief", &id, "record_chief_opinion", confirmed).await;
    assert_eq!(r.body["warnings"][0]["code"], "art30_chief_spoke_before_members", "{}", r.body);
    assert!(r.body["warnings"][0]["detail"].as_str().unwrap_or("").contains("王文"));
    let closed = a.ok("office", &id, "close_meeting", json!({})).await;
    let seq = closed.body["version"].as_i64().expect("seq");
    // Exactly 王文: the chief executive on the roster is not among them.
    for (file, text) in [("minutes.zh.md", "未发言的出席人员：王文。"), ("minutes.en.md", "did not speak: 王文. ")]
    {
        let memo = a.get(&format!("/api/v1/decisions/{id}/memos/{seq}/{file}"), Some("oversight")).await;
        assert_eq!(memo.status, 200, "{}", memo.body);
        let body = memo.body.as_str().unwrap_or("");
        assert!(body.contains(text), "{file}: {body}");
    }
}
