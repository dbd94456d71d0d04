//! Staff credentials: operators (`Authorization: Bearer <OPERATOR_TOKEN>`) and merchants
//! (`Authorization: Bearer <merchant token>`). Member sessions never pass either.

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts},
};
use mall_core::ErrorCode;
use sha2::{Digest, Sha256};

use crate::{error::AppError, startup::AppState};

/// Proof that the request carries the operator credential.
#[derive(Debug, Clone, Copy)]
pub struct Operator;

impl FromRequestParts<AppState> for Operator {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let refused = || AppError::new(ErrorCode::Forbidden, "this needs the operator credential");
        let Some(expected) = state.config.operator_token.as_deref() else {
            return Err(AppError::new(ErrorCode::Forbidden, "the operator API is switched off here"));
        };
        let given = bearer(parts).ok_or_else(refused)?;
        if same(given, expected) {
            Ok(Operator)
        } else {
            Err(refused())
        }
    }
}

/// A merchant, by the name its credential is configured under.
#[derive(Debug, Clone)]
pub struct Merchant {
    /// The merchant's name (recorded on the codes it verifies).
    pub name: String,
}

impl FromRequestParts<AppState> for Merchant {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let given = bearer(parts).ok_or_else(|| AppError::new(ErrorCode::Forbidden, "this needs a merchant credential"))?;
        state
            .config
            .merchants
            .iter()
            .find(|(_, token)| same(given, token))
            .map(|(name, _)| Merchant { name: name.clone() })
            .ok_or_else(|| AppError::new(ErrorCode::Forbidden, "this needs a merchant credential"))
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "))
}

/// Compares digests so the time taken does not depend on how much of a token matched.
fn same(given: &str, expected: &str) -> bool {
    Sha256::digest(given.as_bytes()) == Sha256::digest(expected.as_bytes())
}
