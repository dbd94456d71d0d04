//! Idempotent money-moving requests. The `(member, Idempotency-Key)` row is inserted
//! first inside the request's own transaction (`ON CONFLICT DO NOTHING`), and the answer
//! is stored in it before commit: a retry finds the row and replays the answer; the
//! same key with another body is refused. A refused request rolls back and frees its key.

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use mall_core::ErrorCode;
use sha2::{Digest, Sha256};

use crate::{db::Tx, error::AppError};

/// The request header.
pub const HEADER: &str = "idempotency-key";

/// A validated key and the fingerprint of the request it came with.
#[derive(Debug, Clone)]
pub struct Key {
    key: String,
    fingerprint: String,
}

impl Key {
    /// Reads the header (required: 1–64 visible ASCII characters) and fingerprints
    /// the request as `scope` + its canonical body.
    pub fn from_headers(headers: &HeaderMap, scope: &str, body: &impl serde::Serialize) -> Result<Key, AppError> {
        Self::optional(headers, scope, body)?
            .ok_or_else(|| AppError::new(ErrorCode::IdempotencyKeyMissing, "send an Idempotency-Key header with this request"))
    }

    /// As `from_headers`, for requests where the key is optional (the action is already
    /// "once" by a database key, e.g. a check-in): `None` without the header.
    pub fn optional(headers: &HeaderMap, scope: &str, body: &impl serde::Serialize) -> Result<Option<Key>, AppError> {
        let Some(raw) = headers.get(HEADER) else { return Ok(None) };
        let key = raw
            .to_str()
            .ok()
            .filter(|k| (1..=64).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or_else(|| AppError::new(ErrorCode::BadRequest, "Idempotency-Key must be 1–64 visible ASCII characters"))?;
        let body = serde_json::to_string(body).map_err(AppError::internal)?;
        let fingerprint = hex::encode(Sha256::digest(format!("{scope}\n{body}").as_bytes()));
        Ok(Some(Key { key: key.to_string(), fingerprint }))
    }
}

/// What claiming a key found.
pub enum Claim {
    /// The key is new: go ahead, then `finish` in the same transaction.
    Fresh,
    /// The key was used before for this request: here is the first answer.
    Replay(Response),
}

/// Claims the key inside `tx`. A key already used with another request is an error.
pub async fn claim(tx: &mut Tx<'_>, member_id: i64, key: &Key, now: i64) -> Result<Claim, AppError> {
    let inserted = sqlx::query(
        "INSERT INTO idempotency (member_id, idem_key, request_hash, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (member_id, idem_key) DO NOTHING",
    )
    .bind(member_id)
    .bind(&key.key)
    .bind(&key.fingerprint)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    let (hash, status, body): (String, Option<i64>, Option<String>) =
        sqlx::query_as("SELECT request_hash, status, response FROM idempotency WHERE member_id = $1 AND idem_key = $2")
            .bind(member_id)
            .bind(&key.key)
            .fetch_one(&mut **tx)
            .await?;
    if hash != key.fingerprint {
        return Err(AppError::new(ErrorCode::IdempotencyKeyReused, "this Idempotency-Key was already used for a different request"));
    }
    let (Some(status), Some(body)) = (status, body) else {
        return Err(AppError::internal("idempotency row committed without an answer"));
    };
    let status = StatusCode::from_u16(status as u16).map_err(AppError::internal)?;
    let mut res = (status, [(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response();
    res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    Ok(Claim::Replay(res))
}

/// Stores the answer for the key, in the same transaction as the change.
pub async fn finish(tx: &mut Tx<'_>, member_id: i64, key: &Key, status: StatusCode, body: &impl serde::Serialize) -> Result<(), AppError> {
    let json = serde_json::to_string(body).map_err(AppError::internal)?;
    sqlx::query("UPDATE idempotency SET status = $1, response = $2 WHERE member_id = $3 AND idem_key = $4")
        .bind(status.as_u16() as i64)
        .bind(json)
        .bind(member_id)
        .bind(&key.key)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Runs a money-moving request in one transaction with an optional key: replays the
/// first answer for a known key, otherwise runs `work` and stores its answer with the
/// change. `work` returns the status and body to send.
pub async fn run<T, F>(state: &crate::AppState, member_id: i64, key: Option<Key>, work: F) -> Result<Response, AppError>
where
    T: serde::Serialize,
    F: for<'t> FnOnce(&'t mut Tx<'static>) -> futures_util::future::BoxFuture<'t, Result<(StatusCode, T), AppError>>,
{
    let mut tx = crate::db::begin(&state.writer).await?;
    if let Some(key) = &key {
        if let Claim::Replay(answer) = claim(&mut tx, member_id, key, state.clock.now_secs()).await? {
            return Ok(answer);
        }
    }
    let (status, body) = work(&mut tx).await?;
    if let Some(key) = &key {
        finish(&mut tx, member_id, key, status, &body).await?;
    }
    tx.commit().await?;
    Ok((status, crate::extract::AppJson(body)).into_response())
}
