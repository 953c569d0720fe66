//! The archive of a closed decision and its manifest (Art. 33, D33).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::definition::StageKind;
use crate::procedure::facts::Facts;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Archive {
    pub archivist: String,
    pub items: Vec<String>,
    pub archived_at: DateTime<Utc>,
}

impl Facts {
    /// The archive manifest (Art. 33, D33): each item a closed decision's file must hold, given which stages
    /// applied, with whether the facts hold it. The archiving act lists it; the archive gate checks it.
    pub fn archive_manifest(&self) -> Vec<(String, bool)> {
        let f = self;
        let applies = |k: StageKind| f.is_applicable(k.as_str());
        let mut items = vec![
            ("D1 决策事项建议".to_string(), f.proposal.is_some()),
            ("D2 启动决定".to_string(), f.start.is_some()),
            ("D4 决策草案".to_string(), !f.drafts.is_empty()),
        ];
        if applies(StageKind::PublicParticipation) {
            items.push(("D7 意见采纳情况".into(), f.public_adoption_summary.is_some()));
        }
        if f.hearing.is_some() {
            let h = f.hearing.as_ref();
            items.push((
                "D12 听证会记录".into(),
                h.is_some_and(|h| h.participants.iter().all(|p| p.signed || p.refusal_reason.is_some())),
            ));
        }
        if applies(StageKind::ExpertConsultation) && !f.experts.is_empty() {
            items.push(("D15 专家论证意见".into(), f.experts.iter().any(|e| e.opinion.is_some())));
        }
        if applies(StageKind::RiskAssessment) {
            items.push(("D16 风险评估报告".into(), f.risk_report.is_some()));
        }
        items.push(("D20 合法性审查意见书".into(), f.legality_opinion.is_some()));
        items.push(("D24 会议纪要".into(), f.meeting.as_ref().is_some_and(|m| m.closed_at.is_some())));
        items.push(("D25 决定".into(), f.outcome.is_some()));
        items.push(("D26 向党委请示报告".into(), f.party_report.is_some()));
        items.push(("D28 决策公布".into(), f.publication.is_some()));
        items
    }
}
