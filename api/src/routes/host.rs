//! The host's checkout (`domain::deductions`): signed server-to-server calls to quote,
//! hold, capture, release and refund points deductions (积分抵扣), and the member's list
//! of pending purchase points.

use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode},
    response::Response,
};
use futures_util::FutureExt;
use mall_core::{
    checkout::{Deduction, DeductionRefund, HoldRequest, PendingList, PendingPurchase, Quote, QuoteRequest},
    ErrorCode,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    signed::{self, NoBody, Signed},
    IDEMPOTENCY_KEY,
};
use crate::{
    clock,
    db::{self, idempotency::hook},
    domain::deductions,
    error::AppError,
    extract::{AppJson, AppPath},
    session::CurrentMember,
    state::AppState,
    AppResult,
};

/// Host checkout routes and the member's pending points.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(quote))
        .routes(routes!(hold))
        .routes(routes!(capture))
        .routes(routes!(release))
        .routes(routes!(refund))
        .routes(routes!(pending))
}

/// What a member could deduct from an order now: balance, the most points and cash off.
#[utoipa::path(post, path = "/host/deductions/quote", tag = "host", request_body = QuoteRequest,
    params(("X-Mall-Timestamp" = i64, Header, description = "Unix seconds"),
        ("X-Mall-Signature" = String, Header, description = "v2=<hex HMAC-SHA256 with the hook secret of \"v2\\n{timestamp}\\n{METHOD}\\n{path}\\n{Idempotency-Key or -}\\n{body}\">")),
    responses((status = 200, body = Quote), (status = 400, body = mall_core::ApiErrorBody, description = "invalid_json"),
        (status = 401, body = mall_core::ApiErrorBody, description = "signature_invalid, stale_request"),
        (status = 404, body = mall_core::ApiErrorBody, description = "member_not_found"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed")))]
pub async fn quote(State(state): State<AppState>, Signed(req): Signed<QuoteRequest>) -> AppResult<AppJson<Quote>> {
    let (rules, at) = state.moment();
    Ok(AppJson(deductions::quote(&mut state.pool.acquire().await?, &rules, at, &req).await?))
}

/// Hold points for the host's order: they leave the spendable balance at once. One
/// deduction per `order_id` (the same id and body again get the first answer).
#[utoipa::path(post, path = "/host/deductions", tag = "host", request_body = HoldRequest,
    params(("X-Mall-Timestamp" = i64, Header, description = "Unix seconds"),
        ("X-Mall-Signature" = String, Header, description = "v2=<hex HMAC-SHA256 with the hook secret of \"v2\\n{timestamp}\\n{METHOD}\\n{path}\\n{Idempotency-Key or -}\\n{body}\">")),
    responses((status = 201, body = Deduction, description = "Held (a replay carries Idempotent-Replayed: true)"),
        (status = 400, body = mall_core::ApiErrorBody, description = "invalid_json"),
        (status = 401, body = mall_core::ApiErrorBody, description = "signature_invalid, stale_request"),
        (status = 403, body = mall_core::ApiErrorBody, description = "member_frozen"),
        (status = 404, body = mall_core::ApiErrorBody, description = "member_not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "insufficient_points, order_id_reused"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed, deduction_below_minimum, deduction_over_share")))]
pub async fn hold(State(state): State<AppState>, Signed(req): Signed<HoldRequest>) -> AppResult<Response> {
    let (rules, at) = state.moment();
    let id = req.order_id.clone();
    signed::once_per_id(&state, hook::HOLD, &id, &req.clone(), StatusCode::CREATED, ErrorCode::OrderIdReused, move |tx| {
        async move { Ok(deductions::hold(tx, &rules, at, &req).await?) }.boxed()
    })
    .await
}

/// Capture a hold: the host's order is paid with the points. Capturing again answers the
/// first capture.
#[utoipa::path(post, path = "/host/deductions/{id}/capture", tag = "host",
    request_body(content = String, content_type = "application/json", description = "Empty, or `{}`"),
    params(("id" = i64, Path), ("X-Mall-Timestamp" = i64, Header, description = "Unix seconds"),
        ("X-Mall-Signature" = String, Header, description = "v2=<hex HMAC-SHA256 with the hook secret of \"v2\\n{timestamp}\\n{METHOD}\\n{path}\\n{Idempotency-Key or -}\\n{body}\">")),
    responses((status = 200, body = Deduction, description = "Captured (a replay carries Idempotent-Replayed: true)"),
        (status = 401, body = mall_core::ApiErrorBody, description = "signature_invalid, stale_request"),
        (status = 404, body = mall_core::ApiErrorBody, description = "deduction_not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "deduction_released (released or expired)")))]
pub async fn capture(State(state): State<AppState>, AppPath(id): AppPath<i64>, _: Signed<NoBody>) -> AppResult<Response> {
    let at = state.at();
    signed::once_per_id(&state, hook::CAPTURE, &id.to_string(), &id, StatusCode::OK, ErrorCode::IdempotencyKeyReused, move |tx| {
        async move { Ok(deductions::capture(tx, at, id).await?) }.boxed()
    })
    .await
}

/// Release a hold: the points go back into the lots they came from. Releasing again
/// answers the first release.
#[utoipa::path(post, path = "/host/deductions/{id}/release", tag = "host",
    request_body(content = String, content_type = "application/json", description = "Empty, or `{}`"),
    params(("id" = i64, Path), ("X-Mall-Timestamp" = i64, Header, description = "Unix seconds"),
        ("X-Mall-Signature" = String, Header, description = "v2=<hex HMAC-SHA256 with the hook secret of \"v2\\n{timestamp}\\n{METHOD}\\n{path}\\n{Idempotency-Key or -}\\n{body}\">")),
    responses((status = 200, body = Deduction, description = "Released (a replay carries Idempotent-Replayed: true)"),
        (status = 401, body = mall_core::ApiErrorBody, description = "signature_invalid, stale_request"),
        (status = 404, body = mall_core::ApiErrorBody, description = "deduction_not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "deduction_captured (refund instead)")))]
pub async fn release(State(state): State<AppState>, AppPath(id): AppPath<i64>, _: Signed<NoBody>) -> AppResult<Response> {
    let at = state.at();
    signed::once_per_id(&state, hook::RELEASE, &id.to_string(), &id, StatusCode::OK, ErrorCode::IdempotencyKeyReused, move |tx| {
        async move { Ok(deductions::release(tx, at, id).await?) }.boxed()
    })
    .await
}

/// Refund points of a captured deduction, whole (no `points`) or in part, into the lots
/// they came from. Each refund is a new request: it needs an `Idempotency-Key`, and a
/// retry with the same key gets the first answer.
#[utoipa::path(post, path = "/host/deductions/{id}/refund", tag = "host", request_body = DeductionRefund,
    params(("id" = i64, Path), ("Idempotency-Key" = String, Header, description = "Required: one per refund"),
        ("X-Mall-Timestamp" = i64, Header, description = "Unix seconds"),
        ("X-Mall-Signature" = String, Header, description = "v2=<hex HMAC-SHA256 with the hook secret of \"v2\\n{timestamp}\\n{METHOD}\\n{path}\\n{Idempotency-Key or -}\\n{body}\">")),
    responses((status = 200, body = Deduction, description = "Refunded (a replay carries Idempotent-Replayed: true)"),
        (status = 400, body = mall_core::ApiErrorBody, description = "invalid_json, idempotency_key_missing"),
        (status = 401, body = mall_core::ApiErrorBody, description = "signature_invalid, stale_request"),
        (status = 404, body = mall_core::ApiErrorBody, description = "deduction_not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "deduction_not_captured"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed, refund_exceeds_capture, idempotency_key_reused")))]
pub async fn refund(
    State(state): State<AppState>,
    AppPath(id): AppPath<i64>,
    headers: HeaderMap,
    Signed(req): Signed<DeductionRefund>,
) -> AppResult<Response> {
    let key = headers
        .get(IDEMPOTENCY_KEY)
        .map(HeaderValue::to_str)
        .ok_or_else(|| AppError::new(ErrorCode::IdempotencyKeyMissing, "send an Idempotency-Key header with each refund"))?
        .map_err(|_| AppError::new(ErrorCode::BadRequest, "Idempotency-Key must be visible ASCII"))?
        .to_string();
    let at = state.at();
    let scoped = format!("{id}:{key}");
    signed::once_per_id(&state, hook::DEDUCTION_REFUND, &scoped, &req.clone(), StatusCode::OK, ErrorCode::IdempotencyKeyReused, move |tx| {
        async move { Ok(deductions::refund(tx, at, id, req.points).await?) }.boxed()
    })
    .await
}

/// The member's purchase points still inside their return window (not spendable yet),
/// each with its campaign bonus (as `/api/me`'s `pending_points` counts it).
#[utoipa::path(get, path = "/pending", tag = "member",
    responses((status = 200, body = PendingList), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn pending(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<PendingList>> {
    let now = state.clock.now_secs();
    let rows = db::earning::pending(&mut state.pool.acquire().await?, member.id, now).await?;
    let zone = state.config.zone;
    let pending: Vec<PendingPurchase> = rows
        .into_iter()
        .map(|p| PendingPurchase {
            points: p.points - p.taken_back + p.campaign_points - p.campaign_taken_back,
            purchase_id: p.purchase_id,
            settles_at: clock::rfc3339(zone, p.settles_at),
            reported_at: clock::rfc3339(zone, p.created_at),
        })
        .filter(|p| p.points > 0)
        .collect();
    Ok(AppJson(PendingList { total: pending.iter().map(|p| p.points).sum(), pending }))
}
