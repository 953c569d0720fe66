//! Act handlers: each reads its act's payload into a typed struct (unknown
//! fields refused) and records it in the facts. Legal checks live in gates
//! (`crate::gates`), so that each carries its reason code and article in
//! the definition; a handler refuses only input it cannot read.

mod accountability;
mod binding;
mod catalogue;
pub use crate::codes;
mod drafting;
mod execution;
mod experts;
mod hearing_suggestion;
mod initiation;
mod ledger;
mod legality;
mod pool;

pub use pool::{draw, engine_seed};
mod meeting;
mod participation;
#[cfg(feature = "openapi")]
pub mod payload;
mod planned;
mod release;
mod shortening;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use crate::actor::Actor;
use crate::calendar::WorkCalendar;
use crate::definition::Parameters;
use crate::facts::Facts;
use crate::refusal::{Detail, Reason};

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
    pub pools: &'a [(String, crate::facts::ExpertPool)],
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
fn advance(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    ctx.parse::<Empty>().map(|_| ())
}

/// The payload of an act that carries no data: `{}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Empty {}

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
    entry!("submit_proposal", initiation::submit_proposal, initiation::ProposalIn),
    entry!("start_decision", initiation::start_decision, initiation::StartIn),
    entry!("decline_proposal", initiation::decline_proposal, initiation::DeclineIn),
    entry!("record_draft", drafting::record_draft, drafting::DraftIn),
    entry!("set_flags", drafting::set_flags, drafting::FlagsIn),
    entry!("determine_applicability", drafting::determine_applicability, drafting::DeterminationIn),
    entry!("revise_applicability", drafting::revise_applicability, drafting::RevisionIn),
    entry!("record_consultation", drafting::record_consultation, drafting::ConsultationIn),
    entry!("record_dispute_statement", drafting::record_dispute_statement, drafting::TextIn),
    entry!("declare_non_disclosable", drafting::declare_non_disclosable, drafting::NonDisclosureIn),
    entry!("record_cost_benefit", drafting::record_cost_benefit, drafting::CostBenefitIn),
    entry!("publish_comment_notice", participation::publish_comment_notice, participation::NoticeIn),
    entry!("shorten_comment_period", shortening::shorten_comment_period, shortening::ShortenIn),
    entry!("approve_comment_shortening", shortening::approve_comment_shortening, shortening::ApprovalIn),
    entry!("record_activity", participation::record_activity, participation::ActivityIn),
    entry!("receive_comment", participation::receive_comment, PublicText),
    entry!("end_comment_period", participation::end_comment_period, Empty),
    entry!("dispose_opinion", ledger::dispose_opinion, ledger::DisposeIn),
    entry!("split_opinion", ledger::split_opinion, ledger::SplitIn),
    entry!("hide_opinion", ledger::hide_opinion, ledger::HideIn),
    entry!("record_public_adoption_summary", participation::record_public_adoption_summary, participation::SummaryIn),
    entry!("publish_hearing_notice", participation::publish_hearing_notice, participation::HearingNoticeIn),
    entry!("add_hearing_participant", participation::add_hearing_participant, participation::ParticipantIn),
    entry!("confirm_hearing_record", participation::confirm_hearing_record, participation::ConfirmIn),
    entry!(
        "publish_hearing_selection_method",
        participation::publish_hearing_selection_method,
        participation::SelectionIn
    ),
    entry!("publish_hearing_participant_list", participation::publish_hearing_participant_list, Empty),
    entry!("record_hearing_segments", participation::record_hearing_segments, participation::SegmentsIn),
    entry!("suggest_hearing", hearing_suggestion::suggest_hearing, PublicText),
    entry!("decide_hearing_suggestion", hearing_suggestion::decide_hearing_suggestion, hearing_suggestion::DecisionIn),
    entry!("select_expert", experts::select_expert, experts::SelectIn),
    entry!("submit_expert_opinion", experts::submit_expert_opinion, experts::OpinionIn),
    entry!("record_expert_adoption_summary", experts::record_expert_adoption_summary, experts::SummaryIn),
    entry!("submit_risk_report", experts::submit_risk_report, experts::RiskIn),
    entry!("judge_controllability", experts::judge_controllability, experts::JudgementIn),
    entry!("submit_for_legality_review", legality::submit_for_legality_review, legality::SubmissionIn),
    entry!("record_review_receipt", legality::record_review_receipt, legality::ReceiptIn),
    entry!("record_lawyer_opinion", legality::record_lawyer_opinion, legality::LawyerIn),
    entry!("issue_legality_opinion", legality::issue_legality_opinion, legality::OpinionIn),
    entry!("record_fair_competition", legality::record_fair_competition, legality::FairCompetitionIn),
    entry!("submit_package", legality::submit_package, Empty),
    entry!("convene_meeting", meeting::convene_meeting, meeting::ConveneIn),
    entry!("record_stance", meeting::record_stance, meeting::StanceIn),
    entry!("record_chief_opinion", meeting::record_chief_opinion, meeting::ChiefIn),
    entry!("close_meeting", meeting::close_meeting, Empty),
    entry!("send_back", meeting::send_back, meeting::SendBackIn),
    entry!("confirm_risk_unaffected", binding::confirm_risk_unaffected, binding::RiskUnaffectedIn),
    entry!("record_superseded", binding::record_superseded, binding::SupersededIn),
    entry!("decide", meeting::decide, Empty),
    entry!("designate_executing_unit", release::designate_executing_unit, release::UnitIn),
    entry!("record_npc_report", release::record_npc_report, release::ReferenceIn),
    entry!("report_to_party", release::report_to_party, release::ReferenceIn),
    entry!("record_party_response", release::record_party_response, release::ResponseIn),
    entry!("publish_decision", release::publish_decision, release::PublishIn),
    entry!("file_execution_report", execution::file_execution_report, execution::ReportIn),
    entry!("suspend", execution::suspend, execution::SuspendIn),
    entry!("start_post_evaluation", execution::start_post_evaluation, execution::EvaluationIn),
    entry!("submit_post_evaluation_report", execution::submit_post_evaluation_report, execution::EvaluationReportIn),
    entry!("archive_decision", execution::archive_decision, execution::ArchiveIn),
    entry!("return_submission", legality::return_submission, legality::ReturnIn),
    entry!("confirm_opinion_unaffected", legality::confirm_opinion_unaffected, legality::UnaffectedIn),
    entry!("request_supplement", legality::request_supplement, legality::ReturnIn),
    entry!("declare_expert_conflict", experts::declare_expert_conflict, experts::ConflictIn),
    entry!("acknowledge_confidentiality", experts::acknowledge_confidentiality, experts::AckIn),
    entry!("declare_no_direct_interest", experts::declare_no_direct_interest, experts::AckIn),
    entry!("submit_feedback", execution::submit_feedback, PublicText),
    entry!("record_adjustment", execution::record_adjustment, execution::AdjustmentIn),
    entry!("record_origin", execution::record_origin, execution::OriginIn),
    entry!("run_execution", execution::run_execution, Empty),
    entry!("end_execution", execution::end_execution, Empty),
    entry!("open_accountability_case", accountability::open_accountability_case, accountability::OpenCaseIn),
    entry!(
        "conclude_accountability_case",
        accountability::conclude_accountability_case,
        accountability::ConcludeCaseIn
    ),
    entry!("create_pool", pool::create_pool, pool::CreateIn),
    entry!("admit_expert", pool::admit_expert, pool::AdmitIn),
    entry!("set_expert_status", pool::set_expert_status, pool::StatusIn),
    entry!("record_integrity_fact", pool::record_integrity_fact, pool::FactIn),
    entry!("record_non_submission", pool::record_non_submission, pool::NonSubmissionIn),
    entry!("set_expert_due", experts::set_expert_due, experts::DueIn),
    entry!("draw_experts", pool::draw_experts, pool::DrawIn),
    entry!("create_catalogue", catalogue::create_catalogue, catalogue::CreateIn),
    entry!("record_party_consent", catalogue::record_party_consent, catalogue::ConsentIn),
    entry!("publish_catalogue", catalogue::publish_catalogue, catalogue::PublishIn),
    entry!("adjust_catalogue", catalogue::adjust_catalogue, catalogue::AdjustIn),
    entry!("record_item_taken_up", catalogue::record_item_taken_up, catalogue::ItemIn),
    entry!("record_item_decided", catalogue::record_item_decided, catalogue::ItemIn),
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
