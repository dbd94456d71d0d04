//! Staff accounts and their sessions (only the token's hash is stored).

use mall_core::staff::StaffRole;

use super::{on, on_pool, Access, Pool, Tx};

/// A staff account as stored, with its merchant's names.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffRow {
    /// Id.
    pub id: i64,
    /// Username (lower case).
    pub username: String,
    /// PHC string of the argon2id hash.
    pub password_hash: String,
    /// Operator or merchant.
    pub role: StaffRole,
    /// The merchant of a merchant account.
    pub merchant_id: Option<i64>,
    /// Its merchant's name in Chinese.
    pub merchant_zh: Option<String>,
    /// Its merchant's name in English.
    pub merchant_en: Option<String>,
    /// The name staff pages and the audit log show.
    pub display_name: String,
    /// When it was disabled (it cannot sign in), if it is.
    pub disabled_at: Option<i64>,
    /// When it was created.
    pub created_at: i64,
}

const COLUMNS: &str = "SELECT s.id, s.username, s.password_hash, s.role, s.merchant_id, m.name_zh AS merchant_zh, \
     m.name_en AS merchant_en, s.display_name, s.disabled_at, s.created_at FROM staff s LEFT JOIN merchants m ON m.id = s.merchant_id";

/// A new account.
#[derive(Debug, Clone)]
pub struct NewStaff<'a> {
    /// Username (lower case, checked).
    pub username: &'a str,
    /// PHC hash.
    pub password_hash: &'a str,
    /// Role.
    pub role: StaffRole,
    /// Merchant of a merchant account.
    pub merchant_id: Option<i64>,
    /// Display name.
    pub display_name: &'a str,
}

/// Inserts an account; `None` if the username is taken (its unique index).
pub async fn insert(tx: &mut Tx, s: &NewStaff<'_>, now: i64) -> Result<Option<i64>, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO staff (username, password_hash, role, merchant_id, display_name, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (username) DO NOTHING RETURNING id",
    )
    .bind(s.username)
    .bind(s.password_hash)
    .bind(s.role)
    .bind(s.merchant_id)
    .bind(s.display_name)
    .bind(now)
    .fetch_optional(c)
    .await)
}

/// The account with this username.
pub async fn by_username(conn: &mut impl Access, username: &str) -> Result<Option<StaffRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{COLUMNS} WHERE s.username = $1")).bind(username).fetch_optional(c).await)
}

/// The account of a live staff session.
pub async fn by_session(conn: &mut impl Access, token_hash: &str, now: i64) -> Result<Option<StaffRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!(
        "{COLUMNS} JOIN staff_sessions t ON t.staff_id = s.id WHERE t.token_hash = $1 AND t.expires_at > $2 AND s.disabled_at IS NULL"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(c)
    .await)
}

/// Stores a new staff session.
pub async fn insert_session(tx: &mut Tx, token_hash: &str, staff_id: i64, expires_at: i64) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("INSERT INTO staff_sessions (token_hash, staff_id, expires_at) VALUES ($1, $2, $3)")
        .bind(token_hash)
        .bind(staff_id)
        .bind(expires_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Ends a staff session.
pub async fn delete_session(writer: &Pool, token_hash: &str) -> Result<(), sqlx::Error> {
    on_pool!(writer, |p| sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Every account, operators first, then by id.
pub async fn all(conn: &mut impl Access) -> Result<Vec<StaffRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{COLUMNS} ORDER BY s.role DESC, s.id")).fetch_all(c).await)
}

/// The account with this id.
pub async fn by_id(conn: &mut impl Access, id: i64) -> Result<Option<StaffRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{COLUMNS} WHERE s.id = $1")).bind(id).fetch_optional(c).await)
}

/// An account's changeable fields, written together (the role and its merchant go as a
/// pair: the table's check binds them).
#[derive(Debug, Clone)]
pub struct StaffUpdate<'a> {
    /// Role.
    pub role: StaffRole,
    /// Merchant of a merchant account.
    pub merchant_id: Option<i64>,
    /// Display name.
    pub display_name: &'a str,
    /// PHC hash of the password.
    pub password_hash: &'a str,
    /// When it was disabled, or none.
    pub disabled_at: Option<i64>,
}

/// Writes an account's fields.
pub async fn update(tx: &mut Tx, id: i64, u: &StaffUpdate<'_>) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query(
        "UPDATE staff SET role = $1, merchant_id = $2, display_name = $3, password_hash = $4, disabled_at = $5 WHERE id = $6"
    )
    .bind(u.role)
    .bind(u.merchant_id)
    .bind(u.display_name)
    .bind(u.password_hash)
    .bind(u.disabled_at)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Ends every session of an account.
pub async fn delete_sessions_of(tx: &mut Tx, staff_id: i64) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1").bind(staff_id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Deletes at most `limit` staff sessions that expired before `now`; returns how many.
pub async fn prune_sessions(conn: &mut impl Access, now: i64, limit: i64) -> Result<u64, sqlx::Error> {
    on!(conn, |c| sqlx::query(
        "DELETE FROM staff_sessions WHERE token_hash IN (SELECT token_hash FROM staff_sessions WHERE expires_at < $1 LIMIT $2)"
    )
    .bind(now)
    .bind(limit)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}
