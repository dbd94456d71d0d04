//! `GET /api/admin/stats` (数据统计) and its CSV.

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;
use mall_core::{fulfilment::csv_cell, stats::Stats, ErrorCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    domain::stats,
    error::AppError,
    extract::{AppJson, AppQuery},
    operator::Operator,
    state::AppState,
    AppResult,
};

/// Statistics routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_stats)).routes(routes!(get_stats_csv))
}

/// `GET /api/admin/stats` query: shop days, inclusive.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatsRange {
    /// First day, `YYYY-MM-DD` (shop time).
    pub from: String,
    /// Last day, `YYYY-MM-DD`; at most 92 days after `from`.
    pub to: String,
}

/// The shop days of a range, refused unless `from <= to` and at most 92 days apart.
pub fn days(range: &StatsRange) -> AppResult<(NaiveDate, NaiveDate)> {
    crate::clock::day_range(&range.from, &range.to, 92).ok_or_else(|| {
        AppError::new(ErrorCode::ValidationFailed, "from and to must be YYYY-MM-DD, to on or after from, at most 92 days later")
    })
}

async fn load(state: &AppState, range: &StatsRange) -> AppResult<Stats> {
    let (from, to) = days(range)?;
    let now = state.clock.now_secs();
    Ok(stats::compute(&state.pool, &state.rules.in_force(now), state.config.zone, from, to, now).await?)
}

/// Points accounting per shop day and in total (issued, taken back, spent, returned,
/// expired; opening and closing outstanding points that reconcile to the point), and
/// activity: members, check-ins and rate, redemptions and top items, codes per merchant,
/// flash-sale sell-through, outstanding points and their cash liability.
#[utoipa::path(get, path = "/admin/stats", tag = "operator", params(StatsRange), security(("operator" = [])),
    responses((status = 200, body = Stats), (status = 403, body = mall_core::ApiErrorBody),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed: bad dates or over 92 days")))]
pub async fn get_stats(State(state): State<AppState>, _op: Operator, AppQuery(range): AppQuery<StatsRange>) -> AppResult<AppJson<Stats>> {
    Ok(AppJson(load(&state, &range).await?))
}

/// The daily figures as CSV (UTF-8 with a BOM).
#[utoipa::path(get, path = "/admin/stats.csv", tag = "operator", params(StatsRange), security(("operator" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = mall_core::ApiErrorBody),
        (status = 422, body = mall_core::ApiErrorBody)))]
pub async fn get_stats_csv(State(state): State<AppState>, _op: Operator, AppQuery(range): AppQuery<StatsRange>) -> AppResult<Response> {
    let s = load(&state, &range).await?;
    let mut csv = String::from(
        "\u{feff}day,issued,taken_back,spent,returned,expired,held,closing_points,active_members,checkins,redemptions,codes_issued,codes_verified,cash_collected\r\n",
    );
    for d in &s.days {
        let p = d.points;
        let cells = [
            d.day.clone(),
            p.issued.to_string(),
            p.taken_back.to_string(),
            p.spent.to_string(),
            p.returned.to_string(),
            p.expired.to_string(),
            p.held.to_string(),
            d.closing_points.to_string(),
            d.active_members.to_string(),
            d.checkins.to_string(),
            d.redemptions.to_string(),
            d.codes_issued.to_string(),
            d.codes_verified.to_string(),
            d.cash_collected.to_string(),
        ];
        csv.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        csv.push_str("\r\n");
    }
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"stats.csv\"")], csv)
        .into_response())
}
