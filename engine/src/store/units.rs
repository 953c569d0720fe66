//! [`UnitStore`]: the unit directory — units, the names each has had, and which unit a user is in. A rename
//! writes the new name, keeps the old one pointing at the unit, and renames the unit in its users' rows, in
//! one transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreError;

/// A unit as stored, with the names it had before its current one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitRow {
    /// Stable: users and access refer to it; a rename does not change it.
    pub id: String,
    /// The name documents and acts use now.
    pub name: String,
    /// 机关代字 for document numbers (示政).
    pub code: Option<String>,
    /// The unit this one belongs to (a 科室's 局), if any.
    pub parent_id: Option<String>,
    /// Names the unit had before, oldest first: decisions that name it so are still its.
    pub former_names: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[async_trait]
pub trait UnitStore: Send + Sync {
    /// Insert a unit and its name; `AlreadyExists(name)` when a unit has or had that name.
    async fn insert_unit(&self, unit: &UnitRow) -> Result<(), StoreError>;
    /// Every unit, by name.
    async fn units(&self) -> Result<Vec<UnitRow>, StoreError>;
    async fn unit(&self, id: &str) -> Result<Option<UnitRow>, StoreError>;
    /// The unit that has or had `name`.
    async fn unit_named(&self, name: &str) -> Result<Option<UnitRow>, StoreError>;
    /// Write a unit's name, code and parent (the row is [`UnitStore::unit`]'s, changed). A new name is added to
    /// its names and given to its users; `AlreadyExists(name)` when another unit has or had it. False when
    /// there is no such unit.
    async fn update_unit(&self, unit: &UnitRow) -> Result<bool, StoreError>;
}

/// SQL shared by both stores.
pub(super) mod sql {
    pub const INSERT_UNIT: &str = "insert into units (id, name, code, parent_id, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6)";
    pub const INSERT_NAME: &str = "insert into unit_names (name, unit_id, since) values ($1, $2, $3)";
    pub const NAME_OWNER: &str = "select unit_id from unit_names where name = $1";
    pub const UNITS: &str = "select * from units order by name";
    pub const UNIT: &str = "select * from units where id = $1";
    pub const UNIT_NAMED: &str = "select u.* from unit_names n join units u on u.id = n.unit_id where n.name = $1";
    /// Every name but the current one, oldest first ($1 the unit).
    pub const FORMER_NAMES: &str = "select n.name from unit_names n join units u on u.id = n.unit_id \
         where n.unit_id = $1 and n.name <> u.name order by n.since, n.name";
    pub const ALL_FORMER_NAMES: &str = "select n.unit_id, n.name from unit_names n join units u on u.id = n.unit_id \
         where n.name <> u.name order by n.since, n.name";
    pub const UPDATE_UNIT: &str =
        "update units set name = $2, code = $3, parent_id = $4, updated_at = $5 where id = $1";
    pub const RENAME_IN_USERS: &str = "update users set unit = $2 where unit_id = $1";
}

/// Row conversion shared by both stores.
pub(super) mod convert {
    use super::super::rows::Cols;
    use super::super::users::convert::instant;
    use super::super::StoreError;
    use super::UnitRow;

    pub fn unit(row: &impl Cols, former_names: Vec<String>) -> Result<UnitRow, StoreError> {
        Ok(UnitRow {
            id: row.text("id")?,
            name: row.text("name")?,
            code: row.opt_text("code")?,
            parent_id: row.opt_text("parent_id")?,
            former_names,
            created_at: instant(&row.text("created_at")?)?,
            updated_at: instant(&row.text("updated_at")?)?,
        })
    }
}
