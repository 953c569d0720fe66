//! `juece demo`: one complete sample decision, from proposal to archive,
//! through the engine on the configured database with simulated people and
//! an accelerated clock. It shows deliberate refusals (each with its reason
//! code and article) and ends by verifying the audit record.

use juece_engine::orchestrator::{ActRequest, OpinionRequest};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context};
use chrono::{DateTime, Duration, TimeZone, Utc};
use juece_engine::act::Act;
use juece_engine::actor::{Actor, Role};
use juece_engine::calendar::period::add_working_days;
use juece_engine::orchestrator::{verify_store, Engine};
use juece_engine::Error;
use serde_json::{json, Value};

fn person(id: &str, name: &str, unit: &str, position: &str, roles: &[Role]) -> Actor {
    Actor {
        user_id: id.into(),
        name: name.into(),
        unit: unit.into(),
        position: position.into(),
        roles: roles.to_vec(),
        former_units: Vec::new(),
    }
}

struct Cast {
    office: Actor,
    drafter: Actor,
    experts: Vec<Actor>,
    adviser: Actor,
    reviewer: Actor,
    member: Actor,
    chief: Actor,
    executor: Actor,
    public: Actor,
}

fn cast() -> Cast {
    let city = "示范市人民政府办公室";
    Cast {
        office: person("u-office", "王文", city, "秘书长", &[Role::GeneralOffice]),
        drafter: person("u-drafter", "李明", "示范市生态环境局", "法规科科长", &[Role::Drafter]),
        experts: vec![
            person("e-1", "赵教授", "示范大学环境学院", "教授", &[Role::Expert]),
            person("e-2", "钱研究员", "省环境科学研究院", "研究员", &[Role::Expert]),
            person("e-3", "孙工", "示范市规划设计院", "高级工程师", &[Role::Expert]),
        ],
        adviser: person("u-adviser", "周律师", "示范市司法局", "公职律师", &[Role::LegalAdviser]),
        reviewer: person("u-reviewer", "吴审", "示范市司法局", "合法性审查科科长", &[Role::LegalityReviewer]),
        member: person("u-vice", "郑副市长", "示范市人民政府", "副市长", &[Role::MeetingMember]),
        chief: person("u-mayor", "张市长", "示范市人民政府", "市长", &[Role::ChiefExecutive]),
        executor: person("u-exec", "陈执行", "示范市生态环境局", "大气处处长", &[Role::ExecutingUnit]),
        public: person("anonymous", "公众", "public", "-", &[Role::Public]),
    }
}

struct Run<'a, W: Write> {
    engine: &'a Engine,
    id: String,
    now: DateTime<Utc>,
    out: &'a mut W,
    refusals: usize,
    memos: Vec<juece_engine::store::StoredMemo>,
    /// The first accepted payload of each act: the API document's examples (`act_examples.json`) are these.
    accepted: BTreeMap<String, Value>,
}

impl<W: Write> Run<'_, W> {
    async fn ok(&mut self, actor: &Actor, name: &str, payload: Value) -> anyhow::Result<()> {
        self.accepted.entry(name.to_string()).or_insert_with(|| payload.clone());
        let act = Act::new(name, payload);
        if juece_engine::ledger::Kind::of_act(name).is_some() {
            let request = OpinionRequest { decision_id: &self.id, act: &act, actor, now: self.now, answer: None };
            return match self.engine.receive(request).await {
                Ok(o) => {
                    writeln!(self.out, "  ✓ {name} by {} — opinion #{}, receipt {}", actor.name, o.seq, o.receipt)?;
                    Ok(())
                }
                Err(e) => bail!("demo opinion `{name}` failed: {e}"),
            };
        }
        let applied = if self.memos.is_empty() && self.engine.load(&self.id).await.is_err() {
            self.engine.open("national", ActRequest::new(&self.id, &act, actor, self.now)).await
        } else {
            self.engine.apply(ActRequest::new(&self.id, &act, actor, self.now)).await
        };
        match applied {
            Ok(a) => {
                let moved = if a.audit.stage_from != a.audit.stage_to {
                    format!("  → stage `{}`", a.audit.stage_to)
                } else {
                    String::new()
                };
                writeln!(self.out, "  ✓ {name} by {} ({}) #{}{moved}", actor.name, actor.position, a.audit.seq)?;
                self.memos.extend(a.memos);
                Ok(())
            }
            Err(e) => bail!("demo act `{name}` failed: {e}"),
        }
    }

    async fn refused(&mut self, actor: &Actor, name: &str, payload: Value, expect: &str) -> anyhow::Result<()> {
        match self.engine.apply(ActRequest::new(&self.id, &Act::new(name, payload), actor, self.now)).await {
            Err(Error::Refused(r)) if r.codes().contains(&expect) => {
                self.refusals += 1;
                for reason in &r.reasons {
                    writeln!(
                        self.out,
                        "  ✗ REFUSED {name}: {} ({}) {} / {}{}",
                        reason.reason_code,
                        reason.article,
                        reason.message_zh,
                        reason.message_en,
                        reason.detail.as_deref().map(|d| format!(" [{d}]")).unwrap_or_default()
                    )?;
                }
                Ok(())
            }
            Err(e) => bail!("demo expected `{expect}` refusing `{name}`, got: {e}"),
            Ok(_) => bail!("demo expected `{expect}` refusing `{name}`, but it was accepted"),
        }
    }

    fn wait_days(&mut self, days: i64) {
        self.now += Duration::days(days);
    }

    fn stage(&mut self, title: &str) -> anyhow::Result<()> {
        writeln!(
            self.out,
            "\n== {title} — {} CST",
            self.now.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M")
        )?;
        Ok(())
    }
}

/// Run the sample decision, writing the story to `out` and, when `memo_dir`
/// is given, each memo there as [`memo_file_name`] names it.
pub async fn run<W: Write>(engine: &Engine, memo_dir: Option<&Path>, out: &mut W) -> anyhow::Result<()> {
    // The story is one long async function; boxing keeps its state off the
    // caller's stack (test threads have small stacks).
    Box::pin(story(engine, memo_dir, out)).await.map(|_| ())
}

/// Run the sample decision and return the first payload each act was accepted with (what the API document
/// shows as each act's example; a test keeps the two equal).
pub async fn accepted_payloads(engine: &Engine) -> anyhow::Result<BTreeMap<String, Value>> {
    Box::pin(story(engine, None, &mut std::io::sink())).await
}

async fn story<W: Write>(
    engine: &Engine,
    memo_dir: Option<&Path>,
    out: &mut W,
) -> anyhow::Result<BTreeMap<String, Value>> {
    let c = cast();
    // 09:00 CST on Monday 2 March 2026.
    let start = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).single().context("start time")?;
    let id = format!("demo-{}", uuid_like(engine).await?);
    writeln!(out, "juece demo: decision {id} on the national procedure")?;
    let mut r = Run { engine, id, now: start, out, refusals: 0, memos: Vec::new(), accepted: BTreeMap::new() };

    // Each stage group is its own boxed future: debug builds give every
    // temporary of an async fn its own stack slot, and test threads have small stacks.
    Box::pin(initiation_and_drafting(&mut r, &c)).await?;
    Box::pin(participation_and_hearing(&mut r, &c)).await?;
    Box::pin(experts_and_risk(&mut r, &c)).await?;
    Box::pin(review_and_meeting(&mut r, &c)).await?;
    Box::pin(release(&mut r, &c)).await?;
    Box::pin(execution_and_after(&mut r, &c)).await?;

    if let Some(dir) = memo_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        // Each memo as sealed, and the A4 page of each one sealed as Markdown.
        let files = juece_engine::memo::pages::renditions(&r.memos);
        for m in files.iter().map(|f| &f.memo) {
            let file = dir.join(memo_file_name(m));
            std::fs::write(&file, &m.body).with_context(|| format!("writing {}", file.display()))?;
        }
        writeln!(r.out, "\nwrote {} memo files to {}", files.len(), dir.display())?;
    }

    let report = verify_store(engine.store().as_ref()).await?;
    writeln!(r.out, "\n{} deliberate refusals shown.", r.refusals)?;
    match report.breaks.first() {
        None => writeln!(
            r.out,
            "audit verify: OK {} decisions, {} records, {} memos verified",
            report.decisions, report.records, report.memos
        )?,
        Some(b) => bail!("audit verify failed: {b}"),
    }
    Ok(r.accepted)
}

/// A short id unique within the database (the demo can run many times).
async fn uuid_like(engine: &Engine) -> anyhow::Result<String> {
    let n = engine.store().versions().await?.len();
    Ok(format!("{:04}", n + 1))
}

/// Stages 1–2: proposal, start and drafting.
async fn initiation_and_drafting<W: Write>(r: &mut Run<'_, W>, c: &Cast) -> anyhow::Result<()> {
    r.stage("1 决策启动 Initiation (Arts. 10–11)")?;
    r.ok(&c.office, "submit_proposal", json!({
        "title": "示范市大气污染防治条例实施办法", "organ": "示范市人民政府",
        "proposer_type": "department", "proposer": "示范市生态环境局",
        "summary": "制定实施办法，细化扬尘和机动车排放管控措施。",
        "main_problem": "PM2.5年均浓度超标", "reasons_and_basis": "《大气污染防治法》第三条",
        "preliminary_solution": "分区管控、错峰施工", "necessity": "改善空气质量的迫切需要", "feasibility": "已有财政安排和执法力量",
    })).await?;
    r.refused(
        &c.office,
        "start_decision",
        json!({
            "category": 1, "undertaking_units": ["示范市生态环境局", "示范市住房和城乡建设局"],
        }),
        "art11_lead_unit_required",
    )
    .await?;
    r.ok(&c.office, "start_decision", json!({
        "category": 1, "undertaking_units": ["示范市生态环境局", "示范市住房和城乡建设局"], "lead_unit": "示范市生态环境局",
    })).await?;

    r.stage("2 起草 Drafting (Arts. 12–13)")?;
    r.ok(
        &c.drafter,
        "record_draft",
        json!({
            "text": "第一条 为防治大气污染……", "explanation": "依据上位法，结合本市实际起草。",
            "legal_basis": ["《中华人民共和国大气污染防治法》", "《示范省大气污染防治条例》"],
        }),
    )
    .await?;
    r.ok(&c.drafter, "set_flags", json!({ "technical": true, "high_public_concern": true })).await?;
    r.ok(&c.drafter, "record_consultation", json!({ "unit": "示范市司法局", "agreed": true, "opinion": "原则同意。" }))
        .await?;
    r.ok(&c.drafter, "finish_drafting", json!({})).await?;
    r.ok(&c.drafter, "record_cost_benefit", json!({ "inputs": "财政投入2000万元", "benefits": "减少重污染天数" }))
        .await?;
    r.ok(&c.drafter, "complete_cost_benefit", json!({})).await?;
    Ok(())
}

/// Stages 3–4: public participation, and the hearing passed over by a determination.
async fn participation_and_hearing<W: Write>(r: &mut Run<'_, W>, c: &Cast) -> anyhow::Result<()> {
    r.stage("3 公众参与 Public participation (Arts. 14–18)")?;
    let today = r.now.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    r.refused(
        &c.drafter,
        "publish_comment_notice",
        json!({
            "channels": ["website"], "submission_methods": ["电子邮件"], "start": today, "days": 20,
        }),
        "art15_min_30_days",
    )
    .await?;
    r.ok(&c.drafter, "publish_comment_notice", json!({
        "channels": ["website", "gazette"], "submission_methods": ["电子邮件 hb@example.gov.cn", "信函"], "start": today, "days": 30,
    })).await?;
    r.wait_days(3);
    r.ok(&c.public, "receive_comment", json!({ "content": "建议对夜间施工扬尘加强监测。" })).await?;
    r.ok(
        &c.public,
        "receive_comment",
        json!({ "content": "<script>alert(1)</script> 建议取消限行。", "submitter": "市民甲" }),
    )
    .await?;
    r.refused(&c.drafter, "close_participation", json!({}), "art15_period_not_ended").await?;
    r.wait_days(30);
    r.refused(&c.drafter, "close_participation", json!({}), "art18_opinions_undisposed").await?;
    r.ok(&c.drafter, "dispose_opinion", json!({ "opinion_id": 1, "outcome": "adopted", "reason": "增加夜间监测条款" }))
        .await?;
    r.ok(
        &c.drafter,
        "dispose_opinion",
        json!({ "opinion_id": 2, "outcome": "not_adopted", "reason": "限行措施系上位法要求" }),
    )
    .await?;
    r.ok(
        &c.drafter,
        "record_public_adoption_summary",
        json!({ "text": "共收到意见2条，采纳1条，未采纳1条并说明理由。" }),
    )
    .await?;
    r.ok(&c.drafter, "close_participation", json!({})).await?;

    r.stage("4 听证 Hearing (Arts. 16–17)")?;
    r.refused(&c.drafter, "skip_hearing", json!({}), "applicability_not_determined").await?;
    r.ok(
        &c.drafter,
        "determine_applicability",
        json!({
            "stage": "hearing", "outcome": "not_applicable", "reason": "不直接涉及特定群体重大利益，意见分歧不大",
        }),
    )
    .await?;
    r.ok(&c.drafter, "skip_hearing", json!({})).await?;
    Ok(())
}

/// Stages 5–6: expert consultation and risk assessment.
async fn experts_and_risk<W: Write>(r: &mut Run<'_, W>, c: &Cast) -> anyhow::Result<()> {
    r.stage("5 专家论证 Expert consultation (Arts. 19–21)")?;
    r.refused(
        &c.drafter,
        "select_expert",
        json!({
            "expert_id": "e-9", "name": "冯工", "field": "环境工程", "conflict": "所在公司承担本项目设计",
        }),
        "art20_direct_interest",
    )
    .await?;
    for e in &c.experts {
        r.ok(&c.drafter, "select_expert", json!({ "expert_id": e.user_id, "name": e.name, "field": "大气环境" }))
            .await?;
    }
    r.refused(
        &c.experts[0],
        "submit_expert_opinion",
        json!({
            "expert_id": "e-1", "necessity": "必要", "feasibility": "可行", "scientific_soundness": "科学",
            "signature": "赵教授",
        }),
        "art19_confidentiality",
    )
    .await?;
    for e in &c.experts {
        r.ok(e, "declare_no_direct_interest", json!({ "expert_id": e.user_id })).await?;
        r.ok(e, "acknowledge_confidentiality", json!({ "expert_id": e.user_id })).await?;
    }
    r.refused(
        &c.experts[0],
        "submit_expert_opinion",
        json!({
            "expert_id": "e-1", "necessity": "必要", "feasibility": "可行", "scientific_soundness": "科学",
        }),
        "art19_signature_required",
    )
    .await?;
    for e in &c.experts {
        r.ok(e, "submit_expert_opinion", json!({
            "expert_id": e.user_id, "necessity": "必要", "feasibility": "可行", "scientific_soundness": "措施有科学依据",
            "signature": e.name,
        })).await?;
    }
    r.ok(&c.drafter, "record_expert_adoption_summary", json!({ "text": "三位专家意见均予采纳。" })).await?;
    r.ok(&c.drafter, "close_expert_consultation", json!({})).await?;

    r.stage("6 风险评估 Risk assessment (Arts. 22–24)")?;
    r.ok(
        &c.drafter,
        "submit_risk_report",
        json!({
            "assessor": "示范市社会稳定风险评估中心", "methods": ["舆情跟踪", "重点走访"],
            "departments_consulted": ["示范市公安局"], "risk_points": ["施工企业成本上升"],
            "measures": ["分阶段实施"], "contingency_plan": "设立投诉热线并启动应急协调", "level": "low",
        }),
    )
    .await?;
    r.ok(&c.office, "judge_controllability", json!({ "controllable": true })).await?;
    r.ok(&c.drafter, "close_risk_assessment", json!({})).await?;
    Ok(())
}

/// Stages 7–8: legality review, the package and the collective discussion.
async fn review_and_meeting<W: Write>(r: &mut Run<'_, W>, c: &Cast) -> anyhow::Result<()> {
    r.stage("7 合法性审查 Legality review (Arts. 25–28)")?;
    r.refused(&c.drafter, "close_legality_review", json!({}), "art25_no_legality_review").await?;
    let received = r.now.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let due = add_working_days(&r.engine.calendar(), received, 7).last_day;
    r.ok(&c.drafter, "submit_for_legality_review", json!({
        "legal_basis": ["《中华人民共和国大气污染防治法》"], "procedure_explanation": "已履行公众参与、专家论证、风险评估程序。",
        "received_complete_on": received, "requested_due": due,
    })).await?;
    r.ok(&c.adviser, "record_lawyer_opinion", json!({ "capacity": "公职律师", "opinion": "未发现违法情形。" })).await?;
    r.wait_days(7);
    r.ok(&c.reviewer, "issue_legality_opinion", json!({
        "authority": "属于市政府法定权限", "procedure": "已履行法定程序", "content": "内容符合上位法", "conclusion": "lawful",
    })).await?;
    r.ok(&c.drafter, "close_legality_review", json!({})).await?;
    r.ok(&c.drafter, "submit_package", json!({})).await?;

    r.stage("8 集体讨论决定 Collective discussion (Art. 30)")?;
    // The meeting sits after the package and the legality opinion, on the day it is convened for.
    let today = r.now.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    // 郑副市长 signs in (account u-vice) to record their own stance; the general office minutes the others.
    let members = json!([{ "name": "郑副市长", "user": "u-vice" }, "王文", "张市长"]);
    r.refused(
        &c.office,
        "convene_meeting",
        json!({ "meeting_type": "topic", "date": today, "members": members }),
        "art30_meeting_type",
    )
    .await?;
    r.ok(&c.office, "convene_meeting", json!({ "meeting_type": "executive", "date": today, "members": members }))
        .await?;
    r.ok(
        &c.member,
        "record_stance",
        json!({ "member": "郑副市长", "stance": "support", "words": "同意，建议加强执法。" }),
    )
    .await?;
    r.ok(
        &c.office,
        "record_stance",
        json!({ "member": "王文", "stance": "support_with_changes", "words": "同意，建议明确过渡期。" }),
    )
    .await?;
    r.ok(&c.chief, "record_chief_opinion", json!({ "decision": "adopt", "words": "同意通过，按讨论意见修改。" }))
        .await?;
    r.refused(
        &c.member,
        "record_stance",
        json!({ "member": "郑副市长", "stance": "oppose", "words": "补充意见" }),
        "art30_chief_speaks_last",
    )
    .await?;
    // The decision is taken at the open meeting; closing it then produces the minutes (Art. 30).
    r.ok(&c.chief, "decide", json!({})).await?;
    r.ok(&c.office, "close_meeting", json!({})).await?;
    Ok(())
}

/// Stage 9: the Party-committee report and publication.
async fn release<W: Write>(r: &mut Run<'_, W>, c: &Cast) -> anyhow::Result<()> {
    r.stage("9 党委请示报告与公布 Party report and publication (Arts. 31–32)")?;
    r.ok(&c.office, "designate_executing_unit", json!({ "unit": "示范市生态环境局" })).await?;
    r.ok(&c.office, "report_to_party", json!({ "reference_no": "示政请〔2026〕8号" })).await?;
    r.refused(
        &c.office,
        "publish_decision",
        json!({ "channels": ["gazette", "website"] }),
        "art31_party_report_missing",
    )
    .await?;
    r.ok(&c.office, "record_party_response", json!({ "response": "同意出台。" })).await?;
    r.wait_days(2);
    r.ok(
        &c.office,
        "publish_decision",
        json!({
            "channels": ["gazette", "website"], "adoption_explanation": "公众意见采纳1条；专家意见全部采纳。",
            "interpretation_activities": ["新闻发布会"],
        }),
    )
    .await?;
    Ok(())
}

/// Stage 10: execution, a suspension on a problem report, post-evaluation and the archive.
async fn execution_and_after<W: Write>(r: &mut Run<'_, W>, c: &Cast) -> anyhow::Result<()> {
    r.stage("10 执行、评估、归档 Execution and archive (Arts. 33–37)")?;
    r.ok(&c.office, "begin_execution", json!({})).await?;
    r.wait_days(90);
    r.ok(&c.executor, "file_execution_report", json!({ "kind": "progress", "text": "第一季度执行情况良好。" })).await?;
    r.refused(&c.chief, "suspend", json!({ "urgency_reason": "" }), "art37_problem_report_required").await?;
    r.wait_days(10);
    r.ok(
        &c.executor,
        "file_execution_report",
        json!({ "kind": "major_change", "text": "上位法修订，错峰施工条款与新规定冲突。" }),
    )
    .await?;
    r.ok(&c.chief, "suspend", json!({ "report": 2, "urgency_reason": "继续执行将导致执法依据冲突" })).await?;
    r.wait_days(5);
    r.ok(&c.chief, "resume", json!({})).await?;
    r.ok(
        &c.office,
        "start_post_evaluation",
        json!({ "trigger": "实施后客观情况发生重大变化", "evaluator": "示范市发展研究中心" }),
    )
    .await?;
    r.wait_days(20);
    r.ok(
        &c.office,
        "submit_post_evaluation_report",
        json!({
            "report": "主要措施有效，错峰施工条款已按新法衔接执行。", "recommendation": "keep",
            "public_opinion_collection": "网上问卷1,260份，座谈会2场", "participants": ["人大代表", "政协委员", "社会组织"],
        }),
    )
    .await?;
    r.ok(&c.office, "finish_post_evaluation", json!({})).await?;
    // A decision in force is not stopped at will (Art. 37): execution ends on the executing unit's completion report.
    r.refused(&c.office, "end_execution", json!({}), "art37_no_change_without_procedure").await?;
    r.wait_days(60);
    r.ok(&c.executor, "file_execution_report", json!({ "kind": "completion", "text": "各项措施已全部执行完毕。" }))
        .await?;
    r.ok(&c.office, "end_execution", json!({})).await?;
    r.ok(&c.office, "archive_decision", json!({ "archivist": "市政府办公室档案室" })).await?;
    Ok(())
}

/// `039-D25-decision.zh.html`: the act's chain position (so files sort in
/// the order of the procedure), the document type of regulation.md §3, the
/// template, the language and the format.
pub fn memo_file_name(m: &juece_engine::store::StoredMemo) -> String {
    let doc = serde_json::from_str::<Value>(&m.data)
        .ok()
        .and_then(|d| d.pointer("/meta/doc_type").and_then(Value::as_str).map(str::to_string))
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "memo".to_string());
    format!("{:03}-{doc}-{}.{}.{}", m.seq, m.memo, m.lang, m.format)
}
