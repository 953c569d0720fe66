//! User administration over the API: list users, create one, change roles,
//! move a user to another unit or position, deactivate and reactivate —
//! administrators only, decided here rather than in the HTTP layer. There
//! is no audit table for accounts (the hash-chained record belongs to
//! decisions), so each change is written to the `juece::audit` log with who
//! made it; no secret is ever logged.

use chrono::{DateTime, Utc};

use super::{secret, Auth, AuthError, CreatedToken, NewUser};
use crate::actor::{Actor, Role};
use crate::refusal::{Detail, Reason, Refusal};
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

/// Where a user works now: each field left `None` stays as it is.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub display_name: Option<String>,
    pub unit: Option<String>,
    pub position: Option<String>,
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
        // Like deactivating oneself: an administrator never locks themselves out of administration.
        if by.user_id == name && remove.contains(&Role::Administrator) {
            let reason = Reason::new(
                "cannot_remove_own_administrator",
                "access policy",
                "管理员不能取消自己的系统管理员角色",
                "an administrator cannot remove their own administrator role",
            )
            .with_detail(Detail::new(
                format!("请另一位管理员变更 {name} 的角色"),
                format!("ask another administrator to change the roles of {name}"),
            ));
            return Err(AdminError::Refused(Refusal::one(reason)));
        }
        let roles = self.change_roles(name, add, remove).await?;
        let now: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        tracing::info!(target: "juece::audit", by = %by.user_id, user = %name, roles = ?now, "roles changed");
        Ok(roles)
    }

    /// One user, for an administrator.
    pub async fn user_for(&self, by: &Actor, name: &str) -> Result<UserRow, AdminError> {
        administrator(by)?;
        Ok(self.user(name).await?.ok_or_else(|| AuthError::UnknownUser(name.into()))?)
    }

    /// Move a user to another unit or position (or correct their display name). Acts already recorded keep
    /// the unit and position the user had then (each act snapshots its actor); what the user may read and do
    /// from now on follows the new unit.
    pub async fn change_placement_by(&self, by: &Actor, name: &str, p: Placement) -> Result<UserRow, AdminError> {
        administrator(by)?;
        let user = self.change_placement(name, p).await?;
        tracing::info!(target: "juece::audit", by = %by.user_id, user = %name, unit = %user.unit,
            position = %user.position, "user moved");
        Ok(user)
    }

    /// [`Auth::change_placement_by`] without a caller (the command line, run by whoever holds the database).
    pub async fn change_placement(&self, name: &str, p: Placement) -> Result<UserRow, AuthError> {
        let mut user = self.user(name).await?.ok_or_else(|| AuthError::UnknownUser(name.into()))?;
        if let Some(d) = p.display_name {
            user.display_name = super::checked_field("display_name", d)?;
        }
        if let Some(u) = p.unit {
            let unit = self.placed_in(&super::checked_field("unit", u)?).await?;
            (user.unit, user.unit_id) = (unit.name, unit.id);
        }
        if let Some(q) = p.position {
            user.position = super::checked_field("position", q)?;
        }
        if !self.store.set_placement(&user).await? {
            return Err(AuthError::UnknownUser(name.into()));
        }
        Ok(user)
    }

    /// Deactivate a user who left: they can no longer sign in, their sessions end and their API tokens are
    /// revoked. The user is kept (the record names them); an administrator cannot deactivate themselves, so
    /// that someone is always left who can reactivate.
    pub async fn deactivate_by(&self, by: &Actor, name: &str, now: DateTime<Utc>) -> Result<UserRow, AdminError> {
        administrator(by)?;
        if by.user_id == name {
            let reason = Reason::new(
                "cannot_deactivate_self",
                "access policy",
                "管理员不能停用自己的账户",
                "an administrator cannot deactivate their own account",
            )
            .with_detail(Detail::new(
                format!("请另一位管理员停用 {name}"),
                format!("ask another administrator to deactivate {name}"),
            ));
            return Err(AdminError::Refused(Refusal::one(reason)));
        }
        let (user, revoked) = self.deactivate(name, now).await?;
        tracing::info!(target: "juece::audit", by = %by.user_id, user = %name, tokens_revoked = revoked,
            "user deactivated");
        Ok(user)
    }

    /// [`Auth::deactivate_by`] without a caller; also how many API tokens were revoked.
    pub async fn deactivate(&self, name: &str, now: DateTime<Utc>) -> Result<(UserRow, u64), AuthError> {
        let mut user = self.user(name).await?.ok_or_else(|| AuthError::UnknownUser(name.into()))?;
        if user.deactivated_at.is_none() {
            self.store.set_deactivated(name, Some(now)).await?;
            user.deactivated_at = Some(now);
        }
        // Also when already deactivated: whatever was opened since is closed again.
        self.store.delete_sessions_of(name).await?;
        let revoked = self.store.revoke_tokens_of(name, now).await?;
        Ok((user, revoked))
    }

    /// Let a deactivated user sign in again with their password (their old tokens stay revoked).
    pub async fn reactivate_by(&self, by: &Actor, name: &str) -> Result<UserRow, AdminError> {
        administrator(by)?;
        let user = self.reactivate(name).await?;
        tracing::info!(target: "juece::audit", by = %by.user_id, user = %name, "user reactivated");
        Ok(user)
    }

    /// [`Auth::reactivate_by`] without a caller.
    pub async fn reactivate(&self, name: &str) -> Result<UserRow, AuthError> {
        let mut user = self.user(name).await?.ok_or_else(|| AuthError::UnknownUser(name.into()))?;
        self.store.set_deactivated(name, None).await?;
        user.deactivated_at = None;
        Ok(user)
    }
}
