//! Idempotent money-moving requests. The `(member, Idempotency-Key)` row is inserted
//! first inside the request's own transaction (`ON CONFLICT DO NOTHING`), and the answer
//! is stored in it before commit: a retry finds the row and replays the answer; the
//! same key with another body is refused. A refused request rolls back and frees its key.
//! Only successful answers are stored (a refusal rolls back), under the status the
//! caller answers them with.

use futures_util::future::BoxFuture;
use sha2::{Digest, Sha256};

pub use crate::db::idempotency::Owner;
use crate::db::{self, Tx};

/// Why a key could not be used.
#[derive(Debug, thiserror::Error)]
pub enum IdempotencyError {
    /// The header is required here and absent.
    #[error("send an Idempotency-Key header with this request")]
    Missing,
    /// The header is not 1–64 visible ASCII characters.
    #[error("Idempotency-Key must be 1–64 visible ASCII characters")]
    Malformed,
    /// The key was used before with another request.
    #[error("this Idempotency-Key was already used for a different request")]
    Reused,
    /// A committed row has no answer (should not happen: the answer is stored before commit).
    #[error("idempotency row committed without an answer")]
    NoAnswer,
    /// The stored answer could not be written or read back.
    #[error("idempotency answer unusable: {0}")]
    Answer(String),
    /// The database failed.
    #[error("idempotency database error")]
    Db(#[from] sqlx::Error),
}

/// A validated key and the fingerprint of the request it came with.
#[derive(Debug, Clone)]
pub struct Key {
    key: String,
    fingerprint: String,
}

impl Key {
    /// Validates a key (1–64 visible ASCII characters) and fingerprints the request as
    /// `scope` + its canonical body. `None` without a key; `Missing` when `required`.
    pub fn new(raw: Option<&[u8]>, required: bool, scope: &str, body: &impl serde::Serialize) -> Result<Option<Key>, IdempotencyError> {
        let Some(raw) = raw else {
            return if required { Err(IdempotencyError::Missing) } else { Ok(None) };
        };
        let key = std::str::from_utf8(raw)
            .ok()
            .filter(|k| (1..=64).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or(IdempotencyError::Malformed)?;
        let body = serde_json::to_string(body).map_err(|e| IdempotencyError::Answer(e.to_string()))?;
        let fingerprint = hex::encode(Sha256::digest(format!("{scope}\n{body}").as_bytes()));
        Ok(Some(Key { key: key.to_string(), fingerprint }))
    }
}

/// What a request with a key answers.
#[derive(Debug)]
pub enum Answer<T> {
    /// The request ran now: its answer (also stored with the key).
    Fresh(T),
    /// The key was used before for this request: the first answer, as stored.
    Replay {
        /// Its status.
        status: u16,
        /// Its JSON body.
        body: String,
    },
}

/// What claiming a key found.
enum Claim {
    /// The key is new: go ahead, then `finish` in the same transaction.
    Fresh,
    /// The key was used before for this request: status and body of the first answer.
    Replay(u16, String),
}

/// Claims the key inside `tx`. A key already used with another request is an error.
async fn claim(tx: &mut Tx, owner: Owner, key: &Key, now: i64) -> Result<Claim, IdempotencyError> {
    if db::idempotency::insert(tx, owner, &key.key, &key.fingerprint, now).await? {
        return Ok(Claim::Fresh);
    }
    let stored = db::idempotency::stored(tx, owner, &key.key).await?;
    if stored.request_hash != key.fingerprint {
        return Err(IdempotencyError::Reused);
    }
    match (stored.status.and_then(|s| u16::try_from(s).ok()), stored.response) {
        (Some(status), Some(body)) => Ok(Claim::Replay(status, body)),
        _ => Err(IdempotencyError::NoAnswer),
    }
}

/// Runs a money-moving request in one write transaction with an optional key: replays the
/// first answer for a known key, otherwise runs `work` and stores its answer (as `status`
/// and its JSON) with the change. An error of `work` rolls everything back, key included.
pub async fn run<T, E, F>(writer: &db::Pool, now: i64, owner: Owner, key: Option<Key>, status: u16, work: F) -> Result<Answer<T>, E>
where
    T: serde::Serialize + Send + Sync,
    E: From<sqlx::Error> + From<IdempotencyError> + Send,
    F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<T, E>> + Clone + Send + 'static,
{
    db::transaction(writer, move |tx| {
        Box::pin(async move {
            if let Some(key) = &key {
                if let Claim::Replay(status, body) = claim(tx, owner, key, now).await? {
                    return Ok(Answer::Replay { status, body });
                }
            }
            let answer = work(tx).await?;
            if let Some(key) = &key {
                let json = serde_json::to_string(&answer).map_err(|e| IdempotencyError::Answer(e.to_string()))?;
                db::idempotency::save_answer(tx, owner, &key.key, status, &json).await?;
            }
            Ok(Answer::Fresh(answer))
        })
    })
    .await
}
