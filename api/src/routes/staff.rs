//! Staff sign-in: `POST /api/staff/session`, `GET /api/staff/me`, `POST /api/staff/logout`,
//! and the demo accounts (`GET /api/demo/staff`, demo login only).

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Extension, Router,
};
use mall_core::{
    staff::{DemoStaff, StaffLogin, StaffMe},
    ErrorCode,
};

use crate::{
    db,
    domain::{
        seed,
        staff::{self, Attempt, LoginLimits, StaffError},
    },
    error::AppError,
    extract::AppJson,
    operator::{merchant_ref, staff_cookie, staff_token, StaffAccount},
    session,
    startup::AppState,
    AppResult,
};

/// Staff session routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/session", post(sign_in))
        .route("/staff/me", get(me))
        .route("/staff/logout", post(sign_out))
        .route("/demo/staff", get(demo_staff))
}

/// The client's address: the last value of the configured trusted proxy header (what the
/// proxy in front saw), else the socket's peer; `unknown` when neither is there.
fn client_address(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
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
/// limited per username and per client address (429 with `Retry-After`).
#[utoipa::path(post, path = "/api/staff/session", tag = "staff", request_body = StaffLogin,
    responses((status = 200, body = StaffMe, description = "Signed in; Set-Cookie carries the staff session"),
        (status = 401, body = mall_core::ApiErrorBody, description = "staff_login_failed: wrong username or password"),
        (status = 429, body = mall_core::ApiErrorBody, description = "rate_limited, with Retry-After")))]
pub async fn sign_in(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    AppJson(req): AppJson<StaffLogin>,
) -> AppResult<Response> {
    if req.username.len() > 64 || req.password.len() > 256 {
        return Err(AppError::new(ErrorCode::ValidationFailed, "username or password too long"));
    }
    let l = &state.config.limits;
    let limits =
        LoginLimits { per_user: l.staff_login_per_user, per_address: l.staff_login_per_address, window: l.staff_login_window_seconds };
    let attempt = Attempt {
        username: req.username,
        password: req.password,
        address: client_address(&state, &headers, peer.map(|Extension(ConnectInfo(addr))| addr)),
        now: state.clock.now_secs(),
    };
    let (account, token) =
        staff::sign_in(&state.writer, &state.pool, limits, attempt, state.config.limits.staff_session_seconds).await.map_err(refusal)?;
    let cookie = staff_cookie(&state, &token, state.config.limits.staff_session_seconds)?;
    Ok(([(header::SET_COOKIE, cookie)], AppJson(StaffAccount(account).me())).into_response())
}

/// A staff refusal as an HTTP answer.
fn refusal(e: StaffError) -> AppError {
    match e {
        StaffError::LoginFailed => AppError::new(ErrorCode::StaffLoginFailed, e.to_string()),
        StaffError::TooManyAttempts(secs) => {
            AppError { message: e.to_string().into(), ..AppError::rate_limited(u64::try_from(secs).unwrap_or(1)) }
        }
        StaffError::Invalid(_) | StaffError::Taken(_) | StaffError::NoMerchant => AppError::new(ErrorCode::ValidationFailed, e.to_string()),
        StaffError::Db(db) => db.into(),
        StaffError::Hash(_) => AppError::internal(e),
    }
}

/// The signed-in staff member.
#[utoipa::path(get, path = "/api/staff/me", tag = "staff",
    responses((status = 200, body = StaffMe), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn me(account: StaffAccount) -> AppJson<StaffMe> {
    AppJson(account.me())
}

/// Sign out: ends the staff session and clears its cookie.
#[utoipa::path(post, path = "/api/staff/logout", tag = "staff", responses((status = 204, description = "Signed out")))]
pub async fn sign_out(State(state): State<AppState>, req: Request) -> AppResult<Response> {
    let (parts, _) = req.into_parts();
    if let Some(token) = staff_token(&parts) {
        db::staff::delete_session(&state.writer, &session::hash_token(&token)).await?;
    }
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, staff_cookie(&state, "", 0)?)]).into_response())
}

/// The demo staff accounts with their passwords (only with the demo login).
#[utoipa::path(get, path = "/api/demo/staff", tag = "staff",
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
