//! Gates: named checks an act must pass. The definition attaches a gate to
//! an act and gives it its `reason_code`, article and messages; the check
//! itself is code, looked up by name here. A check sees the facts before
//! and after the act (the act's handler has run on a copy), the payload,
//! the actor and the time, and returns the specifics of a failure. The same
//! checks back warnings (`crate::warning`): a failure is then recorded, not refused.

mod accountability;
mod adjustment;
pub mod applicability;
pub mod archive;
mod binding;
mod catalogue;
mod hearing_suggestion;
mod initiation;
mod meeting;
mod meeting_order;
mod participation;
mod pool;
mod review;

use chrono::{DateTime, Utc};

use crate::actor::Actor;
use crate::calendar::WorkCalendar;
use crate::definition::{Gate, Parameters, Workflow};
use crate::facts::Facts;
use crate::refusal::{Detail, Reason};

pub struct GateCtx<'a> {
    pub before: &'a Facts,
    pub after: &'a Facts,
    pub payload: &'a serde_json::Value,
    pub actor: &'a Actor,
    pub now: DateTime<Utc>,
    pub params: &'a Parameters,
    pub calendar: &'a WorkCalendar,
    pub workflow: &'a Workflow,
    pub pools: &'a [(String, crate::facts::ExpertPool)],
    /// The decision's opinions, read before the step (see [`crate::ledger::Standing`]).
    pub ledger: &'a crate::ledger::Standing,
    /// The position in the record the act will take (the acts before it are 1 … seq-1).
    pub seq: i64,
}

impl GateCtx<'_> {
    pub fn str(&self, field: &str) -> Option<&str> {
        self.payload.get(field).and_then(|v| v.as_str()).map(str::trim).filter(|s| !s.is_empty())
    }

    /// Whether a conditional stage applies (not determined otherwise).
    pub fn applies(&self, kind: &str) -> bool {
        self.after.is_applicable(kind) || self.params.always_applicable.contains(kind)
    }
}

/// `Err(detail)` when the check fails; the detail says what exactly is wrong, in both languages.
pub type Check = fn(&GateCtx<'_>) -> Result<(), Detail>;

/// Fail with `detail` unless `ok`.
pub(crate) fn ensure(ok: bool, detail: impl FnOnce() -> Detail) -> Result<(), Detail> {
    if ok {
        Ok(())
    } else {
        Err(detail())
    }
}

const CHECKS: &[(&str, Check)] = &[
    ("accountability_case_complete", accountability::accountability_case_complete),
    ("accountability_acts_recorded", accountability::accountability_acts_recorded),
    ("accountability_case_open", accountability::accountability_case_open),
    ("accountability_conclusion_reasoned", accountability::accountability_conclusion_reasoned),
    ("proposal_fields", initiation::proposal_fields),
    ("category_given", initiation::category_given),
    ("not_excluded", initiation::not_excluded),
    ("undertaking_unit_given", initiation::undertaking_unit_given),
    ("lead_unit_designated", initiation::lead_unit_designated),
    ("catalogue_item_given", initiation::catalogue_item_given),
    ("draft_recorded", initiation::draft_recorded),
    ("legal_basis_non_empty", initiation::legal_basis_non_empty),
    ("determination_reasoned", initiation::determination_reasoned),
    ("determination_not_forced", initiation::determination_not_forced),
    ("technical_matter_needs_experts", initiation::technical_matter_needs_experts),
    ("non_disclosure_ground", initiation::non_disclosure_ground),
    ("cost_benefit_recorded", initiation::cost_benefit_recorded),
    ("hearing_not_begun", applicability::hearing_not_begun),
    ("experts_not_begun", applicability::experts_not_begun),
    ("risk_assessment_not_begun", applicability::risk_assessment_not_begun),
    ("cost_benefit_not_begun", applicability::cost_benefit_not_begun),
    ("participation_not_determined_away", applicability::participation_not_determined_away),
    ("flagged_participation_kept", applicability::flagged_participation_kept),
    ("already_done_only_risk", applicability::already_done_only_risk),
    ("determination_first", applicability::determination_first),
    ("dispute_explained", initiation::dispute_explained),
    ("options_for_major_disagreement", initiation::options_for_major_disagreement),
    ("comment_period_min", participation::comment_period_min),
    ("comment_notice_fields", participation::comment_notice_fields),
    ("comment_shortening_approved", participation::comment_shortening_approved),
    ("comment_start_not_backdated", participation::comment_start_not_backdated),
    ("comment_period_ended", participation::comment_period_ended),
    ("comment_period_open", participation::comment_period_open),
    ("comment_period_not_closed", participation::comment_period_not_closed),
    ("notice_not_shortened_late", participation::notice_not_shortened_late),
    ("late_shortening_cured", participation::late_shortening_cured),
    ("participation_activity", participation::participation_activity),
    ("opinions_disposed", participation::opinions_disposed),
    ("disposition_reason", participation::disposition_reason),
    ("specific_group_consulted", participation::specific_group_consulted),
    ("hearing_notice_on_time", participation::hearing_notice_on_time),
    ("hearing_sides_represented", participation::hearing_sides_represented),
    ("hearing_materials_on_time", participation::hearing_materials_on_time),
    ("hearing_record_confirmed", participation::hearing_record_confirmed),
    ("hearing_selection_method_published", participation::hearing_selection_method_published),
    ("hearing_list_before_hearing", participation::hearing_list_before_hearing),
    ("hearing_record_segments", participation::hearing_record_segments),
    ("hearing_day_reached", participation::hearing_day_reached),
    ("hearing_list_open", participation::hearing_list_open),
    ("matter_disclosable", hearing_suggestion::matter_disclosable),
    ("hearing_suggestion_undecided", hearing_suggestion::hearing_suggestion_undecided),
    ("hearing_suggestions_decided", hearing_suggestion::hearing_suggestions_decided),
    ("no_hearing_promised", hearing_suggestion::no_hearing_promised),
    ("expert_no_conflict", review::expert_no_conflict),
    ("expert_signed", review::expert_signed),
    ("expert_sealed", review::expert_sealed),
    ("expert_opinions_complete", review::expert_opinions_complete),
    ("expert_panel_composition", review::expert_panel_composition),
    ("expert_adoption_recorded", review::expert_adoption_recorded),
    ("risk_report_sections", review::risk_report_sections),
    ("risk_report_present", review::risk_report_present),
    ("risk_controllable", review::risk_controllable),
    ("submission_procedure_explained", review::submission_procedure_explained),
    ("submission_legal_basis", review::submission_legal_basis),
    ("review_time_floor", review::review_time_floor),
    ("review_time_from_receipt", review::review_time_from_receipt),
    ("shortened_review_acknowledged", review::shortened_review_acknowledged),
    ("submission_for_current_draft", review::submission_for_current_draft),
    ("lawyer_opinion_present", review::lawyer_opinion_present),
    ("legality_findings_complete", review::legality_findings_complete),
    ("exploratory_statement", review::exploratory_statement),
    ("legality_opinion_present", review::legality_opinion_present),
    ("legality_not_unlawful", review::legality_not_unlawful),
    ("legality_opinion_current", review::legality_opinion_current),
    ("package_public_adoption", review::package_public_adoption),
    ("package_risk_report", review::package_risk_report),
    ("package_fair_competition", review::package_fair_competition),
    ("fair_competition_passed", review::fair_competition_passed),
    ("meeting_type_lawful", meeting::meeting_type_lawful),
    ("meeting_open", meeting::meeting_open),
    ("meeting_not_held", meeting_order::meeting_not_held),
    ("meeting_date_in_order", meeting_order::meeting_date_in_order),
    ("meeting_in_session", meeting_order::meeting_in_session),
    ("meeting_date_reached", meeting_order::meeting_date_reached),
    ("minutes_recorded", meeting_order::minutes_recorded),
    ("risk_work_current", binding::risk_work_current),
    ("changed_only_by_procedure", binding::changed_only_by_procedure),
    ("evaluation_report_submitted", binding::evaluation_report_submitted),
    ("member_on_roster", meeting::member_on_roster),
    ("stance_is_own", meeting::stance_is_own),
    ("chief_not_yet_spoken", meeting::chief_not_yet_spoken),
    ("unheard_members_confirmed", meeting::unheard_members_confirmed),
    ("all_members_heard", meeting::all_members_heard),
    ("divergence_explained", meeting::divergence_explained),
    ("chief_adopted", meeting::chief_adopted),
    ("party_report_answered", meeting::party_report_answered),
    ("npc_report_made", meeting::npc_report_made),
    ("executing_unit_designated", meeting::executing_unit_designated),
    ("publication_channels", meeting::publication_channels),
    ("publication_adoption_explanation", meeting::publication_adoption_explanation),
    ("withheld_release_private", meeting::withheld_release_private),
    ("publicly_published", meeting::publicly_published),
    ("suspension_report_linked", meeting::suspension_report_linked),
    ("suspension_urgency", meeting::suspension_urgency),
    ("evaluator_independent", meeting::evaluator_independent),
    ("archive_complete", archive::archive_complete),
    ("confidentiality_acknowledged", review::confidentiality_acknowledged),
    ("interest_declared", review::interest_declared),
    ("evaluation_report_sections", meeting::evaluation_report_sections),
    ("expert_eligible", pool::expert_eligible),
    ("draw_fills_panel", pool::draw_fills_panel),
    ("catalogue_item_expert_from_pool", pool::catalogue_item_expert_from_pool),
    ("catalogue_consented", catalogue::catalogue_consented),
    ("consent_names_current_version", catalogue::consent_names_current_version),
    ("evaluation_reported", adjustment::evaluation_reported),
    ("evaluation_recommends_change", adjustment::evaluation_recommends_change),
    ("catalogue_lists_item", catalogue::catalogue_lists_item),
    ("draw_seed_not_chosen", pool::draw_seed_not_chosen),
    ("expert_pool_found", pool::expert_pool_found),
    ("hearing_notice_published", participation::hearing_notice_published),
    ("meeting_convened", meeting::meeting_convened),
];

/// Checks that read only the decision as it stands and the payload, run before the act's handler: the handler
/// relies on what they establish (a draft to bind to, a published hearing, a convened meeting, a pool to draw
/// from), so a failure refuses the act before anything is recorded, with the gate's reason.
const PRECONDITIONS: &[&str] =
    &["draft_recorded", "draw_seed_not_chosen", "expert_pool_found", "hearing_notice_published", "meeting_convened"];

/// Whether the check `name` runs before the handler (see [`PRECONDITIONS`]).
pub fn is_precondition(name: &str) -> bool {
    PRECONDITIONS.contains(&name)
}

pub fn lookup(name: &str) -> Option<Check> {
    CHECKS.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

pub fn is_known(name: &str) -> bool {
    lookup(name).is_some()
}

/// Every check name, for documentation and tests.
pub fn names() -> impl Iterator<Item = &'static str> {
    CHECKS.iter().map(|(n, _)| *n)
}

/// Run a gate; a failure becomes the gate's reason with the check's detail.
pub fn evaluate(gate: &Gate, ctx: &GateCtx<'_>) -> Result<(), Reason> {
    let Some(check) = lookup(&gate.check) else {
        let unknown = Detail::new(format!("未知的检查 `{}`", gate.check), format!("unknown check `{}`", gate.check));
        return Err(Reason::new(&gate.reason_code, &gate.article, &gate.zh, &gate.en).with_detail(unknown));
    };
    check(ctx).map_err(|detail| Reason::new(&gate.reason_code, &gate.article, &gate.zh, &gate.en).with_detail(detail))
}
