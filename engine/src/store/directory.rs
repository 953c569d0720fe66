//! [`DirectoryStore`]: the list of every user, for administrators (a user
//! is otherwise only ever looked up by name, token or session).

use async_trait::async_trait;

use super::users::UserRow;
use super::StoreError;

#[async_trait]
pub trait DirectoryStore: Send + Sync {
    /// Every user, by login name.
    async fn all_users(&self) -> Result<Vec<UserRow>, StoreError>;
}

// ---- SQL shared by both stores ------------------------------------------------

pub(super) const ALL_USERS: &str = "select * from users order by name";

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::actor::Role;
    use crate::store::{PgTestDb, SqliteStore, Store};

    async fn listing<S: Store + 'static>(store: Arc<S>) {
        assert!(store.all_users().await.expect("list").is_empty());
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("t");
        for (name, role) in [("zhou", Role::Drafter), ("admin", Role::Administrator)] {
            let u = UserRow {
                name: name.into(),
                display_name: name.into(),
                unit: "u".into(),
                position: "p".into(),
                roles: vec![role],
                password_hash: "x".into(),
                created_at: at,
                deactivated_at: None,
                unit_id: String::new(),
            };
            store.insert_user(&u).await.expect("insert");
        }
        let all = store.all_users().await.expect("list");
        let names: Vec<(&str, Vec<Role>)> = all.iter().map(|u| (u.name.as_str(), u.roles.clone())).collect();
        assert_eq!(names, [("admin", vec![Role::Administrator]), ("zhou", vec![Role::Drafter])]);
        assert_eq!(all[0].created_at, at);
    }

    #[tokio::test]
    async fn listing_on_sqlite() {
        let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
        store.migrate().await.expect("migrate");
        listing(Arc::new(store)).await;
    }

    #[tokio::test]
    async fn listing_on_postgres() {
        if let Some(db) = PgTestDb::create().await {
            db.run(listing).await;
        }
    }
}
