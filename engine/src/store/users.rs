//! [`UserStore`]: people who sign in, their browser sessions and their API
//! tokens. Secrets never reach this layer in clear: sessions and tokens are
//! looked up by the SHA-256 of the token, passwords are argon2id PHC strings
//! (`crate::auth` does the hashing).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreError;
use crate::actor::Role;

/// A user as stored (the password hash stays inside the store and `auth`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRow {
    pub name: String,
    pub display_name: String,
    /// The unit's current name (kept equal to the directory's when the unit is renamed).
    pub unit: String,
    /// The unit's id in the unit directory: access follows it, not the name. Empty only for a row written
    /// straight to the store (`crate::auth` always places a user in a unit of the directory).
    #[serde(skip)]
    pub unit_id: String,
    pub position: String,
    pub roles: Vec<Role>,
    #[serde(skip)]
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
    /// When the user was deactivated (they left, or moved out of the system); `None` while active.
    /// A deactivated user is kept, never deleted: the record names them by login.
    pub deactivated_at: Option<DateTime<Utc>>,
}

/// An API token as listed: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRow {
    pub id: String,
    pub user_name: String,
    pub label: String,
    #[serde(skip)]
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait UserStore: Send + Sync {
    /// Insert a user; `AlreadyExists` when the name is taken.
    async fn insert_user(&self, user: &UserRow) -> Result<(), StoreError>;
    async fn user(&self, name: &str) -> Result<Option<UserRow>, StoreError>;
    async fn count_users(&self) -> Result<i64, StoreError>;
    /// Replace the password hash; false when there is no such user.
    async fn set_password_hash(&self, name: &str, hash: &str) -> Result<bool, StoreError>;
    /// Replace the roles; false when there is no such user.
    async fn set_roles(&self, name: &str, roles: &[Role]) -> Result<bool, StoreError>;
    /// Replace the display name, unit (its name and directory id) and position; false when there is no such user.
    async fn set_placement(&self, user: &UserRow) -> Result<bool, StoreError>;
    /// Deactivate (`Some(when)`) or reactivate (`None`); false when there is no such user.
    async fn set_deactivated(&self, name: &str, at: Option<DateTime<Utc>>) -> Result<bool, StoreError>;

    async fn insert_session(
        &self,
        token_hash: &str,
        user: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// The user of an unexpired session.
    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<UserRow>, StoreError>;
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;
    /// Sign a user out everywhere (after a password change).
    async fn delete_sessions_of(&self, user: &str) -> Result<(), StoreError>;

    async fn insert_token(&self, token: &TokenRow) -> Result<(), StoreError>;
    async fn tokens_of(&self, user: &str) -> Result<Vec<TokenRow>, StoreError>;
    /// The user of an unrevoked token.
    async fn token_user(&self, token_hash: &str) -> Result<Option<UserRow>, StoreError>;
    /// Revoke one of the user's own tokens; false when none matched.
    async fn revoke_token(&self, user: &str, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError>;
    /// Revoke every live token of the user (after a password change); how many.
    async fn revoke_tokens_of(&self, user: &str, now: DateTime<Utc>) -> Result<u64, StoreError>;

    /// When sign-in as `name` opens again, if it is locked at `now`.
    async fn login_locked_until(&self, name: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// Count a failed sign-in as `name` (whether or not the user exists): a
    /// count older than `window_start` starts again at one; reaching
    /// `threshold` locks sign-in until `lock_until`. One statement, so
    /// replicas counting at once lose no failure.
    async fn record_login_failure(
        &self,
        name: &str,
        now: DateTime<Utc>,
        window_start: DateTime<Utc>,
        threshold: i64,
        lock_until: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Forget the failures of `name` (after a successful sign-in).
    async fn clear_login_failures(&self, name: &str) -> Result<(), StoreError>;
}

/// SQL shared by both stores (`$n` placeholders work in both dialects).
pub(super) mod sql {
    pub const INSERT_USER: &str = "insert into users \
         (name, display_name, unit, position, roles, password_hash, created_at, unit_id) \
         values ($1, $2, $3, $4, $5, $6, $7, $8)";
    pub const USER: &str = "select * from users where name = $1";
    pub const COUNT_USERS: &str = "select count(*) from users";
    pub const SET_PASSWORD: &str = "update users set password_hash = $2 where name = $1";
    pub const SET_ROLES: &str = "update users set roles = $2 where name = $1";
    pub const SET_PLACEMENT: &str =
        "update users set display_name = $2, unit = $3, position = $4, unit_id = $5 where name = $1";
    pub const SET_DEACTIVATED: &str = "update users set deactivated_at = $2 where name = $1";
    pub const INSERT_SESSION: &str =
        "insert into sessions (token_hash, user_name, created_at, expires_at_us) values ($1, $2, $3, $4)";
    pub const SESSION_USER: &str = "select u.* from sessions s join users u on u.name = s.user_name \
         where s.token_hash = $1 and s.expires_at_us > $2 and u.deactivated_at is null";
    pub const DELETE_SESSION: &str = "delete from sessions where token_hash = $1";
    pub const DELETE_SESSIONS_OF: &str = "delete from sessions where user_name = $1";
    pub const INSERT_TOKEN: &str = "insert into api_tokens \
         (id, user_name, label, token_hash, created_at, revoked_at) values ($1, $2, $3, $4, $5, $6)";
    pub const TOKENS_OF: &str = "select * from api_tokens where user_name = $1 order by created_at, id";
    pub const TOKEN_USER: &str = "select u.* from api_tokens t join users u on u.name = t.user_name \
         where t.token_hash = $1 and t.revoked_at is null and u.deactivated_at is null";
    pub const REVOKE_TOKEN: &str =
        "update api_tokens set revoked_at = $3 where user_name = $1 and id = $2 and revoked_at is null";
    pub const REVOKE_TOKENS_OF: &str =
        "update api_tokens set revoked_at = $2 where user_name = $1 and revoked_at is null";
    pub const LOGIN_LOCKED_UNTIL: &str =
        "select locked_until_us from login_failures where name = $1 and locked_until_us > $2";
    /// $2 now, $3 the start of the counting window, $4 the threshold, $5 the end of a lock.
    pub const RECORD_LOGIN_FAILURE: &str = "insert into login_failures \
         (name, failures, window_start_us, locked_until_us) values ($1, 1, $2, case when 1 >= $4 then $5 end) \
         on conflict (name) do update set \
         failures = case when login_failures.window_start_us < $3 then 1 else login_failures.failures + 1 end, \
         window_start_us = case when login_failures.window_start_us < $3 then $2 \
         else login_failures.window_start_us end, \
         locked_until_us = case \
         when (case when login_failures.window_start_us < $3 then 1 else login_failures.failures + 1 end) >= $4 \
         then $5 else login_failures.locked_until_us end";
    pub const CLEAR_LOGIN_FAILURES: &str = "delete from login_failures where name = $1";
}

/// Row conversions shared by both stores.
pub(super) mod convert {
    use chrono::{DateTime, Utc};

    use super::super::rows::{self, Cols};
    use super::super::StoreError;
    use super::{TokenRow, UserRow};
    use crate::actor::Role;

    pub fn instant(text: &str) -> Result<DateTime<Utc>, StoreError> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| StoreError::Corrupt(format!("{text:?} is not an RFC 3339 instant: {e}")))
    }

    pub fn user(row: &impl Cols) -> Result<UserRow, StoreError> {
        let roles: Vec<String> = serde_json::from_str(&row.text("roles")?)
            .map_err(|e| StoreError::Corrupt(format!("roles of a user: {e}")))?;
        let roles = roles
            .iter()
            .map(|r| Role::parse(r).ok_or_else(|| StoreError::Corrupt(format!("unknown role `{r}`"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(UserRow {
            name: row.text("name")?,
            display_name: row.text("display_name")?,
            unit: row.text("unit")?,
            unit_id: row.opt_text("unit_id")?.unwrap_or_default(),
            position: row.text("position")?,
            roles,
            password_hash: row.text("password_hash")?,
            created_at: instant(&row.text("created_at")?)?,
            deactivated_at: row.opt_text("deactivated_at")?.map(|t| instant(&t)).transpose()?,
        })
    }

    pub fn roles_json(roles: &[Role]) -> Result<String, StoreError> {
        rows::to_json(&roles.iter().map(|r| r.as_str()).collect::<Vec<_>>())
    }

    pub fn token(row: &impl Cols) -> Result<TokenRow, StoreError> {
        Ok(TokenRow {
            id: row.text("id")?,
            user_name: row.text("user_name")?,
            label: row.text("label")?,
            token_hash: row.text("token_hash")?,
            created_at: instant(&row.text("created_at")?)?,
            revoked_at: row.opt_text("revoked_at")?.map(|t| instant(&t)).transpose()?,
        })
    }
}
