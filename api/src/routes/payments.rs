//! The cash part of a price, paid through the host (`domain::payments`): the member asks
//! for the payment request of its order awaiting payment, and the host's server confirms
//! the payment with a signed call under the one replay rule of signed hooks.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use futures_util::FutureExt;
use mall_core::{
    payment::{PaymentConfirmation, PaymentReceipt, PaymentStart},
    ErrorCode,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::signed::{self, Signed};
use crate::{
    db::idempotency::hook,
    domain::{
        orders::OrderError,
        payments::{self, HostPay},
    },
    error::AppError,
    extract::{AppJson, AppPath},
    security,
    session::CurrentMember,
    state::AppState,
    AppResult,
};

/// Payment routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(request)).routes(routes!(confirm))
}

/// The payment request of the member's order awaiting payment, signed by the mall for the
/// host's pay page (HMAC-SHA256 with the hook secret of the message in
/// `mall_core::payment`, direction tag `mall-to-host`), and the pay page's address with it
/// as query parameters. Asking again answers the same request (same payment id, same
/// expiry: the order's lapse time).
#[utoipa::path(post, path = "/orders/{id}/payment", tag = "orders",
    params(("id" = i64, Path, description = "Order id")),
    responses((status = 200, body = PaymentStart),
        (status = 400, body = mall_core::ApiErrorBody, description = "bad_request (no usable Host header)"),
        (status = 401, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "not_found (no such order of this member)"),
        (status = 409, body = mall_core::ApiErrorBody,
            description = "order_not_awaiting_payment (paid, cancelled…), order_lapsed, cash_payment_unavailable (no HOST_PAY_URL)")))]
pub async fn request(
    State(state): State<AppState>,
    member: CurrentMember,
    headers: HeaderMap,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<PaymentStart>> {
    let config = &state.config;
    let pay_url = config.host_pay_url.as_deref().ok_or(OrderError::CashUnavailable)?;
    let origin = security::own_origin(&headers, config.cookie_secure)
        .ok_or_else(|| AppError::new(ErrorCode::BadRequest, "the request has no usable Host header"))?;
    let host = HostPay { pay_url, secret: &config.hook_secret, frame_origins: &config.host_origins };
    let start = payments::request(&mut state.pool.acquire().await?, host, state.at(), member.id, id, &origin).await?;
    Ok(AppJson(start))
}

/// The host's server confirms the cash part of an order (signed, `X-Mall-Signature: v2=…`):
/// `paid` must equal the order's cash. The order goes on as after a points-only redeem in
/// the same transaction (a voucher's codes issued; a physical item to the shipping queue).
/// Each `payment_id` once: the same body again answers the first answer; after the order
/// lapsed (or was cancelled) the payment is refused with 409 and the host refunds it.
#[utoipa::path(post, path = "/hooks/payment", tag = "host", request_body = PaymentConfirmation,
    params(("X-Mall-Timestamp" = i64, Header, description = "Unix seconds"),
        ("X-Mall-Signature" = String, Header, description = "v2=<hex HMAC-SHA256 with the hook secret of \"v2\\n{timestamp}\\nPOST\\n/api/hooks/payment\\n-\\n{body}\">")),
    responses((status = 200, body = PaymentReceipt, description = "Paid (a replay carries Idempotent-Replayed: true)"),
        (status = 400, body = mall_core::ApiErrorBody, description = "invalid_json"),
        (status = 401, body = mall_core::ApiErrorBody, description = "signature_invalid, stale_request"),
        (status = 404, body = mall_core::ApiErrorBody, description = "payment_not_found"),
        (status = 409, body = mall_core::ApiErrorBody,
            description = "order_lapsed (refund the member), order_not_awaiting_payment (cancelled by the member: refund), payment_id_reused"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed, payment_amount_mismatch")))]
pub async fn confirm(State(state): State<AppState>, Signed(req): Signed<PaymentConfirmation>) -> AppResult<Response> {
    let (rules, at) = state.moment();
    let id = req.payment_id.clone();
    signed::once_per_id(&state, hook::PAYMENT, &id, &req.clone(), StatusCode::OK, ErrorCode::PaymentIdReused, move |tx| {
        async move { Ok(payments::confirm(tx, &rules, at, &req).await?) }.boxed()
    })
    .await
}
