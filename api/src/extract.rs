//! Extractors whose rejections are the API's own errors, so malformed JSON, wrong
//! types, unknown fields and bad query strings get the same error body as everything else.

use axum::{
    body::Bytes,
    extract::{
        rejection::{PathRejection, QueryRejection},
        FromRequest, FromRequestParts, Request,
    },
    http::{header, StatusCode},
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

/// A query string.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct AppQuery<T>(pub T);

/// Path parameters.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct AppPath<T>(pub T);

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
