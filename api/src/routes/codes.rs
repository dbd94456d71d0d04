//! Codes as operators handle them (`domain::codes`): look one up in full, void one.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use futures_util::FutureExt;
use mall_core::sales::{AdminCode, VoidCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{idempotency_key, once};
use crate::{
    domain::codes,
    error::AppError,
    extract::{AppJson, AppPath},
    operator::Operator,
    state::AppState,
    AppResult,
};

/// Operator code routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(look_up)).routes(routes!(void))
}

/// A code in full (typed in any case, with or without dashes): status now, holder, what
/// it is for, who honours it (none: the shop), what it cost, when it was issued, used or
/// voided and why.
#[utoipa::path(get, path = "/admin/codes/{code}", tag = "operator",
    params(("code" = String, Path, description = "The code, `XXXX-XXXX-XXXX` or without dashes, any case")), security(("operator" = [])),
    responses((status = 200, body = AdminCode), (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "code_not_found"),
        (status = 422, body = mall_core::ApiErrorBody, description = "code_invalid (typo caught by the check character)")))]
pub async fn look_up(State(state): State<AppState>, _op: Operator, AppPath(code): AppPath<String>) -> AppResult<AppJson<AdminCode>> {
    let mut conn = state.pool.acquire().await?;
    Ok(AppJson(codes::look_up(&mut conn, state.config.zone, state.clock.now_secs(), &code).await?))
}

/// Void an unused code (an expired unused one too) with a reason the member sees; audited.
/// A bought code gives its points back in the same transaction (a `refund` entry naming
/// the reason, into the lots they came from; a voucher's unit back to its stock); a
/// lottery's coupon prize gives nothing back; a sale's code does not reopen the sale. Two
/// voids of one code give back once. Requires `Idempotency-Key` (the staff member's own):
/// a retry replays the first answer.
#[utoipa::path(post, path = "/admin/codes/{code}/void", tag = "operator", request_body = VoidCode,
    params(("code" = String, Path, description = "The code, `XXXX-XXXX-XXXX` or without dashes, any case"),
        ("Idempotency-Key" = String, Header, description = "Required: a retry replays the first answer")),
    security(("operator" = [])),
    responses((status = 200, body = AdminCode, description = "The code after: status `void`, with its reason"),
        (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "code_not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "code_used (with when and by whom), code_void (voided already)"),
        (status = 422, body = mall_core::ApiErrorBody, description = "code_invalid; validation_failed: the reason is not 1–200 characters")))]
pub async fn void(
    State(state): State<AppState>,
    Operator(actor): Operator,
    headers: HeaderMap,
    AppPath(code): AppPath<String>,
    AppJson(request): AppJson<VoidCode>,
) -> AppResult<Response> {
    // The key's scope names the code as stored, however it was typed.
    let canon = mall_core::code::parse(&code).map_err(|e| AppError::from(codes::VoidError::CodeInvalid(e)))?;
    let key = idempotency_key(&headers, true, &format!("POST /api/admin/codes/{canon}/void"), &request)?;
    let (at, owner) = (state.at(), actor.owner());
    once(&state, owner, key, StatusCode::OK, move |tx| {
        async move { codes::void(tx, &actor, at, &canon, &request).await.map_err(AppError::from) }.boxed()
    })
    .await
}
