//! The national procedure's steps over HTTP, as the people of the cast, for
//! scenario tests that need a decision at a given stage; and the check every
//! refusal gets: status, reason code and article, and nothing written.

use reqwest::Method;
use serde_json::{json, Value};

use crate::http::{Answer, Api};

/// The undertaking unit of the cast's drafter.
pub const UNIT: &str = "示范市生态环境局";

/// The conditional stages before the legality review, in order, with the act that passes over each.
pub const CONDITIONAL: [(&str, &str); 5] = [
    ("cost_benefit", "skip_cost_benefit"),
    ("public_participation", "skip_public_participation"),
    ("hearing", "skip_hearing"),
    ("expert_consultation", "skip_expert_consultation"),
    ("risk_assessment", "skip_risk_assessment"),
];

/// What a refusal must say: HTTP status, reason code, article of the Decree.
pub type Refusal<'a> = (u16, &'a str, &'a str);

impl Api {
    /// A decision opened and started for [`UNIT`], with a first draft and the
    /// justice bureau's comment in the inter-departmental consultation: in drafting.
    pub async fn drafting(&self, title: &str) -> String {
        self.drafting_in("national", title, json!({})).await
    }

    /// [`Api::drafting`] on `workflow`, with the fields of `start` added to
    /// the start decision (e.g. a `catalogue_item`).
    pub async fn drafting_in(&self, workflow: &str, title: &str, start: Value) -> String {
        let id = self.open_in(workflow, title).await;
        let mut decide = json!({ "category": 1, "undertaking_units": [UNIT] });
        for (k, v) in start.as_object().into_iter().flatten() {
            decide[k] = v.clone();
        }
        self.ok("office", &id, "start_decision", decide).await;
        let draft = json!({ "text": "第一条 为规范……", "explanation": "依据上位法起草。", "legal_basis": ["《中华人民共和国大气污染防治法》"] });
        self.ok("drafter", &id, "record_draft", draft).await;
        let comment = json!({ "unit": "示范市司法局", "agreed": true, "opinion": "原则同意，无修改意见。" });
        self.ok("drafter", &id, "record_consultation", comment).await;
        id
    }

    /// Pass over a conditional stage with a recorded determination that it does not apply. Public
    /// participation is never passed over by a determination (Art. 14(1)): a symposium is held and the stage closed.
    pub async fn pass_over(&self, id: &str, stage: &str, act: &str) {
        if stage == "public_participation" {
            let symposium = json!({ "method": "symposium", "participant_types": ["群众代表"], "summary": "座谈会" });
            self.ok("drafter", id, "record_activity", symposium).await;
            let summary = json!({ "text": "座谈会意见已研究，合理意见已采纳。" });
            self.ok("drafter", id, "record_public_adoption_summary", summary).await;
            self.ok("drafter", id, "close_participation", json!({})).await;
            return;
        }
        let det = json!({ "stage": stage, "outcome": "not_applicable", "reason": "经研判不适用" });
        self.ok("drafter", id, "determine_applicability", det).await;
        self.ok("drafter", id, act, json!({})).await;
    }

    /// A started decision brought to `stage` (one of [`CONDITIONAL`] or
    /// `legality_review`), every conditional stage before it passed over.
    pub async fn at_stage(&self, title: &str, stage: &str) -> String {
        self.at_stage_in("national", title, stage, json!({})).await
    }

    /// [`Api::at_stage`] on `workflow`, started with the fields of `start`.
    pub async fn at_stage_in(&self, workflow: &str, title: &str, stage: &str, start: Value) -> String {
        let id = self.drafting_in(workflow, title, start).await;
        self.ok("drafter", &id, "finish_drafting", json!({})).await;
        for (kind, skip) in CONDITIONAL.iter().take_while(|(kind, _)| *kind != stage) {
            self.pass_over(&id, kind, skip).await;
        }
        id
    }

    /// Submit the current draft for the legality review, due in 7 working days.
    pub async fn submit_for_review(&self, id: &str) {
        let received = self.today();
        let due = juece_engine::calendar::period::add_working_days(&self.app.state.engine.calendar(), received, 7);
        let submission = json!({ "legal_basis": ["《中华人民共和国大气污染防治法》"], "procedure_explanation": "已履行法定程序。",
            "received_complete_on": received, "requested_due": due.last_day });
        self.ok("drafter", id, "submit_for_legality_review", submission).await;
    }

    /// The adviser's opinion, then the reviewer's `opinion` (fields of `issue_legality_opinion`).
    pub async fn review(&self, id: &str, opinion: Value) {
        let lawyer = json!({ "capacity": "公职律师", "opinion": "未发现违法情形。" });
        self.ok("adviser", id, "record_lawyer_opinion", lawyer).await;
        self.ok("reviewer", id, "issue_legality_opinion", opinion).await;
    }

    /// A legality opinion with every finding and this conclusion.
    pub fn opinion(conclusion: &str) -> Value {
        json!({ "authority": "在法定权限内", "procedure": "程序完备", "content": "内容符合上位法", "conclusion": conclusion })
    }

    /// A decision through the legality review with `conclusion`: in submission.
    pub async fn reviewed(&self, title: &str, conclusion: &str) -> String {
        let id = self.at_stage(title, "legality_review").await;
        self.submit_for_review(&id).await;
        self.review(&id, Api::opinion(conclusion)).await;
        self.ok("drafter", &id, "close_legality_review", json!({})).await;
        id
    }

    /// From the Art. 29 package to the chief executive's decision at an executive meeting (the members and
    /// the chief agreeing), and its minutes: decided.
    pub async fn decide_at_meeting(&self, id: &str) {
        assert_eq!(self.ok("drafter", id, "submit_package", json!({})).await.body["stage"], "collective_discussion");
        let meeting = json!({ "meeting_type": "executive", "date": self.today(), "members": ["钱副市长", "孙秘书长"] });
        self.ok("office", id, "convene_meeting", meeting).await;
        for m in ["钱副市长", "孙秘书长"] {
            self.ok("office", id, "record_stance", json!({ "member": m, "stance": "support", "words": "同意。" }))
                .await;
        }
        self.ok("chief", id, "record_chief_opinion", json!({ "decision": "adopt", "words": "同意通过。" })).await;
        assert_eq!(self.ok("chief", id, "decide", json!({})).await.body["stage"], "decided");
        self.ok("office", id, "close_meeting", json!({})).await;
    }

    /// A decision through the review, decided at an executive meeting, reported to the Party committee and
    /// published on the government website: in publication.
    pub async fn published(&self, title: &str) -> String {
        let id = self.reviewed(title, "lawful").await;
        self.decide_at_meeting(&id).await;
        self.ok("office", &id, "designate_executing_unit", json!({ "unit": "示范市生态环境局" })).await;
        self.ok("office", &id, "report_to_party", json!({ "reference_no": "示政请〔2026〕9号" })).await;
        self.ok("office", &id, "record_party_response", json!({ "response": "同意。" })).await;
        self.ok("office", &id, "publish_decision", json!({ "channels": ["gazette", "website"] })).await;
        id
    }

    /// What a refusal must leave as it was: the decision as the office sees it, and its record.
    pub async fn state_of(&self, id: &str) -> (Value, usize) {
        let d = self.get(&format!("/api/v1/decisions/{id}"), Some("office")).await;
        let record = self.get(&format!("/api/v1/decisions/{id}/record"), Some("office")).await;
        (d.body, record.body.as_array().map_or(0, Vec::len))
    }

    /// An act that must be refused as `want` says, writing nothing.
    pub async fn refused(&self, user: &str, id: &str, act: &str, payload: Value, want: Refusal<'_>) -> Answer {
        let before = self.state_of(id).await;
        let got = self.act(user, id, act, payload).await;
        assert_refusal(&got, want, act);
        assert_eq!(self.state_of(id).await, before, "{act} refused: nothing written");
        got
    }

    /// A public comment on a decision open for comment.
    pub async fn comment(&self, id: &str, content: &str) -> Answer {
        let path = format!("/api/v1/public/consultations/{id}/comments");
        self.call(Method::POST, &path, None, Some(json!({ "content": content }))).await
    }
}

/// The problem's status, reason code and article.
#[track_caller]
pub fn assert_refusal(got: &Answer, (status, code, article): Refusal<'_>, what: &str) {
    got.expect(status, code);
    assert_eq!(got.body["article"], article, "{what}: article; body: {}", got.body);
}

/// Every reason code of a multi-reason problem.
pub fn reason_codes(got: &Answer) -> Vec<String> {
    got.body["reasons"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["reason_code"].as_str())
        .map(String::from)
        .collect()
}
