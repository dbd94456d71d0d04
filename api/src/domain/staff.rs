//! Staff accounts: argon2id passwords (hashed and checked on the blocking pool, never on
//! the async threads), sign-in with a limit per username and per client address whose
//! counts live in the database (so it holds across replicas), and new accounts.

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use futures_util::FutureExt;
use mall_core::staff::{check_password, check_username, AccountError, StaffRole};

use crate::{
    db::{self, idempotency::Owner, staff::StaffRow, Pool},
    session,
};

/// Who acts on the staff side: a signed-in account or an automation token.
#[derive(Debug, Clone)]
pub enum Actor {
    /// A staff account.
    Account(StaffRow),
    /// `OPERATOR_TOKEN` or a `MERCHANT_TOKENS` entry, by its name.
    Token(String),
}

impl Actor {
    /// The account id, if a person acts.
    pub fn staff_id(&self) -> Option<i64> {
        match self {
            Actor::Account(s) => Some(s.id),
            Actor::Token(_) => None,
        }
    }

    /// The name the audit log records: the username, or `token:…`.
    pub fn name(&self) -> String {
        match self {
            Actor::Account(s) => s.username.clone(),
            Actor::Token(name) => format!("token:{name}"),
        }
    }

    /// Whose `Idempotency-Key`s these are (the automation tokens share account 0).
    pub fn owner(&self) -> Owner {
        Owner::Staff(self.staff_id().unwrap_or(0))
    }
}

/// A refused or failed staff step.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    /// Unknown username or wrong password (which of the two is not said).
    #[error("wrong username or password")]
    LoginFailed,
    /// Too many sign-in attempts for this username or from this address.
    #[error("too many sign-in attempts; try again in {0} s")]
    TooManyAttempts(i64),
    /// A new account's username or password is not acceptable.
    #[error("{}", .0.message())]
    Invalid(AccountError),
    /// The username is taken.
    #[error("the username {0} is taken")]
    Taken(String),
    /// A merchant account names no merchant, or one that does not exist.
    #[error("a merchant account needs an existing merchant (--merchant <slug>)")]
    NoMerchant,
    /// Hashing failed.
    #[error("password hashing failed: {0}")]
    Hash(String),
    /// The database failed.
    #[error("staff database error")]
    Db(#[from] sqlx::Error),
}

/// Hashes a password with argon2id (default parameters, random salt), on the blocking pool.
pub async fn hash_password(password: String) -> Result<String, StaffError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| StaffError::Hash(e.to_string()))
    })
    .await
    .map_err(|e| StaffError::Hash(e.to_string()))?
}

/// Whether `password` matches the PHC string `hash`, checked on the blocking pool.
async fn verify_password(password: String, hash: String) -> Result<bool, StaffError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(|e| StaffError::Hash(e.to_string()))?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(|e| StaffError::Hash(e.to_string()))?
}

/// A PHC hash no password matches, checked when the username is unknown so an unknown
/// name takes as long as a wrong password.
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Gx4V1PEY8j0ODtRlVyxQqPbqHsOy3gnnE8UHJ6yTQU";

/// One sign-in attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The username as typed.
    pub username: String,
    /// The password as typed.
    pub password: String,
    /// The client's address (see `TRUSTED_PROXY_HEADER`).
    pub address: String,
    /// Unix seconds.
    pub now: i64,
}

/// The sign-in limits: attempts per username and per address in one window.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    /// Attempts per username.
    pub per_user: i64,
    /// Attempts per client address.
    pub per_address: i64,
    /// Window length in seconds.
    pub window: i64,
}

/// Signs a staff member in: counts the attempt against the username and the client
/// address (a capped counter each, refused with the seconds left in the window once
/// full), checks the password, and opens a session. Returns the account and the new
/// session's token.
pub async fn sign_in(
    writer: &Pool,
    reader: &Pool,
    limits: LoginLimits,
    attempt: Attempt,
    session_seconds: i64,
) -> Result<(StaffRow, String), StaffError> {
    let Attempt { username, password, address, now } = attempt;
    let username = username.trim().to_lowercase();
    let window = now.div_euclid(limits.window);
    let retry = (window + 1) * limits.window - now;
    let scopes = [
        (format!("staff-login:user:{username}:{window}"), limits.per_user),
        (format!("staff-login:address:{address}:{window}"), limits.per_address),
    ];
    let admitted = db::transaction(writer, move |tx| {
        async move {
            for (scope, cap) in &scopes {
                if db::counters::bump(tx, scope, 0, 1, Some(*cap)).await?.is_none() {
                    return Ok::<_, sqlx::Error>(false);
                }
            }
            Ok(true)
        }
        .boxed()
    })
    .await?;
    if !admitted {
        return Err(StaffError::TooManyAttempts(retry.max(1)));
    }
    let account =
        if check_username(&username).is_ok() { db::staff::by_username(&mut reader.acquire().await?, &username).await? } else { None };
    let hash = account.as_ref().map_or(DECOY_HASH.to_string(), |a| a.password_hash.clone());
    let matches = verify_password(password, hash).await?;
    let Some(account) = account.filter(|_| matches) else {
        return Err(StaffError::LoginFailed);
    };
    let token = session::new_token();
    db::staff::insert_session(writer, &session::hash_token(&token), account.id, now + session_seconds).await?;
    Ok((account, token))
}

/// A new staff account to create.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Username (lower-cased here).
    pub username: String,
    /// Password (checked for length, then hashed).
    pub password: String,
    /// Role.
    pub role: StaffRole,
    /// The merchant's slug, for a merchant account.
    pub merchant: Option<String>,
    /// Display name (the username when empty).
    pub display_name: String,
}

/// Creates a staff account (the command line's `staff add`); returns its id.
pub async fn add_account(writer: &Pool, account: NewAccount, now: i64) -> Result<i64, StaffError> {
    let username = account.username.trim().to_lowercase();
    check_username(&username).map_err(StaffError::Invalid)?;
    check_password(&account.password).map_err(StaffError::Invalid)?;
    let merchant_id = match (account.role, &account.merchant) {
        (StaffRole::Operator, None) => None,
        (StaffRole::Merchant, Some(slug)) => {
            Some(db::merchants::by_slug(&mut writer.acquire().await?, slug).await?.ok_or(StaffError::NoMerchant)?.id)
        }
        _ => return Err(StaffError::NoMerchant),
    };
    let hash = hash_password(account.password).await?;
    let display_name = if account.display_name.trim().is_empty() { username.clone() } else { account.display_name.trim().to_string() };
    let (role, name) = (account.role, username.clone());
    let id = db::transaction(writer, move |tx| {
        async move {
            let new = db::staff::NewStaff { username: &username, password_hash: &hash, role, merchant_id, display_name: &display_name };
            db::staff::insert(tx, &new, now).await
        }
        .boxed()
    })
    .await?;
    id.ok_or(StaffError::Taken(name))
}
