//! Staff credentials. People sign in (`POST /api/staff/session`) and carry the staff
//! cookie: an operator account passes `Operator`, a merchant account passes `Merchant`
//! (for its own merchant only). For automation, `Authorization: Bearer <OPERATOR_TOKEN>`
//! and the `MERCHANT_TOKENS` (each bound to one merchant record) still pass, recorded in
//! the audit log as `token:…`. A disabled account's sessions are gone. Member sessions
//! never pass either.

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts, HeaderValue},
};
use mall_core::{
    dto::I18nText,
    staff::{MerchantRef, StaffMe, StaffRole},
    ErrorCode,
};
use sha2::{Digest, Sha256};

pub use crate::domain::staff::Actor;
use crate::{
    db::{self, staff::StaffRow},
    domain::sales::{Verifier, SHOP},
    error::AppError,
    session,
    state::AppState,
};

/// The staff session cookie's name (apart from the members' cookie).
pub const STAFF_COOKIE: &str = "mall_staff";

/// The signed-in staff account of the request (any role).
#[derive(Debug, Clone)]
pub struct StaffAccount(pub StaffRow);

impl StaffAccount {
    /// The account as `GET /api/staff/me` shows it.
    pub fn me(&self) -> StaffMe {
        let s = &self.0;
        StaffMe { id: s.id, username: s.username.clone(), display_name: s.display_name.clone(), role: s.role, merchant: merchant_ref(s) }
    }
}

/// The merchant a staff row is bound to.
pub fn merchant_ref(s: &StaffRow) -> Option<MerchantRef> {
    s.merchant_id.map(|id| MerchantRef {
        id,
        name: I18nText { zh: s.merchant_zh.clone().unwrap_or_default(), en: s.merchant_en.clone().unwrap_or_default() },
    })
}

/// The staff session the request carries, looked up.
async fn signed_in(parts: &Parts, state: &AppState) -> Result<Option<StaffRow>, AppError> {
    let Some(token) = session::cookie_value(&parts.headers, STAFF_COOKIE).filter(|t| !t.is_empty() && t.len() <= 128) else {
        return Ok(None);
    };
    let mut conn = state.pool.acquire().await?;
    Ok(db::staff::by_session(&mut conn, &session::hash_token(&token), state.clock.now_secs()).await?)
}

impl FromRequestParts<AppState> for StaffAccount {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        signed_in(parts, state).await?.map(StaffAccount).ok_or_else(|| AppError::new(ErrorCode::Unauthorized, "sign in as staff first"))
    }
}

/// Proof that an operator acts: an operator account, or the operator token.
#[derive(Debug, Clone)]
pub struct Operator(pub Actor);

impl FromRequestParts<AppState> for Operator {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let refused = || AppError::new(ErrorCode::Forbidden, "this needs an operator account");
        if let Some(given) = bearer(parts) {
            return match state.config.operator_token.as_deref() {
                Some(expected) if same(given, expected) => Ok(Operator(Actor::Token("operator".into()))),
                _ => Err(refused()),
            };
        }
        match signed_in(parts, state).await? {
            Some(s) if s.role == StaffRole::Operator => Ok(Operator(Actor::Account(s))),
            _ => Err(refused()),
        }
    }
}

/// A merchant acting: its account (bound to one partner merchant) or a merchant token.
#[derive(Debug, Clone)]
pub struct Merchant(pub Verifier);

impl FromRequestParts<AppState> for Merchant {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let refused = || AppError::new(ErrorCode::Forbidden, "this needs a merchant account");
        if let Some(given) = bearer(parts) {
            return state
                .merchant_tokens
                .iter()
                .find(|t| same(given, &t.token))
                .map(|t| {
                    let actor = Actor::Token(format!("merchant:{}", t.slug));
                    Merchant(Verifier { actor, name: t.name.clone(), merchant_id: Some(t.merchant_id) })
                })
                .ok_or_else(refused);
        }
        match signed_in(parts, state).await? {
            Some(s) if s.role == StaffRole::Merchant => match s.merchant_id {
                Some(merchant_id) => {
                    let name = s.merchant_zh.clone().unwrap_or_else(|| s.username.clone());
                    Ok(Merchant(Verifier { name, merchant_id: Some(merchant_id), actor: Actor::Account(s) }))
                }
                None => Err(refused()),
            },
            _ => Err(refused()),
        }
    }
}

impl Merchant {
    /// The partner merchant it stands for.
    pub fn merchant_id(&self) -> i64 {
        // Both ways of building one name a merchant.
        self.0.merchant_id.unwrap_or_default()
    }
}

/// Who verifies a code (`POST /api/merchant/verify`): a merchant (account or token), which
/// verifies the codes it honours, or an operator (account or token), which verifies the
/// codes the shop honours itself.
#[derive(Debug, Clone)]
pub struct CodeVerifier(pub Verifier);

impl FromRequestParts<AppState> for CodeVerifier {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if let Ok(Merchant(v)) = Merchant::from_request_parts(parts, state).await {
            return Ok(CodeVerifier(v));
        }
        match Operator::from_request_parts(parts, state).await {
            Ok(Operator(actor)) => Ok(CodeVerifier(Verifier { actor, name: SHOP.to_string(), merchant_id: None })),
            Err(_) => Err(AppError::new(ErrorCode::Forbidden, "this needs a merchant account, or an operator's for the shop's own codes")),
        }
    }
}

/// The `Set-Cookie` value of a staff session (`max_age` 0 clears it): HttpOnly,
/// SameSite=Strict (staff pages are never framed by a host app), Secure behind HTTPS.
pub fn staff_cookie(state: &AppState, token: &str, max_age: i64) -> Result<HeaderValue, AppError> {
    let secure = if state.config.cookie_secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{STAFF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"))
        .map_err(AppError::internal)
}

/// The staff session token the request carries, if any.
pub fn staff_token(parts: &Parts) -> Option<String> {
    session::cookie_value(&parts.headers, STAFF_COOKIE)
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "))
}

/// Compares digests so the time taken does not depend on how much of a token matched.
fn same(given: &str, expected: &str) -> bool {
    Sha256::digest(given.as_bytes()) == Sha256::digest(expected.as_bytes())
}
