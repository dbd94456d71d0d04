//! Donation (`domain::donations`): the causes, a member's donation, and the operator's
//! causes.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use futures_util::FutureExt;
use mall_core::donation::{AdminCauses, Cause, DonateRequest, Donated, NewCause};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{idempotency_key, once};
use crate::{
    db,
    domain::{donations, idempotency::Owner},
    error::AppError,
    extract::{AppJson, AppPath},
    operator::Operator,
    session::CurrentMember,
    state::AppState,
    AppResult,
};

/// Donation routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(donate)).routes(routes!(staff_list, create)).routes(routes!(close))
}

/// The causes (open first) with what the member gave each.
#[utoipa::path(get, path = "/causes", tag = "member",
    responses((status = 200, body = Vec<Cause>), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn list(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<Vec<Cause>>> {
    Ok(AppJson(donations::list(&mut state.pool.acquire().await?, &state.rules.in_force(state.clock.now_secs()), member.id).await?))
}

/// Give points to a cause: irrevocable (history kind `donation`). Requires
/// `Idempotency-Key`; a retry with the same key and body returns the first answer.
#[utoipa::path(post, path = "/causes/{id}/donations", tag = "member", request_body = DonateRequest,
    params(("id" = i64, Path, description = "Cause id"), ("Idempotency-Key" = String, Header, description = "1–64 visible ASCII characters, unique per attempt")),
    responses((status = 201, body = Donated),
        (status = 401, body = mall_core::ApiErrorBody),
        (status = 403, body = mall_core::ApiErrorBody, description = "member_frozen"),
        (status = 404, body = mall_core::ApiErrorBody, description = "not_found: no such cause"),
        (status = 409, body = mall_core::ApiErrorBody, description = "cause_closed, insufficient_points"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed: fewer than the minimum")))]
pub async fn donate(
    State(state): State<AppState>,
    member: CurrentMember,
    AppPath(id): AppPath<i64>,
    headers: HeaderMap,
    AppJson(req): AppJson<DonateRequest>,
) -> AppResult<Response> {
    let key = idempotency_key(&headers, true, &format!("POST /api/causes/{id}/donations"), &req)?;
    let ((rules, at), member_id) = (state.moment(), member.id);
    once(&state, Owner::Member(member.id), key, StatusCode::CREATED, move |tx| {
        async move { donations::donate(tx, &rules, at, member_id, id, req.points).await.map_err(AppError::from) }.boxed()
    })
    .await
}

/// Every cause, newest first, with its donations and donors.
#[utoipa::path(get, path = "/admin/causes", tag = "operator", security(("operator" = [])),
    responses((status = 200, body = AdminCauses), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn staff_list(State(state): State<AppState>, _op: Operator) -> AppResult<AppJson<AdminCauses>> {
    Ok(AppJson(donations::staff_list(&mut state.pool.acquire().await?, state.config.zone).await?))
}

/// Open a cause (audited), checked by `mall_core::donation::check_cause` (and a `/media/…`
/// image must have been uploaded).
#[utoipa::path(post, path = "/admin/causes", tag = "operator", request_body = NewCause, security(("operator" = [])),
    responses((status = 201, body = Cause), (status = 403, body = mall_core::ApiErrorBody),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed")))]
pub async fn create(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppJson(new): AppJson<NewCause>,
) -> AppResult<(StatusCode, AppJson<Cause>)> {
    let now = state.clock.now_secs();
    let rules = state.rules.in_force(now);
    let cause =
        db::transaction(&state.writer, move |tx| async move { donations::create(tx, &rules, &actor, &new, now).await }.boxed()).await?;
    Ok((StatusCode::CREATED, AppJson(cause)))
}

/// Close a cause: it takes no more donations (audited; closing again answers it as it is).
#[utoipa::path(post, path = "/admin/causes/{id}/close", tag = "operator", params(("id" = i64, Path, description = "Cause id")),
    security(("operator" = [])),
    responses((status = 200, body = Cause), (status = 403, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody)))]
pub async fn close(State(state): State<AppState>, Operator(actor): Operator, AppPath(id): AppPath<i64>) -> AppResult<AppJson<Cause>> {
    let now = state.clock.now_secs();
    let rules = state.rules.in_force(now);
    let cause =
        db::transaction(&state.writer, move |tx| async move { donations::close(tx, &rules, &actor, id, now).await }.boxed()).await?;
    Ok(AppJson(cause))
}
