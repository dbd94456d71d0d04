//! `GET /api/me` and `GET /api/lots`: the member, tier, growth, the spendable balance and
//! the open lots. Reads only, on the read pool: due lots are shown as expired without
//! writing (the next write or the sweep records it).

use axum::extract::State;
use mall_core::{
    dto::{I18nText, Me, NextTier},
    earning::Lot,
    TierTable,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    clock, db,
    domain::members::{self, MemberError},
    error::AppError,
    extract::AppJson,
    session::{CurrentMember, SessionToken},
    state::AppState,
    AppResult,
};

/// Me routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_me)).routes(routes!(lots))
}

/// The most lots listed.
const LOTS_SHOWN: i64 = 200;

/// The member's open lots, soonest to expire first (what "N points expire on DATE" opens).
#[utoipa::path(get, path = "/lots", tag = "member",
    responses((status = 200, body = Vec<Lot>), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn lots(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<Vec<Lot>>> {
    let (rules, at) = state.moment();
    let lots = members::lots(&mut state.pool.acquire().await?, &rules, at, member.id, LOTS_SHOWN).await?;
    Ok(AppJson(lots))
}

/// The logged-in member, with due points already taken out of the balance. One
/// statement on the read pool: the session, the member and its lots.
#[utoipa::path(get, path = "/me", tag = "member",
    responses((status = 200, body = Me), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn get_me(State(state): State<AppState>, session: SessionToken) -> AppResult<AppJson<Me>> {
    let (now, horizon, tiers) = summary_window(&state);
    let row = db::members::summary_by_session(&mut state.pool.acquire().await?, &session.hash, now, horizon)
        .await?
        .ok_or_else(AppError::unauthorized)?;
    Ok(AppJson(me_from(&state, row, &tiers)))
}

/// The member's summary (after a login): the balance is the stored balance minus due lots.
pub async fn load(state: &AppState, member_id: i64) -> AppResult<Me> {
    let (now, horizon, tiers) = summary_window(state);
    let row =
        db::members::summary(&mut state.pool.acquire().await?, member_id, now, horizon).await?.ok_or(MemberError::NotFound(member_id))?;
    Ok(me_from(state, row, &tiers))
}

/// Now, the end of the "expiring soon" window, and the tier thresholds in force.
fn summary_window(state: &AppState) -> (i64, i64, TierTable) {
    let (rules, at) = state.moment();
    (at.secs, at.secs + rules.expiring_soon_days * 86_400, rules.tiers)
}

fn me_from(state: &AppState, row: db::members::SummaryRow, tiers: &TierTable) -> Me {
    let member = row.member;
    let tier = member.tier(tiers);
    Me {
        id: member.id,
        name: I18nText { zh: member.name_zh, en: member.name_en },
        tier,
        growth: member.growth,
        tier_growth_from: tiers.starts_at(tier).min(member.growth),
        next_tier: tiers.next_above(tier).map(|(tier, growth_from)| NextTier { tier, growth_from }),
        balance: member.balance,
        expiring_soon: row.expiring_points,
        expiring_on: row.expiring_first.map(|t| clock::last_local_day(state.config.zone, t)),
        pending_points: row.pending_points,
        shortfall_points: row.shortfall_points,
    }
}
