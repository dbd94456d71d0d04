//! HTTP handlers, one module per resource: each parses the request, calls the domain and
//! shapes the answer; no SQL and no rules here. `api_router` is everything under `/api`
//! (`/api/openapi.json` aside, which `startup` adds), `health::router` is `/healthz`.

pub mod admin;
pub mod campaigns;
pub mod catalog_admin;
pub mod causes;
pub mod checkins;
pub mod codes;
pub mod deliveries;
pub mod earning;
pub mod engagement;
pub mod events;
pub mod fulfilment;
pub mod health;
pub mod history;
pub mod host;
pub mod items;
pub mod lottery;
pub mod me;
pub mod merchant;
pub mod offers;
pub mod orders;
pub mod payments;
pub mod profile;
pub mod rules;
pub mod sales;
pub mod session;
pub mod signed;
pub mod staff;
pub mod stats;
pub mod tasks;

use axum::{
    http::{header::CONTENT_TYPE, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use futures_util::future::BoxFuture;
use utoipa_axum::router::OpenApiRouter;

use crate::{
    db::Tx,
    domain::idempotency::{self, Answer, IdempotencyError, Key, Owner},
    error::AppError,
    extract::AppJson,
    state::AppState,
    AppResult,
};

/// The request header carrying an idempotency key.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// The response header marking a replayed answer.
pub const REPLAYED: &str = "idempotent-replayed";

/// The request's `Idempotency-Key` (`required` or optional), with the fingerprint of the
/// request (`scope` and its body).
pub fn idempotency_key(headers: &HeaderMap, required: bool, scope: &str, body: &impl serde::Serialize) -> AppResult<Option<Key>> {
    Ok(Key::new(headers.get(IDEMPOTENCY_KEY).map(HeaderValue::as_bytes), required, scope, body)?)
}

/// Runs `work` in one write transaction under the owner's key (a member's, a staff
/// member's or a signed hook's own key space) and answers `status` with
/// its result; for a key used before, the first answer, marked `Idempotent-Replayed: true`.
/// `work`'s error is usually `AppError`; a claim, which a cap ends short of an error, uses
/// `error::ClaimRefusal`.
pub async fn once<T, E, F>(state: &AppState, owner: Owner, key: Option<Key>, status: StatusCode, work: F) -> Result<Response, E>
where
    T: serde::Serialize + Send + Sync,
    E: From<sqlx::Error> + From<IdempotencyError> + From<AppError> + Send,
    F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<T, E>> + Clone + Send + 'static,
{
    let answer = idempotency::run(&state.writer, state.clock.now_secs(), owner, key, status.as_u16(), work).await?;
    Ok(match answer {
        Answer::Fresh(body) => (status, AppJson(body)).into_response(),
        Answer::Replay { status, body } => {
            let status = StatusCode::from_u16(status).map_err(AppError::internal)?;
            let mut res = (status, [(CONTENT_TYPE, "application/json")], body).into_response();
            res.headers_mut().insert(REPLAYED, HeaderValue::from_static("true"));
            res
        }
    })
}

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

/// Where `api_router` is served: the router nests it here, and the OpenAPI document
/// (`openapi::document`) prefixes its paths with it.
pub const API_PREFIX: &str = "/api";

/// The routes under `/api`. Each module's `router()` declares its handlers once, with
/// `routes!`: the method and the path (relative to `/api`) come from each handler's
/// `#[utoipa::path]`, so the router and the OpenAPI document cannot disagree.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(health::api_router())
        .merge(session::router())
        .merge(staff::router())
        .merge(me::router())
        .merge(profile::router())
        .merge(items::router())
        .merge(orders::router())
        .merge(payments::router())
        .merge(history::router())
        .merge(checkins::router())
        .merge(tasks::router())
        .merge(earning::router())
        .merge(host::router())
        .merge(causes::router())
        .merge(lottery::router())
        .merge(campaigns::router())
        .merge(merchant::router())
        .merge(offers::router())
        .merge(engagement::router())
        .merge(events::router())
        .merge(admin::router())
        .merge(rules::router())
        .merge(catalog_admin::router())
        .merge(codes::router())
        .merge(fulfilment::router())
        .merge(deliveries::router())
        .merge(stats::router())
        .merge(sales::router())
}
