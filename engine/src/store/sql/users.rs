//! [`UserStore`]: writes on the writer, lookups on the read pool.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::Backend;
use crate::actor::Role;
use crate::audit::format_instant;
use crate::store::rows;
use crate::store::users::{convert, sql, TokenRow, UserRow, UserStore};
use crate::store::StoreError;

#[async_trait]
impl UserStore for Backend {
    async fn insert_user(&self, u: &UserRow) -> Result<(), StoreError> {
        let done = sqlx::query(sql::INSERT_USER)
            .bind(&u.name)
            .bind(&u.display_name)
            .bind(&u.unit)
            .bind(&u.position)
            .bind(convert::roles_json(&u.roles)?)
            .bind(&u.password_hash)
            .bind(format_instant(&u.created_at))
            .bind(unit_id(u))
            .execute(&self.writer)
            .await;
        match done {
            Err(e) if rows::is_unique_violation(&e) => Err(StoreError::AlreadyExists(u.name.clone())),
            other => other.map(|_| ()).map_err(Into::into),
        }
    }

    async fn user(&self, name: &str) -> Result<Option<UserRow>, StoreError> {
        let row = sqlx::query(sql::USER).bind(name).fetch_optional(&self.reader).await?;
        row.as_ref().map(convert::user).transpose()
    }

    async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(sql::COUNT_USERS).fetch_one(&self.reader).await?)
    }

    async fn set_password_hash(&self, name: &str, hash: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(sql::SET_PASSWORD).bind(name).bind(hash).execute(&self.writer).await?;
        Ok(done.rows_affected() > 0)
    }

    async fn set_roles(&self, name: &str, roles: &[Role]) -> Result<bool, StoreError> {
        let done =
            sqlx::query(sql::SET_ROLES).bind(name).bind(convert::roles_json(roles)?).execute(&self.writer).await?;
        Ok(done.rows_affected() > 0)
    }

    async fn set_placement(&self, u: &UserRow) -> Result<bool, StoreError> {
        let done = sqlx::query(sql::SET_PLACEMENT)
            .bind(&u.name)
            .bind(&u.display_name)
            .bind(&u.unit)
            .bind(&u.position)
            .bind(unit_id(u))
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn set_deactivated(&self, name: &str, at: Option<DateTime<Utc>>) -> Result<bool, StoreError> {
        let at = at.as_ref().map(format_instant);
        let done = sqlx::query(sql::SET_DEACTIVATED).bind(name).bind(at).execute(&self.writer).await?;
        Ok(done.rows_affected() > 0)
    }

    async fn insert_session(
        &self,
        token_hash: &str,
        user: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(sql::INSERT_SESSION)
            .bind(token_hash)
            .bind(user)
            .bind(format_instant(&now))
            .bind(expires_at.timestamp_micros())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<UserRow>, StoreError> {
        let row = sqlx::query(sql::SESSION_USER)
            .bind(token_hash)
            .bind(now.timestamp_micros())
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref().map(convert::user).transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query(sql::DELETE_SESSION).bind(token_hash).execute(&self.writer).await?;
        Ok(())
    }

    async fn delete_sessions_of(&self, user: &str) -> Result<(), StoreError> {
        sqlx::query(sql::DELETE_SESSIONS_OF).bind(user).execute(&self.writer).await?;
        Ok(())
    }

    async fn insert_token(&self, t: &TokenRow) -> Result<(), StoreError> {
        sqlx::query(sql::INSERT_TOKEN)
            .bind(&t.id)
            .bind(&t.user_name)
            .bind(&t.label)
            .bind(&t.token_hash)
            .bind(format_instant(&t.created_at))
            .bind(t.revoked_at.as_ref().map(format_instant))
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn tokens_of(&self, user: &str) -> Result<Vec<TokenRow>, StoreError> {
        let found = sqlx::query(sql::TOKENS_OF).bind(user).fetch_all(&self.reader).await?;
        found.iter().map(convert::token).collect()
    }

    async fn token_user(&self, token_hash: &str) -> Result<Option<UserRow>, StoreError> {
        let row = sqlx::query(sql::TOKEN_USER).bind(token_hash).fetch_optional(&self.reader).await?;
        row.as_ref().map(convert::user).transpose()
    }

    async fn revoke_token(&self, user: &str, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let done =
            sqlx::query(sql::REVOKE_TOKEN).bind(user).bind(id).bind(format_instant(&now)).execute(&self.writer).await?;
        Ok(done.rows_affected() > 0)
    }

    async fn revoke_tokens_of(&self, user: &str, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let done =
            sqlx::query(sql::REVOKE_TOKENS_OF).bind(user).bind(format_instant(&now)).execute(&self.writer).await?;
        Ok(done.rows_affected())
    }

    async fn login_locked_until(&self, name: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, StoreError> {
        // On the writer: a lock another request set an instant ago must hold.
        let until: Option<i64> = sqlx::query_scalar(sql::LOGIN_LOCKED_UNTIL)
            .bind(name)
            .bind(now.timestamp_micros())
            .fetch_optional(&self.writer)
            .await?;
        Ok(until.and_then(DateTime::from_timestamp_micros))
    }

    async fn record_login_failure(
        &self,
        name: &str,
        now: DateTime<Utc>,
        window_start: DateTime<Utc>,
        threshold: i64,
        lock_until: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(sql::RECORD_LOGIN_FAILURE)
            .bind(name)
            .bind(now.timestamp_micros())
            .bind(window_start.timestamp_micros())
            .bind(threshold)
            .bind(lock_until.timestamp_micros())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn clear_login_failures(&self, name: &str) -> Result<(), StoreError> {
        sqlx::query(sql::CLEAR_LOGIN_FAILURES).bind(name).execute(&self.writer).await?;
        Ok(())
    }
}

/// The user's unit id, or null for a row placed in no unit of the directory (it references `units`).
fn unit_id(u: &UserRow) -> Option<&str> {
    Some(u.unit_id.as_str()).filter(|id| !id.is_empty())
}
