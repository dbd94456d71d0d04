//! Idempotent money-moving requests. The `(member, Idempotency-Key)` row is inserted
//! first inside the request's own transaction (`ON CONFLICT DO NOTHING`), and the answer
//! is stored in it before commit: a retry finds the row and replays the answer; the
//! same key with another body is refused. A refused request rolls back and frees its key.

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use futures_util::future::BoxFuture;
use sha2::{Digest, Sha256};

use crate::db::{self, Tx};

/// The request header.
pub const HEADER: &str = "idempotency-key";

/// The response header marking a replayed answer.
pub const REPLAYED: &str = "idempotent-replayed";

/// Why a key could not be used.
#[derive(Debug)]
pub enum IdempotencyError {
    /// The header is required here and absent.
    Missing,
    /// The header is not 1–64 visible ASCII characters.
    Malformed,
    /// The key was used before with another request.
    Reused,
    /// A committed row has no answer (should not happen: the answer is stored before commit).
    NoAnswer,
    /// The stored answer could not be written or read back.
    Answer(String),
    /// The database failed.
    Db(sqlx::Error),
}

impl std::fmt::Display for IdempotencyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdempotencyError::Missing => write!(f, "send an Idempotency-Key header with this request"),
            IdempotencyError::Malformed => write!(f, "Idempotency-Key must be 1–64 visible ASCII characters"),
            IdempotencyError::Reused => write!(f, "this Idempotency-Key was already used for a different request"),
            IdempotencyError::NoAnswer => write!(f, "idempotency row committed without an answer"),
            IdempotencyError::Answer(e) => write!(f, "idempotency answer unusable: {e}"),
            IdempotencyError::Db(e) => write!(f, "idempotency database error: {e}"),
        }
    }
}

impl std::error::Error for IdempotencyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            IdempotencyError::Db(e) => Some(e),
            _ => None,
        }
    }
}

impl From<sqlx::Error> for IdempotencyError {
    fn from(e: sqlx::Error) -> Self {
        IdempotencyError::Db(e)
    }
}

/// A validated key and the fingerprint of the request it came with.
#[derive(Debug, Clone)]
pub struct Key {
    key: String,
    fingerprint: String,
}

impl Key {
    /// Reads the header (required: 1–64 visible ASCII characters) and fingerprints
    /// the request as `scope` + its canonical body.
    pub fn from_headers(headers: &HeaderMap, scope: &str, body: &impl serde::Serialize) -> Result<Key, IdempotencyError> {
        Self::optional(headers, scope, body)?.ok_or(IdempotencyError::Missing)
    }

    /// As `from_headers`, for requests where the key is optional (the action is already
    /// "once" by a database key, e.g. a check-in): `None` without the header.
    pub fn optional(headers: &HeaderMap, scope: &str, body: &impl serde::Serialize) -> Result<Option<Key>, IdempotencyError> {
        let Some(raw) = headers.get(HEADER) else { return Ok(None) };
        let key = raw
            .to_str()
            .ok()
            .filter(|k| (1..=64).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or(IdempotencyError::Malformed)?;
        let body = serde_json::to_string(body).map_err(|e| IdempotencyError::Answer(e.to_string()))?;
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
pub async fn claim(tx: &mut Tx<'_>, member_id: i64, key: &Key, now: i64) -> Result<Claim, IdempotencyError> {
    if db::idempotency::insert(tx, member_id, &key.key, &key.fingerprint, now).await? {
        return Ok(Claim::Fresh);
    }
    let stored = db::idempotency::stored(tx, member_id, &key.key).await?;
    if stored.request_hash != key.fingerprint {
        return Err(IdempotencyError::Reused);
    }
    let (Some(status), Some(body)) = (stored.status, stored.response) else {
        return Err(IdempotencyError::NoAnswer);
    };
    let status = u16::try_from(status).ok().and_then(|s| StatusCode::from_u16(s).ok()).ok_or(IdempotencyError::NoAnswer)?;
    let mut res = (status, [(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response();
    res.headers_mut().insert(REPLAYED, HeaderValue::from_static("true"));
    Ok(Claim::Replay(res))
}

/// Stores the answer for the key, in the same transaction as the change.
pub async fn finish(
    tx: &mut Tx<'_>,
    member_id: i64,
    key: &Key,
    status: StatusCode,
    body: &impl serde::Serialize,
) -> Result<(), IdempotencyError> {
    let json = serde_json::to_string(body).map_err(|e| IdempotencyError::Answer(e.to_string()))?;
    db::idempotency::save_answer(tx, member_id, &key.key, status.as_u16(), &json).await?;
    Ok(())
}

/// Runs a money-moving request in one write transaction with an optional key: replays the
/// first answer for a known key, otherwise runs `work` and stores its answer with the
/// change. `work` returns the status and body to send; its error rolls everything back.
pub async fn run<T, E, F>(writer: &db::Pool, now: i64, member_id: i64, key: Option<Key>, work: F) -> Result<Response, E>
where
    T: serde::Serialize + Send + Sync,
    E: From<sqlx::Error> + From<IdempotencyError> + Send,
    F: for<'t> FnOnce(&'t mut Tx<'static>) -> BoxFuture<'t, Result<(StatusCode, T), E>> + Send + 'static,
{
    db::transaction(writer, move |tx| {
        Box::pin(async move {
            if let Some(key) = &key {
                if let Claim::Replay(answer) = claim(tx, member_id, key, now).await? {
                    return Ok(answer);
                }
            }
            let (status, body) = work(tx).await?;
            if let Some(key) = &key {
                finish(tx, member_id, key, status, &body).await?;
            }
            Ok((status, crate::extract::AppJson(body)).into_response())
        })
    })
    .await
}
