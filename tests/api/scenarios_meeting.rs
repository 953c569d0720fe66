//! The meeting through HTTP (Art. 30; issue items 5–7): each member present
//! counts once, with their latest stance, and the decision says so in Chinese;
//! a meeting on record is never replaced; the decision is taken at the open
//! meeting, bears its date, and the minutes follow.

use chrono::Duration;
use serde_json::{json, Value};

use super::{api, Api};

/// A decision reviewed lawful with its package submitted: in the collective discussion.
async fn at_meeting(a: &Api, title: &str) -> String {
    let id = a.reviewed(title, "lawful").await;
    a.ok("drafter", &id, "submit_package", json!({})).await;
    id
}

fn members() -> Value {
    json!([{ "name": "郑副市长", "user": "member" }, "王文", "钱委员"])
}

async fn convene(a: &Api, id: &str, date: chrono::NaiveDate) {
    a.ok("office", id, "convene_meeting", json!({ "meeting_type": "executive", "date": date, "members": members() }))
        .await;
}

async fn stance(a: &Api, id: &str, member: &str, stance: &str) {
    let by = if member == "郑副市长" { "member" } else { "office" };
    let words = format!("{member}：{stance}");
    a.ok(by, id, "record_stance", json!({ "member": member, "stance": stance, "words": words })).await;
}

async fn facts(a: &Api, id: &str) -> Value {
    a.get(&format!("/api/v1/decisions/{id}"), Some("office")).await.body["facts"].clone()
}

/// The Chinese Markdown of the last `memo` of the decision.
async fn memo_zh(a: &Api, id: &str, memo: &str) -> String {
    let list = a.get(&format!("/api/v1/decisions/{id}/memos"), Some("office")).await;
    let all: Vec<&Value> = list.body.as_array().into_iter().flatten().collect();
    let found = all.into_iter().rev().find(|m| m["memo"] == memo && m["lang"] == "zh" && m["format"] == "md");
    let m = found.cloned().unwrap_or_else(|| panic!("no {memo} memo in {}", list.body));
    let path = format!("/api/v1/decisions/{id}/memos/{}/{memo}.zh.md", m["seq"]);
    a.get(&path, Some("office")).await.body.as_str().expect("text").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cd4_each_member_counts_once_with_the_latest_stance_and_the_decision_says_so() {
    let a = api().await;
    let id = at_meeting(&a, "示范市扬尘污染防治办法").await;
    convene(&a, &id, a.today()).await;
    stance(&a, &id, "郑副市长", "oppose").await;
    stance(&a, &id, "王文", "support").await;
    stance(&a, &id, "钱委员", "oppose").await;
    // 郑副市长 speaks again: one current stance each; the earlier one stays, superseded.
    stance(&a, &id, "郑副市长", "support").await;
    let m = facts(&a, &id).await["meeting"].clone();
    assert_eq!(
        m["tally"],
        json!({ "support": 2, "oppose": 1, "reserve": 0, "counted": 3, "majority": "support" }),
        "{m}"
    );
    let marks: Vec<(Value, Value)> = m["stances"]
        .as_array()
        .expect("stances")
        .iter()
        .map(|s| (s["stance"].clone(), s["superseded"].clone()))
        .collect();
    assert_eq!(
        marks,
        [
            (json!("oppose"), json!(true)),
            (json!("support"), json!(false)),
            (json!("oppose"), json!(false)),
            (json!("support"), json!(false))
        ]
    );
    let q = a.get(&format!("/api/v1/accountability/decisions/{id}/stances"), Some("oversight")).await;
    let rows = q.body.as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 4, "{}", q.body);
    assert_eq!((rows[0]["member"].as_str(), rows[0]["superseded"].as_bool()), (Some("郑副市长"), Some(true)));
    // Counted twice, 郑副市长 would tie the meeting; counted once, rejecting departs from a majority in support.
    let reject = json!({ "decision": "reject", "words": "暂不通过。" });
    let divergence = (422, "art30_divergence_reason", "Art. 30(2)");
    a.refused("chief", &id, "record_chief_opinion", reject, divergence).await;
    a.ok("chief", &id, "record_chief_opinion", json!({ "decision": "adopt", "words": "同意通过。" })).await;
    a.ok("chief", &id, "decide", json!({})).await;
    assert_eq!(facts(&a, &id).await["outcome"]["majority"], "support");
    let text = memo_zh(&a, &id, "decision").await;
    assert!(
        text.contains(
            "会议组成人员多数意见为同意（按每位出席人员最后一次发表的意见计：同意2人，不同意1人，保留意见0人）"
        ),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cd4_a_tie_is_worded_as_a_tie_in_the_decision_and_the_minutes() {
    let a = api().await;
    let id = at_meeting(&a, "示范市停车管理办法").await;
    convene(&a, &id, a.today()).await;
    stance(&a, &id, "郑副市长", "support").await;
    stance(&a, &id, "王文", "oppose").await;
    stance(&a, &id, "钱委员", "reserve").await;
    assert_eq!(facts(&a, &id).await["meeting"]["tally"]["majority"], "tie");
    a.ok("chief", &id, "record_chief_opinion", json!({ "decision": "adopt", "words": "同意通过。" })).await;
    a.ok("chief", &id, "decide", json!({})).await;
    a.ok("office", &id, "close_meeting", json!({})).await;
    let decision = memo_zh(&a, &id, "decision").await;
    assert!(decision.contains("会议组成人员赞成与反对意见人数相同，未形成多数意见"), "{decision}");
    assert!(!decision.contains("多数意见为无多数意见") && !decision.contains("多数意见为tie"), "{decision}");
    let minutes = memo_zh(&a, &id, "minutes").await;
    assert!(
        minutes.contains("赞成与反对意见人数相同，未形成多数意见") && minutes.contains("会议决定：通过"),
        "{minutes}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cd5_a_meeting_on_record_stays_whole_and_a_second_one_has_its_own_number() {
    let a = api().await;
    let id = at_meeting(&a, "示范市生活垃圾分类管理办法").await;
    convene(&a, &id, a.today()).await;
    stance(&a, &id, "王文", "oppose").await;
    let replace = json!({ "meeting_type": "executive", "date": a.today(), "members": ["孙委员"] });
    let held = (422, "art30_meeting_already_held", "Art. 30(3)");
    a.refused("office", &id, "convene_meeting", replace.clone(), held).await;
    a.ok("office", &id, "close_meeting", json!({})).await;
    // Closed stays closed: no re-convening over it, no decision after it.
    a.refused("office", &id, "convene_meeting", replace.clone(), held).await;
    a.refused("chief", &id, "decide", json!({}), (422, "art30_decide_at_meeting", "Art. 30(1)")).await;
    // The meeting sent the matter back: a new package and a second meeting; the first kept whole.
    let back = a.ok("chief", &id, "send_back", json!({ "reason": "补充成本效益分析后再议" })).await;
    assert_eq!(back.body["stage"], "submission");
    a.ok("drafter", &id, "submit_package", json!({})).await;
    a.ok("office", &id, "convene_meeting", replace).await;
    let f = facts(&a, &id).await;
    assert_eq!((f["earlier_meetings"][0]["number"].as_u64(), f["meeting"]["number"].as_u64()), (Some(1), Some(2)));
    assert_eq!(f["earlier_meetings"][0]["stances"][0]["words"], "王文：oppose", "{f}");
    a.ok("office", &id, "record_stance", json!({ "member": "孙委员", "stance": "support", "words": "同意。" })).await;
    a.ok("chief", &id, "record_chief_opinion", json!({ "decision": "adopt", "words": "同意通过。" })).await;
    a.ok("chief", &id, "decide", json!({})).await;
    let q = a.get(&format!("/api/v1/accountability/decisions/{id}/stances"), Some("oversight")).await;
    let said: Vec<(u64, String)> = (q.body.as_array().into_iter().flatten())
        .map(|s| (s["meeting"].as_u64().unwrap_or(0), s["member"].as_str().unwrap_or("").to_string()))
        .collect();
    assert_eq!(said, [(1, "王文".into()), (2, "孙委员".into()), (2, "张市长（示范市人民政府，市长）".into())]);
    // The dossier keeps both meetings too.
    let dossier = a.get(&format!("/api/v1/decisions/{id}/dossier"), Some("oversight")).await;
    assert!(dossier.body.to_string().contains("王文：oppose"), "the first meeting is in the dossier");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cd2_the_decision_is_taken_at_the_open_meeting_dated_by_it_and_the_minutes_follow() {
    let a = api().await;
    let id = at_meeting(&a, "示范市餐饮油烟治理办法").await;
    let before_package =
        json!({ "meeting_type": "executive", "date": a.today() - Duration::days(1), "members": members() });
    let out_of_order = (422, "art30_meeting_date_out_of_order", "Art. 30(1)");
    a.refused("office", &id, "convene_meeting", before_package, out_of_order).await;
    let date = a.today() + Duration::days(2);
    convene(&a, &id, date).await;
    for m in ["郑副市长", "王文", "钱委员"] {
        stance(&a, &id, m, "support").await;
    }
    a.ok("chief", &id, "record_chief_opinion", json!({ "decision": "adopt", "words": "同意通过。" })).await;
    a.refused("chief", &id, "decide", json!({}), (422, "art30_meeting_not_yet_held", "Art. 30(1)")).await;
    a.wait_days(2);
    a.ok("chief", &id, "decide", json!({})).await;
    assert_eq!(facts(&a, &id).await["outcome"]["date"], json!(date));
    let day = juece_engine::render::helpers::date_cn(&date.to_string());
    let decision = memo_zh(&a, &id, "decision").await;
    assert!(decision.contains(&format!("{day}，示范市人民政府常务会议")), "dated by the meeting ({day}): {decision}");
    assert!(decision.contains(&format!("<!-- gbt:date -->\n{day}")), "signed on the meeting's date: {decision}");
    // The release waits for the minutes; closing the meeting produces them, after the decision.
    let minutes_missing = (422, "art30_minutes_missing", "Art. 30(3)");
    a.refused("office", &id, "report_to_party", json!({ "reference_no": "示政请〔2026〕9号" }), minutes_missing).await;
    a.ok("office", &id, "close_meeting", json!({})).await;
    assert!(memo_zh(&a, &id, "minutes").await.contains("会议决定：通过"));
    a.ok("office", &id, "report_to_party", json!({ "reference_no": "示政请〔2026〕9号" })).await;
}

/// A member of the convened meeting finds the decision among their tasks (found by the account stored with it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_of_the_meeting_finds_the_decision_among_their_tasks() {
    use juece_engine::actor::Role;
    use juece_engine::sample::who;
    let a = api().await;
    let id = at_meeting(&a, "示范市户外广告设施管理办法").await;
    let member = who("member", "示范市人民政府", Role::MeetingMember);
    let tasks = || async {
        let found = a.app.state.engine.worklist(&member, a.app.clock.now()).await.expect("worklist");
        found.tasks.into_iter().map(|t| t.decision.id).collect::<Vec<_>>()
    };
    assert!(tasks().await.is_empty(), "not a member of a meeting not yet convened");
    convene(&a, &id, a.today()).await;
    assert_eq!(tasks().await, [id], "a member once it is convened");
}
