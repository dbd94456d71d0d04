//! `GET /api/me`: the member, tier, growth and the authoritative balance.

use axum::{extract::State, routing::get, Router};
use mall_core::{
    dto::{I18nText, Me, NextTier},
    earning::Lot,
};

use crate::{clock, extract::AppJson, ledger, session::CurrentMember, startup::AppState, AppResult};

/// Me routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/me", get(get_me)).route("/lots", get(lots))
}

/// The member's open lots, soonest to expire first (what "N points expire on DATE" opens).
#[utoipa::path(get, path = "/api/lots", tag = "member",
    responses((status = 200, body = Vec<Lot>), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn lots(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<Vec<Lot>>> {
    let at = state.at();
    let mut tx = crate::db::begin(&state.writer).await?;
    ledger::expire_due(&mut tx, member.id, at).await?;
    let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT id, remaining, amount, earned_at, expires_at FROM point_lots \
         WHERE member_id = $1 AND remaining > 0 ORDER BY expires_at, id LIMIT 200",
    )
    .bind(member.id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let horizon = at.secs + state.config.rules.expiring_soon_days * 86_400;
    Ok(AppJson(
        rows.into_iter()
            .map(|(id, remaining, amount, earned, expires)| Lot {
                id,
                remaining,
                amount,
                earned_at: clock::rfc3339(at.zone, earned),
                expires_on: clock::last_local_day(at.zone, expires),
                expiring_soon: expires <= horizon,
            })
            .collect(),
    ))
}

/// The logged-in member, with expired points already taken out.
#[utoipa::path(get, path = "/api/me", tag = "member",
    responses((status = 200, body = Me), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn get_me(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<Me>> {
    Ok(AppJson(load(&state, member.id).await?))
}

/// Applies due expiry, then reads the member's summary.
pub async fn load(state: &AppState, member_id: i64) -> AppResult<Me> {
    let now = state.clock.now_secs();
    let mut tx = crate::db::begin(&state.writer).await?;
    ledger::expire_due(&mut tx, member_id, state.at()).await?;
    let (zh, en, growth, balance): (String, String, i64, i64) =
        sqlx::query_as("SELECT name_zh, name_en, growth, balance FROM members WHERE id = $1").bind(member_id).fetch_one(&mut *tx).await?;
    let horizon = now + state.config.rules.expiring_soon_days * 86_400;
    let (soon, first): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT SUM(remaining), MIN(expires_at) FROM point_lots \
         WHERE member_id = $1 AND remaining > 0 AND expires_at > $2 AND expires_at <= $3",
    )
    .bind(member_id)
    .bind(now)
    .bind(horizon)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    let tiers = &state.config.rules.tiers;
    let tier = tiers.tier_for(growth);
    Ok(Me {
        id: member_id,
        name: I18nText { zh, en },
        tier,
        growth,
        tier_growth_from: tiers.starts_at(tier),
        next_tier: tiers.next_after(growth).map(|(tier, growth_from)| NextTier { tier, growth_from }),
        balance,
        expiring_soon: soon.unwrap_or(0),
        expiring_on: first.map(|t| clock::last_local_day(state.config.zone, t)),
    })
}
