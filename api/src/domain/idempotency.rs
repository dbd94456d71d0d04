//! Idempotent money-moving requests. The `(owner, Idempotency-Key)` row and the answer
//! are inserted together as the last write of the request's own transaction (`ON CONFLICT
//! DO NOTHING`; the unique key decides): a retry finds the row and replays the answer; the
//! same key with another body is refused. A refused request rolls back and leaves no key.
//! Only successful answers are stored (a refusal rolls back), under the status the
//! caller answers them with.

use futures_util::future::BoxFuture;
use sha2::{Digest, Sha256};

pub use crate::db::idempotency::Owner;
use crate::db::idempotency::PendingKey;
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
    /// A committed row has no answer (should not happen: the row is written with it).
    #[error("idempotency row committed without an answer")]
    NoAnswer,
    /// Another request with the key committed first (its answer is replayed instead; an
    /// expected race of retries, so not an internal error).
    #[error("another request with this Idempotency-Key committed first")]
    Taken,
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

/// Runs a money-moving request in one write transaction with an optional key, and stores
/// its answer (as `status` and its JSON) with the key in the same transaction: the key's
/// row is its last write (a conditional insert), so a request holds no key row while it
/// works. When the transaction fails for any reason (the work refused, or another request
/// with the key committed first and the insert found its row), an answer committed under
/// the key is replayed: a retry that raced its first attempt, or came after it, answers
/// what the first answered, and nothing it did is kept. The same key with another request
/// is `Reused`.
pub async fn run<T, E, F>(writer: &db::Pool, now: i64, owner: Owner, key: Option<Key>, status: u16, work: F) -> Result<Answer<T>, E>
where
    T: serde::Serialize + Send + Sync,
    E: From<sqlx::Error> + From<IdempotencyError> + Send,
    F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<T, E>> + Clone + Send + 'static,
{
    let stored_with = key.clone();
    let outcome = db::transaction(writer, move |tx| {
        Box::pin(async move {
            if let Some(key) = key {
                let (key, request_hash) = (key.key, key.fingerprint);
                tx.await_answer(PendingKey { owner, key, request_hash, status, now });
            }
            let answer = work(tx).await?;
            // Unless the work's last write took the key with the answer (`answer_json`).
            if let Some(pending) = tx.take_pending_key() {
                let json = answer_json(&answer).map_err(|e| IdempotencyError::Answer(e.to_string()))?;
                if !db::idempotency::insert(tx, &pending, &json).await? {
                    return Err(IdempotencyError::Taken.into());
                }
            }
            Ok(answer)
        })
    })
    .await;
    match (outcome, stored_with) {
        (Ok(answer), _) => Ok(Answer::Fresh(answer)),
        (Err(e), Some(key)) => match replay(writer, owner, &key).await? {
            Some(replay) => Ok(replay),
            None => Err(e),
        },
        (Err(e), None) => Err(e),
    }
}

/// The JSON a key stores of its request's answer: a work whose last write takes the key
/// (`db::items::take_stock`) stores the same.
pub fn answer_json<T: serde::Serialize>(answer: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string(answer)
}

/// The answer committed under `key`, if any; `Reused` when it was for another request.
async fn replay<T>(writer: &db::Pool, owner: Owner, key: &Key) -> Result<Option<Answer<T>>, IdempotencyError> {
    let Some(stored) = db::idempotency::stored(&mut writer.acquire().await?, owner, &key.key).await? else {
        return Ok(None);
    };
    if stored.request_hash != key.fingerprint {
        return Err(IdempotencyError::Reused);
    }
    match (stored.status.and_then(|s| u16::try_from(s).ok()), stored.response) {
        (Some(status), Some(body)) => Ok(Some(Answer::Replay { status, body })),
        _ => Err(IdempotencyError::NoAnswer),
    }
}
