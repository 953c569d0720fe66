//! [`DirectoryStore`]: the user directory, read on the read pool.

use async_trait::async_trait;

use super::Backend;
use crate::store::directory::{DirectoryStore, ALL_USERS};
use crate::store::users::{convert, UserRow};
use crate::store::StoreError;

#[async_trait]
impl DirectoryStore for Backend {
    async fn all_users(&self) -> Result<Vec<UserRow>, StoreError> {
        let rows = sqlx::query(ALL_USERS).fetch_all(&self.reader).await?;
        rows.iter().map(convert::user).collect()
    }
}
