//! `GET /api/openapi.json`: the OpenAPI document. Its operations come from the routers
//! themselves (`routes::health::router`, `routes::api_router`: each handler's
//! `#[utoipa::path]`, registered with `routes!`); here are only the document's info, the
//! schemas no operation names, and the modifiers that add what every operation of a kind
//! shares.

use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::{extract::AppJson, routes, state::AppState};

/// The API description, without its operations (`document` adds them).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Points mall API",
        description = "Authoritative balances, catalogue, redemption and history. \
        Every error is `{\"error\":{\"code\",\"message\"}}`."
    ),
    components(schemas(
        mall_core::ApiErrorBody,
        mall_core::ApiError,
        mall_core::ErrorDetails,
        mall_core::ErrorCode,
        mall_core::dto::HistoryFilter,
        mall_core::catalog::PriceBand,
        mall_core::catalog::Sort,
        mall_core::engagement::LeaderboardPeriod,
        mall_core::staff::OfferStatus,
        mall_core::notice::BalanceNotice,
        mall_core::notice::CodeNotice,
        mall_core::notice::StreamClosed,
        mall_core::notice::StreamCloseReason,
        mall_core::webhook::EventType,
        mall_core::webhook::PointsArrived,
        mall_core::webhook::PointsExpiring,
        mall_core::webhook::OrderShipped,
        mall_core::webhook::SaleOpening,
        mall_core::webhook::TierUp,
        mall_core::webhook::CodeVerified,
        mall_core::webhook::CashRefundDue,
    ))
)]
pub struct ApiDoc;

/// Lists every code the server sends (`ErrorCode::SENT`) in `ErrorCode`, in place of the
/// schema utoipa derives.
struct EveryErrorCode;

impl Modify for EveryErrorCode {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{schema::Type, ObjectBuilder};
        let codes = mall_core::ErrorCode::SENT.map(|c| c.as_str());
        let schema = ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("A machine-readable reason for a refused request; its HTTP status follows from it."))
            .enum_values(Some(codes))
            .build();
        openapi.components.get_or_insert_with(Default::default).schemas.insert("ErrorCode".into(), schema.into());
    }
}

/// Declares the staff credentials (`Authorization: Bearer …`).
struct OperatorScheme;

impl Modify for OperatorScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};

        use crate::operator::STAFF_COOKIE;
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("operator", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        components.add_security_scheme("merchant", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        components.add_security_scheme("staff_session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(STAFF_COOKIE))));
        // People sign in (the staff cookie); the bearer tokens are for automation. Either
        // satisfies an operation that names one of them.
        for item in openapi.paths.paths.values_mut() {
            let ops = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            for op in ops.into_iter().flatten() {
                if let Some(security) = op.security.as_mut().filter(|s| !s.is_empty()) {
                    security.push(SecurityRequirement::new("staff_session", Vec::<String>::new()));
                }
            }
        }
    }
}

/// Adds the refusals every operation of a kind can answer, decided by the extractors
/// rather than the handler, so each annotation lists only its own:
/// - a JSON body (`AppJson`): 400 `invalid_json`/`bad_request`, 413, 415 without a JSON
///   content type, 422 `validation_failed`;
/// - path or query parameters (`AppPath`, `AppQuery`): 400;
/// - an `Idempotency-Key` header: 400 when malformed (or missing where required), 422 when
///   reused with another request;
/// - a staff credential: 403;
/// - every write (POST, PUT, PATCH, DELETE): 403 when a browser sends it from an origin
///   that is neither the mall's nor a listed host's (`security::check_origin`);
/// - every operation: 503 when the database is busy (the pool timed out).
struct CommonRefusals;

impl Modify for CommonRefusals {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{path::ParameterIn, Content, Ref, ResponseBuilder};
        let refusal = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content("application/json", Content::new(Some(Ref::from_schema_name("ApiErrorBody"))))
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let writes = [&mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten().map(|op| (op, true));
            for (op, write) in item.get.iter_mut().map(|op| (op, false)).chain(writes) {
                let params = op.parameters.as_deref().unwrap_or_default();
                let mut add = vec![("503", "unavailable: the database is busy; retry")];
                if write {
                    add.push(("403", "forbidden: sent by a browser from an origin the mall does not accept (HOST_ORIGINS)"));
                }
                if op.request_body.is_some() {
                    add.extend([
                        ("400", "invalid_json or bad_request: an empty or malformed body"),
                        ("413", "payload_too_large"),
                        ("415", "unsupported_media_type: the body is not sent as application/json"),
                        ("422", "validation_failed: a field is missing, unknown or of the wrong type"),
                    ]);
                }
                if params.iter().any(|p| matches!(p.parameter_in, ParameterIn::Path | ParameterIn::Query)) {
                    add.push(("400", "bad_request: a path or query parameter cannot be read"));
                }
                if params.iter().any(|p| p.name.eq_ignore_ascii_case(crate::routes::IDEMPOTENCY_KEY)) {
                    add.extend([
                        ("400", "bad_request or idempotency_key_missing: the Idempotency-Key is malformed or missing"),
                        ("422", "idempotency_key_reused: the key was used with another request"),
                    ]);
                }
                if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    add.push(("403", "forbidden: no valid staff credential"));
                }
                for (status, description) in add {
                    op.responses.responses.entry(status.to_string()).or_insert_with(|| refusal(description).into());
                }
            }
        }
    }
}

/// The events of `GET /api/events`, one schema each, as OpenAPI 3.2 describes the items
/// of a `text/event-stream` (its `itemSchema`): the event's name, its `id` (its `retry`
/// for `closed`), and its `data` as a JSON string whose schema is `contentSchema` (the
/// data is the notice; the event is not).
fn event_item_schema() -> serde_json::Value {
    let event = |name: &str, schema: &str, what: &str| {
        let mut properties = serde_json::json!({
            "event": { "const": name },
            "data": {
                "type": "string",
                "contentMediaType": "application/json",
                "contentSchema": { "$ref": format!("#/components/schemas/{schema}") },
            },
        });
        if name == "closed" {
            properties["retry"] = serde_json::json!({ "type": "integer", "description": "milliseconds before the browser may reconnect" });
        } else {
            properties["id"] = serde_json::json!({ "type": "string", "description": "the event id, for Last-Event-ID" });
        }
        let required = if name == "closed" { serde_json::json!(["event", "data"]) } else { serde_json::json!(["event", "id", "data"]) };
        serde_json::json!({ "type": "object", "description": what, "required": required, "properties": properties })
    };
    serde_json::json!({ "oneOf": [
        event("balance", "BalanceNotice", "the member's balance changed"),
        event("code", "CodeNotice", "a merchant verified one of the member's codes"),
        event("closed", "StreamClosed", "the last event of a stream the server ends"),
    ]})
}

/// The document as served: utoipa's, with the event stream's media type described by its
/// `itemSchema` alone (utoipa emits only `x-` extensions, and a `schema` of an event stream
/// is read as one event by tools before OpenAPI 3.2, as the whole stream after).
pub fn document() -> serde_json::Value {
    let mut api = OpenApiRouter::<AppState>::with_openapi(ApiDoc::openapi())
        .merge(routes::health::router())
        .nest(routes::API_PREFIX, routes::api_router())
        .into_openapi();
    // The modifiers read the operations: they run once every operation is in.
    for modifier in [&OperatorScheme as &dyn Modify, &CommonRefusals, &EveryErrorCode] {
        modifier.modify(&mut api);
    }
    let mut doc = serde_json::to_value(api).unwrap_or_default();
    if let Some(content) = doc.pointer_mut("/paths/~1api~1events/get/responses/200/content/text~1event-stream") {
        *content = serde_json::json!({ "itemSchema": event_item_schema() });
    }
    doc
}

/// Serves the document.
pub async fn serve() -> AppJson<serde_json::Value> {
    AppJson(document())
}
