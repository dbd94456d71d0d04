//! The operator credential: `Authorization: Bearer <OPERATOR_TOKEN>`. Member sessions
//! never pass it.

use axum::{extract::FromRequestParts, http::{header, request::Parts}};
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
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(refused)?;
        // Compare digests so the time taken does not depend on how much of the token matched.
        if Sha256::digest(given.as_bytes()) == Sha256::digest(expected.as_bytes()) {
            Ok(Operator)
        } else {
            Err(refused())
        }
    }
}
