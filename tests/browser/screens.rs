//! The other screens, each used for its job once and checked with axe-core:
//! the opinion ledger (many opinions disposed of at once), the reviewer's
//! queue, the meeting screen, API tokens, the calendar and users pages, record
//! verification, a user's page, the list of decisions, a printable memo, a
//! public hearing notice, a published decision with its feedback form (in
//! both languages), and the decision page at phone width.

use juece_tests::http::{api, Api};
use serde_json::json;

use super::{chrome, ONE_AT_A_TIME};

async fn open_for_comment(api: &Api, title: &str) -> String {
    let id = api.at_stage(title, "public_participation").await;
    let notice =
        json!({ "channels": ["website"], "submission_methods": ["网上提交"], "start": api.today(), "days": 30 });
    api.ok("drafter", &id, "publish_comment_notice", notice).await;
    for text in ["建议设置夜间限速。", "建议设置夜间限速。", "建议增加监控。"] {
        assert_eq!(api.comment(&id, text).await.status, 201);
    }
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_screen_does_its_job_and_passes_axe() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let api = api().await;
    let consultation = open_for_comment(&api, "示范市机动车停车管理办法").await;
    let waiting = api.at_stage("示范市供水管理办法", "legality_review").await;
    api.submit_for_review(&waiting).await;
    let meeting = api.reviewed("示范市燃气管理办法", "lawful").await;
    api.ok("drafter", &meeting, "submit_package", json!({})).await;
    let members = json!([{ "name": "郑副市长", "user": "member" }, "王文"]);
    let convene = json!({ "meeting_type": "executive", "date": api.today(), "members": members });
    api.ok("office", &meeting, "convene_meeting", convene).await;
    let say = |stance: &str, words: &str| json!({ "member": "郑副市长", "stance": stance, "words": words });
    api.ok("member", &meeting, "record_stance", say("oppose", "建议暂缓。")).await;
    api.ok("member", &meeting, "record_stance", say("support", "修改后同意。")).await;
    let hearing = api.at_stage("示范市公交票价调整方案", "hearing").await;
    let notice = json!({ "date": api.today() + chrono::Duration::days(20), "place": "市民中心", "sides": ["乘客"] });
    api.ok("drafter", &hearing, "publish_hearing_notice", notice).await;
    let published = api.published("示范市生活垃圾分类管理办法").await;

    let Some(c) = chrome(&api, "screens").await else { return };
    c.sign_in("drafter").await;
    c.open(&format!("/decisions/{consultation}/opinions")).await;
    c.check_page("ledger").await;
    // The two identical comments are one campaign: its row disposes of both.
    let text = c.text().await;
    assert!(text.contains("同类意见2份"), "{text}");
    c.tick("#o-1").await;
    c.choose("outcome", "partly").await;
    c.fill("#reason", "夜间限速已在第十条规定，增加限速标志。").await;
    c.click("form[method=post][action$='/opinions'] button[type=submit]").await;
    let text = c.text().await;
    assert!(text.contains("已处理1条（组）意见") && text.contains("共3条意见，待处理1条（组）"), "{text}");
    c.check_page("ledger-done").await;
    // The campaign's members, each with the disposition it inherited.
    c.open(&format!("/decisions/{consultation}/opinions?campaign=1")).await;
    let text = c.text().await;
    assert!(text.contains("第1条意见的同类意见") && text.matches("夜间限速已在第十条规定").count() == 2, "{text}");
    assert!(text.contains("与第1条意见同类") && !text.contains("建议增加监控"), "{text}");
    c.check_page("ledger-campaign").await;
    c.open("/decisions").await;
    assert!(c.text().await.contains("示范市机动车停车管理办法"));
    c.check_page("decisions").await;
    // A memo as printed: the comment notice, through the same read as the API's.
    c.open(&format!("/decisions/{consultation}")).await;
    let memo = c.client.find(fantoccini::Locator::Css("a[href*='/memos/'][href$='.html']")).await.expect("a memo link");
    let href = memo.attr("href").await.expect("href").expect("a memo's address");
    c.open(&href).await;
    assert!(c.text().await.contains("示范市机动车停车管理办法"), "the memo names its matter");
    c.check_page("memo").await;
    c.open("/account/tokens").await;
    c.fill("#label", "数据交换").await;
    c.click("form[action='/account/tokens'] button").await;
    assert!(c.text().await.contains("离开本页后将无法再次查看"));
    c.check_page("tokens-created").await;
    // At phone width the stage map is the list, and the page still passes.
    c.client.set_window_size(390, 844).await.expect("phone width");
    c.open(&format!("/decisions/{consultation}")).await;
    c.check_page("decision-phone").await;
    c.client.set_window_size(1280, 1024).await.expect("desktop width");
    // In English: the stage map's longer titles fit their boxes (set smaller or shortened).
    c.click("form[action='/lang'] button").await;
    c.open(&format!("/decisions/{consultation}")).await;
    assert!(c.text().await.contains("Public participation"), "in English");
    c.check_page("decision-en").await;
    c.click("form[action='/lang'] button").await;
    c.sign_out().await;

    c.sign_in("reviewer").await;
    c.click_link("合法性审查").await;
    assert!(c.text().await.contains("示范市供水管理办法"));
    c.check_page("review-queue").await;
    c.sign_out().await;

    c.sign_in("member").await;
    c.open(&format!("/decisions/{meeting}/meeting")).await;
    let text = c.text().await;
    assert!(text.contains("修改后同意。") && text.contains("已被后来的意见取代"), "{text}");
    c.check_page("meeting-screen").await;
    c.sign_out().await;

    c.sign_in("admin").await;
    c.open("/admin/users").await;
    c.check_page("admin-users").await;
    c.open("/admin/users/drafter").await;
    assert!(c.text().await.contains("示范市生态环境局"), "the user's unit");
    c.check_page("admin-user").await;
    c.open("/admin/calendar").await;
    c.check_page("admin-calendar").await;
    c.sign_out().await;

    c.sign_in("oversight").await;
    c.open("/accountability").await;
    c.check_page("accountability").await;
    c.open("/accountability/verify").await;
    c.click("form[action='/accountability/verify'] button").await;
    assert!(c.text().await.contains("核验通过"));
    c.check_page("verify").await;
    c.sign_out().await;

    c.open(&format!("/public/decisions/{hearing}")).await;
    assert!(c.text().await.contains("市民中心"));
    c.check_page("public-hearing").await;
    // A published decision: its text and the adoption of opinions, and a feedback form answered with a receipt.
    c.open(&format!("/public/decisions/{published}")).await;
    assert!(c.text().await.contains("示范市生活垃圾分类管理办法"));
    c.check_page("public-decision").await;
    c.fill("#feedback", "建议在小区增设分类指导员。").await;
    c.click(&format!("form[action='/public/decisions/{published}/feedback'] button[type=submit]")).await;
    assert!(c.path().await.contains("/public/receipts/"), "a receipt after feedback");
    c.check_page("feedback-receipt").await;
    c.click("form[action='/lang'] button").await;
    c.open("/public").await;
    c.check_page("portal-en").await;
    c.click("form[action='/lang'] button").await;
    c.close().await;
}
