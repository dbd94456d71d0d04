//! Counters behind every cap (daily tasks, lifetime points, make-ups, invites, early
//! birds). One conditional upsert per bump: a cap can never be passed by a race.

use super::{on, Access, Tx};

/// Adds `by` to counter `(scope, member_id)` unless the result would pass `cap`.
/// Returns the new value, or `None` when the cap refused it.
pub async fn bump(tx: &mut Tx, scope: &str, member_id: i64, by: i64, cap: Option<i64>) -> Result<Option<i64>, sqlx::Error> {
    let cap = cap.unwrap_or(i64::MAX);
    if by > cap {
        return Ok(None);
    }
    on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO counters (scope, member_id, value) VALUES ($1, $2, $3) \
         ON CONFLICT (scope, member_id) DO UPDATE SET value = counters.value + excluded.value \
         WHERE counters.value + excluded.value <= $4 RETURNING value",
    )
    .bind(scope)
    .bind(member_id)
    .bind(by)
    .bind(cap)
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
