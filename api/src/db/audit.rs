//! The audit log of staff writes, written in the same transaction as the write.

use super::{on, Access, Tx};

/// An entry to write.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    /// The staff account (none for an automation token).
    pub staff_id: Option<i64>,
    /// Username or token name.
    pub actor: &'a str,
    /// What was done.
    pub action: &'a str,
    /// On what kind of thing.
    pub target_kind: &'a str,
    /// Its id.
    pub target_id: &'a str,
    /// State before (JSON).
    pub before: Option<&'a str>,
    /// State after (JSON).
    pub after: Option<&'a str>,
    /// Unix seconds.
    pub created_at: i64,
}

/// An entry as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryRow {
    /// Id.
    pub id: i64,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Kind of target.
    pub target_kind: String,
    /// Target id.
    pub target_id: String,
    /// Before (JSON).
    pub before_json: Option<String>,
    /// After (JSON).
    pub after_json: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
}

/// Writes an entry.
pub async fn insert(tx: &mut Tx, e: &NewEntry<'_>) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query(
        "INSERT INTO audit_log (staff_id, actor, action, target_kind, target_id, before_json, after_json, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.staff_id)
    .bind(e.actor)
    .bind(e.action)
    .bind(e.target_kind)
    .bind(e.target_id)
    .bind(e.before)
    .bind(e.after)
    .bind(e.created_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Entries older than `before` (an id), newest first, at most `limit`.
pub async fn page(conn: &mut impl Access, before: i64, limit: i64) -> Result<Vec<EntryRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(
        "SELECT id, actor, action, target_kind, target_id, before_json, after_json, created_at FROM audit_log \
         WHERE id < $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(before)
    .bind(limit)
    .fetch_all(c)
    .await)
}
