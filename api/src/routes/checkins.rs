//! Daily check-in, make-ups and the month calendar (`domain::checkins`).

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use chrono::NaiveDate;
use futures_util::FutureExt;
use mall_core::{
    earning::{CheckinMonth, CheckinResult, MakeupRequest, MakeupResult},
    ErrorCode,
};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    db,
    domain::checkins,
    domain::idempotency::Owner,
    error::AppError,
    extract::{AppJson, AppQuery},
    routes::{idempotency_key, once},
    session::CurrentMember,
    state::AppState,
    AppResult,
};

/// Check-in routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(calendar, check_in)).routes(routes!(makeup))
}

/// `?month=YYYY-MM` (default: the current month).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MonthQuery {
    /// `YYYY-MM`.
    #[param(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: Option<String>,
}

fn parse_month(s: &str) -> Option<NaiveDate> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

/// The check-in calendar of a month.
#[utoipa::path(get, path = "/checkins", tag = "check-in", params(MonthQuery),
    responses((status = 200, body = CheckinMonth), (status = 400, body = mall_core::ApiErrorBody),
        (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn calendar(
    State(state): State<AppState>,
    member: CurrentMember,
    AppQuery(q): AppQuery<MonthQuery>,
) -> AppResult<AppJson<CheckinMonth>> {
    let (rules, at) = state.moment();
    let month = match q.month.as_deref() {
        Some(m) => parse_month(m).ok_or_else(|| AppError::new(ErrorCode::BadRequest, "month must be YYYY-MM"))?,
        None => checkins::this_month(at),
    };
    let mut conn = state.pool.acquire().await?;
    Ok(AppJson(checkins::month(&mut conn, &rules, at, member.id, month).await?))
}

/// Check in today. A second call the same local day (double tap, second tab, retry)
/// answers `checked_in: false` and credits nothing.
#[utoipa::path(post, path = "/checkins", tag = "check-in",
    responses((status = 201, body = CheckinResult, description = "Checked in"),
        (status = 200, body = CheckinResult, description = "Already checked in today: nothing credited"),
        (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn check_in(State(state): State<AppState>, member: CurrentMember) -> AppResult<(StatusCode, AppJson<CheckinResult>)> {
    let ((rules, at), member_id) = (state.moment(), member.id);
    let result =
        db::transaction(&state.writer, move |tx| async move { checkins::check_in(tx, &rules, at, member_id).await }.boxed()).await?;
    Ok((if result.checked_in { StatusCode::CREATED } else { StatusCode::OK }, AppJson(result)))
}

/// Make up a missed day of the current month: free while the tier's allowance lasts,
/// else it costs points; at most the monthly limit. Repairs the streak.
#[utoipa::path(post, path = "/checkins/makeup", tag = "check-in", request_body = MakeupRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer on retry")),
    responses((status = 201, body = MakeupResult), (status = 401, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "already_checked_in, makeup_limit_reached, insufficient_points"),
        (status = 422, body = mall_core::ApiErrorBody, description = "makeup_not_allowed, validation_failed")))]
pub async fn makeup(
    State(state): State<AppState>,
    member: CurrentMember,
    headers: HeaderMap,
    AppJson(req): AppJson<MakeupRequest>,
) -> AppResult<Response> {
    let date = crate::clock::shop_day(&req.date).ok_or_else(|| AppError::new(ErrorCode::ValidationFailed, "date must be YYYY-MM-DD"))?;
    let key = idempotency_key(&headers, false, "POST /api/checkins/makeup", &req)?;
    let ((rules, at), member_id) = (state.moment(), member.id);
    once(&state, Owner::Member(member.id), key, StatusCode::CREATED, move |tx| {
        async move { checkins::makeup(tx, &rules, at, member_id, date).await.map_err(AppError::from) }.boxed()
    })
    .await
}
