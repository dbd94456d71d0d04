//! Staff accounts: new accounts, changes, own passwords (argon2id through
//! `passwords::Hashing`, bounded), and the start-up refusal of published passwords.
//! Signing in, with its limit, is `staff_login`.

use futures_util::FutureExt;
use mall_core::staff::{check_display_name, check_password, check_username, AccountError, PasswordChange, StaffChange, StaffRole};

use crate::{
    db::{self, idempotency::Owner, staff::StaffRow, Pool},
    domain::{audit, passwords::Hashing, seed},
    token,
};

/// Who acts on the staff side: a signed-in account or an automation token.
#[derive(Debug, Clone)]
pub enum Actor {
    /// A staff account.
    Account(StaffRow),
    /// `OPERATOR_TOKEN` or a `MERCHANT_TOKENS` entry, by its name.
    Token(String),
    /// The server's command line (`mall-api staff …`), run by whoever runs the server.
    Console,
}

impl Actor {
    /// The account id, if a person acts.
    pub fn staff_id(&self) -> Option<i64> {
        match self {
            Actor::Account(s) => Some(s.id),
            Actor::Token(_) | Actor::Console => None,
        }
    }

    /// The name the audit log records: the username, or `token:…`.
    pub fn name(&self) -> String {
        match self {
            Actor::Account(s) => s.username.clone(),
            Actor::Token(name) => format!("token:{name}"),
            Actor::Console => "console".to_string(),
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
    /// Too many sign-in attempts from this address, or for this username from it.
    #[error("too many sign-in attempts; try again in {0} s")]
    TooManyAttempts(i64),
    /// Too many passwords being checked at once (`passwords::Hashing`).
    #[error("too many sign-ins at once; try again in a moment")]
    Busy,
    /// A new account's username or password is not acceptable.
    #[error("{}", .0.message())]
    Invalid(AccountError),
    /// The username is taken.
    #[error("the username {0} is taken")]
    Taken(String),
    /// A merchant account names no merchant, or one that does not exist; or an operator
    /// account names one.
    #[error("a merchant account needs an existing merchant, and an operator account none")]
    NoMerchant,
    /// No staff account with this id or username.
    #[error("no such staff account")]
    NotFound,
    /// An operator tried to disable or demote their own account.
    #[error("you cannot disable or demote your own account; ask another operator")]
    OwnAccount,
    /// The current password given for a change is wrong.
    #[error("the current password is wrong")]
    WrongPassword,
    /// Hashing failed.
    #[error("password hashing failed: {0}")]
    Hash(String),
    /// The database failed.
    #[error("staff database error")]
    Db(#[from] sqlx::Error),
}

/// Hashes a new password (argon2id, within the bound of `hashing`).
pub async fn hash_password(hashing: &Hashing, password: String) -> Result<String, StaffError> {
    Ok(hashing.hash(password).await?)
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
    /// The merchant record of a merchant account.
    pub merchant_id: Option<i64>,
    /// Display name (the username when empty).
    pub display_name: String,
}

/// Checks that `merchant_id` fits `role` (a merchant account needs an existing merchant,
/// an operator none).
async fn check_merchant(tx: &mut db::Tx, role: StaffRole, merchant_id: Option<i64>) -> Result<(), StaffError> {
    match (role, merchant_id) {
        (StaffRole::Operator, None) => Ok(()),
        (StaffRole::Merchant, Some(id)) if db::merchants::one(tx, id).await?.is_some() => Ok(()),
        _ => Err(StaffError::NoMerchant),
    }
}

/// A staff account as the audit log records it (never its password hash).
fn audited(s: &StaffRow) -> serde_json::Value {
    serde_json::json!({
        "username": s.username, "display_name": s.display_name, "role": s.role.as_str(),
        "merchant_id": s.merchant_id, "disabled": s.disabled_at.is_some(),
    })
}

/// Creates a staff account, audited as `staff.create` by `actor`; returns it.
pub async fn add_account(writer: &Pool, hashing: &Hashing, actor: &Actor, account: NewAccount, now: i64) -> Result<StaffRow, StaffError> {
    let username = account.username.trim().to_lowercase();
    check_username(&username).map_err(StaffError::Invalid)?;
    check_password(&account.password).map_err(StaffError::Invalid)?;
    let hash = hash_password(hashing, account.password).await?;
    let display_name = if account.display_name.trim().is_empty() { username.clone() } else { account.display_name.trim().to_string() };
    check_display_name(&display_name).map_err(StaffError::Invalid)?;
    let (role, merchant_id, actor) = (account.role, account.merchant_id, actor.clone());
    db::transaction(writer, move |tx| {
        async move {
            check_merchant(tx, role, merchant_id).await?;
            let new = db::staff::NewStaff { username: &username, password_hash: &hash, role, merchant_id, display_name: &display_name };
            let id = db::staff::insert(tx, &new, now).await?.ok_or_else(|| StaffError::Taken(username.clone()))?;
            let row = db::staff::by_id(tx, id).await?.ok_or(StaffError::NotFound)?;
            let act = audit::Act { actor: &actor, action: "staff.create", target_kind: "staff", at: now };
            audit::record(tx, act, &id.to_string(), None::<&()>, Some(&audited(&row))).await?;
            Ok(row)
        }
        .boxed()
    })
    .await
}

/// Changes an account (role and merchant, display name, disabled, password), audited as
/// `staff.update` by `actor`. Disabling it or a new password ends its sessions in the
/// same transaction. An operator cannot disable or demote their own account.
pub async fn change_account(
    writer: &Pool,
    hashing: &Hashing,
    actor: &Actor,
    id: i64,
    change: StaffChange,
    now: i64,
) -> Result<StaffRow, StaffError> {
    if actor.staff_id() == Some(id) && (change.disabled == Some(true) || change.role == Some(StaffRole::Merchant)) {
        return Err(StaffError::OwnAccount);
    }
    if let Some(p) = &change.password {
        check_password(p).map_err(StaffError::Invalid)?;
    }
    let display_name = change.display_name.as_ref().map(|n| n.trim().to_string());
    if let Some(name) = &display_name {
        check_display_name(name).map_err(StaffError::Invalid)?;
    }
    let new_hash = match change.password.clone() {
        Some(p) => Some(hash_password(hashing, p).await?),
        None => None,
    };
    let actor = actor.clone();
    db::transaction(writer, move |tx| {
        async move {
            let before = db::staff::by_id(tx, id).await?.ok_or(StaffError::NotFound)?;
            let role = change.role.unwrap_or(before.role);
            let merchant_id = match role {
                StaffRole::Operator if change.merchant_id.is_some() => return Err(StaffError::NoMerchant),
                StaffRole::Operator => None,
                StaffRole::Merchant => change.merchant_id.or(before.merchant_id),
            };
            check_merchant(tx, role, merchant_id).await?;
            let disabled_at = match change.disabled {
                Some(true) => before.disabled_at.or(Some(now)),
                Some(false) => None,
                None => before.disabled_at,
            };
            let update = db::staff::StaffUpdate {
                role,
                merchant_id,
                display_name: display_name.as_deref().unwrap_or(&before.display_name),
                password_hash: new_hash.as_deref().unwrap_or(&before.password_hash),
                disabled_at,
            };
            db::staff::update(tx, id, &update).await?;
            if disabled_at.is_some() || new_hash.is_some() || role != before.role || merchant_id != before.merchant_id {
                db::staff::delete_sessions_of(tx, id).await?;
            }
            let after = db::staff::by_id(tx, id).await?.ok_or(StaffError::NotFound)?;
            let mut record = audited(&after);
            record["password_changed"] = new_hash.is_some().into();
            let act = audit::Act { actor: &actor, action: "staff.update", target_kind: "staff", at: now };
            audit::record(tx, act, &id.to_string(), Some(&audited(&before)), Some(&record)).await?;
            Ok(after)
        }
        .boxed()
    })
    .await
}

/// The signed-in account's own new password, given the current one: every session of the
/// account ends and a new one opens (its token is returned). Audited as
/// `staff.password`.
pub async fn change_own_password(
    writer: &Pool,
    hashing: &Hashing,
    account: &StaffRow,
    change: PasswordChange,
    now: i64,
    session_seconds: i64,
) -> Result<String, StaffError> {
    check_password(&change.new_password).map_err(StaffError::Invalid)?;
    if change.current_password.len() > mall_core::staff::PASSWORD_MAX_BYTES {
        return Err(StaffError::WrongPassword);
    }
    if change.new_password == change.current_password {
        return Err(StaffError::Invalid(AccountError::SamePassword));
    }
    if !hashing.verify(change.current_password, account.password_hash.clone()).await? {
        return Err(StaffError::WrongPassword);
    }
    let hash = hash_password(hashing, change.new_password).await?;
    let (row, token) = (account.clone(), token::new_token());
    let token_hash = token::hash_token(&token);
    db::transaction(writer, move |tx| {
        async move {
            let update = db::staff::StaffUpdate {
                role: row.role,
                merchant_id: row.merchant_id,
                display_name: &row.display_name,
                password_hash: &hash,
                disabled_at: row.disabled_at,
            };
            db::staff::update(tx, row.id, &update).await?;
            db::staff::delete_sessions_of(tx, row.id).await?;
            db::staff::insert_session(tx, &token_hash, row.id, now + session_seconds).await?;
            let actor = Actor::Account(row.clone());
            let act = audit::Act { actor: &actor, action: "staff.password", target_kind: "staff", at: now };
            audit::record(tx, act, &row.id.to_string(), None::<&()>, Some(&audited(&row))).await?;
            Ok::<_, StaffError>(())
        }
        .boxed()
    })
    .await?;
    Ok(token)
}

/// Refuses a production start while any enabled staff account still has the password of
/// a demo account (published in the repository and by `GET /api/demo/staff`): an install
/// that followed the demo into production holds them. Names the accounts and the fix.
pub async fn refuse_published_passwords(pool: &Pool, hashing: &Hashing) -> Result<(), String> {
    let accounts = db::staff::all(&mut pool.acquire().await.map_err(|e| e.to_string())?).await.map_err(|e| e.to_string())?;
    let demo: Vec<String> = seed::demo_staff().into_iter().map(|(_, _, password, _)| password).collect();
    let mut checks = Vec::new();
    for account in accounts.into_iter().filter(|a| a.disabled_at.is_none()) {
        for password in &demo {
            let (username, password, hash) = (account.username.clone(), password.clone(), account.password_hash.clone());
            checks.push(async move { hashing.verify_in_turn(password, hash).await.map(|m| m.then_some(username)) });
        }
    }
    let mut published: Vec<String> =
        futures_util::future::try_join_all(checks).await.map_err(|e| e.to_string())?.into_iter().flatten().collect();
    published.dedup();
    match published.is_empty() {
        true => Ok(()),
        false => Err(format!(
            "staff account(s) {} still have a demo password published in the repository; with DEMO_LOGIN=false set a new one \
             (`mall-api staff password --username NAME`) or disable them (`mall-api staff disable --username NAME`)",
            published.join(", ")
        )),
    }
}

/// The id of the merchant with this slug (the command line names merchants by slug).
pub async fn merchant_id_of(pool: &Pool, slug: &str) -> Result<i64, StaffError> {
    Ok(db::merchants::by_slug(&mut pool.acquire().await?, slug).await?.ok_or(StaffError::NoMerchant)?.id)
}

/// As [`change_account`], for the account with this username (the command line).
pub async fn change_by_username(
    writer: &Pool,
    hashing: &Hashing,
    actor: &Actor,
    username: &str,
    change: StaffChange,
    now: i64,
) -> Result<StaffRow, StaffError> {
    let username = username.trim().to_lowercase();
    let account = db::staff::by_username(&mut writer.acquire().await?, &username).await?.ok_or(StaffError::NotFound)?;
    change_account(writer, hashing, actor, account.id, change, now).await
}

/// The accounts as lines of text: id, username, role, merchant, state (`staff list`).
pub async fn list_lines(pool: &Pool) -> Result<String, StaffError> {
    let rows = db::staff::all(&mut pool.acquire().await?).await?;
    let mut out = format!("{:<6} {:<32} {:<9} {:<20} state", "id", "username", "role", "merchant");
    for s in rows {
        let merchant = s.merchant_en.clone().unwrap_or_else(|| "-".into());
        let state = if s.disabled_at.is_some() { "disabled" } else { "active" };
        out.push_str(&format!("\n{:<6} {:<32} {:<9} {:<20} {state}", s.id, s.username, s.role.as_str(), merchant));
    }
    Ok(out)
}
