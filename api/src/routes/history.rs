//! `GET /api/history`: the point history, newest first, cursor-paged, filterable.

use axum::{extract::State, routing::get, Router};
use mall_core::{
    dto::{EntryKind, HistoryEntry, HistoryFilter, HistoryPage, HistoryQuery, I18nText, Reference},
    earning::MonthTotal,
};
use sqlx::QueryBuilder;

use crate::{
    clock,
    db::Db,
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

type EntryRow = (i64, String, i64, i64, Option<String>, Option<String>, Option<String>, Option<String>, i64, String);

/// Income and spending of whole months (not just the entries on this page).
async fn month_totals(state: &AppState, member_id: i64, months: &[String]) -> AppResult<Vec<MonthTotal>> {
    if months.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = QueryBuilder::<Db>::new(
        "SELECT month, COALESCE(SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN amount < 0 THEN -amount ELSE 0 END), 0) FROM history WHERE member_id = ",
    );
    sql.push_bind(member_id).push(" AND month IN (");
    let mut list = sql.separated(", ");
    for m in months {
        list.push_bind(m.clone());
    }
    sql.push(") GROUP BY month ORDER BY month DESC");
    let rows: Vec<(String, i64, i64)> = sql.build_query_as().fetch_all(&state.pool).await?;
    Ok(rows.into_iter().map(|(month, income, spending)| MonthTotal { month, income, spending }).collect())
}

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
        let mut tx = crate::db::begin(&state.writer).await?;
        ledger::expire_due(&mut tx, member.id, state.at()).await?;
        tx.commit().await?;
    }
    let filter = match query.kind {
        None => "",
        Some(HistoryFilter::Earned) => " AND amount > 0",
        Some(HistoryFilter::Spent) => " AND amount < 0 AND kind <> 'expire'",
        Some(HistoryFilter::Expired) => " AND kind = 'expire'",
    };
    let rows: Vec<EntryRow> = sqlx::query_as(&format!(
        "SELECT id, kind, amount, balance_after, ref_kind, ref_id, label_zh, label_en, created_at, month FROM history \
         WHERE member_id = $1 AND id < $2{filter} ORDER BY id DESC LIMIT $3"
    ))
    .bind(member.id)
    .bind(before)
    .bind(limit + 1)
    .fetch_all(&state.pool)
    .await?;
    let mut entries = Vec::with_capacity(rows.len());
    let mut months_of: Vec<String> = Vec::new();
    for (id, kind, amount, balance_after, ref_kind, ref_id, label_zh, label_en, at, month) in rows {
        if !months_of.contains(&month) {
            months_of.push(month);
        }
        let kind = EntryKind::parse(&kind).ok_or_else(|| AppError::internal(format!("unknown history kind {kind}")))?;
        let label = match (label_zh, label_en) {
            (Some(zh), Some(en)) => Some(I18nText { zh, en }),
            _ => None,
        };
        let reference = match (ref_kind, ref_id) {
            (Some(kind), Some(id)) => Some(Reference { kind, id, label }),
            _ => None,
        };
        entries.push(HistoryEntry { id, kind, amount, balance_after, reference, created_at: clock::rfc3339(state.config.zone, at) });
    }
    let next_cursor = finish_page(&mut entries, limit, |e| e.id.to_string());
    let months = month_totals(&state, member.id, &months_of).await?;
    Ok(AppJson(HistoryPage { entries, next_cursor, months }))
}
