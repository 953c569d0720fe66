//! The fixed vocabularies of act payloads, each code with its Chinese label. The handler or gate that checks a
//! code reads its set here, and the API document lists the same set as the field's `enum` with the labels as its
//! description (`schema_with`), so what the document allows and what the engine accepts cannot drift apart.

/// The Art. 35(1) problems an execution report may raise, which reach the chief executive and may ground a
/// suspension.
pub const PROBLEM_KINDS: [&str; 3] = ["decision_problem", "major_change", "force_majeure"];

/// Codes and their Chinese labels.
pub type Codes = &'static [(&'static str, &'static str)];

/// A member's stance at the meeting (Art. 30).
pub const STANCES: Codes =
    &[("support", "同意"), ("oppose", "不同意"), ("support_with_changes", "修改后同意"), ("reserve", "保留意见")];
/// The chief executive's decision at the meeting (Art. 30(2)).
pub const CHIEF_DECISIONS: Codes = &[("adopt", "通过"), ("reject", "不予通过")];
/// The meetings that may discuss and decide (Art. 30(1)): 常务会议 or 全体会议.
pub const MEETING_TYPES: Codes = &[("executive", "常务会议"), ("plenary", "全体会议")];
/// The legality review's conclusion (Art. 27).
pub const CONCLUSIONS: Codes = &[
    ("lawful", "合法"),
    ("lawful_subject_to_changes", "修改后合法"),
    ("unlawful", "不合法"),
    ("exploratory_with_legal_risk", "探索性改革事项，存在法律风险"),
];
/// How a public opinion was disposed of (Art. 18).
pub const DISPOSITIONS: Codes = &[("adopted", "采纳"), ("partly", "部分采纳"), ("not_adopted", "不予采纳")];
/// The articles a responsibility-tracing case is opened under: the decision organ (Art. 38), the undertaking and
/// working units (Art. 39), the executing unit (Art. 40), experts and professional institutions (Art. 41).
pub const ACCOUNTABILITY_ARTICLES: Codes = &[
    ("Art. 38", "决策机关违反条例规定"),
    ("Art. 39", "决策承办单位或者承担决策有关工作的单位违反条例规定"),
    ("Art. 40", "决策执行单位拒不执行、推诿执行、拖延执行"),
    ("Art. 41", "专家、专业机构、社会组织等违反职业道德和条例规定"),
];
/// How a responsibility-tracing case ends.
pub const CASE_FINDINGS: Codes = &[("liable", "责任成立，依法追究"), ("not_liable", "不予追究")];
/// Who proposes the decision (Art. 10).
pub const PROPOSER_TYPES: Codes = &[
    ("department", "所属部门"),
    ("lower_government", "下一级人民政府"),
    ("leader", "决策机关领导"),
    ("npc_deputy", "人大代表"),
    ("cppcc_member", "政协委员"),
    ("citizen", "公民"),
    ("organisation", "法人或者其他组织"),
];
/// Proposers who must argue their case (Art. 10(2)): the fields their proposal cannot leave out.
pub const ARGUING_PROPOSERS: [&str; 2] = ["department", "lower_government"];
pub const ARGUMENT_FIELDS: [&str; 5] =
    ["main_problem", "reasons_and_basis", "preliminary_solution", "necessity", "feasibility"];
/// Proposers whose proposal must be written (Art. 10(3)).
pub const WRITING_PROPOSERS: [&str; 2] = ["citizen", "organisation"];

pub fn allows(set: Codes, code: &str) -> bool {
    set.iter().any(|(c, _)| *c == code)
}

/// "support, oppose, …" for a refusal's detail.
pub fn list(set: Codes) -> String {
    set.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
}

/// The field's schema: a string, one of the codes, their labels in the description.
#[cfg(feature = "openapi")]
pub fn schema(set: Codes) -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let labels: Vec<String> = set.iter().map(|(c, l)| format!("`{c}` {l}")).collect();
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(set.iter().map(|(c, _)| *c)))
        .description(Some(labels.join("; ")))
        .build()
}

/// A `schema_with` function per vocabulary (the attribute takes a path to a function without arguments).
#[cfg(feature = "openapi")]
pub mod schemas {
    use super::*;

    pub fn stance() -> utoipa::openapi::Object {
        schema(STANCES)
    }
    pub fn chief_decision() -> utoipa::openapi::Object {
        schema(CHIEF_DECISIONS)
    }
    pub fn meeting_type() -> utoipa::openapi::Object {
        schema(MEETING_TYPES)
    }
    pub fn conclusion() -> utoipa::openapi::Object {
        schema(CONCLUSIONS)
    }
    pub fn disposition() -> utoipa::openapi::Object {
        schema(DISPOSITIONS)
    }
    pub fn proposer_type() -> utoipa::openapi::Object {
        schema(PROPOSER_TYPES)
    }
    pub fn accountability_article() -> utoipa::openapi::Object {
        schema(ACCOUNTABILITY_ARTICLES)
    }
    pub fn case_finding() -> utoipa::openapi::Object {
        schema(CASE_FINDINGS)
    }
}
