//! Sessions: an opaque random token in an HttpOnly, SameSite=Lax cookie; the database
//! keeps only its SHA-256. `CurrentMember` extracts the logged-in member.

use axum::{
    extract::{FromRequestParts, OptionalFromRequestParts},
    http::{header, request::Parts, HeaderMap, HeaderValue},
};

pub use crate::token::{hash_token, new_token};
use crate::{db, error::AppError, state::AppState};

/// The session cookie's name.
pub const COOKIE: &str = "mall_session";

/// The member a request is made for.
#[derive(Debug, Clone, Copy)]
pub struct CurrentMember {
    /// Member id.
    pub id: i64,
}

/// The member session token from the `Cookie` header, if any.
pub fn token_from(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, COOKIE)
}

/// The value of cookie `name` in the `Cookie` header, if any.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_string())
}

/// The session a request carries (not yet looked up): the hash of its cookie's token.
/// For a handler that reads the member in the same statement as the session
/// (`GET /api/me`); others take `CurrentMember`.
#[derive(Debug, Clone)]
pub struct SessionToken {
    /// SHA-256 of the token, as stored.
    pub hash: String,
}

impl SessionToken {
    /// The token of the request's cookie, if it has a plausible one.
    fn of(parts: &Parts) -> Option<SessionToken> {
        let token = token_from(&parts.headers)?;
        (!token.is_empty() && token.len() <= 128).then(|| SessionToken { hash: hash_token(&token) })
    }
}

impl FromRequestParts<AppState> for SessionToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, AppError> {
        SessionToken::of(parts).ok_or_else(AppError::unauthorized)
    }
}

async fn lookup(parts: &Parts, state: &AppState) -> Result<Option<CurrentMember>, AppError> {
    let Some(session) = SessionToken::of(parts) else { return Ok(None) };
    let mut conn = state.pool.acquire().await?;
    let member = db::sessions::member_of(&mut conn, &session.hash, state.clock.now_secs()).await?;
    Ok(member.map(|id| CurrentMember { id }))
}

impl FromRequestParts<AppState> for CurrentMember {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        lookup(parts, state).await?.ok_or_else(AppError::unauthorized)
    }
}

impl OptionalFromRequestParts<AppState> for CurrentMember {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, AppError> {
        lookup(parts, state).await
    }
}

/// Opens a session for the member and returns the `Set-Cookie` value.
pub async fn open(state: &AppState, member_id: i64) -> Result<HeaderValue, AppError> {
    let token = new_token();
    let max_age = state.config.limits.session_seconds;
    db::sessions::insert(&state.writer, &hash_token(&token), member_id, state.clock.now_secs() + max_age).await?;
    cookie(state, &token, max_age)
}

/// Ends the session the request carries (if any) and returns a cookie that clears it.
pub async fn close(state: &AppState, parts: &Parts) -> Result<HeaderValue, AppError> {
    if let Some(token) = token_from(&parts.headers) {
        db::sessions::delete(&state.writer, &hash_token(&token)).await?;
    }
    cookie(state, "", 0)
}

fn cookie(state: &AppState, token: &str, max_age: i64) -> Result<HeaderValue, AppError> {
    // A mall framed by another site's host app needs a cookie that crosses sites
    // (partitioned per host); otherwise Lax keeps it first-party.
    let attrs = if state.policy.framed_cross_site() {
        "SameSite=None; Secure; Partitioned"
    } else if state.config.cookie_secure {
        "SameSite=Lax; Secure"
    } else {
        "SameSite=Lax"
    };
    HeaderValue::from_str(&format!("{COOKIE}={token}; Path=/; HttpOnly; {attrs}; Max-Age={max_age}")).map_err(AppError::internal)
}
