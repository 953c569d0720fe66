//! Gates: named checks an act must pass. The definition attaches a gate to
//! an act and gives it its `reason_code`, article and messages; the check
//! itself is code, looked up by name here. A check sees the facts before
//! and after the act (the act's handler has run on a copy), the payload,
//! the actor and the time, and returns the specifics of a failure. The same
//! checks back warnings (`crate::warning`): a failure is then recorded, not refused.
//! Each phase's checks are in its `gates.rs`; this is what they share and
//! the registry.

use chrono::{DateTime, Utc};

use crate::actor::Actor;
use crate::calendar::WorkCalendar;
use crate::definition::{Gate, Parameters, Workflow};
use crate::procedure::facts::Facts;
use crate::refusal::{Detail, Reason};

// The phases, whose checks the registry below names.
use super::*;

pub struct GateCtx<'a> {
    pub before: &'a Facts,
    pub after: &'a Facts,
    pub payload: &'a serde_json::Value,
    pub actor: &'a Actor,
    pub now: DateTime<Utc>,
    pub params: &'a Parameters,
    pub calendar: &'a WorkCalendar,
    pub workflow: &'a Workflow,
    pub pools: &'a [(String, crate::procedure::facts::ExpertPool)],
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
    ("accountability_case_complete", responsibility::gates::accountability_case_complete),
    ("accountability_acts_recorded", responsibility::gates::accountability_acts_recorded),
    ("accountability_case_open", responsibility::gates::accountability_case_open),
    ("accountability_conclusion_reasoned", responsibility::gates::accountability_conclusion_reasoned),
    ("proposal_fields", initiation::gates::proposal_fields),
    ("category_given", initiation::gates::category_given),
    ("not_excluded", initiation::gates::not_excluded),
    ("undertaking_unit_given", initiation::gates::undertaking_unit_given),
    ("lead_unit_designated", initiation::gates::lead_unit_designated),
    ("catalogue_item_given", initiation::gates::catalogue_item_given),
    ("draft_recorded", drafting::gates::draft_recorded),
    ("legal_basis_non_empty", drafting::gates::legal_basis_non_empty),
    ("determination_reasoned", drafting::gates::determination_reasoned),
    ("determination_not_forced", drafting::gates::determination_not_forced),
    ("technical_matter_needs_experts", drafting::gates::technical_matter_needs_experts),
    ("non_disclosure_ground", drafting::gates::non_disclosure_ground),
    ("cost_benefit_recorded", drafting::gates::cost_benefit_recorded),
    ("hearing_not_begun", drafting::applicability::hearing_not_begun),
    ("experts_not_begun", drafting::applicability::experts_not_begun),
    ("risk_assessment_not_begun", drafting::applicability::risk_assessment_not_begun),
    ("cost_benefit_not_begun", drafting::applicability::cost_benefit_not_begun),
    ("participation_not_determined_away", drafting::applicability::participation_not_determined_away),
    ("flagged_participation_kept", drafting::applicability::flagged_participation_kept),
    ("already_done_only_risk", drafting::applicability::already_done_only_risk),
    ("determination_first", drafting::applicability::determination_first),
    ("dispute_explained", drafting::gates::dispute_explained),
    ("options_for_major_disagreement", drafting::gates::options_for_major_disagreement),
    ("comment_period_min", participation::gates::comment_period_min),
    ("comment_notice_fields", participation::gates::comment_notice_fields),
    ("comment_shortening_approved", participation::gates::comment_shortening_approved),
    ("comment_start_not_backdated", participation::gates::comment_start_not_backdated),
    ("comment_period_ended", participation::gates::comment_period_ended),
    ("comment_period_open", participation::gates::comment_period_open),
    ("comment_period_not_closed", participation::gates::comment_period_not_closed),
    ("notice_not_shortened_late", participation::gates::notice_not_shortened_late),
    ("late_shortening_cured", participation::gates::late_shortening_cured),
    ("participation_activity", participation::gates::participation_activity),
    ("opinions_disposed", participation::gates::opinions_disposed),
    ("disposition_reason", participation::gates::disposition_reason),
    ("specific_group_consulted", participation::gates::specific_group_consulted),
    ("hearing_notice_on_time", participation::gates::hearing_notice_on_time),
    ("hearing_sides_represented", participation::gates::hearing_sides_represented),
    ("hearing_materials_on_time", participation::gates::hearing_materials_on_time),
    ("hearing_record_confirmed", participation::gates::hearing_record_confirmed),
    ("hearing_selection_method_published", participation::gates::hearing_selection_method_published),
    ("hearing_list_before_hearing", participation::gates::hearing_list_before_hearing),
    ("hearing_record_segments", participation::gates::hearing_record_segments),
    ("hearing_day_reached", participation::gates::hearing_day_reached),
    ("hearing_list_open", participation::gates::hearing_list_open),
    ("matter_disclosable", participation::gates::matter_disclosable),
    ("hearing_suggestion_undecided", participation::gates::hearing_suggestion_undecided),
    ("hearing_suggestions_decided", participation::gates::hearing_suggestions_decided),
    ("no_hearing_promised", participation::gates::no_hearing_promised),
    ("expert_no_conflict", experts::gates::expert_no_conflict),
    ("expert_signed", experts::gates::expert_signed),
    ("expert_sealed", experts::gates::expert_sealed),
    ("expert_opinions_complete", experts::gates::expert_opinions_complete),
    ("expert_panel_composition", experts::gates::expert_panel_composition),
    ("expert_adoption_recorded", experts::gates::expert_adoption_recorded),
    ("risk_report_sections", risk::gates::risk_report_sections),
    ("risk_report_present", risk::gates::risk_report_present),
    ("risk_controllable", risk::gates::risk_controllable),
    ("submission_procedure_explained", legality::gates::submission_procedure_explained),
    ("submission_legal_basis", legality::gates::submission_legal_basis),
    ("review_time_floor", legality::gates::review_time_floor),
    ("review_time_from_receipt", legality::gates::review_time_from_receipt),
    ("shortened_review_acknowledged", legality::gates::shortened_review_acknowledged),
    ("submission_for_current_draft", legality::gates::submission_for_current_draft),
    ("lawyer_opinion_present", legality::gates::lawyer_opinion_present),
    ("legality_findings_complete", legality::gates::legality_findings_complete),
    ("exploratory_statement", legality::gates::exploratory_statement),
    ("legality_opinion_present", legality::gates::legality_opinion_present),
    ("legality_not_unlawful", legality::gates::legality_not_unlawful),
    ("legality_opinion_current", legality::gates::legality_opinion_current),
    ("package_public_adoption", legality::gates::package_public_adoption),
    ("package_risk_report", legality::gates::package_risk_report),
    ("package_fair_competition", legality::gates::package_fair_competition),
    ("fair_competition_passed", legality::gates::fair_competition_passed),
    ("meeting_type_lawful", meeting::gates::meeting_type_lawful),
    ("meeting_open", meeting::gates::meeting_open),
    ("meeting_not_held", meeting::order::meeting_not_held),
    ("meeting_date_in_order", meeting::order::meeting_date_in_order),
    ("meeting_in_session", meeting::order::meeting_in_session),
    ("meeting_date_reached", meeting::order::meeting_date_reached),
    ("minutes_recorded", meeting::order::minutes_recorded),
    ("risk_work_current", risk::gates::risk_work_current),
    ("changed_only_by_procedure", execution::gates::changed_only_by_procedure),
    ("evaluation_report_submitted", execution::gates::evaluation_report_submitted),
    ("member_on_roster", meeting::gates::member_on_roster),
    ("stance_is_own", meeting::gates::stance_is_own),
    ("chief_not_yet_spoken", meeting::gates::chief_not_yet_spoken),
    ("unheard_members_confirmed", meeting::gates::unheard_members_confirmed),
    ("all_members_heard", meeting::gates::all_members_heard),
    ("divergence_explained", meeting::gates::divergence_explained),
    ("chief_adopted", meeting::gates::chief_adopted),
    ("party_report_answered", release::gates::party_report_answered),
    ("npc_report_made", release::gates::npc_report_made),
    ("executing_unit_designated", release::gates::executing_unit_designated),
    ("publication_channels", release::gates::publication_channels),
    ("publication_adoption_explanation", release::gates::publication_adoption_explanation),
    ("withheld_release_private", release::gates::withheld_release_private),
    ("publicly_published", release::gates::publicly_published),
    ("suspension_report_linked", execution::gates::suspension_report_linked),
    ("suspension_urgency", execution::gates::suspension_urgency),
    ("evaluator_independent", execution::gates::evaluator_independent),
    ("archive_complete", archive::gates::archive_complete),
    ("confidentiality_acknowledged", experts::gates::confidentiality_acknowledged),
    ("interest_declared", experts::gates::interest_declared),
    ("evaluation_report_sections", execution::gates::evaluation_report_sections),
    ("expert_eligible", experts::gates::expert_eligible),
    ("draw_fills_panel", experts::gates::draw_fills_panel),
    ("catalogue_item_expert_from_pool", experts::gates::catalogue_item_expert_from_pool),
    ("catalogue_consented", catalogue::gates::catalogue_consented),
    ("consent_names_current_version", catalogue::gates::consent_names_current_version),
    ("evaluation_reported", execution::gates::evaluation_reported),
    ("evaluation_recommends_change", execution::gates::evaluation_recommends_change),
    ("catalogue_lists_item", catalogue::gates::catalogue_lists_item),
    ("draw_seed_not_chosen", experts::gates::draw_seed_not_chosen),
    ("expert_pool_found", experts::gates::expert_pool_found),
    ("hearing_notice_published", participation::gates::hearing_notice_published),
    ("meeting_convened", meeting::gates::meeting_convened),
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
