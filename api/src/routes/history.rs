//! `GET /api/history`: the point history, newest first, cursor-paged, filterable
//! (`domain::history`; due points show as a pending expiry).

use axum::extract::State;
use mall_core::dto::{HistoryPage, HistoryQuery};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    domain::history,
    extract::{AppJson, AppQuery},
    routes::{finish_page, id_cursor, page_size},
    session::CurrentMember,
    state::AppState,
    AppResult,
};

/// History routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// The member's point history, newest first; due points show as a pending expiry.
#[utoipa::path(get, path = "/history", tag = "history", params(HistoryQuery),
    responses((status = 200, body = HistoryPage), (status = 400, body = mall_core::ApiErrorBody),
        (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    member: CurrentMember,
    AppQuery(query): AppQuery<HistoryQuery>,
) -> AppResult<AppJson<HistoryPage>> {
    let limit = page_size(query.limit)?;
    let before = id_cursor(query.cursor.as_deref())?;
    let (mut entries, months) = history::page(&state.pool, state.at(), member.id, before, query.kind, limit + 1).await?;
    let next_cursor = finish_page(&mut entries, limit, |e| e.id.to_string());
    Ok(AppJson(HistoryPage { entries, next_cursor, months }))
}
