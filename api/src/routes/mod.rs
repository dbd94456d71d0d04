//! HTTP handlers, one module per resource. `api_router` is everything under `/api`.

pub mod admin;
pub mod checkins;
pub mod earning;
pub mod health;
pub mod history;
pub mod items;
pub mod me;
pub mod orders;
pub mod sales;
pub mod session;
pub mod tasks;

use axum::{routing::get, Router};

use crate::startup::AppState;

/// Default and largest page sizes for cursor-paged lists.
pub const PAGE_DEFAULT: u32 = 20;
/// The largest page a client may ask for.
pub const PAGE_MAX: u32 = 50;

/// Clamps a requested page size, refusing 0 and anything over the maximum.
pub fn page_size(limit: Option<u32>) -> Result<i64, crate::AppError> {
    match limit {
        None => Ok(PAGE_DEFAULT as i64),
        Some(n) if (1..=PAGE_MAX).contains(&n) => Ok(n as i64),
        Some(_) => Err(crate::AppError::new(mall_core::ErrorCode::BadRequest, format!("limit must be between 1 and {PAGE_MAX}"))),
    }
}

/// Parses an id cursor (the last id of the previous page).
pub fn id_cursor(cursor: Option<&str>) -> Result<Option<i64>, crate::AppError> {
    cursor
        .map(|c| {
            c.parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| crate::AppError::new(mall_core::ErrorCode::BadRequest, "cursor is not valid"))
        })
        .transpose()
}

/// Cuts a page fetched with `LIMIT limit + 1` to `limit` rows and, if there was more,
/// returns the cursor of its last row.
pub fn finish_page<T>(rows: &mut Vec<T>, limit: i64, cursor_of: impl Fn(&T) -> String) -> Option<String> {
    if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(cursor_of)
    } else {
        None
    }
}

/// The routes under `/api`.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(crate::openapi::serve))
        .merge(health::api_router())
        .merge(session::router())
        .merge(me::router())
        .merge(items::router())
        .merge(orders::router())
        .merge(history::router())
        .merge(checkins::router())
        .merge(tasks::router())
        .merge(earning::router())
        .merge(admin::router())
        .merge(sales::router())
}
