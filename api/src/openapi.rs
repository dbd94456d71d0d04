//! `GET /api/openapi.json`: the OpenAPI document, generated from the handlers' annotations.

use utoipa::OpenApi;

use crate::{extract::AppJson, routes};

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Points mall API", description = "Authoritative balances, catalogue, redemption and history. \
        Every error is `{\"error\":{\"code\",\"message\"}}`."),
    paths(
        routes::health::healthz, routes::health::time,
        routes::session::demo_members, routes::session::demo_login, routes::session::exchange, routes::session::logout,
        routes::me::get_me,
        routes::items::categories, routes::items::list, routes::items::detail,
        routes::orders::redeem, routes::orders::list,
        routes::history::list,
    ),
    components(schemas(mall_core::ApiErrorBody, mall_core::ApiError, mall_core::ErrorCode))
)]
pub struct ApiDoc;

/// Serves the document.
pub async fn serve() -> AppJson<utoipa::openapi::OpenApi> {
    AppJson(ApiDoc::openapi())
}
