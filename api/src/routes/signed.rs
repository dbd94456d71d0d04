//! The host shop's signed server-to-server calls: one extractor, [`Signed`], checks the
//! signature of every host call, and the one replay rule every signed hook follows (the
//! same id with the same body gets the first answer, marked `Idempotent-Replayed: true`;
//! the same id with another body is refused with the hook's own `*_id_reused` code).
//!
//! The signature (`X-Mall-Signature: v2=<hex>`) is HMAC-SHA256 with the hook secret over
//! the canonical string
//!
//! ```text
//! v2\n{X-Mall-Timestamp}\n{METHOD}\n{path}\n{Idempotency-Key or -}\n{body}
//! ```
//!
//! so a signature stands for one call: another path, method, id or key does not match.
//! A bare hex signature is v1 (`"{timestamp}.{body}"`, deprecated): refused on calls
//! whose body does not name what they act on (capture, release, refund), accepted on the
//! others only with `HOOK_ACCEPT_V1=true`. `HOOK_SECRET_PREVIOUS` is accepted beside
//! `HOOK_SECRET` while a host rotates the secret.

use axum::{
    body::Bytes,
    extract::{FromRequest, OriginalUri, Request},
    http::{HeaderMap, Method, StatusCode},
    response::Response,
};
use futures_util::future::BoxFuture;
use hmac::{Hmac, Mac};
use mall_core::{
    checkout::{DeductionRefund, HoldRequest, QuoteRequest, RefundReport},
    earning::{PurchaseReport, TaskEvent},
    payment::PaymentConfirmation,
    ErrorCode,
};
use serde::de::DeserializeOwned;
use sha2::Sha256;

use super::{once, IDEMPOTENCY_KEY};
use crate::{
    db::Tx,
    domain::idempotency::{Key, Owner},
    error::AppError,
    state::AppState,
    AppResult,
};

/// Header with the Unix seconds the call was signed at.
pub const TIMESTAMP_HEADER: &str = "x-mall-timestamp";
/// Header with the signature: `v2=<hex HMAC-SHA256 of the canonical string>`.
pub const SIGNATURE_HEADER: &str = "x-mall-signature";

/// The canonical string a v2 signature covers (the module's documentation).
pub fn canonical_v2(timestamp: &str, method: &str, path: &str, idempotency_key: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut text = format!("v2\n{timestamp}\n{method}\n{path}\n{}\n", idempotency_key.unwrap_or("-")).into_bytes();
    text.extend_from_slice(body);
    text
}

/// The body of a host call, and whether a v1 signature may stand for it.
pub trait HookBody: Sized {
    /// A v1 signature covers only the timestamp and the body: it may stand for a call
    /// only where the body names what the call acts on (and only with `HOOK_ACCEPT_V1`).
    const V1_ALLOWED: bool;

    /// Parses the body: 400 `invalid_json` for text that is not JSON, 422
    /// `validation_failed` for JSON of the wrong shape.
    fn parse(body: &[u8]) -> AppResult<Self>;
}

fn json<T: DeserializeOwned>(body: &[u8]) -> AppResult<T> {
    crate::extract::refuse_nul_in_json(body)?;
    serde_json::from_slice(body).map_err(|e| {
        let code = if e.is_data() { ErrorCode::ValidationFailed } else { ErrorCode::InvalidJson };
        AppError::new(code, e.to_string())
    })
}

fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

macro_rules! json_hook_bodies {
    ($($t:ty),*) => {$(
        impl HookBody for $t {
            const V1_ALLOWED: bool = true;
            fn parse(body: &[u8]) -> AppResult<Self> {
                json(body)
            }
        }
    )*};
}
json_hook_bodies!(QuoteRequest, HoldRequest, PurchaseReport, RefundReport, PaymentConfirmation);

/// A task event is newer than v1 signatures: v2 only.
impl HookBody for TaskEvent {
    const V1_ALLOWED: bool = false;
    fn parse(body: &[u8]) -> AppResult<Self> {
        json(body)
    }
}

/// The body of capture and release: empty, or `{}`.
#[derive(Debug, Clone, Copy)]
pub struct NoBody;

impl HookBody for NoBody {
    const V1_ALLOWED: bool = false;
    fn parse(body: &[u8]) -> AppResult<Self> {
        match is_blank(body) || serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body).is_ok_and(|m| m.is_empty()) {
            true => Ok(NoBody),
            false => Err(AppError::new(ErrorCode::ValidationFailed, "this call takes no body (or {})")),
        }
    }
}

impl HookBody for DeductionRefund {
    const V1_ALLOWED: bool = false;
    fn parse(body: &[u8]) -> AppResult<Self> {
        if is_blank(body) {
            return Ok(DeductionRefund::default());
        }
        json(body)
    }
}

/// A host call whose signature matched its method, path, `Idempotency-Key`, timestamp and
/// body, with the body parsed.
#[derive(Debug, Clone)]
pub struct Signed<T>(pub T);

impl<T: HookBody> FromRequest<AppState> for Signed<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let method = req.method().clone();
        let path = req.extensions().get::<OriginalUri>().map_or_else(|| req.uri().path().to_string(), |u| u.0.path().to_string());
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state).await.map_err(|e| match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => AppError::new(ErrorCode::PayloadTooLarge, "the request body is too large"),
            _ => AppError::new(ErrorCode::BadRequest, e.body_text()),
        })?;
        verify(state, Call { method: &method, path: &path, headers: &headers, body: &body }, T::V1_ALLOWED)?;
        T::parse(&body).map(Signed)
    }
}

/// What a signature covers.
struct Call<'a> {
    method: &'a Method,
    path: &'a str,
    headers: &'a HeaderMap,
    body: &'a [u8],
}

/// Whether `signature` is the HMAC of `message` under one of the hook secrets (constant
/// time per secret).
fn matches(state: &AppState, message: &[u8], signature: &[u8]) -> bool {
    let secrets = std::iter::once(&state.config.hook_secret).chain(state.config.hook_secret_previous.as_ref());
    secrets.into_iter().any(|secret| {
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).is_ok_and(|mut mac| {
            mac.update(message);
            mac.verify_slice(signature).is_ok()
        })
    })
}

/// Verifies a call's signature (v2; v1 only where allowed) and its timestamp's skew.
fn verify(state: &AppState, call: Call<'_>, v1_allowed: bool) -> AppResult<()> {
    let header = |name| call.headers.get(name).and_then(|v| v.to_str().ok());
    let invalid = || AppError::new(ErrorCode::SignatureInvalid, "the request signature does not match");
    let ts = header(TIMESTAMP_HEADER).ok_or_else(invalid)?;
    let given = header(SIGNATURE_HEADER).ok_or_else(invalid)?.trim();
    let message = match given.strip_prefix("v2=") {
        Some(_) => {
            let key = header(IDEMPOTENCY_KEY);
            canonical_v2(ts, call.method.as_str(), call.path, key, call.body)
        }
        None if v1_allowed && state.config.hook_accept_v1 => [ts.as_bytes(), b".", call.body].concat(),
        None => {
            return Err(AppError::new(
                ErrorCode::SignatureInvalid,
                "a v1 signature is not accepted for this call: sign with v2 (X-Mall-Signature: v2=…)",
            ))
        }
    };
    let hex_part = given.strip_prefix("v2=").unwrap_or(given);
    let signature = hex::decode(hex_part).map_err(|_| invalid())?;
    if !matches(state, &message, &signature) {
        return Err(invalid());
    }
    let ts: i64 = ts.parse().map_err(|_| invalid())?;
    if state.clock.now_secs().abs_diff(ts) > state.config.limits.hook_max_skew_seconds.unsigned_abs() {
        return Err(AppError::new(ErrorCode::StaleRequest, "the request timestamp is too far from the server's clock"));
    }
    Ok(())
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
        ErrorCode::PaymentIdReused => "this payment_id",
        ErrorCode::EventIdReused => "this event_id",
        _ => "this id",
    }
}
