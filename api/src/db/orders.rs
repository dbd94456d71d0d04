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
    /// The debit's history entry (for a lottery prize: the draw's).
    pub history_id: i64,
    /// The balance after the debit.
    pub balance_after: i64,
    /// Unix seconds.
    pub created_at: i64,
    /// Where a physical item ships to (JSON of `ShipTo`).
    pub ship_to_json: Option<&'a str>,
    /// The lottery draw that won it (a prize: no points, no cancelling).
    pub draw_id: Option<i64>,
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
    /// Where it ships to (JSON of `ShipTo`).
    pub ship_to_json: Option<String>,
    /// Carrier, once shipped.
    pub carrier: Option<String>,
    /// Tracking number, once shipped.
    pub tracking_no: Option<String>,
    /// Why the shop cancelled it.
    pub cancel_reason: Option<String>,
}

/// An order in the operator's queue: the row and its member.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueueRow {
    /// The order.
    #[sqlx(flatten)]
    pub order: OrderRow,
    /// Who redeemed it.
    pub member_id: i64,
    /// Member name in Chinese.
    pub member_zh: String,
    /// Member name in English.
    pub member_en: String,
}

/// What the operator's queue asks for.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// Only this status.
    pub status: Option<OrderStatus>,
    /// An id to match an order id or a member id exactly (-1: none).
    pub id: i64,
    /// Text to find in the member's or item's name or the tracking number (LIKE pattern).
    pub text: Option<String>,
    /// Orders older than this id.
    pub before: i64,
    /// At most this many.
    pub limit: i64,
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

const COLUMNS: &str = "o.id, o.item_id, i.name_zh, i.name_en, i.image, o.quantity, o.points, o.cash_fen, o.status, o.code, \
     o.balance_after, o.created_at, o.ship_to_json, o.carrier, o.tracking_no, o.cancel_reason";

const ORDER_COLUMNS: &str = "SELECT o.id, o.item_id, i.name_zh, i.name_en, i.image, o.quantity, o.points, o.cash_fen, o.status, o.code, \
     o.balance_after, o.created_at, o.ship_to_json, o.carrier, o.tracking_no, o.cancel_reason FROM orders o JOIN items i ON i.id = o.item_id";

/// Inserts an order; returns its id.
pub async fn insert(tx: &mut Tx, o: &NewOrder<'_>) -> Result<i64, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO orders (member_id, item_id, quantity, points, cash_fen, status, history_id, balance_after, created_at, \
         ship_to_json, draw_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(o.member_id)
    .bind(o.item_id)
    .bind(o.quantity)
    .bind(o.points)
    .bind(o.cash_fen)
    .bind(o.status)
    .bind(o.history_id)
    .bind(o.balance_after)
    .bind(o.created_at)
    .bind(o.ship_to_json)
    .bind(o.draw_id)
    .fetch_one(c)
    .await)
}

/// Sets the code an order shows (a voucher's first wallet code).
pub async fn set_code(tx: &mut Tx, id: i64, code: &str) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("UPDATE orders SET code = $1 WHERE id = $2").bind(code).bind(id).execute(c).await.map(|_| ()))
}

/// Whether an order is a lottery prize.
pub async fn is_prize(conn: &mut impl Access, id: i64) -> Result<bool, sqlx::Error> {
    let draw: Option<Option<i64>> =
        on!(conn, |c| sqlx::query_scalar("SELECT draw_id FROM orders WHERE id = $1").bind(id).fetch_optional(c).await)?;
    Ok(matches!(draw, Some(Some(_))))
}

/// Cancels the member's order if it is still pending (conditional).
pub async fn cancel_pending(tx: &mut Tx, id: i64, member_id: i64, now: i64) -> Result<Option<Cancelled>, sqlx::Error> {
    on!(tx, |c| sqlx::query_as(
        "UPDATE orders SET status = 'cancelled', updated_at = $1 WHERE id = $2 AND member_id = $3 AND status = 'pending' \
         AND draw_id IS NULL RETURNING item_id, quantity, history_id",
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

/// The operator's queue: orders matching the filter, newest first.
pub async fn queue(conn: &mut impl Access, f: &QueueFilter) -> Result<Vec<QueueRow>, sqlx::Error> {
    on!(conn, |c| {
        let mut sql = sqlx::QueryBuilder::new(format!(
            "SELECT {COLUMNS}, o.member_id, m.name_zh AS member_zh, m.name_en AS member_en \
             FROM orders o JOIN items i ON i.id = o.item_id JOIN members m ON m.id = o.member_id WHERE o.id < "
        ));
        sql.push_bind(f.before);
        if let Some(status) = f.status {
            sql.push(" AND o.status = ").push_bind(status);
        }
        if f.id >= 0 || f.text.is_some() {
            sql.push(" AND (o.id = ").push_bind(f.id).push(" OR o.member_id = ").push_bind(f.id);
            if let Some(text) = &f.text {
                for column in ["LOWER(m.name_zh)", "LOWER(m.name_en)", "LOWER(i.name_zh)", "LOWER(i.name_en)", "LOWER(o.tracking_no)"] {
                    sql.push(format!(" OR {column} LIKE ")).push_bind(text.clone()).push(" ESCAPE '\\'");
                }
            }
            sql.push(")");
        }
        sql.push(" ORDER BY o.id DESC LIMIT ").push_bind(f.limit);
        sql.build_query_as().fetch_all(c).await
    })
}

/// One order in the queue's form.
pub async fn queue_one(conn: &mut impl Access, id: i64) -> Result<Option<QueueRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!(
        "SELECT {COLUMNS}, o.member_id, m.name_zh AS member_zh, m.name_en AS member_en \
         FROM orders o JOIN items i ON i.id = o.item_id JOIN members m ON m.id = o.member_id WHERE o.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await)
}

/// Ships a pending order with its carrier and tracking number (conditional); false if
/// it was not pending.
pub async fn ship(tx: &mut Tx, id: i64, carrier: &str, tracking_no: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "UPDATE orders SET status = 'shipped', carrier = $1, tracking_no = $2, updated_at = $3 WHERE id = $4 AND status = 'pending'"
    )
    .bind(carrier)
    .bind(tracking_no)
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Cancels a pending or shipped order for the shop with a reason (conditional); what to
/// put back, or `None` if it was in another state.
pub async fn cancel_by_shop(tx: &mut Tx, id: i64, reason: &str, now: i64) -> Result<Option<(i64, Cancelled)>, sqlx::Error> {
    let row: Option<(i64, i64, i64, i64)> = on!(tx, |c| {
        sqlx::query_as(
        "UPDATE orders SET status = 'cancelled', cancel_reason = $1, updated_at = $2 WHERE id = $3 AND status IN ('pending', 'shipped') \
         AND draw_id IS NULL RETURNING member_id, item_id, quantity, history_id",
    )
    .bind(reason)
    .bind(now)
    .bind(id)
    .fetch_optional(c)
    .await
    })?;
    Ok(row.map(|(member_id, item_id, quantity, history_id)| (member_id, Cancelled { item_id, quantity, history_id })))
}
