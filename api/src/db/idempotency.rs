//! Stored answers of money-moving requests, keyed by (member, Idempotency-Key).

use super::{on, Tx};

/// A key's row: the request it came with and, once committed, the answer.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Stored {
    /// Fingerprint of the first request.
    pub request_hash: String,
    /// HTTP status of the answer.
    pub status: Option<i64>,
    /// JSON body of the answer.
    pub response: Option<String>,
}

/// Inserts the key; false if it is already there.
pub async fn insert(tx: &mut Tx, member_id: i64, key: &str, request_hash: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "INSERT INTO idempotency (member_id, idem_key, request_hash, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (member_id, idem_key) DO NOTHING",
    )
    .bind(member_id)
    .bind(key)
    .bind(request_hash)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// The key's row.
pub async fn stored(tx: &mut Tx, member_id: i64, key: &str) -> Result<Stored, sqlx::Error> {
    on!(tx, |c| sqlx::query_as("SELECT request_hash, status, response FROM idempotency WHERE member_id = $1 AND idem_key = $2")
        .bind(member_id)
        .bind(key)
        .fetch_one(c)
        .await)
}

/// Stores the answer with the key.
pub async fn save_answer(tx: &mut Tx, member_id: i64, key: &str, status: u16, response: &str) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("UPDATE idempotency SET status = $1, response = $2 WHERE member_id = $3 AND idem_key = $4")
        .bind(status as i64)
        .bind(response)
        .bind(member_id)
        .bind(key)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
