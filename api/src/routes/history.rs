//! `GET /api/history`: the point history, newest first, cursor-paged, filterable.

use axum::{extract::State, routing::get, Router};
use mall_core::dto::{EntryKind, HistoryEntry, HistoryFilter, HistoryPage, HistoryQuery, I18nText, Reference};

use crate::{
    clock,
    error::AppError,
    extract::{AppJson, AppQuery},
    ledger,
    routes::{finish_page, id_cursor, page_size},
    session::CurrentMember,
    startup::AppState,
    AppResult,
};

/// History routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/history", get(list))
}

type EntryRow = (i64, String, i64, i64, Option<String>, Option<String>, Option<String>, Option<String>, i64);

/// The member's point history, newest first; expiry is applied before reading.
#[utoipa::path(get, path = "/api/history", tag = "history", params(HistoryQuery),
    responses((status = 200, body = HistoryPage), (status = 400, body = mall_core::ApiErrorBody),
        (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    member: CurrentMember,
    AppQuery(query): AppQuery<HistoryQuery>,
) -> AppResult<AppJson<HistoryPage>> {
    let limit = page_size(query.limit)?;
    let before = id_cursor(query.cursor.as_deref())?.unwrap_or(i64::MAX);
    if query.cursor.is_none() {
        let mut tx = state.pool.begin().await?;
        ledger::expire_due(&mut tx, member.id, state.clock.now_secs()).await?;
        tx.commit().await?;
    }
    let filter = match query.kind {
        None => "",
        Some(HistoryFilter::Earned) => " AND amount > 0",
        Some(HistoryFilter::Spent) => " AND amount < 0 AND kind <> 'expire'",
        Some(HistoryFilter::Expired) => " AND kind = 'expire'",
    };
    let rows: Vec<EntryRow> = sqlx::query_as(&format!(
        "SELECT id, kind, amount, balance_after, ref_kind, ref_id, label_zh, label_en, created_at FROM history \
         WHERE member_id = $1 AND id < $2{filter} ORDER BY id DESC LIMIT $3"
    ))
    .bind(member.id)
    .bind(before)
    .bind(limit + 1)
    .fetch_all(&state.pool)
    .await?;
    let mut entries = Vec::with_capacity(rows.len());
    for (id, kind, amount, balance_after, ref_kind, ref_id, label_zh, label_en, at) in rows {
        let kind = EntryKind::parse(&kind).ok_or_else(|| AppError::internal(format!("unknown history kind {kind}")))?;
        let label = match (label_zh, label_en) {
            (Some(zh), Some(en)) => Some(I18nText { zh, en }),
            _ => None,
        };
        let reference = match (ref_kind, ref_id) {
            (Some(kind), Some(id)) => Some(Reference { kind, id, label }),
            _ => None,
        };
        entries.push(HistoryEntry {
            id,
            kind,
            amount,
            balance_after,
            reference,
            created_at: clock::rfc3339(state.config.zone, at),
        });
    }
    let next_cursor = finish_page(&mut entries, limit, |e| e.id.to_string());
    Ok(AppJson(HistoryPage { entries, next_cursor }))
}
