//! [`DirectoryStore`] on PostgreSQL; the SQL is shared with SQLite.

use async_trait::async_trait;

use super::super::directory::{DirectoryStore, ALL_USERS};
use super::super::users::{convert, UserRow};
use super::super::StoreError;
use super::PgStore;

#[async_trait]
impl DirectoryStore for PgStore {
    async fn all_users(&self) -> Result<Vec<UserRow>, StoreError> {
        let rows = sqlx::query(ALL_USERS).fetch_all(&self.pool).await?;
        rows.iter().map(convert::user).collect()
    }
}
