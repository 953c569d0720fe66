//! The unit directory: the units of the administration an operator manages — name, 机关代字, parent — that
//! users are placed in. A user's unit must be in it, so access never hangs on a name typed twice alike.
//!
//! Access follows the directory, and only as far as a unit's own decisions: a drafter reads and acts on the
//! decisions of the unit they are in, by the unit's identity — under its current name or any name it had (a
//! renamed unit keeps its decisions; acts already recorded keep the name as it was then). A parent unit's
//! drafters do **not** read their sub-units' decisions (a 局's drafters, its 科室's): Decree No. 713 assigns a
//! decision to its undertaking unit (Art. 11), and reading more would widen access by a line an operator drew
//! for the organisation chart. Whoever needs more is given it by a role (the general office reads everything).
//!
//! The memos' `[organs]` (`workflows/*/memos/manifest.toml`) print documents' 机关代字: a unit the manifest
//! names takes the manifest's code, and a different one is refused, so numbering and the directory agree.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::actor::{Actor, Role};
use crate::refusal::{Detail, Reason};
use crate::store::units::UnitRow;
use crate::store::{Store, StoreError};

/// What refusals of the directory cite: it is not an article of the Decree.
const POLICY: &str = "unit directory (access policy)";

/// Why the directory refused, or failed.
#[derive(Debug, thiserror::Error)]
pub enum UnitError {
    /// A request the directory's rules refuse: its reason code says which, in Chinese and English.
    #[error("{}: {}", .0.reason_code, .0.message_en)]
    Refused(Reason),
    /// A caller who may not manage units (only administrators may).
    #[error("{}: {}", .0.reason_code, .0.message_en)]
    Forbidden(Reason),
    #[error("no unit {0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn refused(reason: Reason, detail: Detail) -> UnitError {
    UnitError::Refused(reason.with_detail(detail))
}

/// A unit to add. `parent` is a unit's current name.
#[derive(Debug, Clone, Default)]
pub struct NewUnit {
    pub name: String,
    pub code: Option<String>,
    pub parent: Option<String>,
}

/// A change to a unit: each `None` leaves the field as it is; `Some(None)` clears a code or a parent.
#[derive(Debug, Clone, Default)]
pub struct UnitChange {
    pub name: Option<String>,
    pub code: Option<Option<String>>,
    /// The new parent's current name, or `Some(None)` for a unit of its own.
    pub parent: Option<Option<String>>,
}

/// The directory on a store, with the 机关代字 the memo manifests give their organs.
#[derive(Clone)]
pub struct Units {
    store: Arc<dyn Store>,
    organ_codes: BTreeMap<String, String>,
}

impl Units {
    pub fn new(store: Arc<dyn Store>) -> Units {
        Units { store, organ_codes: BTreeMap::new() }
    }

    /// The 机关代字 documents print for each organ (the memo manifests' `[organs]`): a unit of that name must
    /// carry the same code.
    pub fn with_organ_codes(mut self, codes: BTreeMap<String, String>) -> Units {
        self.organ_codes = codes;
        self
    }

    /// Every unit, for an administrator.
    pub async fn list_by(&self, by: &Actor) -> Result<Vec<UnitRow>, UnitError> {
        administrator(by)?;
        self.list().await
    }

    pub async fn list(&self) -> Result<Vec<UnitRow>, UnitError> {
        Ok(self.store.units().await?)
    }

    /// The unit that has or had `name`, if any.
    pub async fn named(&self, name: &str) -> Result<Option<UnitRow>, UnitError> {
        Ok(self.store.unit_named(name).await?)
    }

    /// The unit whose **current** name is `name`, for placing a user; refused with the closest names when
    /// there is none, or when `name` is a former name (saying the unit's name now).
    pub async fn resolve(&self, name: &str) -> Result<UnitRow, UnitError> {
        let name = name.trim();
        match self.store.unit_named(name).await? {
            Some(u) if u.name == name => Ok(u),
            Some(u) => Err(refused(
                Reason::new(
                    "unit_renamed",
                    POLICY,
                    "该单位已更名，请使用现名",
                    "the unit was renamed: use its current name",
                ),
                Detail::new(format!("“{name}”现名“{}”", u.name), format!("“{name}” is now “{}”", u.name)),
            )),
            None => {
                let close = close_matches(name, self.store.units().await?.iter().map(|u| u.name.as_str()));
                let (zh, en) = if close.is_empty() {
                    (
                        "目录中没有相近的单位；请先添加该单位（juece unit add）".to_string(),
                        "no unit in the directory is close; add it first (juece unit add)".to_string(),
                    )
                } else {
                    (format!("相近的单位：{}", close.join("、")), format!("close matches: {}", close.join(", ")))
                };
                Err(refused(
                    Reason::new("unit_unknown", POLICY, "单位目录中没有该单位", "no such unit in the unit directory"),
                    Detail::new(
                        format!("“{name}”不在单位目录中；{zh}"),
                        format!("“{name}” is not in the unit directory; {en}"),
                    ),
                ))
            }
        }
    }

    /// Add a unit on an administrator's behalf.
    pub async fn add_by(&self, by: &Actor, new: NewUnit, now: DateTime<Utc>) -> Result<UnitRow, UnitError> {
        administrator(by)?;
        let unit = self.add(new, now).await?;
        tracing::info!(target: "juece::audit", by = %by.user_id, unit = %unit.id, name = %unit.name, "unit added");
        Ok(unit)
    }

    /// [`Units::add_by`] without a caller (the command line, run by whoever holds the database).
    pub async fn add(&self, new: NewUnit, now: DateTime<Utc>) -> Result<UnitRow, UnitError> {
        let name = checked("name", &new.name)?;
        let parent = match new.parent.as_deref() {
            Some(p) => Some(self.parent(p).await?.id),
            None => None,
        };
        let code = self.code_for(&name, new.code)?;
        let unit = UnitRow {
            id: uuid::Uuid::new_v4().to_string(),
            name,
            code,
            parent_id: parent,
            former_names: Vec::new(),
            created_at: now,
            updated_at: now,
        };
        match self.store.insert_unit(&unit).await {
            Err(StoreError::AlreadyExists(n)) => Err(taken(&n, self.store.unit_named(&n).await?)),
            other => other.map(|_| unit).map_err(Into::into),
        }
    }

    /// Change a unit (by id) on an administrator's behalf.
    pub async fn change_by(
        &self,
        by: &Actor,
        id: &str,
        change: UnitChange,
        now: DateTime<Utc>,
    ) -> Result<UnitRow, UnitError> {
        administrator(by)?;
        let unit = self.store.unit(id).await?.ok_or_else(|| UnitError::NotFound(id.into()))?;
        let changed = self.change(unit, change, now).await?;
        tracing::info!(target: "juece::audit", by = %by.user_id, unit = %changed.id, name = %changed.name,
            parent = ?changed.parent_id, "unit changed");
        Ok(changed)
    }

    /// [`Units::change_by`] without a caller, the unit named by its current name.
    pub async fn change_named(&self, name: &str, change: UnitChange, now: DateTime<Utc>) -> Result<UnitRow, UnitError> {
        let unit = self.resolve(name).await?;
        self.change(unit, change, now).await
    }

    async fn change(&self, mut unit: UnitRow, change: UnitChange, now: DateTime<Utc>) -> Result<UnitRow, UnitError> {
        if let Some(name) = change.name {
            let name = checked("name", &name)?;
            if name != unit.name {
                unit.former_names.retain(|n| *n != name);
                unit.former_names.push(std::mem::replace(&mut unit.name, name));
            }
        }
        match change.parent {
            Some(Some(p)) => {
                let parent = self.parent(&p).await?;
                self.no_cycle(&unit, &parent).await?;
                unit.parent_id = Some(parent.id);
            }
            Some(None) => unit.parent_id = None,
            None => {}
        }
        let code = match change.code {
            Some(c) => c,
            None => unit.code.take(),
        };
        unit.code = self.code_for(&unit.name, code)?;
        unit.updated_at = now;
        match self.store.update_unit(&unit).await {
            Ok(true) => Ok(unit),
            Ok(false) => Err(UnitError::NotFound(unit.id)),
            Err(StoreError::AlreadyExists(n)) => Err(taken(&n, self.store.unit_named(&n).await?)),
            Err(e) => Err(e.into()),
        }
    }

    async fn parent(&self, name: &str) -> Result<UnitRow, UnitError> {
        self.resolve(name).await.map_err(|e| match e {
            UnitError::Refused(r) => UnitError::Refused(Reason { reason_code: "unit_parent_unknown".into(), ..r }),
            other => other,
        })
    }

    /// A unit cannot sit under itself or under one of its own sub-units.
    async fn no_cycle(&self, unit: &UnitRow, parent: &UnitRow) -> Result<(), UnitError> {
        let all = self.store.units().await?;
        let mut at = Some(parent.id.clone());
        while let Some(id) = at {
            if id == unit.id {
                return Err(refused(
                    Reason::new(
                        "unit_parent_cycle",
                        POLICY,
                        "单位不能隶属于自身或其下级单位",
                        "a unit cannot belong to itself or to one of its sub-units",
                    ),
                    Detail::new(
                        format!("“{}”隶属于“{}”将形成循环", unit.name, parent.name),
                        format!("“{}” under “{}” would make a cycle", unit.name, parent.name),
                    ),
                ));
            }
            at = all.iter().find(|u| u.id == id).and_then(|u| u.parent_id.clone());
        }
        Ok(())
    }

    /// The unit's 机关代字: as given (checked), else the memo manifest's for an organ it names; a code that
    /// differs from the manifest's would number the unit's documents otherwise than the directory says.
    fn code_for(&self, name: &str, code: Option<String>) -> Result<Option<String>, UnitError> {
        let code = code.map(|c| checked("code", &c)).transpose()?;
        let Some(manifest) = self.organ_codes.get(name) else { return Ok(code) };
        match code {
            Some(c) if c != *manifest => Err(refused(
                Reason::new(
                    "unit_code_disagrees",
                    POLICY,
                    "机关代字与公文模板目录不一致",
                    "the 机关代字 differs from the one the memo templates print",
                ),
                Detail::new(
                    format!("“{name}”的机关代字在 manifest.toml 中为“{manifest}”，而非“{c}”"),
                    format!("the manifest.toml gives “{name}” the code “{manifest}”, not “{c}”"),
                ),
            )),
            _ => Ok(Some(manifest.clone())),
        }
    }
}

/// The 机关代字 the memo manifests of a `workflows/` folder give their organs (`*/memos/manifest.toml`), for a
/// directory used without an engine (the command line).
pub fn organ_codes_in(workflows: &std::path::Path) -> Result<BTreeMap<String, String>, crate::memo::MemoError> {
    let mut codes = BTreeMap::new();
    let mut dirs: Vec<std::path::PathBuf> = std::fs::read_dir(workflows)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path().join("memos")).collect())
        .unwrap_or_default();
    dirs.sort();
    for dir in dirs {
        if let Some(manifest) = crate::memo::manifest::Manifest::load(&dir)? {
            for (organ, code) in manifest.organ_codes() {
                codes.entry(organ.to_string()).or_insert_with(|| code.to_string());
            }
        }
    }
    Ok(codes)
}

/// Only administrators manage the directory.
fn administrator(by: &Actor) -> Result<(), UnitError> {
    if by.has(Role::Administrator) {
        return Ok(());
    }
    let only = ("只有系统管理员可以管理单位目录", "only an administrator may manage the unit directory");
    Err(UnitError::Forbidden(Reason::new("role_not_permitted", "access policy", only.0, only.1)))
}

fn taken(name: &str, owner: Option<UnitRow>) -> UnitError {
    let (zh, en) = match owner {
        Some(u) if u.name != name => {
            (format!("“{name}”曾是“{}”的名称", u.name), format!("“{name}” was a name of “{}”", u.name))
        }
        _ => (format!("单位“{name}”已存在"), format!("a unit “{name}” already exists")),
    };
    refused(
        Reason::new(
            "unit_name_taken",
            POLICY,
            "该名称已被单位目录中的单位使用",
            "a unit of the directory has or had this name",
        ),
        Detail::new(zh, en),
    )
}

/// A name or code: 1 to 200 characters, not blank, without surrounding spaces.
fn checked(field: &str, value: &str) -> Result<String, UnitError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > 200 {
        return Err(refused(
            Reason::new("invalid_unit", POLICY, "单位信息不符合要求", "the unit's data is invalid"),
            Detail::new(format!("{field} 应为1至200个字符"), format!("{field} must be 1 to 200 characters")),
        ));
    }
    Ok(value.to_string())
}

/// Up to five names of `names` close to `name`: one contains the other, or few characters differ.
pub fn close_matches<'a>(name: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let want: Vec<char> = name.chars().collect();
    let mut scored: Vec<(usize, &str)> = names
        .filter_map(|n| {
            let chars: Vec<char> = n.chars().collect();
            let d = distance(&want, &chars);
            let near = d <= (want.len().max(chars.len()) / 3).max(2) || n.contains(name) || name.contains(n);
            near.then_some((d, n))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, n)| n.to_string()).collect()
}

/// Levenshtein distance over characters (a Chinese name differs by characters, not bytes).
fn distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests;
