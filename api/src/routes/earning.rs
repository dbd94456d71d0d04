//! Earning from outside the mall (`domain::earning`): the host shop's signed purchase and
//! refund hooks (`signed`) and invites.

use axum::{extract::State, http::StatusCode, response::Response};
use futures_util::FutureExt;
use mall_core::{
    checkout::{RefundOutcome, RefundReport},
    earning::{AcceptInvite, InviteInfo, PurchaseCredit, PurchaseReport},
    ErrorCode,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::signed::{self, Signed};
use crate::{db::idempotency::hook, domain::earning, extract::AppJson, session::CurrentMember, state::AppState, AppResult};

/// Earning routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(purchase)).routes(routes!(refund)).routes(routes!(invite_info)).routes(routes!(accept_invite))
}

/// The host shop reports a purchase (server to server, HMAC-signed with a timestamp).
/// Its points stay pending until `settles_at` (the return window). Each `purchase_id`
/// once: the same id and body again get the first answer.
#[utoipa::path(post, path = "/hooks/purchase", tag = "host", request_body = PurchaseReport,
    params(("X-Mall-Timestamp" = i64, Header, description = "Unix seconds"),
        ("X-Mall-Signature" = String, Header, description = "v2=<hex HMAC-SHA256 with the hook secret of \"v2\\n{timestamp}\\n{METHOD}\\n{path}\\n{Idempotency-Key or -}\\n{body}\">")),
    responses((status = 201, body = PurchaseCredit, description = "Recorded (a replay carries Idempotent-Replayed: true)"),
        (status = 400, body = mall_core::ApiErrorBody, description = "invalid_json"),
        (status = 401, body = mall_core::ApiErrorBody, description = "signature_invalid, stale_request"),
        (status = 404, body = mall_core::ApiErrorBody, description = "member_not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "purchase_id_reused"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed")))]
pub async fn purchase(State(state): State<AppState>, Signed(report): Signed<PurchaseReport>) -> AppResult<Response> {
    let (rules, at) = state.moment();
    let id = report.purchase_id.clone();
    signed::once_per_id(&state, hook::PURCHASE, &id, &report.clone(), StatusCode::CREATED, ErrorCode::PurchaseIdReused, move |tx| {
        async move { Ok(earning::purchase(tx, &rules, at, &report).await?) }.boxed()
    })
    .await
}

/// The host shop refunds (part of) a purchase: its points are taken back in proportion
/// (`floor(points × Σ refunded ÷ paid)`, less what earlier refunds took); inside the
/// return window the pending points are cancelled; what the balance cannot cover becomes
/// the member's shortfall. Each `refund_id` once.
#[utoipa::path(post, path = "/hooks/refund", tag = "host", request_body = RefundReport,
    params(("X-Mall-Timestamp" = i64, Header, description = "Unix seconds"),
        ("X-Mall-Signature" = String, Header, description = "v2=<hex HMAC-SHA256 with the hook secret of \"v2\\n{timestamp}\\n{METHOD}\\n{path}\\n{Idempotency-Key or -}\\n{body}\">")),
    responses((status = 201, body = RefundOutcome, description = "Recorded (a replay carries Idempotent-Replayed: true)"),
        (status = 400, body = mall_core::ApiErrorBody, description = "invalid_json"),
        (status = 401, body = mall_core::ApiErrorBody, description = "signature_invalid, stale_request"),
        (status = 404, body = mall_core::ApiErrorBody, description = "purchase_not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "refund_id_reused"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed, refund_exceeds_paid")))]
pub async fn refund(State(state): State<AppState>, Signed(report): Signed<RefundReport>) -> AppResult<Response> {
    let at = state.at();
    let id = report.refund_id.clone();
    signed::once_per_id(&state, hook::REFUND, &id, &report.clone(), StatusCode::CREATED, ErrorCode::RefundIdReused, move |tx| {
        async move { Ok(earning::refund(tx, at, &report).await?) }.boxed()
    })
    .await
}

/// The member's invite code and how many friends used it.
#[utoipa::path(get, path = "/invite", tag = "earning",
    responses((status = 200, body = InviteInfo), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn invite_info(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<InviteInfo>> {
    Ok(AppJson(earning::invite_info(&mut state.pool.acquire().await?, member.id).await?))
}

/// Accept a friend's invite (once per member; never one's own; only before the member's
/// first purchase is reported).
#[utoipa::path(post, path = "/invites/accept", tag = "earning", request_body = AcceptInvite,
    responses((status = 201, body = InviteInfo), (status = 401, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "already_invited, invite_too_late"),
        (status = 422, body = mall_core::ApiErrorBody, description = "invite_invalid")))]
pub async fn accept_invite(
    State(state): State<AppState>,
    member: CurrentMember,
    AppJson(req): AppJson<AcceptInvite>,
) -> AppResult<(StatusCode, AppJson<InviteInfo>)> {
    earning::accept_invite(&state.writer, &state.pool, member.id, &req.code, state.clock.now_secs()).await?;
    Ok((StatusCode::CREATED, AppJson(earning::invite_info(&mut state.pool.acquire().await?, member.id).await?)))
}
