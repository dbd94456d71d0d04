//! Redeeming catalogue items: one transaction that claims the idempotency key, checks
//! tier, takes stock (conditional update), enforces the per-member limit (conditional
//! upsert), takes the points from the soonest-expiring lots and records order + history.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{get, post},
    Router,
};
use futures_util::FutureExt;
use mall_core::{
    catalog::{quote, ItemKind, MAX_ORDER_QUANTITY},
    code,
    dto::{EntryKind, I18nText, Order, OrderPage, OrderStatus, PageQuery, RedeemRequest},
    format::cash_from_fen,
    ErrorCode,
};
use rand::RngCore;

use crate::{
    clock,
    db::{self, orders::OrderRow},
    error::AppError,
    extract::{AppJson, AppPath, AppQuery},
    idempotency, ledger, members,
    routes::{finish_page, id_cursor, page_size},
    session::CurrentMember,
    startup::AppState,
    AppResult,
};

/// Order routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/orders", get(list).post(redeem)).route("/orders/{id}/cancel", post(cancel))
}

/// Cancel a pending (not yet shipped) order: stock and the per-member count go back,
/// and the points return to the lots they came from (re-expiring at once if those
/// lots have expired meanwhile).
#[utoipa::path(post, path = "/api/orders/{id}/cancel", tag = "orders",
    params(("id" = i64, Path, description = "Order id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer on retry")),
    responses((status = 200, body = Order), (status = 401, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody), (status = 409, body = mall_core::ApiErrorBody, description = "not_cancellable")))]
pub async fn cancel(
    State(state): State<AppState>,
    member: CurrentMember,
    headers: HeaderMap,
    AppPath(id): AppPath<i64>,
) -> AppResult<Response> {
    let key = idempotency::Key::optional(&headers, &format!("POST /api/orders/{id}/cancel"), &())?;
    let zone = state.config.zone;
    let at = state.at();
    let member_id = member.id;
    idempotency::run(&state.writer, at.secs, member.id, key, move |tx| {
        async move {
            let Some(cancelled) = db::orders::cancel_pending(tx, id, member_id, at.secs).await? else {
                return Err(match db::orders::status(tx, id, Some(member_id)).await? {
                    None => AppError::not_found("order"),
                    Some(status) => AppError::new(
                        ErrorCode::NotCancellable,
                        format!("the order is {}; only pending orders can be cancelled", status.as_str()),
                    ),
                });
            };
            db::items::give_back(tx, member_id, cancelled.item_id, cancelled.quantity).await?;
            let order = db::orders::one(tx, member_id, id).await?;
            let reference = ledger::Reference::labelled("order", id.to_string(), order.name_zh.clone(), order.name_en.clone());
            ledger::refund(tx, member_id, cancelled.history_id, at, Some(&reference)).await?;
            Ok((StatusCode::OK, order_from(zone, order)))
        }
        .boxed()
    })
    .await
}

/// A fresh voucher code from the OS CSPRNG.
fn new_code() -> String {
    let mut random = [0u8; code::RANDOM_LEN];
    rand::rngs::OsRng.fill_bytes(&mut random);
    code::from_random(random)
}

/// Redeem an item. Requires `Idempotency-Key`; a retry with the same key and body
/// returns the first answer (with `Idempotent-Replayed: true`) and moves nothing.
#[utoipa::path(post, path = "/api/orders", tag = "orders", request_body = RedeemRequest,
    params(("Idempotency-Key" = String, Header, description = "1–64 visible ASCII characters, unique per attempt")),
    responses((status = 201, body = Order),
        (status = 400, body = mall_core::ApiErrorBody, description = "idempotency_key_missing, invalid_json"),
        (status = 401, body = mall_core::ApiErrorBody),
        (status = 403, body = mall_core::ApiErrorBody, description = "tier_locked"),
        (status = 404, body = mall_core::ApiErrorBody, description = "item_not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "out_of_stock, limit_reached, insufficient_points"),
        (status = 413, body = mall_core::ApiErrorBody),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed, idempotency_key_reused")))]
pub async fn redeem(
    State(state): State<AppState>,
    member: CurrentMember,
    headers: HeaderMap,
    AppJson(req): AppJson<RedeemRequest>,
) -> AppResult<Response> {
    if !(1..=MAX_ORDER_QUANTITY).contains(&req.quantity) {
        return Err(AppError::new(ErrorCode::ValidationFailed, format!("quantity must be between 1 and {MAX_ORDER_QUANTITY}")));
    }
    let key = idempotency::Key::from_headers(&headers, "POST /api/orders", &req)?;
    let at = state.at();
    let rules = state.config.rules.clone();
    let member_id = member.id;
    idempotency::run(&state.writer, at.secs, member.id, Some(key), move |tx| {
        async move {
            let item = db::items::one(tx, req.item_id)
                .await?
                .ok_or_else(|| AppError::new(ErrorCode::ItemNotFound, format!("no item with id {}", req.item_id)))?;
            if let Some(min) = item.min_tier {
                if members::tier(tx, &rules, member_id).await? < min {
                    return Err(AppError::new(ErrorCode::TierLocked, format!("this item is for {} members and above", min.as_str())));
                }
            }
            if !db::items::take_stock(tx, item.id, req.quantity).await? {
                return Err(AppError::new(ErrorCode::OutOfStock, "not enough stock left for this quantity"));
            }
            let limit = item.per_member_limit;
            if req.quantity > limit || !db::items::count_for(tx, member_id, item.id, req.quantity, limit).await? {
                return Err(AppError::new(ErrorCode::LimitReached, format!("each member may redeem at most {limit} of this item")));
            }
            let price = quote(item.points, item.cash_fen.map(cash_from_fen), req.quantity, 0)
                .ok_or_else(|| AppError::internal("price overflow"))?;
            let reference = ledger::Reference::labelled("order", "", item.name_zh.clone(), item.name_en.clone());
            let debit = ledger::debit(tx, member_id, EntryKind::Redeem, price.points, at, Some(&reference)).await?;
            let (status, code) = match item.kind {
                ItemKind::Virtual => (OrderStatus::Fulfilled, Some(new_code())),
                ItemKind::Physical => (OrderStatus::Pending, None),
            };
            let new = db::orders::NewOrder {
                member_id,
                item_id: item.id,
                quantity: req.quantity,
                points: price.points,
                cash_fen: item.cash_fen.map(|c| c * req.quantity),
                status,
                code: code.as_deref(),
                history_id: debit.history_id,
                balance_after: debit.balance_after,
                created_at: at.secs,
            };
            let order_id = db::orders::insert(tx, &new).await?;
            db::history::set_ref_id(tx, debit.history_id, &order_id.to_string()).await?;
            let order = Order {
                id: order_id,
                item_id: item.id,
                item_name: I18nText { zh: item.name_zh, en: item.name_en },
                image: item.image,
                quantity: req.quantity,
                points: price.points,
                cash: price.cash,
                status,
                code: code.as_deref().map(code::display),
                balance_after: debit.balance_after,
                created_at: clock::rfc3339(at.zone, at.secs),
            };
            Ok((StatusCode::CREATED, order))
        }
        .boxed()
    })
    .await
}

fn order_from(zone: chrono_tz::Tz, row: OrderRow) -> Order {
    Order {
        id: row.id,
        item_id: row.item_id,
        item_name: I18nText { zh: row.name_zh, en: row.name_en },
        image: row.image,
        quantity: row.quantity,
        points: row.points,
        cash: row.cash_fen.map(cash_from_fen),
        status: row.status,
        code: row.code.as_deref().map(code::display),
        balance_after: row.balance_after,
        created_at: clock::rfc3339(zone, row.created_at),
    }
}

/// The member's orders, newest first.
#[utoipa::path(get, path = "/api/orders", tag = "orders", params(PageQuery),
    responses((status = 200, body = OrderPage), (status = 400, body = mall_core::ApiErrorBody),
        (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    member: CurrentMember,
    AppQuery(query): AppQuery<PageQuery>,
) -> AppResult<AppJson<OrderPage>> {
    let limit = page_size(query.limit)?;
    let before = id_cursor(query.cursor.as_deref())?.unwrap_or(i64::MAX);
    let rows = db::orders::page(&mut *state.pool.acquire().await?, member.id, before, limit + 1).await?;
    let mut orders: Vec<Order> = rows.into_iter().map(|row| order_from(state.config.zone, row)).collect();
    let next_cursor = finish_page(&mut orders, limit, |o| o.id.to_string());
    Ok(AppJson(OrderPage { orders, next_cursor }))
}
