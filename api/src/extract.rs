//! Extractors whose rejections are the API's own errors, so malformed JSON, wrong
//! types, unknown fields and bad query strings get the same error body as everything else.
//!
//! No text of a request may hold a NUL character (`\u0000` in JSON, `%00` in a path or
//! query): PostgreSQL cannot store or compare one (the query fails), and no field means
//! one. The extractors refuse it before any handler sees it, on both engines alike.

use axum::{
    body::Bytes,
    extract::{
        rejection::{PathRejection, QueryRejection},
        FromRequest, FromRequestParts, Path, Query, Request,
    },
    http::{header, request::Parts, StatusCode},
    response::{IntoResponse, Response},
};
use mall_core::ErrorCode;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::error::AppError;

/// A JSON body (in) or answer (out). A body must be a JSON object: serde would also
/// accept a struct as an array (`[1,2]`), which no client of this API means to send.
#[derive(Debug)]
pub struct AppJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<mime::Mime>().ok())
            .is_some_and(|m| m.type_() == "application" && (m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json")));
        if !is_json {
            return Err(AppError::new(ErrorCode::UnsupportedMediaType, "send the body as JSON with Content-Type: application/json"));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::new(ErrorCode::PayloadTooLarge, "the request body is too large")
            } else {
                AppError::new(ErrorCode::BadRequest, e.body_text())
            }
        })?;
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            None => return Err(AppError::new(ErrorCode::InvalidJson, "the request body is empty")),
            Some(b'{') => {}
            Some(_) => return Err(AppError::new(ErrorCode::ValidationFailed, "the request body must be a JSON object")),
        }
        refuse_nul_in_json(&bytes)?;
        serde_json::from_slice(&bytes).map(AppJson).map_err(|e| match e.classify() {
            Category::Data => AppError::new(ErrorCode::ValidationFailed, e.to_string()),
            Category::Syntax | Category::Eof | Category::Io => AppError::new(ErrorCode::InvalidJson, e.to_string()),
        })
    }
}

impl<T: serde::Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Refuses a JSON text holding a NUL character (`\u0000`): 422. A raw NUL byte is not
/// JSON at all (serde refuses it), and a backslash appears only inside strings, so
/// following the escapes is enough.
pub fn refuse_nul_in_json(json: &[u8]) -> Result<(), AppError> {
    let mut i = 0;
    while i < json.len() {
        if json[i] != b'\\' {
            i += 1;
            continue;
        }
        if json.get(i + 1) == Some(&b'u') && json.get(i + 2..i + 6) == Some(&b"0000"[..]) {
            return Err(AppError::new(ErrorCode::ValidationFailed, "a text holds a NUL character (\\u0000)"));
        }
        i += 2;
    }
    Ok(())
}

/// Refuses a path or query holding a NUL character (`%00`): 400.
fn refuse_nul_in_uri(text: &str) -> Result<(), AppError> {
    match text.as_bytes().windows(3).any(|w| w == b"%00") {
        true => Err(AppError::new(ErrorCode::BadRequest, "a path or query parameter holds a NUL character (%00)")),
        false => Ok(()),
    }
}

/// A query string.
#[derive(Debug)]
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        refuse_nul_in_uri(parts.uri.query().unwrap_or_default())?;
        let Query(value) = Query::<T>::from_request_parts(parts, state).await?;
        Ok(AppQuery(value))
    }
}

/// Path parameters.
#[derive(Debug)]
pub struct AppPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for AppPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        refuse_nul_in_uri(parts.uri.path())?;
        let Path(value) = Path::<T>::from_request_parts(parts, state).await?;
        Ok(AppPath(value))
    }
}

impl From<QueryRejection> for AppError {
    fn from(r: QueryRejection) -> Self {
        AppError::new(ErrorCode::BadRequest, r.body_text())
    }
}

impl From<PathRejection> for AppError {
    fn from(r: PathRejection) -> Self {
        AppError::new(ErrorCode::BadRequest, r.body_text())
    }
}
