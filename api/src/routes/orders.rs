//! Redeeming catalogue items: one transaction that claims the idempotency key, checks
//! tier, takes stock (conditional update), enforces the per-member limit (conditional
//! upsert), takes the points from the soonest-expiring lots and records order + history.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use futures_util::FutureExt;
use mall_core::{
    cash::Cash,
    catalog::{quote, ItemKind, MAX_ORDER_QUANTITY},
    code,
    dto::{EntryKind, I18nText, Order, OrderPage, OrderStatus, PageQuery, RedeemRequest},
    ErrorCode, Tier,
};
use rand::RngCore;

use crate::{
    clock,
    error::AppError,
    extract::{AppJson, AppPath, AppQuery},
    idempotency::{self, Claim},
    ledger, members,
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
    let st = state.clone();
    let at = state.at();
    let member_id = member.id;
    idempotency::run(&state, member.id, key, move |tx| {
        async move {
            let row: Option<(i64, i64, i64)> = sqlx::query_as(
                "UPDATE orders SET status = 'cancelled', updated_at = $1 WHERE id = $2 AND member_id = $3 AND status = 'pending' \
                 RETURNING item_id, quantity, history_id",
            )
            .bind(at.secs)
            .bind(id)
            .bind(member_id)
            .fetch_optional(&mut **tx)
            .await?;
            let Some((item_id, quantity, history_id)) = row else {
                let found: Option<(String,)> = sqlx::query_as("SELECT status FROM orders WHERE id = $1 AND member_id = $2")
                    .bind(id)
                    .bind(member_id)
                    .fetch_optional(&mut **tx)
                    .await?;
                return Err(match found {
                    None => AppError::not_found("order"),
                    Some((status,)) => {
                        AppError::new(ErrorCode::NotCancellable, format!("the order is {status}; only pending orders can be cancelled"))
                    }
                });
            };
            sqlx::query("UPDATE items SET stock = stock + $1, redeemed = redeemed - $1 WHERE id = $2")
                .bind(quantity)
                .bind(item_id)
                .execute(&mut **tx)
                .await?;
            sqlx::query("UPDATE member_item_counts SET quantity = quantity - $1 WHERE member_id = $2 AND item_id = $3")
                .bind(quantity)
                .bind(member_id)
                .bind(item_id)
                .execute(&mut **tx)
                .await?;
            let (zh, en): (String, String) =
                sqlx::query_as("SELECT name_zh, name_en FROM items WHERE id = $1").bind(item_id).fetch_one(&mut **tx).await?;
            let reference = ledger::Reference { kind: "order".into(), id: id.to_string(), label_zh: Some(zh), label_en: Some(en) };
            ledger::refund(tx, member_id, history_id, at, Some(&reference)).await?;
            let order = load_order(tx, &st, member_id, id).await?;
            Ok((StatusCode::OK, order))
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

type ItemRow = (String, String, String, String, i64, Option<i64>, i64, Option<String>);

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
    let now = state.clock.now_secs();
    let mut tx = crate::db::begin(&state.writer).await?;
    if let Claim::Replay(answer) = idempotency::claim(&mut tx, member.id, &key, now).await? {
        return Ok(answer);
    }
    ledger::expire_due(&mut tx, member.id, state.at()).await?;

    let item: Option<ItemRow> =
        sqlx::query_as("SELECT kind, name_zh, name_en, image, points, cash_fen, per_member_limit, min_tier FROM items WHERE id = $1")
            .bind(req.item_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((kind, name_zh, name_en, image, unit_points, unit_cash, limit, min_tier)) = item else {
        return Err(AppError::new(ErrorCode::ItemNotFound, format!("no item with id {}", req.item_id)));
    };

    if let Some(min) = min_tier.as_deref().and_then(Tier::parse) {
        if members::tier(&mut tx, &state.config.rules, member.id).await? < min {
            return Err(AppError::new(ErrorCode::TierLocked, format!("this item is for {} members and above", min.as_str())));
        }
    }

    let took = sqlx::query("UPDATE items SET stock = stock - $1, redeemed = redeemed + $1 WHERE id = $2 AND stock >= $1")
        .bind(req.quantity)
        .bind(req.item_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if took == 0 {
        return Err(AppError::new(ErrorCode::OutOfStock, "not enough stock left for this quantity"));
    }

    let limit_error = || AppError::new(ErrorCode::LimitReached, format!("each member may redeem at most {limit} of this item"));
    if req.quantity > limit {
        return Err(limit_error());
    }
    let counted = sqlx::query(
        "INSERT INTO member_item_counts (member_id, item_id, quantity) VALUES ($1, $2, $3) \
         ON CONFLICT (member_id, item_id) DO UPDATE SET quantity = member_item_counts.quantity + excluded.quantity \
         WHERE member_item_counts.quantity + excluded.quantity <= $4",
    )
    .bind(member.id)
    .bind(req.item_id)
    .bind(req.quantity)
    .bind(limit)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if counted == 0 {
        return Err(limit_error());
    }

    let price = quote(unit_points, unit_cash.map(Cash::from_fen), req.quantity, 0).ok_or_else(|| AppError::internal("price overflow"))?;
    let points = price.points;
    let cash_fen = unit_cash.map(|c| c * req.quantity);
    let reference =
        ledger::Reference { kind: "order".into(), id: String::new(), label_zh: Some(name_zh.clone()), label_en: Some(name_en.clone()) };
    let debit = ledger::debit(&mut tx, member.id, EntryKind::Redeem, points, state.at(), Some(&reference)).await?;

    let kind = if kind == "physical" { ItemKind::Physical } else { ItemKind::Virtual };
    let (status, code) = match kind {
        ItemKind::Virtual => (OrderStatus::Fulfilled, Some(new_code())),
        ItemKind::Physical => (OrderStatus::Pending, None),
    };
    let (order_id,): (i64,) = sqlx::query_as(
        "INSERT INTO orders (member_id, item_id, quantity, points, cash_fen, status, code, history_id, balance_after, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(member.id)
    .bind(req.item_id)
    .bind(req.quantity)
    .bind(points)
    .bind(cash_fen)
    .bind(status.as_str())
    .bind(&code)
    .bind(debit.history_id)
    .bind(debit.balance_after)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE history SET ref_id = $1 WHERE id = $2").bind(order_id.to_string()).bind(debit.history_id).execute(&mut *tx).await?;

    let order = Order {
        id: order_id,
        item_id: req.item_id,
        item_name: I18nText { zh: name_zh, en: name_en },
        image,
        quantity: req.quantity,
        points,
        cash: price.cash,
        status,
        code: code.as_deref().map(code::display),
        balance_after: debit.balance_after,
        created_at: clock::rfc3339(state.config.zone, now),
    };
    idempotency::finish(&mut tx, member.id, &key, StatusCode::CREATED, &order).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, AppJson(order)).into_response())
}

type OrderRow = (i64, i64, String, String, String, i64, i64, Option<i64>, String, Option<String>, i64, i64);

const ORDER_COLUMNS: &str = "SELECT o.id, o.item_id, i.name_zh, i.name_en, i.image, o.quantity, o.points, o.cash_fen, o.status, o.code, \
     o.balance_after, o.created_at FROM orders o JOIN items i ON i.id = o.item_id";

fn order_from(state: &AppState, row: OrderRow) -> Order {
    let (id, item_id, zh, en, image, quantity, points, cash, status, code, balance_after, at) = row;
    Order {
        id,
        item_id,
        item_name: I18nText { zh, en },
        image,
        quantity,
        points,
        cash: cash.map(Cash::from_fen),
        status: OrderStatus::parse(&status).unwrap_or(OrderStatus::Pending),
        code: code.as_deref().map(code::display),
        balance_after,
        created_at: clock::rfc3339(state.config.zone, at),
    }
}

async fn load_order(tx: &mut crate::db::Tx<'_>, state: &AppState, member_id: i64, id: i64) -> AppResult<Order> {
    let row: OrderRow = sqlx::query_as(&format!("{ORDER_COLUMNS} WHERE o.id = $1 AND o.member_id = $2"))
        .bind(id)
        .bind(member_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(order_from(state, row))
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
    let rows: Vec<OrderRow> = sqlx::query_as(&format!("{ORDER_COLUMNS} WHERE o.member_id = $1 AND o.id < $2 ORDER BY o.id DESC LIMIT $3"))
        .bind(member.id)
        .bind(before)
        .bind(limit + 1)
        .fetch_all(&state.pool)
        .await?;
    let mut orders: Vec<Order> = rows.into_iter().map(|row| order_from(&state, row)).collect();
    let next_cursor = finish_page(&mut orders, limit, |o| o.id.to_string());
    Ok(AppJson(OrderPage { orders, next_cursor }))
}
