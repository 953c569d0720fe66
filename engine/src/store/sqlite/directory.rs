//! [`DirectoryStore`] on SQLite, on the read pool.

use async_trait::async_trait;

use super::super::directory::{DirectoryStore, ALL_USERS};
use super::super::users::{convert, UserRow};
use super::super::StoreError;
use super::SqliteStore;

#[async_trait]
impl DirectoryStore for SqliteStore {
    async fn all_users(&self) -> Result<Vec<UserRow>, StoreError> {
        let rows = sqlx::query(ALL_USERS).fetch_all(&self.reader).await?;
        rows.iter().map(convert::user).collect()
    }
}
