//! Logging in and out: the demo login (development), the host ticket exchange, logout.

use axum::{
    extract::{Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use futures_util::FutureExt;
use hmac::{Hmac, Mac};
use mall_core::{
    dto::{DemoLoginRequest, DemoMember, I18nText, TicketExchangeRequest},
    ErrorCode,
};
use sha2::Sha256;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{db, domain::members, error::AppError, extract::AppJson, routes::me, session, state::AppState, AppResult};

/// Session routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(demo_members)).routes(routes!(demo_login)).routes(routes!(exchange)).routes(routes!(logout))
}

fn require_demo(state: &AppState) -> AppResult<()> {
    if state.config.demo_login {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::DemoLoginDisabled, "the demo login is switched off here"))
    }
}

/// The most members the demo login lists.
const DEMO_MEMBERS_SHOWN: i64 = 50;

/// The seeded members the demo login offers.
#[utoipa::path(get, path = "/demo/members", tag = "session",
    responses((status = 200, body = Vec<DemoMember>), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn demo_members(State(state): State<AppState>) -> AppResult<AppJson<Vec<DemoMember>>> {
    require_demo(&state)?;
    let (rules, at) = state.moment();
    let rows = db::members::first(&mut state.pool.acquire().await?, DEMO_MEMBERS_SHOWN, at.secs).await?;
    Ok(AppJson(
        rows.into_iter()
            .map(|m| DemoMember {
                id: m.id,
                tier: m.tier(&rules.tiers),
                name: I18nText { zh: m.name_zh, en: m.name_en },
                balance: m.balance,
            })
            .collect(),
    ))
}

async fn login_response(state: &AppState, member_id: i64) -> AppResult<Response> {
    let cookie = session::open(state, member_id).await?;
    let me = me::load(state, member_id).await?;
    Ok(([(header::SET_COOKIE, cookie)], AppJson(me)).into_response())
}

/// Development login as a seeded member; sets the session cookie.
#[utoipa::path(post, path = "/session/demo", tag = "session", request_body = DemoLoginRequest,
    responses((status = 200, body = mall_core::dto::Me, description = "Logged in; Set-Cookie carries the session"),
        (status = 403, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody),
        (status = 422, body = mall_core::ApiErrorBody)))]
pub async fn demo_login(State(state): State<AppState>, AppJson(req): AppJson<DemoLoginRequest>) -> AppResult<Response> {
    require_demo(&state)?;
    members::exists(&mut state.pool.acquire().await?, req.member_id).await?;
    login_response(&state, req.member_id).await
}

/// The MAC of a host ticket: HMAC-SHA256 under the ticket secret of `{member_id}.{expires_at}`.
fn ticket_mac(secret: &str, member_id: i64, expires_at: i64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(format!("{member_id}.{expires_at}").as_bytes());
    mac
}

/// The signature (hex) a host puts on a ticket for `member_id` expiring at `expires_at`:
/// what `exchange` checks (for host developers' tools and the tests).
pub fn sign_ticket(secret: &str, member_id: i64, expires_at: i64) -> String {
    hex::encode(ticket_mac(secret, member_id, expires_at).finalize().into_bytes())
}

/// Log in with a ticket the host app signed; each ticket works once. A member the mall
/// has not seen is created with the register bonus.
#[utoipa::path(post, path = "/session/exchange", tag = "session", request_body = TicketExchangeRequest,
    responses((status = 200, body = mall_core::dto::Me, description = "Logged in; Set-Cookie carries the session"),
        (status = 401, body = mall_core::ApiErrorBody, description = "ticket_invalid, ticket_expired or ticket_replayed"),
        (status = 422, body = mall_core::ApiErrorBody)))]
pub async fn exchange(State(state): State<AppState>, AppJson(req): AppJson<TicketExchangeRequest>) -> AppResult<Response> {
    let invalid = || AppError::new(ErrorCode::TicketInvalid, "the ticket's signature does not match");
    let signature = hex::decode(req.signature.trim()).map_err(|_| invalid())?;
    ticket_mac(&state.config.ticket_secret, req.member_id, req.expires_at).verify_slice(&signature).map_err(|_| invalid())?;

    let now = state.clock.now_secs();
    if req.expires_at <= now {
        return Err(AppError::new(ErrorCode::TicketExpired, "the ticket has expired; ask the host app for a new one"));
    }
    if req.expires_at > now + state.config.limits.ticket_max_seconds {
        return Err(AppError::new(ErrorCode::TicketExpired, "the ticket lives longer than the mall accepts"));
    }
    if req.member_id <= 0 {
        return Err(AppError::new(ErrorCode::ValidationFailed, "member_id must be positive"));
    }
    if !db::sessions::use_ticket(&state.writer, &hex::encode(&signature), req.expires_at).await? {
        return Err(AppError::new(ErrorCode::TicketReplayed, "this ticket was already used"));
    }
    // The host vouches for the member: one seen for the first time is created, with the
    // register bonus (once: the insert's primary key decides).
    let ((rules, at), member_id) = (state.moment(), req.member_id);
    db::transaction(&state.writer, move |tx| async move { members::create(tx, &rules, member_id, at).await }.boxed()).await?;
    login_response(&state, req.member_id).await
}

/// Ends the session and clears the cookie.
#[utoipa::path(post, path = "/logout", tag = "session", responses((status = 204, description = "Logged out")))]
pub async fn logout(State(state): State<AppState>, req: Request) -> AppResult<Response> {
    let (parts, _) = req.into_parts();
    let cookie = session::close(&state, &parts).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}
