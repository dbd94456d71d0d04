//! Orders: redemptions of catalogue items.

use mall_core::dto::OrderStatus;

use super::{on, Access, Tx};

/// An order to insert.
#[derive(Debug, Clone)]
pub struct NewOrder<'a> {
    /// Who redeemed.
    pub member_id: i64,
    /// What.
    pub item_id: i64,
    /// How many.
    pub quantity: i64,
    /// Points paid.
    pub points: i64,
    /// Cash paid, in fen.
    pub cash_fen: Option<i64>,
    /// Fulfilled (virtual) or pending (physical).
    pub status: OrderStatus,
    /// The voucher code of a virtual item.
    pub code: Option<&'a str>,
    /// The debit's history entry.
    pub history_id: i64,
    /// The balance after the debit.
    pub balance_after: i64,
    /// Unix seconds.
    pub created_at: i64,
}

/// An order with its item's name and image.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrderRow {
    /// Order id.
    pub id: i64,
    /// Item id.
    pub item_id: i64,
    /// Item name in Chinese.
    pub name_zh: String,
    /// Item name in English.
    pub name_en: String,
    /// Item image.
    pub image: String,
    /// How many.
    pub quantity: i64,
    /// Points paid.
    pub points: i64,
    /// Cash paid, in fen.
    pub cash_fen: Option<i64>,
    /// Where it is.
    pub status: OrderStatus,
    /// Voucher code.
    pub code: Option<String>,
    /// Balance after the debit.
    pub balance_after: i64,
    /// Unix seconds.
    pub created_at: i64,
}

/// What a cancellation puts back.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Cancelled {
    /// The item.
    pub item_id: i64,
    /// Units.
    pub quantity: i64,
    /// The debit to refund.
    pub history_id: i64,
}

const ORDER_COLUMNS: &str = "SELECT o.id, o.item_id, i.name_zh, i.name_en, i.image, o.quantity, o.points, o.cash_fen, o.status, o.code, \
     o.balance_after, o.created_at FROM orders o JOIN items i ON i.id = o.item_id";

/// Inserts an order; returns its id.
pub async fn insert(tx: &mut Tx, o: &NewOrder<'_>) -> Result<i64, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO orders (member_id, item_id, quantity, points, cash_fen, status, code, history_id, balance_after, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(o.member_id)
    .bind(o.item_id)
    .bind(o.quantity)
    .bind(o.points)
    .bind(o.cash_fen)
    .bind(o.status)
    .bind(o.code)
    .bind(o.history_id)
    .bind(o.balance_after)
    .bind(o.created_at)
    .fetch_one(c)
    .await)
}

/// Cancels the member's order if it is still pending (conditional).
pub async fn cancel_pending(tx: &mut Tx, id: i64, member_id: i64, now: i64) -> Result<Option<Cancelled>, sqlx::Error> {
    on!(tx, |c| sqlx::query_as(
        "UPDATE orders SET status = 'cancelled', updated_at = $1 WHERE id = $2 AND member_id = $3 AND status = 'pending' \
         RETURNING item_id, quantity, history_id",
    )
    .bind(now)
    .bind(id)
    .bind(member_id)
    .fetch_optional(c)
    .await)
}

/// Moves an order from `from` to `to` (conditional); false if it was not in `from`.
pub async fn advance(tx: &mut Tx, id: i64, from: OrderStatus, to: OrderStatus, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query("UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(to)
        .bind(now)
        .bind(id)
        .bind(from)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// An order's status (of `member_id`'s orders only, when given).
pub async fn status(conn: &mut impl Access, id: i64, member_id: Option<i64>) -> Result<Option<OrderStatus>, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT status FROM orders WHERE id = $1 AND ($2 IS NULL OR member_id = $2)")
        .bind(id)
        .bind(member_id)
        .fetch_optional(c)
        .await)
}

/// One of the member's orders.
pub async fn one(conn: &mut impl Access, member_id: i64, id: i64) -> Result<OrderRow, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{ORDER_COLUMNS} WHERE o.id = $1 AND o.member_id = $2"))
        .bind(id)
        .bind(member_id)
        .fetch_one(c)
        .await)
}

/// The member's orders older than `before`, newest first, at most `limit`.
pub async fn page(conn: &mut impl Access, member_id: i64, before: i64, limit: i64) -> Result<Vec<OrderRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{ORDER_COLUMNS} WHERE o.member_id = $1 AND o.id < $2 ORDER BY o.id DESC LIMIT $3"))
        .bind(member_id)
        .bind(before)
        .bind(limit)
        .fetch_all(c)
        .await)
}
