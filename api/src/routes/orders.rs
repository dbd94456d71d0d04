//! Redeeming catalogue items: one transaction that claims the idempotency key, checks
//! tier, takes stock (conditional update), enforces the per-member limit (conditional
//! upsert), takes the points from the soonest-expiring lots and records order + history.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use futures_util::FutureExt;
use mall_core::{
    catalog::MAX_ORDER_QUANTITY,
    dto::{Order, OrderPage, PageQuery, RedeemRequest},
    ErrorCode,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    db,
    domain::idempotency::Owner,
    domain::orders,
    error::AppError,
    extract::{AppJson, AppPath, AppQuery},
    routes::{finish_page, id_cursor, idempotency_key, once, page_size},
    session::CurrentMember,
    state::AppState,
    AppResult,
};

/// Order routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, redeem)).routes(routes!(one)).routes(routes!(cancel))
}

/// Cancel a pending (not yet shipped) order: stock and the per-member count go back,
/// and the points return to the lots they came from (re-expiring at once if those
/// lots have expired meanwhile).
#[utoipa::path(post, path = "/orders/{id}/cancel", tag = "orders",
    params(("id" = i64, Path, description = "Order id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer on retry")),
    responses((status = 200, body = Order), (status = 401, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody), (status = 409, body = mall_core::ApiErrorBody, description = "not_cancellable")))]
pub async fn cancel(
    State(state): State<AppState>,
    member: CurrentMember,
    headers: HeaderMap,
    AppPath(id): AppPath<i64>,
) -> AppResult<Response> {
    let key = idempotency_key(&headers, false, &format!("POST /api/orders/{id}/cancel"), &())?;
    let (at, member_id) = (state.at(), member.id);
    once(&state, Owner::Member(member.id), key, StatusCode::OK, move |tx| {
        async move { orders::cancel(tx, at, member_id, id).await.map_err(AppError::from) }.boxed()
    })
    .await
}

/// Redeem an item. Requires `Idempotency-Key`; a retry with the same key and body
/// returns the first answer (with `Idempotent-Replayed: true`) and moves nothing.
#[utoipa::path(post, path = "/orders", tag = "orders", request_body = RedeemRequest,
    params(("Idempotency-Key" = String, Header, description = "1–64 visible ASCII characters, unique per attempt")),
    responses((status = 201, body = Order),
        (status = 400, body = mall_core::ApiErrorBody, description = "idempotency_key_missing, invalid_json"),
        (status = 401, body = mall_core::ApiErrorBody),
        (status = 403, body = mall_core::ApiErrorBody, description = "tier_locked"),
        (status = 404, body = mall_core::ApiErrorBody, description = "item_not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "out_of_stock, limit_reached, insufficient_points, cash_payment_unavailable, merchant_inactive (a voucher of an inactive merchant)"),
        (status = 413, body = mall_core::ApiErrorBody),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed, idempotency_key_reused")))]
pub async fn redeem(
    State(state): State<AppState>,
    member: CurrentMember,
    headers: HeaderMap,
    AppJson(req): AppJson<RedeemRequest>,
) -> AppResult<Response> {
    if !(1..=MAX_ORDER_QUANTITY).contains(&req.quantity) {
        return Err(AppError::new(ErrorCode::ValidationFailed, format!("quantity must be between 1 and {MAX_ORDER_QUANTITY}")));
    }
    let key = idempotency_key(&headers, true, "POST /api/orders", &req)?;
    let (config, (rules, at), member_id) = (state.config.clone(), state.moment(), member.id);
    once(&state, Owner::Member(member.id), key, StatusCode::CREATED, move |tx| {
        async move {
            orders::redeem(tx, &rules, at, member_id, &req, config.host_pay_url.as_ref().map(|_| config.payment_window_seconds))
                .await
                .map_err(AppError::from)
        }
        .boxed()
    })
    .await
}

/// The member's orders, newest first.
#[utoipa::path(get, path = "/orders", tag = "orders", params(PageQuery),
    responses((status = 200, body = OrderPage), (status = 400, body = mall_core::ApiErrorBody),
        (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    member: CurrentMember,
    AppQuery(query): AppQuery<PageQuery>,
) -> AppResult<AppJson<OrderPage>> {
    let limit = page_size(query.limit)?;
    let before = id_cursor(query.cursor.as_deref())?.unwrap_or(i64::MAX);
    let rows = db::orders::page(&mut state.pool.acquire().await?, member.id, before, limit + 1).await?;
    let mut orders: Vec<Order> = rows.into_iter().map(|row| orders::order_from(state.at(), row)).collect();
    let next_cursor = finish_page(&mut orders, limit, |o| o.id.to_string());
    Ok(AppJson(OrderPage { orders, next_cursor }))
}

/// One of the member's orders, as the list shows it (the order page, where the host sends
/// the member back after paying). Another member's order, or none, is 404 `not_found`.
#[utoipa::path(get, path = "/orders/{id}", tag = "orders",
    params(("id" = i64, Path, description = "Order id")),
    responses((status = 200, body = Order), (status = 401, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "not_found (no such order of this member)")))]
pub async fn one(State(state): State<AppState>, member: CurrentMember, AppPath(id): AppPath<i64>) -> AppResult<AppJson<Order>> {
    let order = orders::one(&mut state.pool.acquire().await?, state.at(), member.id, id).await?;
    Ok(AppJson(order))
}
