//! Earning from outside the mall (`domain::earning`): the host shop's signed purchase hook
//! (the signature is checked here) and invites.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::{get, post},
    Router,
};
use futures_util::FutureExt;
use hmac::{Hmac, Mac};
use mall_core::{
    earning::{AcceptInvite, InviteInfo, PurchaseCredit, PurchaseReport},
    ErrorCode,
};
use sha2::Sha256;

use crate::{db, domain::earning, error::AppError, extract::AppJson, session::CurrentMember, startup::AppState, AppResult};

/// Earning routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/hooks/purchase", post(purchase)).route("/invite", get(invite_info)).route("/invites/accept", post(accept_invite))
}

/// Header with the Unix seconds the hook was signed at.
pub const TIMESTAMP_HEADER: &str = "x-mall-timestamp";
/// Header with hex HMAC-SHA256 of `"{timestamp}.{body}"`.
pub const SIGNATURE_HEADER: &str = "x-mall-signature";

/// Verifies a signed hook: signature over `"{timestamp}.{body}"`, timestamp within the skew.
fn verify(state: &AppState, headers: &HeaderMap, body: &[u8]) -> AppResult<()> {
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

/// The host shop reports a purchase (server to server, HMAC-signed with a timestamp).
/// Each `purchase_id` is credited once.
#[utoipa::path(post, path = "/api/hooks/purchase", tag = "earning", request_body = PurchaseReport,
    params(("X-Mall-Timestamp" = i64, Header, description = "Unix seconds"),
        ("X-Mall-Signature" = String, Header, description = "hex HMAC-SHA256 of \"{timestamp}.{body}\" with the hook secret")),
    responses((status = 201, body = PurchaseCredit), (status = 401, body = mall_core::ApiErrorBody, description = "signature_invalid, stale_request"),
        (status = 404, body = mall_core::ApiErrorBody), (status = 409, body = mall_core::ApiErrorBody, description = "replayed"),
        (status = 422, body = mall_core::ApiErrorBody)))]
pub async fn purchase(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> AppResult<(StatusCode, AppJson<PurchaseCredit>)> {
    verify(&state, &headers, &body)?;
    let report: PurchaseReport = serde_json::from_slice(&body).map_err(|e| AppError::new(ErrorCode::ValidationFailed, e.to_string()))?;
    let (config, at) = (state.config.clone(), state.at());
    let credit =
        db::transaction(&state.writer, move |tx| async move { earning::purchase(tx, &config.rules, at, &report).await }.boxed()).await?;
    Ok((StatusCode::CREATED, AppJson(credit)))
}

/// The member's invite code and how many friends used it.
#[utoipa::path(get, path = "/api/invite", tag = "earning",
    responses((status = 200, body = InviteInfo), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn invite_info(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<InviteInfo>> {
    Ok(AppJson(earning::invite_info(&mut state.pool.acquire().await?, member.id).await?))
}

/// Accept a friend's invite (once per member; never one's own).
#[utoipa::path(post, path = "/api/invites/accept", tag = "earning", request_body = AcceptInvite,
    responses((status = 201, body = InviteInfo), (status = 401, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "already_invited"),
        (status = 422, body = mall_core::ApiErrorBody, description = "invite_invalid")))]
pub async fn accept_invite(
    State(state): State<AppState>,
    member: CurrentMember,
    AppJson(req): AppJson<AcceptInvite>,
) -> AppResult<(StatusCode, AppJson<InviteInfo>)> {
    earning::accept_invite(&state.writer, &state.pool, member.id, &req.code, state.clock.now_secs()).await?;
    Ok((StatusCode::CREATED, AppJson(earning::invite_info(&mut state.pool.acquire().await?, member.id).await?)))
}
