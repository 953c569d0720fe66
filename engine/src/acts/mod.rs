//! Act handlers: each reads its act's payload into a typed struct (unknown
//! fields refused) and records it in the facts. Legal checks live in gates
//! (`crate::gates`), so that each carries its reason code and article in
//! the definition; a handler refuses only input it cannot read.

mod catalogue;
mod drafting;
mod execution;
mod experts;
mod hearing_suggestion;
mod initiation;
mod legality;
mod pool;

pub use pool::draw;
mod meeting;
mod participation;
mod planned;
mod release;
mod shortening;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use crate::actor::Actor;
use crate::calendar::WorkCalendar;
use crate::definition::Parameters;
use crate::facts::Facts;
use crate::refusal::Reason;

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

    /// Take `act` on the record `decision_id` in this act's transaction (see [`crate::effect::Effect::Link`]).
    pub fn link(&mut self, decision_id: &str, act: crate::act::Act) {
        self.notices.push(crate::effect::Effect::Link { decision_id: decision_id.to_string(), act });
    }

    /// The payload as `T`, or an `invalid_payload` refusal saying why.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Reason> {
        serde_json::from_value(self.payload.clone()).map_err(|e| {
            Reason::new("invalid_payload", self.article, "提交的数据不完整或格式错误", "the act's data is malformed")
                .with_detail(e.to_string())
        })
    }

    pub fn invalid(&self, detail: impl Into<String>) -> Reason {
        Reason::new("invalid_payload", self.article, "提交的数据不完整或格式错误", "the act's data is malformed")
            .with_detail(detail)
    }

    /// "name (unit, position)" for records that name who did something.
    pub fn who(&self) -> String {
        format!("{}（{}，{}）", self.actor.name, self.actor.unit, self.actor.position)
    }

    pub fn current_draft_hash(&self) -> Result<String, Reason> {
        self.facts
            .current_draft_hash()
            .map(str::to_string)
            .ok_or_else(|| Reason::new("draft_required", "Art. 12", "尚无决策草案", "there is no draft yet"))
    }
}

/// Acts that only move the decision (the gates and the definition say when).
fn advance(ctx: &mut HandlerCtx<'_>) -> Result<(), Reason> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Empty {}
    ctx.parse::<Empty>().map(|_| ())
}

const HANDLERS: &[(&str, Handler)] = &[
    ("advance", advance),
    ("skip_stage", advance),
    ("submit_proposal", initiation::submit_proposal),
    ("start_decision", initiation::start_decision),
    ("decline_proposal", initiation::decline_proposal),
    ("record_draft", drafting::record_draft),
    ("set_flags", drafting::set_flags),
    ("determine_applicability", drafting::determine_applicability),
    ("record_consultation", drafting::record_consultation),
    ("record_dispute_statement", drafting::record_dispute_statement),
    ("declare_non_disclosable", drafting::declare_non_disclosable),
    ("record_cost_benefit", drafting::record_cost_benefit),
    ("publish_comment_notice", participation::publish_comment_notice),
    ("shorten_comment_period", shortening::shorten_comment_period),
    ("record_activity", participation::record_activity),
    ("receive_comment", participation::receive_comment),
    ("end_comment_period", participation::end_comment_period),
    ("dispose_opinion", participation::dispose_opinion),
    ("record_public_adoption_summary", participation::record_public_adoption_summary),
    ("publish_hearing_notice", participation::publish_hearing_notice),
    ("add_hearing_participant", participation::add_hearing_participant),
    ("confirm_hearing_record", participation::confirm_hearing_record),
    ("publish_hearing_selection_method", participation::publish_hearing_selection_method),
    ("publish_hearing_participant_list", participation::publish_hearing_participant_list),
    ("record_hearing_segments", participation::record_hearing_segments),
    ("suggest_hearing", hearing_suggestion::suggest_hearing),
    ("decide_hearing_suggestion", hearing_suggestion::decide_hearing_suggestion),
    ("select_expert", experts::select_expert),
    ("submit_expert_opinion", experts::submit_expert_opinion),
    ("record_expert_adoption_summary", experts::record_expert_adoption_summary),
    ("submit_risk_report", experts::submit_risk_report),
    ("judge_controllability", experts::judge_controllability),
    ("submit_for_legality_review", legality::submit_for_legality_review),
    ("record_lawyer_opinion", legality::record_lawyer_opinion),
    ("issue_legality_opinion", legality::issue_legality_opinion),
    ("record_fair_competition", legality::record_fair_competition),
    ("submit_package", legality::submit_package),
    ("convene_meeting", meeting::convene_meeting),
    ("record_stance", meeting::record_stance),
    ("record_chief_opinion", meeting::record_chief_opinion),
    ("close_meeting", meeting::close_meeting),
    ("decide", meeting::decide),
    ("designate_executing_unit", release::designate_executing_unit),
    ("record_npc_report", release::record_npc_report),
    ("report_to_party", release::report_to_party),
    ("record_party_response", release::record_party_response),
    ("publish_decision", release::publish_decision),
    ("file_execution_report", execution::file_execution_report),
    ("suspend", execution::suspend),
    ("start_post_evaluation", execution::start_post_evaluation),
    ("submit_post_evaluation_report", execution::submit_post_evaluation_report),
    ("archive_decision", execution::archive_decision),
    ("return_submission", legality::return_submission),
    ("confirm_opinion_unaffected", legality::confirm_opinion_unaffected),
    ("request_supplement", legality::request_supplement),
    ("declare_expert_conflict", experts::declare_expert_conflict),
    ("acknowledge_confidentiality", experts::acknowledge_confidentiality),
    ("submit_feedback", execution::submit_feedback),
    ("record_adjustment", execution::record_adjustment),
    ("record_origin", execution::record_origin),
    ("run_execution", execution::run_execution),
    ("end_execution", execution::end_execution),
    ("create_pool", pool::create_pool),
    ("admit_expert", pool::admit_expert),
    ("set_expert_status", pool::set_expert_status),
    ("record_integrity_fact", pool::record_integrity_fact),
    ("record_non_submission", pool::record_non_submission),
    ("set_expert_due", experts::set_expert_due),
    ("draw_experts", pool::draw_experts),
    ("create_catalogue", catalogue::create_catalogue),
    ("record_party_consent", catalogue::record_party_consent),
    ("publish_catalogue", catalogue::publish_catalogue),
    ("adjust_catalogue", catalogue::adjust_catalogue),
    ("record_item_taken_up", catalogue::record_item_taken_up),
    ("record_item_decided", catalogue::record_item_decided),
];

pub fn lookup(name: &str) -> Option<Handler> {
    HANDLERS.iter().find(|(n, _)| *n == name).map(|(_, h)| *h)
}

pub fn is_known(name: &str) -> bool {
    lookup(name).is_some()
}

/// Reject blank required text: a record with an empty reason is no record.
pub(crate) fn non_blank(ctx: &HandlerCtx<'_>, field: &str, value: &str) -> Result<(), Reason> {
    if value.trim().is_empty() {
        Err(ctx.invalid(format!("`{field}` must not be empty")))
    } else {
        Ok(())
    }
}

/// What the public sends (a comment, feedback, a hearing suggestion): the
/// text, at most [`PUBLIC_TEXT_MAX`] characters, and who sent it, if they said.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublicText {
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
            return Err(ctx.invalid(format!("`content` is limited to {PUBLIC_TEXT_MAX} characters")));
        }
        Ok(PublicText { content: t.content, submitter: t.submitter.filter(|s| !s.trim().is_empty()) })
    }
}
