//! Staff sign-in: `POST /api/staff/session`, `GET /api/staff/me`, `POST /api/staff/logout`,
//! `POST /api/staff/password`, the demo accounts (`GET /api/demo/staff`, demo login only),
//! and operators' management of accounts (`/api/admin/staff`).

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Extension,
};
use mall_core::{
    staff::{DemoStaff, NewStaffAccount, PasswordChange, StaffAccountInfo, StaffAccounts, StaffChange, StaffLogin, StaffMe},
    ErrorCode,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    clock, db,
    db::staff::StaffRow,
    domain::{
        seed,
        staff::{self, NewAccount},
        staff_login::{self, Attempt, LoginLimits},
    },
    error::AppError,
    extract::{AppJson, AppPath},
    operator::{merchant_ref, staff_cookie, staff_token, Operator, StaffAccount},
    session,
    state::AppState,
    AppResult,
};

/// Staff session routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in))
        .routes(routes!(me))
        .routes(routes!(sign_out))
        .routes(routes!(change_password))
        .routes(routes!(demo_staff))
        .routes(routes!(list_accounts, create_account))
        .routes(routes!(change_account))
}

/// Headers a proxy in front sets with the client's address.
const FORWARDING_HEADERS: [&str; 3] = ["x-forwarded-for", "forwarded", "x-real-ip"];

/// The client's address: the last value of the configured trusted proxy header (what the
/// proxy in front saw), else the socket's peer; `unknown` when neither is there. Without
/// `TRUSTED_PROXY_HEADER`, a request that carries a forwarding header is logged once per
/// process: behind a proxy every client would be the proxy's address to the limit.
fn client_address(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if state.config.trusted_proxy_header.is_none()
        && FORWARDING_HEADERS.iter().any(|h| headers.contains_key(*h))
        && !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed)
    {
        tracing::warn!(
            "a staff sign-in came with a forwarding header (X-Forwarded-For, Forwarded or X-Real-IP) but TRUSTED_PROXY_HEADER is unset: \
             the sign-in limit counts every client behind that proxy as one address; set TRUSTED_PROXY_HEADER to the header the proxy sets"
        );
    }
    if let Some(name) = &state.config.trusted_proxy_header {
        return headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty())
            .unwrap_or("unknown")
            .to_string();
    }
    peer.map_or_else(|| "unknown".to_string(), |p| p.ip().to_string())
}

/// Sign in as staff: sets the staff cookie (HttpOnly, SameSite=Strict, 12 h). Attempts are
/// limited per client address (IPv6 per /64), and an address that keeps failing for a
/// username waits longer and longer (1, 2, 4… s) before its next attempt; another address
/// is never held back by it. 429 with `Retry-After` either way, and while too many
/// passwords are being checked at once.
#[utoipa::path(post, path = "/staff/session", tag = "staff", request_body = StaffLogin,
    responses((status = 200, body = StaffMe, description = "Signed in; Set-Cookie carries the staff session"),
        (status = 401, body = mall_core::ApiErrorBody, description = "staff_login_failed: wrong username or password"),
        (status = 429, body = mall_core::ApiErrorBody,
            description = "rate_limited, with Retry-After: this address's attempts are used up, this address must wait before \
                trying this username again, or too many passwords are being checked at once")))]
pub async fn sign_in(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    AppJson(req): AppJson<StaffLogin>,
) -> AppResult<Response> {
    let l = &state.config.limits;
    let limits = LoginLimits {
        per_address: l.staff_login_per_address,
        window: l.staff_login_window_seconds,
        free_failures: l.staff_login_free_failures,
        delay_cap: l.staff_login_delay_cap_seconds,
    };
    let attempt = Attempt {
        username: req.username,
        password: req.password,
        address: client_address(&state, &headers, peer.map(|Extension(ConnectInfo(addr))| addr)),
        now: state.clock.now_secs(),
    };
    let seconds = state.config.limits.staff_session_seconds;
    let (account, token) = staff_login::sign_in(&state.writer, &state.pool, &state.hashing, limits, attempt, seconds).await?;
    let cookie = staff_cookie(&state, &token, state.config.limits.staff_session_seconds)?;
    Ok(([(header::SET_COOKIE, cookie)], AppJson(StaffAccount(account).me())).into_response())
}

/// The signed-in staff member.
#[utoipa::path(get, path = "/staff/me", tag = "staff",
    responses((status = 200, body = StaffMe), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn me(account: StaffAccount) -> AppJson<StaffMe> {
    AppJson(account.me())
}

/// Sign out: ends the staff session and clears its cookie.
#[utoipa::path(post, path = "/staff/logout", tag = "staff", responses((status = 204, description = "Signed out")))]
pub async fn sign_out(State(state): State<AppState>, req: Request) -> AppResult<Response> {
    let (parts, _) = req.into_parts();
    if let Some(token) = staff_token(&parts) {
        db::staff::delete_session(&state.writer, &session::hash_token(&token)).await?;
    }
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, staff_cookie(&state, "", 0)?)]).into_response())
}

/// The demo staff accounts with their passwords (only with the demo login).
#[utoipa::path(get, path = "/demo/staff", tag = "staff",
    responses((status = 200, body = Vec<DemoStaff>), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn demo_staff(State(state): State<AppState>) -> AppResult<AppJson<Vec<DemoStaff>>> {
    if !state.config.demo_login {
        return Err(AppError::new(ErrorCode::DemoLoginDisabled, "the demo login is switched off here"));
    }
    let mut conn = state.pool.acquire().await?;
    let mut out = Vec::new();
    for (username, role, password, _) in seed::demo_staff() {
        // Only accounts this database has (the demo seed may not have run).
        let Some(row) = db::staff::by_username(&mut conn, &username).await? else { continue };
        out.push(DemoStaff { username, role, password, merchant: merchant_ref(&row) });
    }
    Ok(AppJson(out))
}

/// Change the signed-in account's own password, given the current one: every session of
/// the account ends, and this one continues with a new cookie. Audited.
#[utoipa::path(post, path = "/staff/password", tag = "staff", request_body = PasswordChange,
    responses((status = 200, body = StaffMe, description = "Changed; Set-Cookie carries the new staff session"),
        (status = 401, body = mall_core::ApiErrorBody, description = "unauthorized: not signed in as staff"),
        (status = 422, body = mall_core::ApiErrorBody, description = "current_password_wrong; validation_failed: too short or the same"),
        (status = 429, body = mall_core::ApiErrorBody, description = "rate_limited, with Retry-After: too many passwords are being hashed at once")))]
pub async fn change_password(
    State(state): State<AppState>,
    account: StaffAccount,
    AppJson(req): AppJson<PasswordChange>,
) -> AppResult<Response> {
    let seconds = state.config.limits.staff_session_seconds;
    let token = staff::change_own_password(&state.writer, &state.hashing, &account.0, req, state.clock.now_secs(), seconds).await?;
    let cookie = staff_cookie(&state, &token, seconds)?;
    Ok(([(header::SET_COOKIE, cookie)], AppJson(account.me())).into_response())
}

/// A staff row as operators see it.
fn info(state: &AppState, s: &StaffRow) -> StaffAccountInfo {
    StaffAccountInfo {
        id: s.id,
        username: s.username.clone(),
        display_name: s.display_name.clone(),
        role: s.role,
        merchant: merchant_ref(s),
        disabled: s.disabled_at.is_some(),
        created_at: clock::rfc3339(state.config.zone, s.created_at),
    }
}

/// Every staff account, operators first.
#[utoipa::path(get, path = "/admin/staff", tag = "operator", security(("operator" = [])),
    responses((status = 200, body = StaffAccounts), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn list_accounts(State(state): State<AppState>, _op: Operator) -> AppResult<AppJson<StaffAccounts>> {
    let rows = db::staff::all(&mut state.pool.acquire().await?).await?;
    Ok(AppJson(StaffAccounts { accounts: rows.iter().map(|s| info(&state, s)).collect() }))
}

/// Create a staff account: an operator, or a merchant's account bound to its merchant.
/// Audited.
#[utoipa::path(post, path = "/admin/staff", tag = "operator", request_body = NewStaffAccount, security(("operator" = [])),
    responses((status = 201, body = StaffAccountInfo), (status = 403, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "username_taken"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed: username, password, display name or merchant"),
        (status = 429, body = mall_core::ApiErrorBody, description = "rate_limited, with Retry-After: too many passwords are being hashed at once")))]
pub async fn create_account(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppJson(req): AppJson<NewStaffAccount>,
) -> AppResult<(StatusCode, AppJson<StaffAccountInfo>)> {
    if req.username.len() > 64 || req.password.len() > 256 {
        return Err(AppError::new(ErrorCode::ValidationFailed, "username or password too long"));
    }
    let account = NewAccount {
        username: req.username,
        password: req.password,
        role: req.role,
        merchant_id: req.merchant_id,
        display_name: req.display_name,
    };
    let row = staff::add_account(&state.writer, &state.hashing, &actor, account, state.clock.now_secs()).await?;
    Ok((StatusCode::CREATED, AppJson(info(&state, &row))))
}

/// Change a staff account: disable or enable it, its role and merchant, display name, or
/// a new password. Disabling it or a new password ends its sessions at once. An operator
/// cannot disable or demote their own account. Audited.
#[utoipa::path(patch, path = "/admin/staff/{id}", tag = "operator", request_body = StaffChange,
    params(("id" = i64, Path, description = "Staff account id")), security(("operator" = [])),
    responses((status = 200, body = StaffAccountInfo), (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "own_account"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed"),
        (status = 429, body = mall_core::ApiErrorBody, description = "rate_limited, with Retry-After: too many passwords are being hashed at once")))]
pub async fn change_account(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppPath(id): AppPath<i64>,
    AppJson(change): AppJson<StaffChange>,
) -> AppResult<AppJson<StaffAccountInfo>> {
    let row = staff::change_account(&state.writer, &state.hashing, &actor, id, change, state.clock.now_secs()).await?;
    Ok(AppJson(info(&state, &row)))
}
