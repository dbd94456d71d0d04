//! Physical rewards: the member's address book (`/api/addresses`) and the operator's
//! order queue (list, ship, deliver, cancel, CSV export).

use axum::{
    extract::State,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use futures_util::FutureExt;
use mall_core::fulfilment::{csv_cell, Address, AddressInput, AdminOrder, AdminOrderPage, AdminOrderQuery, CancelRequest, ShipRequest};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    db,
    domain::{addresses, orders},
    extract::{AppJson, AppPath, AppQuery},
    operator::Operator,
    routes::{finish_page, id_cursor, page_size},
    session::CurrentMember,
    state::AppState,
    AppResult,
};

/// Address book and order queue routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_addresses, add_address))
        .routes(routes!(update_address, delete_address))
        .routes(routes!(queue))
        .routes(routes!(queue_csv))
        .routes(routes!(ship))
        .routes(routes!(deliver))
        .routes(routes!(cancel))
}

/// The member's delivery addresses, the default first.
#[utoipa::path(get, path = "/addresses", tag = "member",
    responses((status = 200, body = Vec<Address>), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn list_addresses(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<Vec<Address>>> {
    Ok(AppJson(addresses::list(&mut state.pool.acquire().await?, member.id).await?))
}

/// Add a delivery address (the first one, or one sent with `is_default`, is the default).
#[utoipa::path(post, path = "/addresses", tag = "member", request_body = AddressInput,
    responses((status = 201, body = Address), (status = 401, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "limit_reached: 20 addresses"),
        (status = 422, body = mall_core::ApiErrorBody)))]
pub async fn add_address(
    State(state): State<AppState>,
    member: CurrentMember,
    AppJson(input): AppJson<AddressInput>,
) -> AppResult<(StatusCode, AppJson<Address>)> {
    let now = state.clock.now_secs();
    let address = db::transaction(&state.writer, move |tx| async move { addresses::add(tx, member.id, &input, now).await }.boxed()).await?;
    Ok((StatusCode::CREATED, AppJson(address)))
}

/// Change one of the member's addresses (orders keep the copy they were placed with).
#[utoipa::path(put, path = "/addresses/{id}", tag = "member", request_body = AddressInput,
    params(("id" = i64, Path, description = "Address id")),
    responses((status = 200, body = Address), (status = 401, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody),
        (status = 422, body = mall_core::ApiErrorBody)))]
pub async fn update_address(
    State(state): State<AppState>,
    member: CurrentMember,
    AppPath(id): AppPath<i64>,
    AppJson(input): AppJson<AddressInput>,
) -> AppResult<AppJson<Address>> {
    let address =
        db::transaction(&state.writer, move |tx| async move { addresses::update(tx, member.id, id, &input).await }.boxed()).await?;
    Ok(AppJson(address))
}

/// Delete one of the member's addresses.
#[utoipa::path(delete, path = "/addresses/{id}", tag = "member", params(("id" = i64, Path, description = "Address id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody)))]
pub async fn delete_address(State(state): State<AppState>, member: CurrentMember, AppPath(id): AppPath<i64>) -> AppResult<StatusCode> {
    let now = state.clock.now_secs();
    db::transaction(&state.writer, move |tx| async move { addresses::delete(tx, member.id, id, now).await }.boxed()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The order queue: by status, and by order id, member id, member or item name, or
/// tracking number; newest first.
#[utoipa::path(get, path = "/admin/orders", tag = "operator", params(AdminOrderQuery), security(("operator" = [])),
    responses((status = 200, body = AdminOrderPage), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn queue(
    State(state): State<AppState>,
    _op: Operator,
    AppQuery(query): AppQuery<AdminOrderQuery>,
) -> AppResult<AppJson<AdminOrderPage>> {
    let limit = page_size(query.limit)?;
    let before = id_cursor(query.cursor.as_deref())?.unwrap_or(i64::MAX);
    let mut conn = state.pool.acquire().await?;
    let mut rows = orders::queue(&mut conn, state.at(), query.status, query.q.as_deref(), before, limit + 1).await?;
    let next_cursor = finish_page(&mut rows, limit, |o| o.order.id.to_string());
    Ok(AppJson(AdminOrderPage { orders: rows, next_cursor }))
}

/// The most orders one CSV export holds.
const CSV_ROWS: i64 = 10_000;

/// The order queue as CSV (UTF-8 with a byte-order mark, so spreadsheets read the Chinese;
/// cells that could run as formulas are escaped), same filters, at most 10,000 rows.
#[utoipa::path(get, path = "/admin/orders.csv", tag = "operator", params(AdminOrderQuery), security(("operator" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = mall_core::ApiErrorBody)))]
pub async fn queue_csv(State(state): State<AppState>, _op: Operator, AppQuery(query): AppQuery<AdminOrderQuery>) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let rows = orders::queue(&mut conn, state.at(), query.status, query.q.as_deref(), i64::MAX, CSV_ROWS).await?;
    let mut csv = String::from(
        "\u{feff}order_id,created_at,status,member_id,member,item,quantity,points,recipient,phone,address,carrier,tracking_no\r\n",
    );
    for o in &rows {
        let r = &o.order;
        let to = r.ship_to.as_ref();
        let cells = [
            r.id.to_string(),
            r.created_at.clone(),
            r.status.as_str().to_string(),
            o.member_id.to_string(),
            o.member_name.zh.clone(),
            r.item_name.zh.clone(),
            r.quantity.to_string(),
            r.points.to_string(),
            to.map(|t| t.name.clone()).unwrap_or_default(),
            to.map(|t| t.phone.clone()).unwrap_or_default(),
            to.map(|t| format!("{} {}", t.region, t.detail)).unwrap_or_default(),
            r.carrier.clone().unwrap_or_default(),
            r.tracking_no.clone().unwrap_or_default(),
        ];
        csv.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        csv.push_str("\r\n");
    }
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"orders.csv\"")], csv)
        .into_response())
}

/// Ship a pending order with its carrier and tracking number (the member sees both).
#[utoipa::path(post, path = "/admin/orders/{id}/ship", tag = "operator", request_body = ShipRequest,
    params(("id" = i64, Path, description = "Order id")), security(("operator" = [])),
    responses((status = 200, body = AdminOrder), (status = 403, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "invalid_transition: not pending"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed; address_required: the order has no address to ship to")))]
pub async fn ship(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppPath(id): AppPath<i64>,
    AppJson(req): AppJson<ShipRequest>,
) -> AppResult<AppJson<AdminOrder>> {
    let at = state.at();
    let order = db::transaction(&state.writer, move |tx| async move { orders::ship(tx, &actor, at, id, &req).await }.boxed()).await?;
    Ok(AppJson(order))
}

/// Mark a shipped order delivered.
#[utoipa::path(post, path = "/admin/orders/{id}/deliver", tag = "operator",
    params(("id" = i64, Path, description = "Order id")), security(("operator" = [])),
    responses((status = 200, body = AdminOrder), (status = 403, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "invalid_transition: not shipped")))]
pub async fn deliver(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<AdminOrder>> {
    let at = state.at();
    let order = db::transaction(&state.writer, move |tx| async move { orders::deliver(tx, &actor, at, id).await }.boxed()).await?;
    Ok(AppJson(order))
}

/// Cancel a pending or shipped order with a reason the member sees: stock back, points
/// back into their lots.
#[utoipa::path(post, path = "/admin/orders/{id}/cancel", tag = "operator", request_body = CancelRequest,
    params(("id" = i64, Path, description = "Order id")), security(("operator" = [])),
    responses((status = 200, body = AdminOrder), (status = 403, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "not_cancellable: delivered, fulfilled or cancelled, or a lottery prize that can ship (a prize without an address, which never can, is cancelled)"),
        (status = 422, body = mall_core::ApiErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    Operator(actor): Operator,
    AppPath(id): AppPath<i64>,
    AppJson(req): AppJson<CancelRequest>,
) -> AppResult<AppJson<AdminOrder>> {
    let at = state.at();
    let order =
        db::transaction(&state.writer, move |tx| async move { orders::cancel_by_shop(tx, &actor, at, id, &req.reason).await }.boxed())
            .await?;
    Ok(AppJson(order))
}
