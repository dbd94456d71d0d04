//! `GET /api/history`: the point history, newest first, cursor-paged, filterable.
//!
//! A read never writes: points in lots that are due but not yet recorded as expired appear
//! on the first page as one pending `expire` entry (the one the next write or the sweep
//! records), so the entries always add up to the balance `GET /api/me` shows.

use axum::{extract::State, routing::get, Router};
use mall_core::{
    dto::{EntryKind, HistoryEntry, HistoryFilter, HistoryPage, HistoryQuery, I18nText, Reference},
    earning::MonthTotal,
};

use crate::{
    clock,
    db::{self, history::EntryRow},
    extract::{AppJson, AppQuery},
    routes::{finish_page, id_cursor, page_size},
    session::CurrentMember,
    startup::AppState,
    AppResult,
};

/// History routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/history", get(list))
}

fn entry(zone: chrono_tz::Tz, row: EntryRow) -> HistoryEntry {
    let label = match (row.label_zh, row.label_en) {
        (Some(zh), Some(en)) => Some(I18nText { zh, en }),
        _ => None,
    };
    let reference = match (row.ref_kind, row.ref_id) {
        (Some(kind), Some(id)) => Some(Reference { kind, id, label }),
        _ => None,
    };
    HistoryEntry {
        id: row.id,
        kind: row.kind,
        amount: row.amount,
        balance_after: row.balance_after,
        reference,
        created_at: clock::rfc3339(zone, row.created_at),
    }
}

/// The member's point history, newest first; due points show as a pending expiry.
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
    let at = state.at();
    // One read transaction: the page, the pending expiry and the totals see one snapshot.
    let mut tx = state.pool.begin().await?;
    let mut rows = Vec::with_capacity(limit as usize + 2);
    let shows_expiry = matches!(query.kind, None | Some(HistoryFilter::Expired));
    let due = if query.cursor.is_none() && shows_expiry { db::lots::due_points(&mut tx, member.id, at.secs).await? } else { 0 };
    if due > 0 {
        rows.push(EntryRow {
            id: db::history::last_id(&mut tx, member.id).await? + 1,
            kind: EntryKind::Expire,
            amount: -due,
            balance_after: db::lots::spendable_balance(&mut tx, member.id, at.secs).await?,
            ref_kind: None,
            ref_id: None,
            label_zh: None,
            label_en: None,
            created_at: at.secs,
            month: at.month(),
        });
    }
    rows.extend(db::history::page(&mut tx, member.id, before, query.kind, limit + 1).await?);
    let mut months_of: Vec<String> = Vec::new();
    for row in &rows {
        if !months_of.contains(&row.month) {
            months_of.push(row.month.clone());
        }
    }
    let mut months: Vec<MonthTotal> = db::history::month_totals(&mut tx, member.id, &months_of)
        .await?
        .into_iter()
        .map(|m| MonthTotal { month: m.month, income: m.income, spending: m.spending })
        .collect();
    tx.commit().await?;
    if due > 0 {
        let month = at.month();
        match months.iter_mut().find(|m| m.month == month) {
            Some(m) => m.spending += due,
            None => months.insert(0, MonthTotal { month, income: 0, spending: due }),
        }
    }
    let mut entries: Vec<HistoryEntry> = rows.into_iter().map(|row| entry(state.config.zone, row)).collect();
    let next_cursor = finish_page(&mut entries, limit, |e| e.id.to_string());
    Ok(AppJson(HistoryPage { entries, next_cursor, months }))
}
