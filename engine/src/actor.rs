//! Who acts: roles of the procedure and the actor snapshot kept in the
//! audit record (name, unit and position as of the act, for lifelong
//! accountability under Art. 38).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 决策机关办公厅: catalogue, start, controllability, meeting, publication.
    GeneralOffice,
    /// 承办单位: drafts, participation, experts, risk, submissions.
    Drafter,
    /// 专家.
    Expert,
    /// 专家库管理部门.
    PoolManager,
    /// 合法性审查部门.
    LegalityReviewer,
    /// 法律顾问 / 公职律师.
    LegalAdviser,
    /// 会议组成人员.
    MeetingMember,
    /// 行政首长.
    ChiefExecutive,
    /// 决策执行单位.
    ExecutingUnit,
    /// 公众.
    Public,
    /// 人大、审计、上级机关: read only.
    Oversight,
    Administrator,
    /// The deadline scheduler applying an auto-act.
    System,
}

impl Role {
    pub const ALL: [Role; 13] = [
        Role::GeneralOffice,
        Role::Drafter,
        Role::Expert,
        Role::PoolManager,
        Role::LegalityReviewer,
        Role::LegalAdviser,
        Role::MeetingMember,
        Role::ChiefExecutive,
        Role::ExecutingUnit,
        Role::Public,
        Role::Oversight,
        Role::Administrator,
        Role::System,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::GeneralOffice => "general_office",
            Role::Drafter => "drafter",
            Role::Expert => "expert",
            Role::PoolManager => "pool_manager",
            Role::LegalityReviewer => "legality_reviewer",
            Role::LegalAdviser => "legal_adviser",
            Role::MeetingMember => "meeting_member",
            Role::ChiefExecutive => "chief_executive",
            Role::ExecutingUnit => "executing_unit",
            Role::Public => "public",
            Role::Oversight => "oversight",
            Role::Administrator => "administrator",
            Role::System => "system",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The actor of an act as recorded: a snapshot, never a live reference, so
/// the record still names the person and their position after they leave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub user_id: String,
    pub name: String,
    pub unit: String,
    pub position: String,
    pub roles: Vec<Role>,
    /// Names the actor's unit had before its current one, from the unit directory: a decision that names the
    /// unit so is still the unit's (access follows the unit, not a name). Never recorded: an act keeps the
    /// unit's name as it was then.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub former_units: Vec<String>,
}

impl Actor {
    /// Whether `unit`, as a decision names it, is this actor's unit: its current name or a former one.
    pub fn is_of_unit(&self, unit: &str) -> bool {
        self.unit == unit || self.former_units.iter().any(|u| u == unit)
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// `Ok` for an administrator; otherwise `role_not_permitted`, saying in Chinese and English what only an
    /// administrator may do (administration is outside the procedure: no article of the Decree, the access policy).
    pub fn require_administrator(&self, only_zh: &str, only_en: &str) -> Result<(), crate::refusal::Refusal> {
        if self.has(Role::Administrator) {
            return Ok(());
        }
        let reason = crate::refusal::Reason::new("role_not_permitted", "access policy", only_zh, only_en);
        Err(crate::refusal::Refusal::one(reason))
    }

    /// The engine taking an act on a linked record, caused by a person's act
    /// on another (the record names that act; see `effect::Effect::Link`).
    pub fn engine() -> Actor {
        Actor {
            user_id: "system".into(),
            name: "juece engine".into(),
            unit: "system".into(),
            position: "linked act".into(),
            roles: vec![Role::System],
            former_units: Vec::new(),
        }
    }

    /// The scheduler acting on a deadline.
    pub fn system() -> Actor {
        Actor {
            user_id: "system".into(),
            name: "juece scheduler".into(),
            unit: "system".into(),
            position: "scheduler".into(),
            roles: vec![Role::System],
            former_units: Vec::new(),
        }
    }
}
