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
        routes::health::rules, routes::me::lots, routes::orders::cancel,
        routes::checkins::calendar, routes::checkins::check_in, routes::checkins::makeup,
        routes::tasks::list, routes::tasks::claim,
        routes::earning::purchase, routes::earning::invite_info, routes::earning::accept_invite,
        routes::admin::adjust, routes::admin::order_status, routes::admin::run_sweep, routes::admin::dev_clock,
        routes::sales::today, routes::sales::grab, routes::sales::remind, routes::sales::wallet, routes::sales::verify,
        routes::sales::schedule,
        routes::sales::schedule_daily,
    ),
    components(schemas(mall_core::ApiErrorBody, mall_core::ApiError, mall_core::ErrorDetails, mall_core::ErrorCode)),
    modifiers(&OperatorScheme)
)]
pub struct ApiDoc;

/// Declares the staff credentials (`Authorization: Bearer …`).
struct OperatorScheme;

impl utoipa::Modify for OperatorScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("operator", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        components.add_security_scheme("merchant", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// Serves the document.
pub async fn serve() -> AppJson<utoipa::openapi::OpenApi> {
    AppJson(ApiDoc::openapi())
}
