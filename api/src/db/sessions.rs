//! Sessions (only the token's hash is stored) and the host tickets already exchanged.

use super::{on, on_pool, Access, Pool};

/// The member of a live session.
pub async fn member_of(conn: &mut impl Access, token_hash: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT member_id FROM sessions WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_hash)
        .bind(now)
        .fetch_optional(c)
        .await)
}

/// Stores a new session.
pub async fn insert(writer: &Pool, token_hash: &str, member_id: i64, expires_at: i64) -> Result<(), sqlx::Error> {
    on_pool!(writer, |p| sqlx::query("INSERT INTO sessions (token_hash, member_id, expires_at) VALUES ($1, $2, $3)")
        .bind(token_hash)
        .bind(member_id)
        .bind(expires_at)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Ends a session.
pub async fn delete(writer: &Pool, token_hash: &str) -> Result<(), sqlx::Error> {
    on_pool!(writer, |p| sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Records a host ticket as used; false if it already was (the primary key refuses a replay).
pub async fn use_ticket(writer: &Pool, signature: &str, expires_at: i64) -> Result<bool, sqlx::Error> {
    let done = on_pool!(writer, |p| sqlx::query(
        "INSERT INTO used_tickets (signature, expires_at) VALUES ($1, $2) ON CONFLICT (signature) DO NOTHING"
    )
    .bind(signature)
    .bind(expires_at)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Whether the database answers.
pub async fn ping(conn: &mut impl Access) -> Result<(), sqlx::Error> {
    on!(conn, |c| sqlx::query("SELECT 1").execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Deletes at most `limit` member sessions that expired before `now`; returns how many.
pub async fn prune(conn: &mut impl Access, now: i64, limit: i64) -> Result<u64, sqlx::Error> {
    on!(conn, |c| sqlx::query("DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions WHERE expires_at < $1 LIMIT $2)")
        .bind(now)
        .bind(limit)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
}

/// Deletes at most `limit` used host tickets whose expiry is before `before` (a ticket
/// past its expiry is refused as expired, so its row no longer guards a replay); returns
/// how many.
pub async fn prune_tickets(conn: &mut impl Access, before: i64, limit: i64) -> Result<u64, sqlx::Error> {
    on!(conn, |c| sqlx::query(
        "DELETE FROM used_tickets WHERE signature IN (SELECT signature FROM used_tickets WHERE expires_at < $1 LIMIT $2)"
    )
    .bind(before)
    .bind(limit)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}
