//! User administration over the API: list users, create one, change roles —
//! administrators only, decided here rather than in the HTTP layer. There
//! is no audit table for accounts (the hash-chained record belongs to
//! decisions), so each change is written to the `juece::audit` log with who
//! made it; no secret is ever logged.

use chrono::{DateTime, Utc};

use super::{secret, Auth, AuthError, CreatedToken, NewUser};
use crate::actor::{Actor, Role};
use crate::refusal::Refusal;
use crate::store::users::UserRow;

/// Why an administrative request failed.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error(transparent)]
    Auth(#[from] AuthError),
}

/// How a new user will first sign in.
#[derive(Debug, Clone)]
pub enum FirstCredential {
    Password(String),
    /// An API token, shown once in the answer; the password is random and unknown
    /// until an administrator sets one (`juece user passwd`).
    Token,
}

/// A created user, and its first token when one was asked for.
#[derive(Debug, Clone)]
pub struct CreatedUser {
    pub user: UserRow,
    pub token: Option<CreatedToken>,
}

fn administrator(by: &Actor) -> Result<(), AdminError> {
    by.require_administrator("只有系统管理员可以管理用户", "only an administrator may manage users")
        .map_err(AdminError::Refused)
}

impl Auth {
    /// Every user, for an administrator.
    pub async fn users_for(&self, by: &Actor) -> Result<Vec<UserRow>, AdminError> {
        administrator(by)?;
        Ok(self.store.all_users().await.map_err(AuthError::from)?)
    }

    /// Create a user on an administrator's behalf.
    pub async fn create_user_by(
        &self,
        by: &Actor,
        new: NewUser,
        credential: FirstCredential,
        now: DateTime<Utc>,
    ) -> Result<CreatedUser, AdminError> {
        administrator(by)?;
        let password = match &credential {
            FirstCredential::Password(p) => p.clone(),
            FirstCredential::Token => secret::generate("unused_"),
        };
        let user = self.add_user(new, &password, now).await?;
        let token = match credential {
            FirstCredential::Token => Some(self.create_token(&user.name, "initial", now).await?),
            FirstCredential::Password(_) => None,
        };
        let roles: Vec<&str> = user.roles.iter().map(|r| r.as_str()).collect();
        tracing::info!(target: "juece::audit", by = %by.user_id, user = %user.name, roles = ?roles,
            token = token.is_some(), "user created");
        Ok(CreatedUser { user, token })
    }

    /// Add and remove roles on an administrator's behalf; the roles now held.
    pub async fn change_roles_by(
        &self,
        by: &Actor,
        name: &str,
        add: &[Role],
        remove: &[Role],
    ) -> Result<Vec<Role>, AdminError> {
        administrator(by)?;
        let roles = self.change_roles(name, add, remove).await?;
        let now: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        tracing::info!(target: "juece::audit", by = %by.user_id, user = %name, roles = ?now, "roles changed");
        Ok(roles)
    }
}
