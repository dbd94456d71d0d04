//! The rules versions (`rule_versions`): written once each, never changed.

use super::{on, Access, Tx};

/// A version as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    /// Its number.
    pub version: i64,
    /// From when it is in force (Unix seconds).
    pub effective_at: i64,
    /// `mall_core::Rules` as JSON.
    pub rules_json: String,
    /// When it was written (Unix seconds).
    pub created_at: i64,
    /// Who wrote it.
    pub actor: String,
    /// Why.
    pub reason: String,
}

/// A version to write.
#[derive(Debug, Clone, Copy)]
pub struct NewVersion<'a> {
    /// From when it is in force (Unix seconds).
    pub effective_at: i64,
    /// `mall_core::Rules` as JSON.
    pub rules_json: &'a str,
    /// When (Unix seconds).
    pub created_at: i64,
    /// The staff account (none for a token or the release).
    pub staff_id: Option<i64>,
    /// Username, token name or `release`.
    pub actor: &'a str,
    /// Why.
    pub reason: &'a str,
}

/// Writes version 1 (the release's rules, in force from 0) unless there is one already.
pub async fn insert_first(tx: &mut Tx, v: &NewVersion<'_>) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query(
        "INSERT INTO rule_versions (version, effective_at, rules_json, created_at, staff_id, actor, reason) \
         VALUES (1, $1, $2, $3, $4, $5, $6) ON CONFLICT (version) DO NOTHING",
    )
    .bind(v.effective_at)
    .bind(v.rules_json)
    .bind(v.created_at)
    .bind(v.staff_id)
    .bind(v.actor)
    .bind(v.reason)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Writes `v` as the next version and returns its number; `None` when a concurrent change
/// committed that number first (the primary key refuses it; try again).
pub async fn insert_next(tx: &mut Tx, v: &NewVersion<'_>) -> Result<Option<i64>, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO rule_versions (version, effective_at, rules_json, created_at, staff_id, actor, reason) \
         SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3, $4, $5, $6 FROM rule_versions WHERE true \
         ON CONFLICT (version) DO NOTHING RETURNING version",
    )
    .bind(v.effective_at)
    .bind(v.rules_json)
    .bind(v.created_at)
    .bind(v.staff_id)
    .bind(v.actor)
    .bind(v.reason)
    .fetch_optional(c)
    .await)
}

/// Every version, by number.
pub async fn all(conn: &mut impl Access) -> Result<Vec<VersionRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as("SELECT version, effective_at, rules_json, created_at, actor, reason FROM rule_versions ORDER BY version")
        .fetch_all(c)
        .await)
}

/// The highest version number (0 when there is none).
pub async fn latest(conn: &mut impl Access) -> Result<i64, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM rule_versions").fetch_one(c).await)
}
