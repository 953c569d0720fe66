//! Who is calling: users (login name, unit, position, roles), password
//! sign-in creating server-side sessions, and API tokens for systems. An
//! authenticated user becomes an [`Actor`] snapshot here, so the HTTP layer
//! never decides what a user's roles or unit are.
//!
//! Secrets: passwords are kept as argon2id hashes ([`password`]); session
//! and API tokens as SHA-256 digests ([`secret`]); a token is shown once,
//! when created. No function here logs a secret.

pub mod admin;
pub mod password;
pub mod secret;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::actor::{Actor, Role};
use crate::refusal::bi;
use crate::store::users::{TokenRow, UserRow};
use crate::store::{Store, StoreError};

/// How long a browser session lasts without signing in again.
pub const SESSION_HOURS: i64 = 12;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Wrong name or password (never says which).
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("no user named {0}")]
    UnknownUser(String),
    #[error("a user named {0} already exists")]
    AlreadyExists(String),
    /// Input the rules refuse, said in Chinese and English.
    #[error("{0}")]
    Invalid(crate::refusal::Detail),
    /// A unit the unit directory does not hold (or a former name of one): its reason code and the closest names.
    #[error("{}: {} ({})", .0.reason_code, .0.detail.as_deref().unwrap_or(""), .0.message_en)]
    Unit(crate::refusal::Reason),
    /// Too many failed sign-ins for this name; said alike whether or not the user exists.
    #[error("sign-in locked until {until}")]
    Locked { until: DateTime<Utc> },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub display_name: Option<String>,
    /// The current name of a unit of the unit directory.
    pub unit: String,
    pub position: String,
    pub roles: Vec<Role>,
}

/// A signed-in browser session; `token` goes into the cookie and nowhere else.
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    #[serde(skip)]
    pub token: String,
    pub user: UserRow,
    pub expires_at: DateTime<Utc>,
}

/// A freshly created API token: `secret` is shown to its owner once.
#[derive(Debug, Clone, Serialize)]
pub struct CreatedToken {
    pub token: TokenRow,
    pub secret: String,
}

/// The snapshot an act records for this user.
pub fn actor_of(user: &UserRow) -> Actor {
    Actor {
        user_id: user.name.clone(),
        name: user.display_name.clone(),
        unit: user.unit.clone(),
        position: user.position.clone(),
        roles: user.roles.clone(),
        former_units: Vec::new(),
    }
}

/// The actor of an unauthenticated member of the public.
pub fn anonymous() -> Actor {
    Actor {
        user_id: "anonymous".into(),
        name: "公众".into(),
        unit: "public".into(),
        position: "-".into(),
        roles: vec![Role::Public],
        former_units: Vec::new(),
    }
}

/// When repeated failed sign-ins lock an account: `failures` within
/// `window` lock sign-in for `lock_for`. Counted per login name, across
/// addresses and replicas (the per-address rate limit alone lets a botnet
/// guess one account's password at leisure).
#[derive(Debug, Clone, Copy)]
pub struct Lockout {
    pub failures: i64,
    pub window: Duration,
    pub lock_for: Duration,
}

impl Default for Lockout {
    fn default() -> Self {
        Lockout { failures: 5, window: Duration::minutes(15), lock_for: Duration::minutes(15) }
    }
}

/// Users, sessions and tokens on a store.
#[derive(Clone)]
pub struct Auth {
    store: Arc<dyn Store>,
    lockout: Lockout,
}

impl Auth {
    pub fn new(store: Arc<dyn Store>) -> Auth {
        Auth { store, lockout: Lockout::default() }
    }

    pub fn with_lockout(mut self, lockout: Lockout) -> Auth {
        self.lockout = lockout;
        self
    }

    pub async fn add_user(&self, new: NewUser, password: &str, now: DateTime<Utc>) -> Result<UserRow, AuthError> {
        validate_name(&new.name)?;
        let unit = checked_field("unit", new.unit)?;
        let position = checked_field("position", new.position)?;
        validate_roles(&new.roles)?;
        let unit = self.placed_in(&unit).await?;
        let user = UserRow {
            display_name: new.display_name.filter(|d| !d.trim().is_empty()).unwrap_or_else(|| new.name.clone()),
            name: new.name,
            unit: unit.name,
            unit_id: unit.id,
            position,
            roles: new.roles,
            password_hash: hash_new(password)?,
            created_at: now,
            deactivated_at: None,
        };
        match self.store.insert_user(&user).await {
            Err(StoreError::AlreadyExists(n)) => Err(AuthError::AlreadyExists(n)),
            other => other.map(|_| user).map_err(Into::into),
        }
    }

    /// Create the first administrator, only when no user exists yet.
    /// Returns whether one was created.
    pub async fn ensure_first_admin(&self, name: &str, password: &str, now: DateTime<Utc>) -> Result<bool, AuthError> {
        if self.store.count_users().await? > 0 {
            return Ok(false);
        }
        // A password refused leaves nothing behind, not even the unit below.
        long_enough(password)?;
        // The first administrator's unit joins the directory with them; an operator renames it at will. Another
        // replica starting at the same moment may have added it first.
        if self.units().named(FIRST_ADMIN_UNIT).await.map_err(from_unit)?.is_none() {
            let unit = crate::units::NewUnit { name: FIRST_ADMIN_UNIT.into(), ..Default::default() };
            match self.units().add(unit, now).await {
                Ok(_) => {}
                Err(crate::units::UnitError::Refused(r)) if r.reason_code == "unit_name_taken" => {}
                Err(e) => return Err(from_unit(e)),
            }
        }
        let admin = NewUser {
            name: name.into(),
            display_name: None,
            unit: FIRST_ADMIN_UNIT.into(),
            position: "administrator".into(),
            roles: vec![Role::Administrator],
        };
        self.add_user(admin, password, now).await.map(|_| true)
    }

    /// Set a new password and end every session of the user; revoke their
    /// API tokens too unless `keep_tokens` (a password changed because it
    /// leaked means whatever it opened may have leaked with it). Returns how
    /// many tokens were revoked.
    pub async fn set_password(
        &self,
        name: &str,
        password: &str,
        keep_tokens: bool,
        now: DateTime<Utc>,
    ) -> Result<u64, AuthError> {
        if !self.store.set_password_hash(name, &hash_new(password)?).await? {
            return Err(AuthError::UnknownUser(name.into()));
        }
        self.store.delete_sessions_of(name).await?;
        self.store.clear_login_failures(name).await?;
        if keep_tokens {
            return Ok(0);
        }
        Ok(self.store.revoke_tokens_of(name, now).await?)
    }

    /// Add and remove roles; returns the roles the user now holds.
    pub async fn change_roles(&self, name: &str, add: &[Role], remove: &[Role]) -> Result<Vec<Role>, AuthError> {
        let user = self.store.user(name).await?.ok_or_else(|| AuthError::UnknownUser(name.into()))?;
        let mut roles: Vec<Role> = user.roles.into_iter().filter(|r| !remove.contains(r)).collect();
        for r in add {
            if !roles.contains(r) {
                roles.push(*r);
            }
        }
        roles.sort();
        validate_roles(&roles)?;
        self.store.set_roles(name, &roles).await?;
        Ok(roles)
    }

    pub async fn user(&self, name: &str) -> Result<Option<UserRow>, AuthError> {
        Ok(self.store.user(name).await?)
    }

    /// Check a password and open a session. A name locked by repeated
    /// failures is refused before its password is looked at, alike whether
    /// or not such a user exists: the lock tells nothing about accounts.
    pub async fn login(&self, name: &str, password: &str, now: DateTime<Utc>) -> Result<Session, AuthError> {
        // A name no user can have is never counted: it could only fill the table.
        let countable = validate_name(name).is_ok();
        if countable {
            if let Some(until) = self.store.login_locked_until(name, now).await? {
                return Err(AuthError::Locked { until });
            }
        }
        let user = match self.store.user(name).await? {
            // A deactivated user's password is still checked (the same time either way) but opens nothing.
            Some(u) if password::verify(password, &u.password_hash) && u.deactivated_at.is_none() => Some(u),
            Some(_) => None,
            None => {
                password::verify_dummy(password);
                None
            }
        };
        let Some(user) = user else {
            if countable {
                let l = self.lockout;
                self.store.record_login_failure(name, now, now - l.window, l.failures, now + l.lock_for).await?;
            }
            return Err(AuthError::InvalidCredentials);
        };
        self.store.clear_login_failures(name).await?;
        let token = secret::generate("");
        let expires_at = now + Duration::hours(SESSION_HOURS);
        self.store.insert_session(&secret::digest(&token), &user.name, now, expires_at).await?;
        Ok(Session { token, user, expires_at })
    }

    pub async fn logout(&self, session_token: &str) -> Result<(), AuthError> {
        Ok(self.store.delete_session(&secret::digest(session_token)).await?)
    }

    /// The actor behind a session cookie, if the session is live.
    pub async fn session_actor(&self, session_token: &str, now: DateTime<Utc>) -> Result<Option<Actor>, AuthError> {
        match self.store.session_user(&secret::digest(session_token), now).await? {
            Some(u) => Ok(Some(self.actor(&u).await?)),
            None => Ok(None),
        }
    }

    /// The actor a user acts as: [`actor_of`], with the names their unit had before (a decision that names
    /// the unit so is still theirs).
    pub async fn actor(&self, user: &UserRow) -> Result<Actor, AuthError> {
        let mut actor = actor_of(user);
        if !user.unit_id.is_empty() {
            if let Some(unit) = self.store.unit(&user.unit_id).await? {
                actor.former_units = unit.former_names;
            }
        }
        Ok(actor)
    }

    /// The unit directory the users are placed in.
    pub fn units(&self) -> crate::units::Units {
        crate::units::Units::new(self.store.clone())
    }

    /// The directory's unit whose current name is `unit`, or the refusal naming the closest ones.
    pub(crate) async fn placed_in(&self, unit: &str) -> Result<crate::store::units::UnitRow, AuthError> {
        self.units().resolve(unit).await.map_err(from_unit)
    }

    /// The actor behind a bearer token, if it is not revoked.
    pub async fn token_actor(&self, token: &str) -> Result<Option<Actor>, AuthError> {
        if !token.starts_with(secret::TOKEN_PREFIX) {
            return Ok(None);
        }
        match self.store.token_user(&secret::digest(token)).await? {
            Some(u) => Ok(Some(self.actor(&u).await?)),
            None => Ok(None),
        }
    }

    pub async fn create_token(&self, user: &str, label: &str, now: DateTime<Utc>) -> Result<CreatedToken, AuthError> {
        if label.chars().count() > 200 {
            return Err(AuthError::Invalid(bi("令牌标签不超过200个字符", "a token label is at most 200 characters")));
        }
        if self.store.user(user).await?.is_none() {
            return Err(AuthError::UnknownUser(user.into()));
        }
        let secret = secret::generate(secret::TOKEN_PREFIX);
        let token = TokenRow {
            id: uuid::Uuid::new_v4().to_string(),
            user_name: user.into(),
            label: label.into(),
            token_hash: secret::digest(&secret),
            created_at: now,
            revoked_at: None,
        };
        self.store.insert_token(&token).await?;
        Ok(CreatedToken { token, secret })
    }

    pub async fn tokens(&self, user: &str) -> Result<Vec<TokenRow>, AuthError> {
        Ok(self.store.tokens_of(user).await?)
    }

    /// Revoke one of `user`'s tokens; false when they have no such live token.
    pub async fn revoke_token(&self, user: &str, id: &str, now: DateTime<Utc>) -> Result<bool, AuthError> {
        Ok(self.store.revoke_token(user, id, now).await?)
    }
}

/// The unit of the first administrator, created on first start (`Auth::ensure_first_admin`).
pub const FIRST_ADMIN_UNIT: &str = "administration";

fn from_unit(e: crate::units::UnitError) -> AuthError {
    use crate::units::UnitError;
    match e {
        UnitError::Refused(r) | UnitError::Forbidden(r) => AuthError::Unit(r),
        UnitError::NotFound(id) => AuthError::Invalid(bi(format!("没有单位 {id}"), format!("no unit {id}"))),
        UnitError::Store(e) => AuthError::Store(e),
    }
}

/// A unit, position or display name: 1 to 200 characters, not blank, kept without surrounding spaces
/// (a unit matched for access must not differ from the directory's by a trailing space).
fn checked_field(field: &str, value: String) -> Result<String, AuthError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > 200 {
        return Err(AuthError::Invalid(bi(
            format!("{field} 应为1至200个字符"),
            format!("{field} must be 1 to 200 characters"),
        )));
    }
    Ok(value.to_string())
}

fn long_enough(password: &str) -> Result<(), AuthError> {
    if password.chars().count() < password::MIN_LENGTH {
        return Err(AuthError::Invalid(bi(
            format!("密码至少{}个字符", password::MIN_LENGTH),
            format!("a password has at least {} characters", password::MIN_LENGTH),
        )));
    }
    Ok(())
}

fn hash_new(password: &str) -> Result<String, AuthError> {
    long_enough(password)?;
    password::hash(password).map_err(|e| AuthError::Invalid(bi(format!("密码无法处理：{e}"), e)))
}

/// Login names are recorded as the actor's id in the audit trail: short,
/// ASCII and unambiguous.
fn validate_name(name: &str) -> Result<(), AuthError> {
    let ok = (1..=64).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(AuthError::Invalid(bi(
            "用户名为1至64个 A-Z a-z 0-9 . _ - 字符",
            "a user name is 1 to 64 of A-Z a-z 0-9 . _ -",
        )))
    }
}

/// `public` is the anonymous actor and `system` the scheduler: no person holds them.
fn validate_roles(roles: &[Role]) -> Result<(), AuthError> {
    if roles.is_empty() {
        return Err(AuthError::Invalid(bi("用户至少需要一个角色", "a user needs at least one role")));
    }
    match roles.iter().find(|r| matches!(r, Role::Public | Role::System)) {
        Some(r) => Err(AuthError::Invalid(bi(
            format!("角色 `{}` 不能授予用户", r.as_str()),
            format!("the role `{}` cannot be given to a user", r.as_str()),
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
pub(crate) mod tests;
