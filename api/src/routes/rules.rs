//! `GET /api/admin/rules` and `PUT /api/admin/rules`: the rules versions, and a new one
//! (operators; audited). The rules in force are served at `GET /api/rules` (`health`).

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use futures_util::FutureExt;
use mall_core::rules::{RulesChange, RulesOverview};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    domain::rules,
    error::AppError,
    extract::AppJson,
    operator::Operator,
    routes::{idempotency_key, once},
    state::AppState,
    AppResult,
};

/// The rules routes of operators.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(overview, change))
}

/// The rules version in force now, the scheduled ones (soonest first) and the earlier ones
/// (newest first), read from the database.
#[utoipa::path(get, path = "/admin/rules", tag = "operator", security(("operator" = [])),
    responses((status = 200, body = RulesOverview), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn overview(State(state): State<AppState>, _op: Operator) -> AppResult<AppJson<RulesOverview>> {
    Ok(AppJson(rules::overview(&state.pool, state.clock.now_secs(), state.config.zone).await?))
}

/// A new version of the rules, in force now or from a later `effective_at`; audited with
/// who and why. Never retroactive: what happened before it keeps the rules of its moment
/// (lots their expiry, history its amounts, members the tier they reached). The fixed
/// fields (`point_value`, `deduction_max_share`, `deduction_min_points`,
/// `deduction_hold_minutes`, `return_window_days`, the task names) are the host shop's
/// contract and change only with a release. Other replicas use it within a few seconds.
#[utoipa::path(put, path = "/admin/rules", tag = "operator", request_body = RulesChange,
    params(("Idempotency-Key" = String, Header, description = "Required: a retry replays the first answer")),
    security(("operator" = [])),
    responses((status = 201, body = mall_core::rules::RulesVersion), (status = 403, body = mall_core::ApiErrorBody),
        (status = 422, body = mall_core::ApiErrorBody,
            description = "validation_failed: each refused field in `details.fields` (a bound broken, a fixed field changed, \
                effective_at not later than now, the reason); idempotency_key_reused"),
        (status = 503, body = mall_core::ApiErrorBody, description = "unavailable: the database is busy, or concurrent changes kept taking the next number")))]
pub async fn change(
    State(state): State<AppState>,
    Operator(actor): Operator,
    headers: HeaderMap,
    AppJson(req): AppJson<RulesChange>,
) -> AppResult<Response> {
    let key = idempotency_key(&headers, true, "PUT /api/admin/rules", &req)?;
    let now = state.clock.now_secs();
    // The newest versions (another replica's change may be younger than the refresh).
    state.rules.refresh().await?;
    let before = state.rules.versions().at(now).clone();
    let zone = state.config.zone;
    // Checked inside: a retry replays the first answer even once its `effective_at` has
    // passed.
    let answer = once(&state, actor.owner(), key, StatusCode::CREATED, move |tx| {
        async move {
            let checked = rules::check(&req, &before.rules, now)?;
            Ok::<_, AppError>(rules::record(tx, &actor, &checked, &before, now, zone).await?)
        }
        .boxed()
    })
    .await?;
    // This replica uses the new version at once (the others within their refresh).
    if let Err(e) = state.rules.refresh().await {
        tracing::warn!(error = %e, "rules versions not refreshed after a change; the next refresh will");
    }
    Ok(answer)
}
