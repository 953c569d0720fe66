//! The public's opinions as rows of their own, on both stores: campaigns found as comments arrive (identical
//! and near-identical Chinese text), disposed of once and inherited by later members; a member split off; a text
//! hidden, never deleted; search by characters; pages by cursor; who reads senders and hidden text; the chain
//! verified and an edited comment caught; and a comment checked against a decision that moved on (the period
//! shortened meanwhile) refused once the intake sees the new version.

use chrono::{Duration, Utc};
use juece_engine::act::Act;
use juece_engine::actor::{Actor, Role};
use juece_engine::ledger::{Kind, OpinionQuery};
use juece_engine::orchestrator::{verify_store, ActRequest, Engine, OpinionRequest};
use juece_engine::Error;
use serde_json::json;

use juece_tests::databases::databases;
use juece_tests::held::Held;
use juece_tests::{comment, engine, opinions, person, refusal_code};

const LETTER: &str =
    "我们坚决反对在居民区附近新建垃圾焚烧厂，该项目将严重影响周边十万居民的身体健康，请政府重新选址并公开环评报告。";

fn drafter() -> Actor {
    person("drafter", "生态环境局", Role::Drafter)
}

async fn act(e: &Engine, who: &Actor, name: &str, payload: serde_json::Value) {
    e.apply(ActRequest::new("d", &Act::new(name, payload), who, Utc::now()))
        .await
        .unwrap_or_else(|err| panic!("{name}: {err}"));
}

fn query(kind: Kind) -> OpinionQuery {
    OpinionQuery { decision_id: "d".into(), kind: Some(kind), limit: 50, ..OpinionQuery::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn campaigns_are_found_as_comments_arrive_and_disposed_of_once() {
    for db in databases().await {
        let e = engine(&db.url).await;
        crate::concurrency::open_for_comment(&e, "d").await;
        let near = LETTER.replace("十万", "数万");
        for text in [LETTER, LETTER, &near, "建议延长地铁夜间运营时间，方便加班人员回家。", "同意"]
        {
            comment(&e, "d", text).await.expect("taken");
        }
        let rows = opinions(&e, "d", Kind::Comment).await;
        let clusters: Vec<i64> = rows.iter().map(|o| o.cluster).collect();
        assert_eq!(clusters, [1, 1, 1, 4, 5], "{}: identical and near-identical letters are one campaign", db.kind);
        assert_eq!(rows[0].members, 3, "{}", db.kind);
        // Read with the decision, so an act on a decision nobody wrote on needs no read of the ledger.
        let loaded = e.store().load("d").await.expect("load").expect("exists");
        assert_eq!((loaded.opinion_kinds, loaded.opinions), (Some(1), Some(5)), "{}: five comments", db.kind);

        // The campaign disposed of once; a letter arriving afterwards inherits it.
        let whole = json!({ "opinion_id": 2, "outcome": "not_adopted", "reason": "选址已经论证", "campaign": true });
        act(&e, &drafter(), "dispose_opinion", whole).await;
        let late = comment(&e, "d", &format!("{LETTER}市民张三")).await.expect("taken");
        assert_eq!(late.cluster, 1, "{}", db.kind);
        assert_eq!(late.settled.as_ref().map(|s| s.outcome.as_str()), Some("not_adopted"), "{}", db.kind);
        // A member that says something of its own is split off and loses what it inherited.
        act(&e, &drafter(), "split_opinion", json!({ "opinion_id": 3 })).await;
        let rows = opinions(&e, "d", Kind::Comment).await;
        assert_eq!((rows[2].cluster, rows[2].settled.is_none(), rows[0].members), (3, true, 3), "{}", db.kind);
        // Hidden, never deleted: the text stays on record for the drafters and oversight.
        act(&e, &drafter(), "hide_opinion", json!({ "opinion_id": 5, "reason": "含有他人身份证号" })).await;

        // Who reads what: the sender and hidden text are for the drafters and oversight; a meeting member of a
        // full reader's kind (the chief executive here) sees neither; the public reads no list at all.
        let chief = person("chief", "市政府", Role::ChiefExecutive);
        let anon = person("anonymous", "", Role::Public);
        let q = query(Kind::Comment);
        let mine = e.read_opinions(&drafter(), &q, Utc::now()).await.expect("drafter reads");
        let theirs = e.read_opinions(&chief, &q, Utc::now()).await.expect("chief reads");
        assert_eq!(mine.items[4].content.as_deref(), Some("同意"), "{}", db.kind);
        assert_eq!((theirs.items[4].content.as_deref(), theirs.items[4].hidden.is_some()), (None, true), "{}", db.kind);
        let refused = e.read_opinions(&anon, &q, Utc::now()).await.map(|_| ());
        assert_eq!(refusal_code(refused), "role_not_permitted", "{}", db.kind);

        // Search by characters (three or more through the index, fewer by scan); hidden text is not found for a
        // reader who may not read it.
        let find = |text: &str, who: &Actor| {
            let q = OpinionQuery { text: Some(text.into()), ..query(Kind::Comment) };
            let (e, who) = (&e, who.clone());
            async move { e.read_opinions(&who, &q, Utc::now()).await.expect("search").items.len() }
        };
        assert_eq!(find("垃圾焚烧厂", &drafter()).await, 4, "{}", db.kind);
        assert_eq!(find("地铁", &drafter()).await, 1, "{}", db.kind);
        assert_eq!(find("同意", &drafter()).await, 1, "{}", db.kind);
        assert_eq!(find("同意", &chief).await, 0, "{}: hidden text is not searched for them", db.kind);
        assert_eq!(find("100%_", &drafter()).await, 0, "{}: wildcards are text", db.kind);

        // Pages by cursor: two at a time, every row once, in order.
        let mut seen = Vec::new();
        let mut q = OpinionQuery { limit: 2, ..query(Kind::Comment) };
        loop {
            let page = e.read_opinions(&drafter(), &q, Utc::now()).await.expect("page");
            seen.extend(page.items.iter().map(|o| o.seq));
            let Some(next) = page.next.as_deref().and_then(juece_engine::queries::parse_cursor) else { break };
            q.after = Some(next);
        }
        assert_eq!(seen, [1, 2, 3, 4, 5, 6], "{}", db.kind);
        // A search pages the same way: the index walked from the cursor (SQLite) or filtered (PostgreSQL), every
        // match once, in order, whatever the page size.
        let q = OpinionQuery { text: Some("垃圾焚烧厂".into()), ..query(Kind::Comment) };
        let all: Vec<i64> =
            e.read_opinions(&drafter(), &q, Utc::now()).await.expect("search").items.iter().map(|o| o.seq).collect();
        let mut paged = Vec::new();
        let mut q = OpinionQuery { limit: 1, ..q };
        loop {
            let page = e.read_opinions(&drafter(), &q, Utc::now()).await.expect("search page");
            paged.extend(page.items.iter().map(|o| o.seq));
            let Some(next) = page.next.as_deref().and_then(juece_engine::queries::parse_cursor) else { break };
            q.after = Some(next);
        }
        assert_eq!((all.len(), &paged), (4, &all), "{}", db.kind);
        assert!(all.windows(2).all(|w| w[0] < w[1]), "{}: in order: {all:?}", db.kind);
        // A cursor of the same kind bounds the number; of a kind sorting after, nothing of this kind follows it.
        let seqs = |q: OpinionQuery| {
            let e = &e;
            async move {
                let page = e.read_opinions(&drafter(), &q, Utc::now()).await.expect("page");
                page.items.iter().map(|o| o.seq).collect::<Vec<_>>()
            }
        };
        let after = |kind, seq| OpinionQuery { after: Some((kind, seq)), ..query(Kind::Comment) };
        assert_eq!(seqs(after(Kind::Comment, 4)).await, [5, 6], "{}", db.kind);
        assert_eq!(seqs(OpinionQuery { kind: None, ..after(Kind::Comment, 4) }).await, [5, 6], "{}", db.kind);
        assert!(seqs(after(Kind::Feedback, 0)).await.is_empty(), "{}", db.kind);

        // The chain verifies; an edited comment is caught, even with its row's trigger dropped.
        let report = verify_store(e.store().as_ref()).await.expect("verify");
        assert!(report.breaks.is_empty() && report.opinions == 6, "{}: {report:?}", db.kind);
        let drop = if db.kind == "postgres" {
            "drop trigger opinions_received_fixed on opinions"
        } else {
            "drop trigger opinions_received_fixed"
        };
        tamper(&db.url, drop, "update opinions set content = '支持新建' where seq = 4").await;
        let report = verify_store(e.store().as_ref()).await.expect("verify");
        assert!(
            report.breaks.iter().any(|b| b.decision_id == "d" && b.seq == 4 && b.problem.contains("comment chain")),
            "{}: {:?}",
            db.kind,
            report.breaks
        );
        db.finish().await;
    }
}

/// Raw SQL on the database behind the engine, as a DBA would run it.
async fn tamper(url: &str, first: &str, second: &str) {
    if url.starts_with("postgres") {
        let s = juece_engine::store::PgStore::connect(url).await.expect("connect");
        s.execute_raw(first).await.expect("sql");
        s.execute_raw(second).await.expect("sql");
    } else {
        let s = juece_engine::store::SqliteStore::connect(url).await.expect("connect");
        s.execute_raw(first).await.expect("sql");
        s.execute_raw(second).await.expect("sql");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_checked_on_an_old_version_is_checked_again_and_refused_after_the_shortened_end() {
    for db in databases().await {
        let e = engine(&db.url).await;
        crate::concurrency::open_for_comment(&e, "d").await;
        // The intake has read the decision (30 days to run) ...
        comment(&e, "d", "第一条意见").await.expect("taken");
        // ... when the period is shortened to 20 days after publication (recorded, and flagged).
        let shorten = json!({ "days": 20, "shortening_reason": "汛期临近，情况紧急" });
        act(&e, &drafter(), "shorten_comment_period", shorten).await;
        let public = person("anonymous", "", Role::Public);
        let late = Act::new("receive_comment", json!({ "content": "第25天的意见" }));
        let at = Utc::now() + Duration::days(25);
        let request = OpinionRequest { decision_id: "d", act: &late, actor: &public, now: at, answer: None };
        let got = e.receive(request).await;
        match &got {
            Err(Error::Refused(r)) => {
                assert_eq!(r.reason_code(), "art15_comment_period_closed", "{}", db.kind);
                assert!(
                    r.reasons[0].detail.as_deref().is_some_and(|d| d.contains("24")),
                    "{}: the end is said",
                    db.kind
                );
            }
            other => panic!("{}: {other:?}", db.kind),
        }
        assert_eq!(opinions(&e, "d", Kind::Comment).await.len(), 1, "{}: nothing written", db.kind);
        // An opinion act asked of `apply` is refused with the way in, and writes nothing.
        let wrong = Act::new("receive_comment", json!({ "content": "x" }));
        let got = e.apply(ActRequest::new("d", &wrong, &public, Utc::now())).await;
        assert_eq!(refusal_code(got), "invalid_act_route", "{}", db.kind);
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opinions_recorded_in_the_state_before_are_copied_into_rows_once() {
    use juece_engine::procedure::facts::{Disposition, HearingSuggestion, PublicOpinion, SuggestionDecision};
    for db in databases().await {
        let e = engine(&db.url).await;
        crate::concurrency::open_for_comment(&e, "d").await;
        // A decision as an earlier version recorded it: its opinions in its state.
        let mut d = e.load("d").await.expect("d");
        let at = d.updated_at;
        let old = |id: u32, text: &str, disposition: Option<Disposition>| PublicOpinion {
            id,
            content: text.into(),
            submitter: Some("市民甲".into()),
            received_at: at,
            disposition,
        };
        let adopted = Disposition { outcome: "adopted".into(), reason: "已采纳".into(), by: "李明".into() };
        d.facts.opinions = vec![old(1, "建议延长开放时间。", Some(adopted)), old(2, "建议增加座椅。", None)];
        let decided = SuggestionDecision { hold: true, reason: "涉及切身利益".into(), by: "李明".into(), at };
        d.facts.hearing_suggestions = vec![HearingSuggestion {
            id: 1,
            content: "建议听证".into(),
            submitter: None,
            received_at: at,
            decision: Some(decided),
        }];
        let state = serde_json::to_string(&d).expect("json").replace('\'', "''");
        tamper(&db.url, &format!("update decisions set state_json = '{state}' where id = 'd'"), "delete from upgrades")
            .await;

        for _ in 0..2 {
            e.store().migrate().await.expect("the upgrade runs, and runs again without a second copy");
        }
        let comments = opinions(&e, "d", Kind::Comment).await;
        assert_eq!(comments.len(), 2, "{}", db.kind);
        let micros = chrono::SubsecRound::trunc_subsecs(at, 6);
        assert_eq!(
            (comments[0].content.as_str(), comments[0].received_at),
            ("建议延长开放时间。", micros),
            "{}",
            db.kind
        );
        assert_eq!(comments[0].submitter.as_deref(), Some("市民甲"), "{}", db.kind);
        assert_eq!(comments[0].settled.as_ref().map(|s| s.outcome.as_str()), Some("adopted"), "{}", db.kind);
        assert!(comments[1].settled.is_none(), "{}", db.kind);
        let suggestions = opinions(&e, "d", Kind::HearingSuggestion).await;
        assert_eq!(suggestions[0].settled.as_ref().map(|s| s.outcome.as_str()), Some("hold"), "{}", db.kind);
        // The state keeps what it recorded, but no reader reads it there: the rows, under their rule, are the way.
        assert_eq!(e.load("d").await.expect("d").facts.opinions.len(), 2, "{}", db.kind);
        let chief = person("chief", "市政府", Role::ChiefExecutive);
        let view = e.read_decision("d", &chief, Utc::now()).await.expect("the chief reads the decision");
        assert_eq!(view.facts["opinions"], json!([]), "{}", db.kind);
        assert!(!view.facts.to_string().contains("市民甲"), "{}: no sender through the facts", db.kind);
        db.finish().await;
    }
}

/// The head the comment written in the held intake leaves on its chain.
const HELD_HEAD: &str = "held-head";

/// A comment that commits after the period's end read the record, while the end waits to commit, is not passed
/// over: the end's update finds the record's count of opinions moved on, and the end is stepped again on the
/// record as stored, so the count and chain head it puts on the record are the comments' as they were when it
/// committed (Art. 15) — even for a caller who named the version, which did not move. On PostgreSQL the end's
/// update waits for the intake's hold on the decision's row and then checks the count on the row as the intake
/// left it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_period_s_end_waiting_on_a_comment_s_commit_seals_that_comment_too() {
    for db in databases().await {
        let e = engine(&db.url).await;
        crate::concurrency::open_for_comment(&e, "d").await;
        comment(&e, "d", "同意").await.expect("taken");
        let before = e.store().load("d").await.expect("load").expect("exists");
        assert_eq!((before.opinion_kinds, before.opinions), (Some(1), Some(1)), "{}", db.kind);
        let at = juece_engine::audit::format_instant(&Utc::now());
        let comment = [
            format!(
                "insert into opinions (decision_id, kind, seq, notice, content, submitter, received_at, receipt, \
                 content_sha256, chain_hash, norm_sha, signature, band0, band1, band2, band3, cluster) values \
                 ('d', 'comment', 2, null, '最后一刻的意见', null, '{at}', 'held-receipt', 'c', '{HELD_HEAD}', 'n', \
                 's', 0, 0, 0, 0, 2)"
            ),
            format!("update opinion_heads set count = 2, head = '{HELD_HEAD}' where decision_id = 'd'"),
        ];
        let held = Held::take(&db.url, "d", &comment).await;
        let end = Act::new("end_comment_period", json!({}));
        let (system, after_end) = (Actor::system(), Utc::now() + Duration::days(120));
        let request = ActRequest::new("d", &end, &system, after_end).expecting(Some(before.decision.version));
        // On a replica with no record kept from an earlier act, so that it reads the record and the ledger.
        let replica = engine(&db.url).await;
        let (applied, ()) = tokio::join!(replica.apply(request), held.commit_once_waited_on());
        let applied = applied.unwrap_or_else(|err| panic!("{}: stepped again, not turned away: {err}", db.kind));
        let notice = applied.decision.facts.comment_notices.last().expect("the notice");
        let sealed = notice.comments_at_close.as_ref().expect("the comments sealed at the end");
        assert_eq!((sealed.count, sealed.head.as_str()), (2, HELD_HEAD), "{}: both comments sealed", db.kind);
        let after = e.store().load("d").await.expect("load").expect("exists");
        assert_eq!(after.decision.version, before.decision.version + 1, "{}: one act", db.kind);
        assert_eq!((after.decision.version, after.last_hash), (applied.decision.version, applied.audit.hash));
        db.finish().await;
    }
}

/// A stream of comments on a consultation never keeps the drafter's acts on it from committing: each act reads the
/// opinions and commits only while no other arrived (Art. 15), and the comments of this process wait for the act
/// to join the intake's queue. Twenty dispositions, each naming the version it read (so none is paused for), go
/// through while thirty-two senders write as fast as the intake takes them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_of_comments_does_not_starve_the_acts_on_its_consultation() {
    use std::sync::atomic::{AtomicBool, Ordering};
    for db in databases().await {
        let e = std::sync::Arc::new(engine(&db.url).await);
        crate::concurrency::open_for_comment(&e, "d").await;
        for i in 0..20 {
            comment(&e, "d", &format!("第{i}条意见：建议增加夜间公交线路。")).await.expect("taken");
        }
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let senders: Vec<_> = (0..32)
            .map(|s| {
                let (e, stop) = (e.clone(), stop.clone());
                tokio::spawn(async move {
                    let mut sent = 0;
                    while !stop.load(Ordering::Relaxed) {
                        // A comment checked while the acts keep moving the record may be answered with a conflict
                        // after its attempts, and is sent again, as a client answered 409 would.
                        match comment(&e, "d", &format!("发送者{s}的第{sent}条意见")).await {
                            Ok(_) => sent += 1,
                            Err(Error::Conflict { .. }) => {}
                            Err(other) => panic!("a comment: {other}"),
                        }
                    }
                    sent
                })
            })
            .collect();
        for n in 1..=20 {
            let version = e.store().load("d").await.expect("load").expect("exists").decision.version;
            let dispose =
                Act::new("dispose_opinion", json!({ "opinion_id": n, "outcome": "adopted", "reason": "采纳" }));
            let who = drafter();
            let request = ActRequest::new("d", &dispose, &who, Utc::now()).expecting(Some(version));
            e.apply(request).await.unwrap_or_else(|err| panic!("{}: disposition {n} amid the stream: {err}", db.kind));
        }
        stop.store(true, Ordering::Relaxed);
        let mut sent = 0;
        for s in senders {
            sent += s.await.expect("a sender");
        }
        assert!(sent > 0, "{}: the stream ran", db.kind);
        let disposed = opinions(&e, "d", Kind::Comment).await.iter().filter(|o| o.settled.is_some()).count();
        assert!(disposed >= 20, "{}: {disposed} disposed", db.kind);
        db.finish().await;
    }
}
