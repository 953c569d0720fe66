//! Act handlers: each reads its act's payload into a typed struct (unknown
//! fields refused) and records it in the facts. Legal checks live in gates
//! ([`super::gates`]), so that each carries its reason code and article in
//! the definition; a handler refuses only input it cannot read. Each phase's
//! handlers are in its `acts.rs`; this is what they share and the registry
//! the definition's names are looked up in.

pub use super::experts::pool::{draw, engine_seed};
#[cfg(feature = "openapi")]
pub mod payload;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use crate::actor::Actor;
use crate::calendar::WorkCalendar;
use crate::definition::Parameters;
use crate::procedure::facts::Facts;
use crate::refusal::{Detail, Reason};

// The phases, whose handlers the registry below names.
use super::*;

pub struct HandlerCtx<'a> {
    pub facts: &'a mut Facts,
    pub payload: &'a serde_json::Value,
    pub actor: &'a Actor,
    pub now: DateTime<Utc>,
    pub params: &'a Parameters,
    pub calendar: &'a WorkCalendar,
    pub article: &'a str,
    /// Data for the act's memo, when it differs from the default.
    pub memo_data: &'a mut Option<serde_json::Value>,
    /// Expert pools the act names, resolved by the orchestrator.
    pub pools: &'a [(String, crate::procedure::facts::ExpertPool)],
    /// The decision's opinions, read by the orchestrator (see [`crate::ledger::Standing`]).
    pub ledger: &'a crate::ledger::Standing,
    /// The position in the record the act will take.
    pub seq: i64,
    pub decision_id: &'a str,
    /// Notifications the act causes (e.g. a problem report tells the chief
    /// executive), and acts it causes on linked records.
    pub notices: &'a mut Vec<crate::effect::Effect>,
}

pub type Handler = fn(&mut HandlerCtx<'_>) -> Result<(), Reason>;

impl HandlerCtx<'_> {
    pub fn notify(&mut self, role: crate::actor::Role, subject: impl Into<String>) {
        self.notices.push(crate::effect::Effect::Notify { role, subject: subject.into() });
    }

    /// Take an opinion from the public: written apart from the decision, which does not change.
    pub(crate) fn receive(&mut self, kind: crate::ledger::Kind, text: PublicText, notice: Option<u32>) {
        let submission = crate::ledger::Submission { kind, content: text.content, submitter: text.submitter, notice };
        self.notices.push(crate::effect::Effect::Receive(submission));
    }

    /// Do `write` to the opinion rows with the act.
    pub(crate) fn ledger(&mut self, write: crate::ledger::LedgerWrite) {
        self.notices.push(crate::effect::Effect::Ledger(write));
    }

    /// Take `act` on the record `decision_id` in this act's transaction (see [`crate::effect::Effect::Link`]).
    pub fn link(&mut self, decision_id: &str, act: crate::act::Act) {
        self.notices.push(crate::effect::Effect::Link { decision_id: decision_id.to_string(), act });
    }

    /// The payload as `T`, or an `invalid_payload` refusal saying why.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Reason> {
        serde_json::from_value(self.payload.clone()).map_err(|e| {
            Reason::new("invalid_payload", self.article, "提交的数据不完整或格式错误", "the act's data is malformed")
                .with_detail(Detail::new(format!("数据无法读取：{e}"), e))
        })
    }

    /// An `invalid_payload` refusal with its detail in Chinese and English.
    pub fn invalid(&self, zh: impl std::fmt::Display, en: impl std::fmt::Display) -> Reason {
        Reason::new("invalid_payload", self.article, "提交的数据不完整或格式错误", "the act's data is malformed")
            .with_detail(Detail::new(zh, en))
    }

    /// "name (unit, position)" for records that name who did something.
    pub fn who(&self) -> String {
        format!("{}（{}，{}）", self.actor.name, self.actor.unit, self.actor.position)
    }

    /// The hash of the draft the act binds to. The gate `draft_required` (a precondition, statutory for every
    /// handler that calls this) refuses the act before the handler runs when there is none.
    pub fn current_draft_hash(&self) -> Result<String, Reason> {
        self.facts.current_draft_hash().map(str::to_string).ok_or_else(|| self.ungated())
    }

    /// The refusal a precondition gate should have given first: it only shows for a definition whose act lacks
    /// the gate, which loading refuses (`statutory`).
    pub(crate) fn ungated(&self) -> Reason {
        self.invalid("本行为的前置条件未经检查", "this act's precondition gate did not run")
    }
}

/// Acts that only move the decision (the gates and the definition say when).
pub(crate) fn advance(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    ctx.parse::<Empty>().map(|_| ())
}

/// The payload of an act that carries no data: `{}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Empty {}

/// One handler: the name definitions give it, the function, and the type of the payload it reads, whose JSON
/// Schema the API document shows (the `openapi` feature), so what is documented is what is parsed.
struct Entry {
    name: &'static str,
    handler: Handler,
    #[cfg(feature = "openapi")]
    payload: fn() -> payload::PayloadSchema,
}

macro_rules! entry {
    ($name:literal, $handler:path, $payload:ty) => {
        Entry {
            name: $name,
            handler: $handler,
            #[cfg(feature = "openapi")]
            payload: payload::of::<$payload>,
        }
    };
}

const HANDLERS: &[Entry] = &[
    entry!("advance", advance, Empty),
    entry!("skip_stage", advance, Empty),
    entry!("submit_proposal", initiation::acts::submit_proposal, initiation::acts::ProposalIn),
    entry!("start_decision", initiation::acts::start_decision, initiation::acts::StartIn),
    entry!("decline_proposal", initiation::acts::decline_proposal, initiation::acts::DeclineIn),
    entry!("record_draft", drafting::acts::record_draft, drafting::acts::DraftIn),
    entry!("set_flags", drafting::acts::set_flags, drafting::acts::FlagsIn),
    entry!("determine_applicability", drafting::acts::determine_applicability, drafting::acts::DeterminationIn),
    entry!("revise_applicability", drafting::acts::revise_applicability, drafting::acts::RevisionIn),
    entry!("record_consultation", drafting::acts::record_consultation, drafting::acts::ConsultationIn),
    entry!("record_dispute_statement", drafting::acts::record_dispute_statement, drafting::acts::TextIn),
    entry!("declare_non_disclosable", drafting::acts::declare_non_disclosable, drafting::acts::NonDisclosureIn),
    entry!("record_cost_benefit", drafting::acts::record_cost_benefit, drafting::acts::CostBenefitIn),
    entry!("publish_comment_notice", participation::acts::publish_comment_notice, participation::acts::NoticeIn),
    entry!(
        "shorten_comment_period",
        participation::shortening::shorten_comment_period,
        participation::shortening::ShortenIn
    ),
    entry!(
        "approve_comment_shortening",
        participation::shortening::approve_comment_shortening,
        participation::shortening::ApprovalIn
    ),
    entry!("record_activity", participation::acts::record_activity, participation::acts::ActivityIn),
    entry!("receive_comment", participation::acts::receive_comment, PublicText),
    entry!("end_comment_period", participation::acts::end_comment_period, Empty),
    entry!("dispose_opinion", participation::opinions::dispose_opinion, participation::opinions::DisposeIn),
    entry!("split_opinion", participation::opinions::split_opinion, participation::opinions::SplitIn),
    entry!("hide_opinion", participation::opinions::hide_opinion, participation::opinions::HideIn),
    entry!(
        "record_public_adoption_summary",
        participation::acts::record_public_adoption_summary,
        participation::acts::SummaryIn
    ),
    entry!("publish_hearing_notice", participation::acts::publish_hearing_notice, participation::acts::HearingNoticeIn),
    entry!("add_hearing_participant", participation::acts::add_hearing_participant, participation::acts::ParticipantIn),
    entry!("confirm_hearing_record", participation::acts::confirm_hearing_record, participation::acts::ConfirmIn),
    entry!(
        "publish_hearing_selection_method",
        participation::acts::publish_hearing_selection_method,
        participation::acts::SelectionIn
    ),
    entry!("publish_hearing_participant_list", participation::acts::publish_hearing_participant_list, Empty),
    entry!("record_hearing_segments", participation::acts::record_hearing_segments, participation::acts::SegmentsIn),
    entry!("suggest_hearing", participation::suggestions::suggest_hearing, PublicText),
    entry!(
        "decide_hearing_suggestion",
        participation::suggestions::decide_hearing_suggestion,
        participation::suggestions::DecisionIn
    ),
    entry!("select_expert", experts::acts::select_expert, experts::acts::SelectIn),
    entry!("submit_expert_opinion", experts::acts::submit_expert_opinion, experts::acts::OpinionIn),
    entry!("record_expert_adoption_summary", experts::acts::record_expert_adoption_summary, experts::acts::SummaryIn),
    entry!("submit_risk_report", risk::acts::submit_risk_report, risk::acts::RiskIn),
    entry!("judge_controllability", risk::acts::judge_controllability, risk::acts::JudgementIn),
    entry!("submit_for_legality_review", legality::acts::submit_for_legality_review, legality::acts::SubmissionIn),
    entry!("record_review_receipt", legality::acts::record_review_receipt, legality::acts::ReceiptIn),
    entry!("record_lawyer_opinion", legality::acts::record_lawyer_opinion, legality::acts::LawyerIn),
    entry!("issue_legality_opinion", legality::acts::issue_legality_opinion, legality::acts::OpinionIn),
    entry!("record_fair_competition", legality::acts::record_fair_competition, legality::acts::FairCompetitionIn),
    entry!("submit_package", legality::acts::submit_package, Empty),
    entry!("convene_meeting", meeting::acts::convene_meeting, meeting::acts::ConveneIn),
    entry!("record_stance", meeting::acts::record_stance, meeting::acts::StanceIn),
    entry!("record_chief_opinion", meeting::acts::record_chief_opinion, meeting::acts::ChiefIn),
    entry!("close_meeting", meeting::acts::close_meeting, Empty),
    entry!("send_back", meeting::acts::send_back, meeting::acts::SendBackIn),
    entry!("confirm_risk_unaffected", risk::acts::confirm_risk_unaffected, risk::acts::RiskUnaffectedIn),
    entry!("record_superseded", execution::acts::record_superseded, execution::acts::SupersededIn),
    entry!("decide", meeting::acts::decide, Empty),
    entry!("designate_executing_unit", release::acts::designate_executing_unit, release::acts::UnitIn),
    entry!("record_npc_report", release::acts::record_npc_report, release::acts::ReferenceIn),
    entry!("report_to_party", release::acts::report_to_party, release::acts::ReferenceIn),
    entry!("record_party_response", release::acts::record_party_response, release::acts::ResponseIn),
    entry!("publish_decision", release::acts::publish_decision, release::acts::PublishIn),
    entry!("file_execution_report", execution::acts::file_execution_report, execution::acts::ReportIn),
    entry!("suspend", execution::acts::suspend, execution::acts::SuspendIn),
    entry!("start_post_evaluation", execution::acts::start_post_evaluation, execution::acts::EvaluationIn),
    entry!(
        "submit_post_evaluation_report",
        execution::acts::submit_post_evaluation_report,
        execution::acts::EvaluationReportIn
    ),
    entry!("archive_decision", archive::acts::archive_decision, archive::acts::ArchiveIn),
    entry!("return_submission", legality::acts::return_submission, legality::acts::ReturnIn),
    entry!("confirm_opinion_unaffected", legality::acts::confirm_opinion_unaffected, legality::acts::UnaffectedIn),
    entry!("request_supplement", legality::acts::request_supplement, legality::acts::ReturnIn),
    entry!("declare_expert_conflict", experts::acts::declare_expert_conflict, experts::acts::ConflictIn),
    entry!("acknowledge_confidentiality", experts::acts::acknowledge_confidentiality, experts::acts::AckIn),
    entry!("declare_no_direct_interest", experts::acts::declare_no_direct_interest, experts::acts::AckIn),
    entry!("submit_feedback", execution::acts::submit_feedback, PublicText),
    entry!("record_adjustment", execution::acts::record_adjustment, execution::acts::AdjustmentIn),
    entry!("record_origin", execution::acts::record_origin, execution::acts::OriginIn),
    entry!("run_execution", execution::acts::run_execution, Empty),
    entry!("end_execution", execution::acts::end_execution, Empty),
    entry!(
        "open_accountability_case",
        responsibility::acts::open_accountability_case,
        responsibility::acts::OpenCaseIn
    ),
    entry!(
        "conclude_accountability_case",
        responsibility::acts::conclude_accountability_case,
        responsibility::acts::ConcludeCaseIn
    ),
    entry!("create_pool", experts::pool::create_pool, experts::pool::CreateIn),
    entry!("admit_expert", experts::pool::admit_expert, experts::pool::AdmitIn),
    entry!("set_expert_status", experts::pool::set_expert_status, experts::pool::StatusIn),
    entry!("record_integrity_fact", experts::pool::record_integrity_fact, experts::pool::FactIn),
    entry!("record_non_submission", experts::pool::record_non_submission, experts::pool::NonSubmissionIn),
    entry!("set_expert_due", experts::acts::set_expert_due, experts::acts::DueIn),
    entry!("draw_experts", experts::pool::draw_experts, experts::pool::DrawIn),
    entry!("create_catalogue", catalogue::acts::create_catalogue, catalogue::acts::CreateIn),
    entry!("record_party_consent", catalogue::acts::record_party_consent, catalogue::acts::ConsentIn),
    entry!("publish_catalogue", catalogue::acts::publish_catalogue, catalogue::acts::PublishIn),
    entry!("adjust_catalogue", catalogue::acts::adjust_catalogue, catalogue::acts::AdjustIn),
    entry!("record_item_taken_up", catalogue::acts::record_item_taken_up, catalogue::acts::ItemIn),
    entry!("record_item_decided", catalogue::acts::record_item_decided, catalogue::acts::ItemIn),
];

pub fn lookup(name: &str) -> Option<Handler> {
    HANDLERS.iter().find(|e| e.name == name).map(|e| e.handler)
}

/// The JSON Schema of the payload the handler `name` reads.
#[cfg(feature = "openapi")]
pub fn payload_schema(name: &str) -> Option<payload::PayloadSchema> {
    HANDLERS.iter().find(|e| e.name == name).map(|e| (e.payload)())
}

pub fn is_known(name: &str) -> bool {
    lookup(name).is_some()
}

/// Reject blank required text: a record with an empty reason is no record.
pub(crate) fn non_blank(ctx: &HandlerCtx<'_>, field: &str, value: &str) -> Result<(), Reason> {
    if value.trim().is_empty() {
        Err(ctx.invalid(format!("`{field}` 不得为空"), format!("`{field}` must not be empty")))
    } else {
        Ok(())
    }
}

/// What the public sends (a comment, feedback, a hearing suggestion): the
/// text, at most [`PUBLIC_TEXT_MAX`] characters, and who sent it, if they said.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublicText {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
    pub content: String,
    pub submitter: Option<String>,
}

/// The longest text the public may send in one act.
const PUBLIC_TEXT_MAX: usize = 20_000;

impl PublicText {
    /// The act's payload as public text: non-blank, within the limit, a blank submitter dropped.
    pub(crate) fn read(ctx: &HandlerCtx<'_>) -> Result<PublicText, Reason> {
        let t: PublicText = ctx.parse()?;
        non_blank(ctx, "content", &t.content)?;
        if t.content.chars().count() > PUBLIC_TEXT_MAX {
            return Err(ctx.invalid(
                format!("`content` 不得超过{PUBLIC_TEXT_MAX}个字符"),
                format!("`content` is limited to {PUBLIC_TEXT_MAX} characters"),
            ));
        }
        Ok(PublicText { content: t.content, submitter: t.submitter.filter(|s| !s.trim().is_empty()) })
    }
}
