//! Operator endpoints (behind `Authorization: Bearer <OPERATOR_TOKEN>`): point
//! adjustments, order shipping, the expiry sweep; and the development clock.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::post,
    Router,
};
use futures_util::FutureExt;
use mall_core::{
    earning::{Adjustment, Award, ClockAdvance, OrderStatusChange},
    ErrorCode,
};

use crate::{
    domain::{ledger, members, orders, sweep},
    error::AppError,
    extract::{AppJson, AppPath},
    operator::Operator,
    routes::{idempotency_key, once},
    startup::AppState,
    AppResult,
};

/// Operator and development routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/adjustments", post(adjust))
        .route("/admin/orders/{id}/status", post(order_status))
        .route("/admin/sweep", post(run_sweep))
        .route("/dev/clock", post(dev_clock))
}

/// Adjust a member's points up or down with a reason shown in its history.
#[utoipa::path(post, path = "/api/admin/adjustments", tag = "operator", request_body = Adjustment,
    params(("Idempotency-Key" = String, Header, description = "Required: a retry replays the first answer")),
    security(("operator" = [])),
    responses((status = 201, body = Award), (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody), (status = 409, body = mall_core::ApiErrorBody, description = "insufficient_points"),
        (status = 422, body = mall_core::ApiErrorBody)))]
pub async fn adjust(
    State(state): State<AppState>,
    _op: Operator,
    headers: HeaderMap,
    AppJson(req): AppJson<Adjustment>,
) -> AppResult<Response> {
    let reason = req.reason.trim().to_string();
    if req.amount == 0 || req.amount.abs() > 10_000_000 || reason.is_empty() || reason.chars().count() > 100 {
        return Err(AppError::new(
            ErrorCode::ValidationFailed,
            "amount must be non-zero (|amount| ≤ 10,000,000) and reason 1–100 characters",
        ));
    }
    members::exists(&mut state.pool.acquire().await?, req.member_id).await?;
    let key = idempotency_key(&headers, true, "POST /api/admin/adjustments", &req)?;
    let (config, at) = (state.config.clone(), state.at());
    once(&state, req.member_id, key, StatusCode::CREATED, move |tx| {
        async move {
            let balance = ledger::adjust(tx, &config.rules, at, req.member_id, req.amount, &reason).await?;
            Ok::<_, AppError>(Award { awarded: req.amount, growth: 0, reason: None, balance })
        }
        .boxed()
    })
    .await
}

/// Move a physical order along pending → shipped → delivered.
#[utoipa::path(post, path = "/api/admin/orders/{id}/status", tag = "operator", request_body = OrderStatusChange,
    params(("id" = i64, Path, description = "Order id")), security(("operator" = [])),
    responses((status = 204, description = "Moved"), (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody), (status = 409, body = mall_core::ApiErrorBody, description = "invalid_transition")))]
pub async fn order_status(
    State(state): State<AppState>,
    _op: Operator,
    AppPath(id): AppPath<i64>,
    AppJson(req): AppJson<OrderStatusChange>,
) -> AppResult<StatusCode> {
    orders::advance(&state.writer, &state.pool, id, req.status, state.clock.now_secs()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Run the expiry sweep now (it also runs periodically).
#[utoipa::path(post, path = "/api/admin/sweep", tag = "operator", security(("operator" = [])),
    responses((status = 200, body = i64, description = "Members whose lots expired"), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn run_sweep(State(state): State<AppState>, _op: Operator) -> AppResult<AppJson<i64>> {
    Ok(AppJson(sweep::run_once(&state.pool, &state.writer, state.at()).await?))
}

/// Development only (`DEV_CLOCK=true`, impossible with `DEMO_LOGIN=false`): move the
/// server clock forward to try expiry and day changes.
#[utoipa::path(post, path = "/api/dev/clock", tag = "development", request_body = ClockAdvance,
    responses((status = 200, body = mall_core::dto::ServerTime), (status = 404, body = mall_core::ApiErrorBody)))]
pub async fn dev_clock(
    State(state): State<AppState>,
    AppJson(req): AppJson<ClockAdvance>,
) -> AppResult<AppJson<mall_core::dto::ServerTime>> {
    if !state.config.dev_clock {
        return Err(AppError::new(ErrorCode::NotFound, "no such API path"));
    }
    if !(0..=5 * 366 * 86_400).contains(&req.seconds) {
        return Err(AppError::new(ErrorCode::ValidationFailed, "seconds must be between 0 and five years"));
    }
    state.clock.advance(req.seconds);
    Ok(crate::routes::health::time(State(state)).await)
}
