//! What a full reader of a decision still may not see: the one rule every
//! read of a decision goes through (state, lists, record, memos, dossier).
//!
//! An expert on the decision's panel
//! * sees no other expert's opinion, nor the adoption summary that reports
//!   on them, until they have submitted their own (Art. 19: opinions are
//!   independent);
//! * sees no material at all — no draft text, no record payload, no memo —
//!   until they have given their confidentiality undertaking (Art. 19(2)).
//!
//! A responsibility-tracing case (Arts. 38–41) names people and the acts
//! they are traced for: only oversight, the decision organ's general office
//! and administrators read it. Everyone else who reads the decision — the
//! drafters, experts, members, the executing unit — sees neither the cases
//! in the facts nor the payloads of the acts that open and conclude them.
//!
//! The veil follows the person, not the role they read with: an expert who
//! also holds another role is still an expert of this decision. Structural
//! redaction (known fields, known acts) comes first; a content check backs
//! it, so a template or act that copies sealed text elsewhere is caught too.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::actor::{Actor, Role};
use crate::audit::AuditRecord;
use crate::decision::Decision;
use crate::procedure::facts::Facts;
use crate::refusal::{Reason, Refusal};
use crate::store::StoredMemo;

/// Why part of what a reader asked for is not shown to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Withheld {
    /// `expert_opinion_sealed` or `confidentiality_undertaking_required`.
    pub reason_code: String,
    pub article: String,
    pub message_zh: String,
    pub message_en: String,
}

impl Withheld {
    fn sealed() -> Withheld {
        Withheld {
            reason_code: "expert_opinion_sealed".into(),
            article: "Art. 19".into(),
            message_zh: "提交本人论证意见前，不能查阅其他专家的论证意见".into(),
            message_en: "other experts' opinions stay sealed until you have submitted your own".into(),
        }
    }

    fn case_file() -> Withheld {
        Withheld {
            reason_code: "accountability_case_restricted".into(),
            article: "Art. 38".into(),
            message_zh: "责任追究案卷仅限监督机关、决策机关办公厅查阅".into(),
            message_en: "responsibility-tracing cases are open only to oversight and the general office".into(),
        }
    }

    fn undertaking() -> Withheld {
        Withheld {
            reason_code: "confidentiality_undertaking_required".into(),
            article: "Art. 19(2)".into(),
            message_zh: "作出保密承诺前，不能查阅决策草案等论证材料".into(),
            message_en: "the draft and other materials open only after your confidentiality undertaking".into(),
        }
    }

    fn sender() -> Withheld {
        Withheld {
            reason_code: "opinion_sender_restricted".into(),
            article: "Art. 14; 个人信息保护法 Art. 6".into(),
            message_zh: "公众意见提出人的姓名和联系方式仅限承办单位和监督机关查阅".into(),
            message_en: "who sent an opinion, and how to reach them, is for the drafters and oversight only".into(),
        }
    }

    /// The refusal for something withheld as a whole (a memo, a dossier).
    pub fn refusal(&self, detail: crate::refusal::Detail) -> Refusal {
        let r = Reason::new(&self.reason_code, &self.article, &self.message_zh, &self.message_en);
        Refusal::one(r.with_detail(detail))
    }
}

/// A record of the chain as one reader sees it: the record, its payload
/// replaced by `null` when withheld. The hashes stay, so the chain still
/// verifies link by link; `withheld` says why the payload is not there.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordView {
    #[serde(flatten)]
    pub record: AuditRecord,
    pub withheld: Option<Withheld>,
}

/// Sealed texts shorter than this (in letters and digits) are redacted only
/// where they are known to be: a two-character opinion such as 同意 would
/// otherwise withhold every memo that happens to use the word.
const MIN_SECRET: usize = 6;

/// The acts whose payloads make up a responsibility-tracing case file.
const CASE_ACTS: [&str; 2] = ["open_accountability_case", "conclude_accountability_case"];

/// The roles that read responsibility-tracing cases.
const CASE_READERS: [Role; 3] = [Role::Oversight, Role::GeneralOffice, Role::Administrator];

/// What one reader may not see of one decision. Empty for oversight, the
/// general office and administrators; for an expert on its panel, their
/// veil; for every other reader, the case files if there are any.
#[derive(Debug, Clone, Default)]
pub struct Veil {
    reader: String,
    /// Experts whose opinions are sealed from this reader.
    sealed: BTreeSet<String>,
    /// The adoption summary (it reports on the opinions) is sealed too.
    summary_sealed: bool,
    /// No confidentiality undertaking yet: no materials at all.
    before_undertaking: bool,
    /// Sealed texts, normalized, for the content check.
    secrets: Vec<String>,
    /// The decision has responsibility-tracing cases this reader may not read.
    cases_closed: bool,
    /// This reader may not see who sent an opinion (drafters and oversight may: `queries::opinions`).
    senders_hidden: bool,
}

impl Veil {
    pub fn for_reader(d: &Decision, actor: &Actor) -> Veil {
        let f = &d.facts;
        let cases_closed = !f.accountability.is_empty() && !CASE_READERS.iter().any(|r| actor.has(*r));
        let senders_hidden = !actor.roles.iter().any(|r| matches!(r, Role::Drafter | Role::Oversight));
        let mut veil = Veil { reader: actor.user_id.clone(), cases_closed, senders_hidden, ..Veil::default() };
        if cases_closed {
            for case in &f.accountability {
                veil.secret(&case.grounds);
                if let Some(end) = &case.conclusion {
                    veil.secret(&end.reasoning);
                    veil.secret(&end.measures);
                }
            }
        }
        let mine: Vec<_> = f.experts.iter().filter(|e| e.expert_id == actor.user_id).collect();
        if mine.is_empty() {
            return veil;
        }
        let submitted = mine.iter().any(|e| e.opinion.is_some());
        let before_undertaking = !mine.iter().any(|e| e.confidentiality_ack.is_some());
        veil.before_undertaking = before_undertaking;
        if !submitted {
            for e in f.experts.iter().filter(|e| e.expert_id != actor.user_id) {
                if let Some(o) = &e.opinion {
                    veil.sealed.insert(e.expert_id.clone());
                    veil.secret(&o.necessity);
                    veil.secret(&o.feasibility);
                    veil.secret(&o.scientific_soundness);
                }
            }
            if let Some(s) = &f.expert_adoption_summary {
                veil.summary_sealed = true;
                veil.secret(s);
            }
        }
        if before_undertaking {
            for dr in &f.drafts {
                veil.secret(&dr.text);
                veil.secret(&dr.explanation);
                dr.options.iter().for_each(|o| veil.secret(o));
            }
        }
        veil
    }

    fn secret(&mut self, text: &str) {
        let n = normalize(text);
        if n.chars().count() >= MIN_SECRET {
            self.secrets.push(n);
        }
    }

    /// Nothing in the decision's documents is hidden from this reader (a record's sender, in an opinion an
    /// earlier version took as an act, is judged record by record: [`Veil::record`]).
    pub fn is_clear(&self) -> bool {
        !self.before_undertaking
            && self.sealed.is_empty()
            && !self.summary_sealed
            && self.secrets.is_empty()
            && !self.cases_closed
    }

    /// Why a whole document about this decision (a dossier, an export)
    /// cannot be given to this reader, if it cannot.
    pub fn whole(&self) -> Option<Withheld> {
        if self.before_undertaking {
            Some(Withheld::undertaking())
        } else if self.cases_closed && self.sealed.is_empty() && !self.summary_sealed {
            Some(Withheld::case_file())
        } else if !self.is_clear() {
            Some(Withheld::sealed())
        } else {
            None
        }
    }

    /// Why text the content check finds is withheld: the case file when this reader has one closed to
    /// them (its texts are among the secrets), else the experts' seal.
    fn leaked(&self) -> Withheld {
        if self.cases_closed {
            Withheld::case_file()
        } else {
            Withheld::sealed()
        }
    }

    fn leaks(&self, text: &str) -> bool {
        if self.secrets.is_empty() {
            return false;
        }
        let n = normalize(&crate::render::html::decode_entities(text));
        self.secrets.iter().any(|s| n.contains(s.as_str()))
    }

    /// The facts this reader may see, and what was withheld from them.
    pub fn facts(&self, facts: &Facts) -> (serde_json::Value, Vec<Withheld>) {
        let mut f = facts.clone();
        let mut withheld = Vec::new();
        if self.before_undertaking {
            for dr in f.drafts.iter_mut() {
                dr.text.clear();
                dr.explanation.clear();
                dr.options.clear();
            }
            withheld.push(Withheld::undertaking());
        }
        if !self.sealed.is_empty() || self.summary_sealed {
            for e in f.experts.iter_mut().filter(|e| self.sealed.contains(&e.expert_id)) {
                e.opinion = None;
            }
            f.expert_adoption_summary = None;
            withheld.push(Withheld::sealed());
        }
        if self.cases_closed {
            f.accountability.clear();
            withheld.push(Withheld::case_file());
        }
        // Opinions an earlier version kept in the state are read from their rows, under the opinions' own rule
        // (who sees senders and hidden text: `queries::opinions`), never through the facts.
        f.opinions.clear();
        f.feedback.clear();
        f.hearing_suggestions.clear();
        let mut value = serde_json::to_value(&f).unwrap_or(serde_json::Value::Null);
        if self.scrub(&mut value) && !withheld.contains(&self.leaked()) {
            withheld.push(self.leaked());
        }
        (value, withheld)
    }

    /// Blank every string that carries sealed text; whether any was.
    fn scrub(&self, v: &mut serde_json::Value) -> bool {
        use serde_json::Value;
        match v {
            Value::String(s) if self.leaks(s) => {
                s.clear();
                true
            }
            Value::Array(items) => items.iter_mut().fold(false, |hit, i| self.scrub(i) | hit),
            Value::Object(map) => map.values_mut().fold(false, |hit, i| self.scrub(i) | hit),
            _ => false,
        }
    }

    /// Why this record's payload is withheld from this reader, if it is.
    fn record_withheld(&self, r: &AuditRecord) -> Option<Withheld> {
        if r.actor.user_id == self.reader {
            return None;
        }
        if self.before_undertaking {
            return Some(Withheld::undertaking());
        }
        if self.cases_closed && CASE_ACTS.contains(&r.act.as_str()) {
            return Some(Withheld::case_file());
        }
        let payload: serde_json::Value = serde_json::from_str(&r.payload).unwrap_or_default();
        let by_sealed = |key: &str| payload.get(key).and_then(|v| v.as_str()).is_some_and(|e| self.sealed.contains(e));
        let opinion =
            r.act == "submit_expert_opinion" && (by_sealed("expert_id") || self.sealed.contains(&r.actor.user_id));
        let summary = r.act == "record_expert_adoption_summary" && self.summary_sealed;
        if opinion || summary {
            return Some(Withheld::sealed());
        }
        // Opinions an earlier version took as acts carry their sender in the record's payload.
        let named = payload.get("submitter").is_some_and(|s| !s.is_null());
        if self.senders_hidden && named && crate::ledger::Kind::of_act(&r.act).is_some() {
            return Some(Withheld::sender());
        }
        self.leaks(&r.payload).then(|| self.leaked())
    }

    /// A record as this reader sees it.
    pub fn record(&self, r: AuditRecord) -> RecordView {
        match self.record_withheld(&r) {
            Some(w) => RecordView { record: AuditRecord { payload: "null".into(), ..r }, withheld: Some(w) },
            None => RecordView { record: r, withheld: None },
        }
    }

    /// Why this memo is withheld from this reader, if it is: a memo cannot
    /// be redacted (its hash is on the record), so it is shown whole or not
    /// at all. `records` is the decision's chain.
    pub fn memo(&self, m: &StoredMemo, records: &[AuditRecord]) -> Option<Withheld> {
        let from = records.iter().find(|r| r.seq == m.seq);
        if from.is_some_and(|r| r.actor.user_id == self.reader) && !self.leaks(&m.body) {
            return None;
        }
        if self.before_undertaking {
            return Some(Withheld::undertaking());
        }
        if let Some(w) = from.and_then(|r| self.record_withheld(r)) {
            return Some(w);
        }
        self.leaks(&m.body).then(|| self.leaked())
    }

    /// Why a rendition is withheld: as [`Veil::memo`], and an HTML page also whenever the Markdown it lays out
    /// (`markdown`) is. The content check reads text, and the markup a layout adds (`*乙*` becomes `<em>乙</em>`,
    /// a paragraph break `</p><p>`) would split in the page a sealed text it finds in the Markdown.
    pub fn rendition(
        &self,
        m: &StoredMemo,
        markdown: Option<&StoredMemo>,
        records: &[AuditRecord],
    ) -> Option<Withheld> {
        self.memo(m, records).or_else(|| markdown.and_then(|md| self.memo(md, records)))
    }
}

/// Letters and digits only, lower case: the content check survives
/// Markdown, HTML, line breaks and punctuation the renderer adds.
fn normalize(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::Decision;

    fn reader(role: Role) -> Actor {
        Actor {
            user_id: format!("{role:?}"),
            name: "n".into(),
            unit: "u".into(),
            position: "p".into(),
            roles: vec![role],
            former_units: Vec::new(),
        }
    }

    /// A comment an earlier version took as an act keeps its sender in the record: only the drafters and
    /// oversight read that payload; a comment sent anonymously is read by every full reader.
    #[test]
    fn an_old_comment_act_shows_its_sender_to_drafters_and_oversight_only() {
        let at = chrono::Utc::now();
        let d = Decision::new("d", "national", 1, "public_participation", at);
        let public = reader(Role::Public);
        let record = |payload: serde_json::Value| {
            AuditRecord::next(
                "d",
                1,
                "receive_comment",
                "p",
                "p",
                &public,
                at,
                &payload,
                Vec::new(),
                crate::audit::GENESIS,
            )
        };
        let named = record(serde_json::json!({ "content": "意见", "submitter": "市民甲 (138…)" }));
        let anonymous = record(serde_json::json!({ "content": "意见" }));
        for role in [Role::GeneralOffice, Role::ChiefExecutive, Role::MeetingMember, Role::Administrator] {
            let seen = Veil::for_reader(&d, &reader(role)).record(named.clone());
            assert_eq!(seen.record.payload, "null", "{role:?}");
            assert_eq!(seen.withheld.map(|w| w.reason_code), Some("opinion_sender_restricted".into()), "{role:?}");
            assert!(Veil::for_reader(&d, &reader(role)).record(anonymous.clone()).withheld.is_none(), "{role:?}");
        }
        for role in [Role::Drafter, Role::Oversight] {
            let seen = Veil::for_reader(&d, &reader(role)).record(named.clone());
            assert!(seen.record.payload.contains("市民甲") && seen.withheld.is_none(), "{role:?}");
        }
    }

    /// A page is withheld whenever its Markdown is, though the markup of its layout splits the sealed text.
    #[test]
    fn a_page_is_withheld_with_the_markdown_it_lays_out() {
        let at = chrono::Utc::now();
        let mut d = Decision::new("d", "national", 1, "execution", at);
        let grounds = "未经合法性审查即提请讨论，*情节较重*。\n\n且未按规定公开征求意见";
        d.facts.accountability.push(crate::procedure::responsibility::facts::AccountabilityCase {
            number: 1,
            article: "Art. 39".into(),
            grounds: grounds.into(),
            persons: Vec::new(),
            acts: vec![1],
            opened_by: "监察组".into(),
            opened_at: at,
            conclusion: None,
        });
        let memo = |format: &str, body: String| StoredMemo {
            decision_id: "d".into(),
            seq: 1,
            memo: "case_opened".into(),
            lang: "zh".into(),
            format: format.into(),
            sha256: crate::audit::sha256_hex(body.as_bytes()),
            body,
            template_sha256: String::new(),
            data: "{}".into(),
            created_at: at,
        };
        let md = memo("md", format!("<!-- title -->\n# 立案通知\n\n<!-- body -->\n{grounds}\n"));
        let page = memo("html", crate::render::html::page(&md.body, "zh"));
        let veil = Veil::for_reader(&d, &reader(Role::Drafter));
        assert_eq!(veil.memo(&md, &[]).map(|w| w.reason_code), Some("accountability_case_restricted".into()));
        let withheld = veil.rendition(&page, Some(&md), &[]).map(|w| w.reason_code);
        assert_eq!(withheld, Some("accountability_case_restricted".into()), "{}", page.body);
        let open = Veil::for_reader(&d, &reader(Role::Oversight));
        assert!(open.rendition(&page, Some(&md), &[]).is_none(), "oversight reads the case file");
    }
}
