//! Counters behind every cap (daily tasks, lifetime points, make-ups, invites, early
//! birds, the staff sign-in limit per address). One conditional upsert per bump: a cap
//! can never be passed by a race. A counter of a period carries when it may be deleted
//! (`expires_at`, pruned by the sweep); a lifetime cap carries none and stays.

use super::{on, Access, Tx};

/// Adds `by` to counter `(scope, member_id)` unless the result would pass `cap`, for
/// ever (a lifetime cap: never pruned). Returns the new value, or `None` when the cap
/// refused it.
pub async fn bump(tx: &mut Tx, scope: &str, member_id: i64, by: i64, cap: Option<i64>) -> Result<Option<i64>, sqlx::Error> {
    bump_until(tx, scope, member_id, by, cap, None).await
}

/// As [`bump`], for a counter of a period that may be deleted after `expires_at` (Unix
/// seconds; `None`: never). Returns the new value, or `None` when the cap refused it.
pub async fn bump_until(
    tx: &mut Tx,
    scope: &str,
    member_id: i64,
    by: i64,
    cap: Option<i64>,
    expires_at: Option<i64>,
) -> Result<Option<i64>, sqlx::Error> {
    let cap = cap.unwrap_or(i64::MAX);
    if by > cap {
        return Ok(None);
    }
    on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO counters (scope, member_id, value, expires_at) VALUES ($1, $2, $3, $5) \
         ON CONFLICT (scope, member_id) DO UPDATE SET value = counters.value + excluded.value \
         WHERE counters.value + excluded.value <= $4 RETURNING value",
    )
    .bind(scope)
    .bind(member_id)
    .bind(by)
    .bind(cap)
    .bind(expires_at)
    .fetch_optional(c)
    .await)
}

/// The current value of a counter (0 if never bumped).
pub async fn read(conn: &mut impl Access, scope: &str, member_id: i64) -> Result<i64, sqlx::Error> {
    let value: Option<i64> = on!(conn, |c| sqlx::query_scalar("SELECT value FROM counters WHERE scope = $1 AND member_id = $2")
        .bind(scope)
        .bind(member_id)
        .fetch_optional(c)
        .await)?;
    Ok(value.unwrap_or(0))
}

/// Deletes at most `limit` counters whose period ended before `now`; returns how many.
/// Lifetime counters (no `expires_at`) are never deleted.
pub async fn prune(conn: &mut impl Access, now: i64, limit: i64) -> Result<u64, sqlx::Error> {
    on!(conn, |c| sqlx::query(
        "DELETE FROM counters WHERE (scope, member_id) IN \
         (SELECT scope, member_id FROM counters WHERE expires_at < $1 LIMIT $2)"
    )
    .bind(now)
    .bind(limit)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}
