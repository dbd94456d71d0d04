//! Campaigns (`domain::campaigns`): the running ones a member sees, and the operator's
//! list, create and end (audited).

use axum::{extract::State, http::StatusCode};
use futures_util::FutureExt;
use mall_core::campaign::{AdminCampaign, Campaign, NewCampaign};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    db,
    domain::campaigns,
    extract::{AppJson, AppPath},
    operator::Operator,
    session::CurrentMember,
    state::AppState,
    AppResult,
};

/// Campaign routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(running)).routes(routes!(staff_list, create)).routes(routes!(end))
}

/// The campaigns running now that apply to the member (its tier in their audience),
/// oldest first.
#[utoipa::path(get, path = "/campaigns", tag = "member",
    responses((status = 200, body = Vec<Campaign>), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn running(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<Vec<Campaign>>> {
    let (rules, at) = state.moment();
    Ok(AppJson(campaigns::for_member(&mut state.pool.acquire().await?, &rules, at, member.id).await?))
}

/// Every campaign, newest first: its terms, state, budget, what it took of the budget
/// (`spent`, `grants`) and what its entries credited (`booked`).
#[utoipa::path(get, path = "/admin/campaigns", tag = "operator", security(("operator" = [])),
    responses((status = 200, body = Vec<AdminCampaign>), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn staff_list(State(state): State<AppState>, _op: Operator) -> AppResult<AppJson<Vec<AdminCampaign>>> {
    let now = state.clock.now_secs();
    Ok(AppJson(campaigns::staff_list(&mut state.pool.acquire().await?, now).await?))
}

/// Create a campaign (audited). Checked by `mall_core::campaign::NewCampaign::check`,
/// then that it ends in the future and its category or item exists.
#[utoipa::path(post, path = "/admin/campaigns", tag = "operator", request_body = NewCampaign, security(("operator" = [])),
    responses((status = 201, body = AdminCampaign), (status = 400, body = mall_core::ApiErrorBody, description = "invalid_json"),
        (status = 403, body = mall_core::ApiErrorBody),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed, with `details.fields`")))]
pub async fn create(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppJson(new): AppJson<NewCampaign>,
) -> AppResult<(StatusCode, AppJson<AdminCampaign>)> {
    let now = state.clock.now_secs();
    let made = db::transaction(&state.writer, move |tx| {
        let (actor, new) = (actor.clone(), new.clone());
        async move { campaigns::create(tx, &actor, &new, now).await }.boxed()
    })
    .await?;
    Ok((StatusCode::CREATED, AppJson(made)))
}

/// End a campaign now (audited): no more boosts; what it gave stays given and its budget
/// is not refilled.
#[utoipa::path(post, path = "/admin/campaigns/{id}/end", tag = "operator", params(("id" = i64, Path, description = "Campaign id")),
    security(("operator" = [])),
    responses((status = 200, body = AdminCampaign), (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "invalid_transition: it has already ended")))]
pub async fn end(State(state): State<AppState>, Operator(actor): Operator, AppPath(id): AppPath<i64>) -> AppResult<AppJson<AdminCampaign>> {
    let now = state.clock.now_secs();
    let ended = db::transaction(&state.writer, move |tx| {
        let actor = actor.clone();
        async move { campaigns::end(tx, &actor, id, now).await }.boxed()
    })
    .await?;
    Ok(AppJson(ended))
}
