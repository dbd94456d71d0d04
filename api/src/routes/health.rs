//! Liveness with the database, and the server clock.

use axum::extract::State;
use mall_core::dto::{Health, ServerTime};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{clock, db, error::AppError, extract::AppJson, state::AppState, AppResult};

/// `/healthz` (outside `/api`).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(healthz))
}

/// `/api/time` and `/api/rules`.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(time)).routes(routes!(rules))
}

/// Every product number (tiers, perks, earning table, check-in ladder, caps, expiry): the
/// rules version in force at the server's clock (a replica sees another's change within
/// a few seconds, `Limits::rules_refresh`).
#[utoipa::path(get, path = "/rules", tag = "system", responses((status = 200, body = mall_core::Rules)))]
pub async fn rules(State(state): State<AppState>) -> AppJson<mall_core::Rules> {
    AppJson((*state.rules.in_force(state.clock.now_secs())).clone())
}

/// Liveness: answers `ok` when the database answers.
#[utoipa::path(get, path = "/healthz", tag = "system",
    responses((status = 200, body = Health), (status = 503, body = mall_core::ApiErrorBody)))]
pub async fn healthz(State(state): State<AppState>) -> AppResult<AppJson<Health>> {
    let ping = async { db::sessions::ping(&mut state.pool.acquire().await?).await };
    ping.await.map_err(|e: sqlx::Error| {
        tracing::error!(error = %e, "health check failed");
        AppError::new(mall_core::ErrorCode::Unavailable, "the database is not reachable")
    })?;
    Ok(AppJson(Health { status: "ok".into() }))
}

/// The server's clock and zone, for countdowns that do not trust the phone.
#[utoipa::path(get, path = "/time", tag = "system", responses((status = 200, body = ServerTime)))]
pub async fn time(State(state): State<AppState>) -> AppJson<ServerTime> {
    let now = state.clock.now();
    AppJson(ServerTime {
        epoch_ms: now.timestamp_millis(),
        now: clock::rfc3339(state.config.zone, now.timestamp()),
        zone: state.config.zone.name().to_string(),
    })
}
