//! The host shop's signed server-to-server calls: the signature check and the one replay
//! rule every signed hook follows (the same id with the same body gets the first answer,
//! marked `Idempotent-Replayed: true`; the same id with another body is refused with the
//! hook's own `*_id_reused` code).

use axum::{
    http::{HeaderMap, StatusCode},
    response::Response,
};
use futures_util::future::BoxFuture;
use hmac::{Hmac, Mac};
use mall_core::ErrorCode;
use serde::de::DeserializeOwned;
use sha2::Sha256;

use super::once;
use crate::{
    db::Tx,
    domain::idempotency::{Key, Owner},
    error::AppError,
    startup::AppState,
    AppResult,
};

/// Header with the Unix seconds the call was signed at.
pub const TIMESTAMP_HEADER: &str = "x-mall-timestamp";
/// Header with hex HMAC-SHA256 of `"{timestamp}.{body}"`.
pub const SIGNATURE_HEADER: &str = "x-mall-signature";

/// Verifies a signed call: signature over `"{timestamp}.{body}"` with the hook secret,
/// timestamp within the allowed skew.
pub fn verify(state: &AppState, headers: &HeaderMap, body: &[u8]) -> AppResult<()> {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let invalid = || AppError::new(ErrorCode::SignatureInvalid, "the request signature does not match");
    let ts = header(TIMESTAMP_HEADER).ok_or_else(invalid)?;
    let sig = hex::decode(header(SIGNATURE_HEADER).ok_or_else(invalid)?).map_err(|_| invalid())?;
    let mut mac = Hmac::<Sha256>::new_from_slice(state.config.hook_secret.as_bytes()).map_err(AppError::internal)?;
    mac.update(ts.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&sig).map_err(|_| invalid())?;
    let ts: i64 = ts.parse().map_err(|_| invalid())?;
    if (state.clock.now_secs() - ts).abs() > state.config.limits.hook_max_skew_seconds {
        return Err(AppError::new(ErrorCode::StaleRequest, "the request timestamp is too far from the server's clock"));
    }
    Ok(())
}

/// Verifies the call and parses its JSON body: 400 `invalid_json` for text that is not
/// JSON, 422 `validation_failed` for JSON of the wrong shape.
pub fn parse<T: DeserializeOwned>(state: &AppState, headers: &HeaderMap, body: &[u8]) -> AppResult<T> {
    verify(state, headers, body)?;
    serde_json::from_slice(body).map_err(|e| {
        let code = if e.is_data() { ErrorCode::ValidationFailed } else { ErrorCode::InvalidJson };
        AppError::new(code, e.to_string())
    })
}

/// Runs a signed call once per `(hook, id)` under the replay rule, answering `status`.
pub async fn once_per_id<T, F>(
    state: &AppState,
    hook: i64,
    id: &str,
    request: &impl serde::Serialize,
    status: StatusCode,
    reused: ErrorCode,
    work: F,
) -> AppResult<Response>
where
    T: serde::Serialize + Send + Sync,
    F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<T, AppError>> + Clone + Send + 'static,
{
    let key = Key::new(Some(id.as_bytes()), true, "hook", request)
        .map_err(|_| AppError::new(ErrorCode::ValidationFailed, "the call's id must be 1–64 visible ASCII characters"))?;
    once(state, Owner::Hook(hook), key, status, work).await.map_err(|e| match e.code {
        ErrorCode::IdempotencyKeyReused => {
            AppError::new(reused, format!("{} was already used with a different request", reused_what(reused)))
        }
        _ => e,
    })
}

fn reused_what(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::PurchaseIdReused => "this purchase_id",
        ErrorCode::RefundIdReused => "this refund_id",
        ErrorCode::OrderIdReused => "this order_id",
        _ => "this id",
    }
}
