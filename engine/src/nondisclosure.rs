//! The grounds on which a matter is not to be disclosed by law (依法不予公开, Decree 713 Art. 14(1)): those of
//! the Regulation on the Disclosure of Government Information (政府信息公开条例, Arts. 14–16). A matter declared
//! on one of them passes over public participation and is released without public publication (PB-3).

use serde::Serialize;

/// A ground: its key (what the API stores and returns), its Chinese label (accepted in its place) and the
/// provision of the Regulation it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ground {
    pub key: &'static str,
    pub label_zh: &'static str,
    pub source: &'static str,
}

pub const GROUNDS: [Ground; 5] = [
    Ground { key: "state_secret", label_zh: "国家秘密", source: "政府信息公开条例 Art. 14" },
    Ground {
        key: "security_or_stability",
        label_zh: "危及国家安全、公共安全、经济安全、社会稳定",
        source: "政府信息公开条例 Art. 14",
    },
    Ground { key: "trade_secret", label_zh: "商业秘密", source: "政府信息公开条例 Art. 15" },
    Ground { key: "personal_privacy", label_zh: "个人隐私", source: "政府信息公开条例 Art. 15" },
    Ground { key: "internal_affairs", label_zh: "内部事务信息", source: "政府信息公开条例 Art. 16" },
];

/// The ground named by its key or its Chinese label.
pub fn parse(name: &str) -> Option<&'static Ground> {
    let name = name.trim();
    GROUNDS.iter().find(|g| g.key == name || g.label_zh == name)
}

/// The ground with this key.
pub fn by_key(key: &str) -> Option<&'static Ground> {
    GROUNDS.iter().find(|g| g.key == key)
}

/// Every ground as `key（label）`, for refusals and documentation.
pub fn listed() -> String {
    GROUNDS.iter().map(|g| format!("{}（{}）", g.key, g.label_zh)).collect::<Vec<_>>().join(", ")
}
