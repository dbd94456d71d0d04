//! The operator's view of the webhooks to the host (`domain::outbox`): the deliveries by
//! state, with the last answer, and a resend.

use axum::{extract::State, http::HeaderMap, http::StatusCode, response::Response};
use futures_util::FutureExt;
use mall_core::{
    webhook::{AdminDelivery, AdminDeliveryPage, AdminDeliveryQuery},
    ErrorCode,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    db,
    domain::outbox,
    error::AppError,
    extract::{AppJson, AppPath, AppQuery},
    operator::Operator,
    routes::{finish_page, id_cursor, idempotency_key, once, page_size},
    state::AppState,
    AppResult,
};

/// Delivery routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(resend))
}

/// The webhooks to the host, newest first: by state (`pending`, `failed`, `delivered`) and
/// member, each with its attempts, last answer (status and excerpt) and next attempt.
#[utoipa::path(get, path = "/admin/deliveries", tag = "operator", params(AdminDeliveryQuery), security(("operator" = [])),
    responses((status = 200, body = AdminDeliveryPage), (status = 400, body = mall_core::ApiErrorBody, description = "bad_request: a bad state, cursor or limit"),
        (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _op: Operator,
    AppQuery(query): AppQuery<AdminDeliveryQuery>,
) -> AppResult<AppJson<AdminDeliveryPage>> {
    let limit = page_size(query.limit)?;
    let before = id_cursor(query.cursor.as_deref())?.unwrap_or(i64::MAX);
    let mut conn = state.pool.acquire().await?;
    let mut rows = outbox::list(&mut conn, state.config.zone, query.state, query.member_id, before, limit + 1).await?;
    let next_cursor = finish_page(&mut rows, limit, |d| d.id.to_string());
    Ok(AppJson(AdminDeliveryPage { deliveries: rows, next_cursor }))
}

/// Send a delivery again (a failed one, or a delivered one the host lost): pending, due
/// now, tried for a day from now, after the member's earlier pending deliveries. Audited;
/// requires `Idempotency-Key` (the staff member's own): a retry replays the first answer.
#[utoipa::path(post, path = "/admin/deliveries/{id}/resend", tag = "operator",
    params(("id" = i64, Path, description = "Delivery (event) id"),
        ("Idempotency-Key" = String, Header, description = "Required: a retry replays the first answer")),
    security(("operator" = [])),
    responses((status = 200, body = AdminDelivery, description = "The delivery after: pending, due now"),
        (status = 403, body = mall_core::ApiErrorBody),
        (status = 400, body = mall_core::ApiErrorBody, description = "idempotency_key_missing"),
        (status = 404, body = mall_core::ApiErrorBody, description = "not_found: no delivery with this id"),
        (status = 409, body = mall_core::ApiErrorBody, description = "idempotency_key_reused: the key was used for another call")))]
pub async fn resend(
    State(state): State<AppState>,
    Operator(actor): Operator,
    headers: HeaderMap,
    AppPath(id): AppPath<i64>,
) -> AppResult<Response> {
    let key = idempotency_key(&headers, true, &format!("POST /api/admin/deliveries/{id}/resend"), &())?;
    let (now, zone, owner) = (state.clock.now_secs(), state.config.zone, actor.owner());
    once(&state, owner, key, StatusCode::OK, move |tx: &mut db::Tx| {
        async move {
            outbox::resend(tx, &actor, zone, now, id).await?.ok_or_else(|| AppError::new(ErrorCode::NotFound, "no delivery with this id"))
        }
        .boxed()
    })
    .await
}
