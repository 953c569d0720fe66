//! [`UnitStore`]: writes in one write transaction on the writer, lookups on the read pool.

use async_trait::async_trait;

use super::Backend;
use crate::audit::format_instant;
use crate::store::rows::{self, Cols};
use crate::store::units::{convert, sql, UnitRow, UnitStore};
use crate::store::StoreError;

#[async_trait]
impl UnitStore for Backend {
    async fn insert_unit(&self, u: &UnitRow) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let taken: Option<String> = sqlx::query_scalar(sql::NAME_OWNER).bind(&u.name).fetch_optional(&mut *tx).await?;
        if taken.is_some() {
            return Err(StoreError::AlreadyExists(u.name.clone()));
        }
        let at = format_instant(&u.created_at);
        let inserted = sqlx::query(sql::INSERT_UNIT)
            .bind(&u.id)
            .bind(&u.name)
            .bind(&u.code)
            .bind(&u.parent_id)
            .bind(&at)
            .bind(format_instant(&u.updated_at))
            .execute(&mut *tx)
            .await;
        match inserted {
            Err(e) if rows::is_unique_violation(&e) => return Err(StoreError::AlreadyExists(u.name.clone())),
            other => other?,
        };
        sqlx::query(sql::INSERT_NAME).bind(&u.name).bind(&u.id).bind(&at).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn units(&self) -> Result<Vec<UnitRow>, StoreError> {
        let found = sqlx::query(sql::UNITS).fetch_all(&self.reader).await?;
        let former = sqlx::query(sql::ALL_FORMER_NAMES).fetch_all(&self.reader).await?;
        let mut names: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        for r in &former {
            names.entry(r.text("unit_id")?).or_default().push(r.text("name")?);
        }
        found.iter().map(|r| convert::unit(r, names.remove(&r.text("id")?).unwrap_or_default())).collect()
    }

    async fn unit(&self, id: &str) -> Result<Option<UnitRow>, StoreError> {
        let Some(row) = sqlx::query(sql::UNIT).bind(id).fetch_optional(&self.reader).await? else { return Ok(None) };
        let former: Vec<String> = sqlx::query_scalar(sql::FORMER_NAMES).bind(id).fetch_all(&self.reader).await?;
        convert::unit(&row, former).map(Some)
    }

    async fn unit_named(&self, name: &str) -> Result<Option<UnitRow>, StoreError> {
        let Some(row) = sqlx::query(sql::UNIT_NAMED).bind(name).fetch_optional(&self.reader).await? else {
            return Ok(None);
        };
        let id = row.text("id")?;
        let former: Vec<String> = sqlx::query_scalar(sql::FORMER_NAMES).bind(&id).fetch_all(&self.reader).await?;
        convert::unit(&row, former).map(Some)
    }

    async fn update_unit(&self, u: &UnitRow) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let owner: Option<String> = sqlx::query_scalar(sql::NAME_OWNER).bind(&u.name).fetch_optional(&mut *tx).await?;
        match owner {
            Some(other) if other != u.id => return Err(StoreError::AlreadyExists(u.name.clone())),
            Some(_) => {}
            None => {
                let at = format_instant(&u.updated_at);
                sqlx::query(sql::INSERT_NAME).bind(&u.name).bind(&u.id).bind(at).execute(&mut *tx).await?;
            }
        }
        let done = sqlx::query(sql::UPDATE_UNIT)
            .bind(&u.id)
            .bind(&u.name)
            .bind(&u.code)
            .bind(&u.parent_id)
            .bind(format_instant(&u.updated_at))
            .execute(&mut *tx)
            .await;
        let done = match done {
            Err(e) if rows::is_unique_violation(&e) => return Err(StoreError::AlreadyExists(u.name.clone())),
            other => other?,
        };
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query(sql::RENAME_IN_USERS).bind(&u.id).bind(&u.name).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    }
}
