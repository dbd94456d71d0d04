//! Lottery (`domain::lottery`): the running lottery, a draw, and the operator's lotteries.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use futures_util::FutureExt;
use mall_core::lottery::{AdminLotteries, DrawResult, Lottery, NewLottery, ODDS_SCALE};
use rand::Rng;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{idempotency_key, once};
use crate::{
    db,
    domain::{idempotency::Owner, lottery},
    error::AppError,
    extract::{AppJson, AppPath},
    operator::Operator,
    session::CurrentMember,
    state::AppState,
    AppResult,
};

/// Lottery routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(current)).routes(routes!(draw)).routes(routes!(staff_list, create)).routes(routes!(close))
}

/// The running lottery: cost, draws left today, every prize with its odds and stock.
#[utoipa::path(get, path = "/lotteries/current", tag = "member",
    responses((status = 200, body = Lottery), (status = 401, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "not_found: no lottery is running")))]
pub async fn current(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<Lottery>> {
    lottery::current(&mut state.pool.acquire().await?, state.at(), member.id)
        .await?
        .map(AppJson)
        .ok_or_else(|| AppError::new(mall_core::ErrorCode::NotFound, "no lottery is running"))
}

/// One draw: the cost taken, a prize perhaps. Requires `Idempotency-Key`; a retry with the
/// same key returns the first answer (the same prize, drawn once).
#[utoipa::path(post, path = "/lotteries/{id}/draws", tag = "member",
    params(("id" = i64, Path, description = "Lottery id"), ("Idempotency-Key" = String, Header, description = "1–64 visible ASCII characters, unique per draw")),
    responses((status = 201, body = DrawResult),
        (status = 401, body = mall_core::ApiErrorBody),
        (status = 403, body = mall_core::ApiErrorBody, description = "member_frozen"),
        (status = 404, body = mall_core::ApiErrorBody, description = "not_found: no such running lottery"),
        (status = 409, body = mall_core::ApiErrorBody, description = "limit_reached: no draws left today; insufficient_points"),
        (status = 422, body = mall_core::ApiErrorBody, description = "address_required: the lottery has an item prize and the member no address")))]
pub async fn draw(
    State(state): State<AppState>,
    member: CurrentMember,
    AppPath(id): AppPath<i64>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let key = idempotency_key(&headers, true, &format!("POST /api/lotteries/{id}/draws"), &())?;
    let ((rules, at), member_id) = (state.moment(), member.id);
    // The OS's CSPRNG; a retry after a conflict draws again (nothing of the first attempt stayed).
    once(&state, Owner::Member(member.id), key, StatusCode::CREATED, move |tx| {
        let roll = rand::rngs::OsRng.gen_range(0..ODDS_SCALE);
        async move { lottery::draw(tx, &rules, at, member_id, id, roll).await.map_err(AppError::from) }.boxed()
    })
    .await
}

/// Every lottery, newest first: terms, open or closed, draws and the points they took,
/// each prize with its stock left and how many draws won it.
#[utoipa::path(get, path = "/admin/lotteries", tag = "operator", security(("operator" = [])),
    responses((status = 200, body = AdminLotteries), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn staff_list(State(state): State<AppState>, _op: Operator) -> AppResult<AppJson<AdminLotteries>> {
    Ok(AppJson(lottery::staff_list(&mut state.pool.acquire().await?, state.config.zone).await?))
}

/// Open a lottery (audited); it replaces the running one. Checked by
/// `mall_core::lottery::check_lottery`, then that an item prize's item is physical and a
/// coupon prize's a voucher.
#[utoipa::path(post, path = "/admin/lotteries", tag = "operator", request_body = NewLottery, security(("operator" = [])),
    responses((status = 201, body = Lottery), (status = 403, body = mall_core::ApiErrorBody),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed")))]
pub async fn create(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppJson(new): AppJson<NewLottery>,
) -> AppResult<(StatusCode, AppJson<Lottery>)> {
    let at = state.at();
    let made = db::transaction(&state.writer, move |tx| async move { lottery::create(tx, &actor, &new, at).await }.boxed()).await?;
    Ok((StatusCode::CREATED, AppJson(made)))
}

/// Close a lottery: no more draws (audited).
#[utoipa::path(post, path = "/admin/lotteries/{id}/close", tag = "operator", params(("id" = i64, Path, description = "Lottery id")),
    security(("operator" = [])),
    responses((status = 204), (status = 403, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody)))]
pub async fn close(State(state): State<AppState>, Operator(actor): Operator, AppPath(id): AppPath<i64>) -> AppResult<StatusCode> {
    let now = state.clock.now_secs();
    db::transaction(&state.writer, move |tx| async move { lottery::close(tx, &actor, id, now).await }.boxed()).await?;
    Ok(StatusCode::NO_CONTENT)
}
