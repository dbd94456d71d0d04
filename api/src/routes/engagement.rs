//! Home's extras (`domain::engagement`): the redemption leaderboard of the local week and
//! the member's picks, both as catalogue cards.

use axum::extract::State;
use mall_core::engagement::{Leaderboard, LeaderboardEntry, LeaderboardPeriod, LeaderboardQuery, Picks};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::items::summary_from;
use crate::{
    clock,
    domain::engagement,
    extract::{AppJson, AppQuery},
    session::CurrentMember,
    state::AppState,
    AppResult,
};

/// Home extras routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(leaderboard)).routes(routes!(picks))
}

/// The items most redeemed this local week (Monday 00:00 to the next Monday 00:00, shop
/// time): units in the week's orders that were not cancelled, top 10, ties by item id.
#[utoipa::path(get, path = "/leaderboard", tag = "catalogue", params(LeaderboardQuery),
    responses((status = 200, body = Leaderboard),
        (status = 400, body = mall_core::ApiErrorBody, description = "bad_request: a period other than `week`")))]
pub async fn leaderboard(State(state): State<AppState>, AppQuery(q): AppQuery<LeaderboardQuery>) -> AppResult<AppJson<Leaderboard>> {
    let (period, zone) = (q.period.unwrap_or_default(), state.config.zone);
    let (from, to) = match period {
        LeaderboardPeriod::Week => engagement::week_of(zone, state.clock.now_secs()),
    };
    let rows = engagement::most_redeemed(&mut state.pool.acquire().await?, from, to).await?;
    Ok(AppJson(Leaderboard {
        period,
        from: clock::rfc3339(zone, from),
        to: clock::rfc3339(zone, to),
        entries: rows.into_iter().map(|r| LeaderboardEntry { item: summary_from(r.item), count: r.units }).collect(),
    }))
}

/// Up to 6 items for the member: from the categories it redeemed in (else the popular
/// ones), those its balance covers first; never tier-locked for it, never sold out.
#[utoipa::path(get, path = "/picks", tag = "member",
    responses((status = 200, body = Picks), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn picks(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<Picks>> {
    let (rules, at) = state.moment();
    let (basis, rows) = engagement::picks(&mut state.pool.acquire().await?, &rules, at, member.id).await?;
    Ok(AppJson(Picks { basis, items: rows.into_iter().map(summary_from).collect() }))
}
