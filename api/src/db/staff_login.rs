//! The staff sign-in throttle's rows (`staff_login_failures`): per username and client
//! address, when the next attempt may come; per username (address `*`), its failures
//! from every address in the current window. Each attempt is reserved with one
//! conditional upsert, so concurrent attempts cannot pass a delay together.

use super::{on, Access, Tx};

/// The address of the row that counts a username's failures from every address.
pub const EVERY_ADDRESS: &str = "*";

/// When the next attempt for `username` from `address` may come (0: any time).
pub async fn next_at(conn: &mut impl Access, username: &str, address: &str) -> Result<i64, sqlx::Error> {
    let next: Option<i64> =
        on!(conn, |c| sqlx::query_scalar("SELECT next_at FROM staff_login_failures WHERE username = $1 AND address = $2")
            .bind(username)
            .bind(address)
            .fetch_optional(c)
            .await)?;
    Ok(next.unwrap_or(0))
}

/// Counts one more failure of `username` from every address (a count older than
/// `window_start` starts again at 1); returns the count.
pub async fn count_failure(tx: &mut Tx, username: &str, now: i64, window_start: i64) -> Result<i64, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO staff_login_failures (username, address, failures, next_at, last_at) VALUES ($1, $2, 1, 0, $3) \
         ON CONFLICT (username, address) DO UPDATE SET \
         failures = CASE WHEN staff_login_failures.last_at < $4 THEN 1 ELSE staff_login_failures.failures + 1 END, last_at = $3 \
         RETURNING failures",
    )
    .bind(username)
    .bind(EVERY_ADDRESS)
    .bind(now)
    .bind(window_start)
    .fetch_one(c)
    .await)
}

/// Reserves the attempt of `username` from `address`: the next one from there may come
/// at `next_at`. `false` (nothing written) when an attempt from there is not due yet: a
/// concurrent one reserved first.
pub async fn reserve(tx: &mut Tx, username: &str, address: &str, now: i64, next_at: i64, window_start: i64) -> Result<bool, sqlx::Error> {
    let reserved: Option<i64> = on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO staff_login_failures (username, address, failures, next_at, last_at) VALUES ($1, $2, 1, $4, $3) \
         ON CONFLICT (username, address) DO UPDATE SET \
         failures = CASE WHEN staff_login_failures.last_at < $5 THEN 1 ELSE staff_login_failures.failures + 1 END, \
         next_at = $4, last_at = $3 \
         WHERE staff_login_failures.next_at <= $3 \
         RETURNING failures",
    )
    .bind(username)
    .bind(address)
    .bind(now)
    .bind(next_at)
    .bind(window_start)
    .fetch_optional(c)
    .await)?;
    Ok(reserved.is_some())
}

/// A right password: takes this attempt's reservation back from the username's count and
/// forgets the failures from `address`, locking the rows in `count_failure` then
/// `reserve`'s order (the opposite order deadlocks against a concurrent attempt).
pub async fn succeeded(tx: &mut Tx, username: &str, address: &str) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query(
        "UPDATE staff_login_failures SET failures = failures - 1 WHERE username = $1 AND address = $2 AND failures > 0"
    )
    .bind(username)
    .bind(EVERY_ADDRESS)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    on!(tx, |c| sqlx::query("DELETE FROM staff_login_failures WHERE username = $1 AND address = $2")
        .bind(username)
        .bind(address)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Deletes at most `limit` rows last touched before `before`; returns how many.
pub async fn prune(conn: &mut impl Access, before: i64, limit: i64) -> Result<u64, sqlx::Error> {
    on!(conn, |c| sqlx::query(
        "DELETE FROM staff_login_failures WHERE (username, address) IN \
         (SELECT username, address FROM staff_login_failures WHERE last_at < $1 LIMIT $2)"
    )
    .bind(before)
    .bind(limit)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}
