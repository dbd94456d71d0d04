//! Orders: redemptions of catalogue items.

use mall_core::dto::OrderStatus;

use super::{on, Access, Exec, Tx};
use sqlx::Row;

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
    /// An order with a cash part: when it lapses unless paid (Unix seconds).
    pub pay_by: Option<i64>,
    /// An order with a cash part: the id of its host payment.
    pub payment_id: Option<&'a str>,
    /// The price campaign that discounted it.
    pub campaign_id: Option<i64>,
    /// The points that campaign took off (all units).
    pub campaign_discount: i64,
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
    /// An order with a cash part: when it lapses unless paid (Unix seconds).
    pub pay_by: Option<i64>,
    /// An order with a cash part: the id of its host payment.
    pub payment_id: Option<String>,
    /// The cash the host confirmed, in fen.
    pub paid_fen: Option<i64>,
    /// When the host confirmed it (Unix seconds).
    pub paid_at: Option<i64>,
    /// Cash owed back to the member after a cancel of the paid order, in fen.
    pub cash_refund_due_fen: Option<i64>,
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
    /// Now (Unix seconds): an unpaid order whose time ran out counts as `lapsed`.
    pub now: i64,
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
     o.balance_after, o.created_at, o.ship_to_json, o.carrier, o.tracking_no, o.cancel_reason, o.pay_by, o.payment_id, \
     p.paid_fen, p.paid_at, o.cash_refund_due_fen";

/// The tables `COLUMNS` reads.
const FROM: &str = "orders o JOIN items i ON i.id = o.item_id LEFT JOIN order_payments p ON p.order_id = o.id";

/// The columns of an order's insert; `$1`…`$15` are `NewOrder`'s fields in order.
macro_rules! order_columns {
    () => {
        "member_id, item_id, quantity, points, cash_fen, status, history_id, balance_after, created_at, \
         ship_to_json, draw_id, pay_by, payment_id, campaign_id, campaign_discount"
    };
}

/// `NewOrder`'s fields as the values of an `order_columns!` insert.
macro_rules! order_values {
    () => {
        "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15"
    };
}

/// Binds `NewOrder`'s fields to an `order_columns!` statement.
macro_rules! bind_order {
    ($query:expr, $o:expr) => {
        $query
            .bind($o.member_id)
            .bind($o.item_id)
            .bind($o.quantity)
            .bind($o.points)
            .bind($o.cash_fen)
            .bind($o.status)
            .bind($o.history_id)
            .bind($o.balance_after)
            .bind($o.created_at)
            .bind($o.ship_to_json)
            .bind($o.draw_id)
            .bind($o.pay_by)
            .bind($o.payment_id)
            .bind($o.campaign_id)
            .bind($o.campaign_discount)
    };
}

/// Inserts an order; returns its id.
pub async fn insert(tx: &mut Tx, o: &NewOrder<'_>) -> Result<i64, sqlx::Error> {
    let sql = concat!("INSERT INTO orders (", order_columns!(), ") VALUES (", order_values!(), ") RETURNING id");
    on!(tx, |c| bind_order!(sqlx::query_scalar(sql), o).fetch_one(c).await)
}

/// A voucher's first code, issued with its order by [`insert_bought`].
#[derive(Debug, Clone, Copy)]
pub struct FirstCode<'a> {
    /// The code drawn (canonical).
    pub code: &'a str,
    /// The merchant that may verify it (none: the shop's own).
    pub merchant_id: Option<i64>,
    /// Valid until (exclusive); it is valid from the order's time.
    pub valid_until: i64,
}

/// Inserts a bought order and names it on the history entry of its debit (`history_id`'s
/// `ref_id`); with `first`, also issues that code for the order (`codes`, as
/// `codes::insert` does), written on the order as the code it shows, so no row is
/// updated after. Returns the order's id and whether the code was issued (not when it
/// exists already, a collision: the order shows none yet, and `codes::insert` issues
/// another). One round trip: PostgreSQL one statement (the order's id drawn from its
/// sequence first, so the code names it), SQLite one batch (the only writer: a code not
/// there yet cannot collide).
pub async fn insert_bought(tx: &mut Tx, o: &NewOrder<'_>, first: Option<FirstCode<'_>>) -> Result<(i64, bool), sqlx::Error> {
    // `$16`…`$18`: the code, its merchant and its end; the rest are the order's.
    fn code(order: &str) -> [&str; 10] {
        ["$16", "$1", "CAST(NULL AS BIGINT)", "$2", order, "CAST(NULL AS BIGINT)", "$17", "$9", "$18", "$7"]
    }
    // The debit's history entry names the order (`o`; on SQLite the last row inserted,
    // which an update leaves as it is).
    const NAMED_PG: &str = "h AS (UPDATE history SET ref_id = CAST(o.id AS TEXT) FROM o WHERE history.id = $7)";
    const NAMED_SQLITE: &str = "UPDATE history SET ref_id = CAST(last_insert_rowid() AS TEXT) WHERE id = $7";
    let sql = match (tx.exec(), first.is_some()) {
        (Exec::Postgres(_), true) => format!(
            "WITH n AS (SELECT nextval('orders_id_seq') AS id), c AS ({}), \
             o AS (INSERT INTO orders (id, {}, code) SELECT n.id, {}, (SELECT code FROM c) FROM n RETURNING id, code), \
             {NAMED_PG} SELECT id, code IS NOT NULL FROM o",
            super::codes::insert_sql(code("n.id"), "FROM n WHERE true"),
            order_columns!(),
            order_values!()
        ),
        (Exec::Postgres(_), false) => format!(
            "WITH o AS (INSERT INTO orders ({}) VALUES ({}) RETURNING id), {NAMED_PG} SELECT id, FALSE FROM o",
            order_columns!(),
            order_values!()
        ),
        // `last_insert_rowid()`: the order.
        (Exec::Sqlite(_), true) => format!(
            "INSERT INTO orders ({}, code) VALUES ({}, CASE WHEN EXISTS (SELECT 1 FROM codes WHERE code = $16) THEN NULL ELSE $16 END) \
             RETURNING id, code IS NOT NULL; {NAMED_SQLITE}; {}",
            order_columns!(),
            order_values!(),
            super::codes::insert_sql(code("o.id"), "FROM orders o WHERE o.id = last_insert_rowid() AND o.code = $16")
        ),
        (Exec::Sqlite(_), false) => {
            format!("INSERT INTO orders ({}) VALUES ({}) RETURNING id, FALSE; {NAMED_SQLITE}", order_columns!(), order_values!())
        }
    };
    // Every row fetched (a batch's later statements run only as its rows are read); the
    // first is the order's.
    on!(tx, |c| {
        let query = bind_order!(sqlx::query(&sql), o);
        let query = match first {
            Some(f) => query.bind(f.code).bind(f.merchant_id).bind(f.valid_until),
            None => query,
        };
        query.fetch_all(c).await.and_then(|rows| match rows.first() {
            Some(row) => Ok((row.try_get::<i64, _>(0)?, row.try_get::<bool, _>(1)?)),
            None => Err(sqlx::Error::RowNotFound),
        })
    })
}

/// Whether an order is a lottery prize.
pub async fn is_prize(conn: &mut impl Access, id: i64) -> Result<bool, sqlx::Error> {
    let draw: Option<Option<i64>> =
        on!(conn, |c| sqlx::query_scalar("SELECT draw_id FROM orders WHERE id = $1").bind(id).fetch_optional(c).await)?;
    Ok(matches!(draw, Some(Some(_))))
}

/// The condition (on `orders`, unqualified) of an order awaiting payment that has not
/// lapsed at `{now}` (a placeholder).
fn awaiting_at(now: &str) -> String {
    format!("(status = 'awaiting_payment' AND pay_by > {now})")
}

/// What a cancel of a paid order owes back in cash: its payment (NULL when not paid).
const REFUND_DUE: &str = "cash_refund_due_fen = (SELECT p.paid_fen FROM order_payments p WHERE p.order_id = orders.id)";

/// Cancels the member's order if it is still pending or awaiting payment (not lapsed)
/// (conditional); a paid one owes its cash back.
pub async fn cancel_pending(tx: &mut Tx, id: i64, member_id: i64, now: i64) -> Result<Option<Cancelled>, sqlx::Error> {
    on!(tx, |c| sqlx::query_as(&format!(
        "UPDATE orders SET status = 'cancelled', updated_at = $1, {REFUND_DUE} WHERE id = $2 AND member_id = $3 \
         AND (status = 'pending' OR {}) AND draw_id IS NULL RETURNING item_id, quantity, history_id",
        awaiting_at("$1")
    ))
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
    on!(conn, |c| sqlx::query_as(&format!("SELECT {COLUMNS} FROM {FROM} WHERE o.id = $1 AND o.member_id = $2"))
        .bind(id)
        .bind(member_id)
        .fetch_one(c)
        .await)
}

/// One of the member's orders, if it is one.
pub async fn find(conn: &mut impl Access, member_id: i64, id: i64) -> Result<Option<OrderRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("SELECT {COLUMNS} FROM {FROM} WHERE o.id = $1 AND o.member_id = $2"))
        .bind(id)
        .bind(member_id)
        .fetch_optional(c)
        .await)
}

/// The member's orders older than `before`, newest first, at most `limit`.
pub async fn page(conn: &mut impl Access, member_id: i64, before: i64, limit: i64) -> Result<Vec<OrderRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("SELECT {COLUMNS} FROM {FROM} WHERE o.member_id = $1 AND o.id < $2 ORDER BY o.id DESC LIMIT $3"))
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
             FROM {FROM} JOIN members m ON m.id = o.member_id WHERE o.id < "
        ));
        sql.push_bind(f.before);
        match f.status {
            None => {}
            // An unpaid order whose time ran out reads `lapsed` before a write records it.
            Some(OrderStatus::AwaitingPayment) => {
                sql.push(" AND o.status = 'awaiting_payment' AND o.pay_by > ").push_bind(f.now);
            }
            Some(OrderStatus::Lapsed) => {
                sql.push(" AND (o.status = 'lapsed' OR (o.status = 'awaiting_payment' AND o.pay_by <= ").push_bind(f.now).push("))");
            }
            Some(status) => {
                sql.push(" AND o.status = ").push_bind(status);
            }
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
         FROM {FROM} JOIN members m ON m.id = o.member_id WHERE o.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await)
}

/// Ships a pending order that has an address with its carrier and tracking number
/// (conditional); false if it was not pending or has no address.
pub async fn ship(tx: &mut Tx, id: i64, carrier: &str, tracking_no: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| {
        sqlx::query(
        "UPDATE orders SET status = 'shipped', carrier = $1, tracking_no = $2, updated_at = $3 WHERE id = $4 AND status = 'pending' AND ship_to_json IS NOT NULL"
    )
    .bind(carrier)
    .bind(tracking_no)
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

/// Cancels a pending, shipped or awaiting (not lapsed) order for the shop with a reason
/// (conditional), a paid one owing its cash back; what to put back, or `None` if it was in
/// another state.
pub async fn cancel_by_shop(tx: &mut Tx, id: i64, reason: &str, now: i64) -> Result<Option<(i64, Cancelled)>, sqlx::Error> {
    let row: Option<(i64, i64, i64, i64)> = on!(tx, |c| {
        sqlx::query_as(&format!(
            "UPDATE orders SET status = 'cancelled', cancel_reason = $1, updated_at = $2, {REFUND_DUE} WHERE id = $3 \
             AND (status IN ('pending', 'shipped') OR {}) AND draw_id IS NULL RETURNING member_id, item_id, quantity, history_id",
            awaiting_at("$2")
        ))
        .bind(reason)
        .bind(now)
        .bind(id)
        .fetch_optional(c)
        .await
    })?;
    Ok(row.map(|(member_id, item_id, quantity, history_id)| (member_id, Cancelled { item_id, quantity, history_id })))
}

/// Cancels a pending lottery prize order that has no address to ship to (won before a
/// draw with item prizes needed an address; such a prize took no catalogue stock, so
/// nothing goes back): the member id, `None` when the order is not one.
pub async fn cancel_unshippable_prize(tx: &mut Tx, id: i64, reason: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "UPDATE orders SET status = 'cancelled', cancel_reason = $1, updated_at = $2 WHERE id = $3 \
         AND status = 'pending' AND draw_id IS NOT NULL AND ship_to_json IS NULL RETURNING member_id"
    )
    .bind(reason)
    .bind(now)
    .bind(id)
    .fetch_optional(c)
    .await)
}

/// An awaiting order whose time to pay ran out, not yet recorded as lapsed.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Lapsing {
    /// Order id.
    pub id: i64,
    /// The member.
    pub member_id: i64,
}

/// The member's awaiting orders that lapsed by `now` and are not recorded yet.
pub async fn lapsing(tx: &mut Tx, member_id: i64, now: i64) -> Result<Vec<Lapsing>, sqlx::Error> {
    on!(tx, |c| sqlx::query_as(
        "SELECT id, member_id FROM orders WHERE member_id = $1 AND status = 'awaiting_payment' AND pay_by <= $2 ORDER BY id"
    )
    .bind(member_id)
    .bind(now)
    .fetch_all(c)
    .await)
}

/// Every member's awaiting orders of item `item_id` that lapsed by `now` (their units come
/// back before a redeem of the item takes stock).
pub async fn lapsing_of_item(tx: &mut Tx, item_id: i64, now: i64) -> Result<Vec<Lapsing>, sqlx::Error> {
    on!(tx, |c| sqlx::query_as(
        "SELECT id, member_id FROM orders WHERE item_id = $1 AND status = 'awaiting_payment' AND pay_by <= $2 ORDER BY member_id, id"
    )
    .bind(item_id)
    .bind(now)
    .fetch_all(c)
    .await)
}

/// Members with awaiting orders that lapsed by `now` and are not recorded (the sweep's list).
pub async fn members_with_lapsed(conn: &mut impl Access, now: i64) -> Result<Vec<i64>, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT DISTINCT member_id FROM orders WHERE status = 'awaiting_payment' AND pay_by <= $1")
        .bind(now)
        .fetch_all(c)
        .await)
}

/// Records an awaiting order as lapsed if it is still awaiting and its time ran out by
/// `now` (conditional); what to put back, or `None`.
pub async fn lapse(tx: &mut Tx, id: i64, now: i64) -> Result<Option<Cancelled>, sqlx::Error> {
    on!(tx, |c| sqlx::query_as(
        "UPDATE orders SET status = 'lapsed', updated_at = $1 WHERE id = $2 AND status = 'awaiting_payment' AND pay_by <= $1 \
         RETURNING item_id, quantity, history_id"
    )
    .bind(now)
    .bind(id)
    .fetch_optional(c)
    .await)
}

/// Units of awaiting orders that lapsed by `now` and are not recorded yet, per item (reads
/// count them back in stock).
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct LapsedUnits {
    /// The item.
    pub item_id: i64,
    /// Units coming back.
    pub units: i64,
}

/// Units coming back from lapsed awaiting orders at `now`, per item (of `member_id` only,
/// when given).
pub async fn lapsed_units(conn: &mut impl Access, now: i64, member_id: Option<i64>) -> Result<Vec<LapsedUnits>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(
        "SELECT item_id, CAST(SUM(quantity) AS BIGINT) AS units FROM orders \
         WHERE status = 'awaiting_payment' AND pay_by <= $1 AND ($2 IS NULL OR member_id = $2) GROUP BY item_id"
    )
    .bind(now)
    .bind(member_id)
    .fetch_all(c)
    .await)
}

/// An order as the payment hook finds it by its payment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaymentTarget {
    /// Order id.
    pub id: i64,
    /// The member.
    pub member_id: i64,
    /// The redeem's debit (a voucher's codes name it).
    pub history_id: i64,
}

/// The order `id` whose payment is `payment_id`.
pub async fn by_payment(conn: &mut impl Access, id: i64, payment_id: &str) -> Result<Option<PaymentTarget>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as("SELECT id, member_id, history_id FROM orders WHERE id = $1 AND payment_id = $2")
        .bind(id)
        .bind(payment_id)
        .fetch_optional(c)
        .await)
}

/// Records the host's payment of order `id` (once: the order is the key, and the payment
/// id is unique); false when the order already has a payment.
pub async fn record_payment(tx: &mut Tx, id: i64, payment_id: &str, paid_fen: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| {
        sqlx::query(
        "INSERT INTO order_payments (order_id, payment_id, paid_fen, paid_at) VALUES ($1, $2, $3, $4) ON CONFLICT (order_id) DO NOTHING"
    )
    .bind(id)
    .bind(payment_id)
    .bind(paid_fen)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

/// Moves a paid awaiting order on (`pending` to ship, `fulfilled` with its codes) if it
/// is still awaiting and not lapsed at `now` (conditional).
pub async fn paid(tx: &mut Tx, id: i64, to: OrderStatus, now: i64) -> Result<bool, sqlx::Error> {
    let done =
        on!(tx, |c| sqlx::query(&format!("UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3 AND {}", awaiting_at("$2")))
            .bind(to)
            .bind(now)
            .bind(id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// An order by id, whoever's (the payment hook's answer).
pub async fn any(conn: &mut impl Access, id: i64) -> Result<Option<OrderRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("SELECT {COLUMNS} FROM {FROM} WHERE o.id = $1")).bind(id).fetch_optional(c).await)
}

/// Adds one unit's cash to what a paid order owes back (a voided code of a voucher bought
/// with a cash part); nothing for an order without a payment.
pub async fn add_unit_refund_due(tx: &mut Tx, id: i64) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query(
        "UPDATE orders SET cash_refund_due_fen = COALESCE(cash_refund_due_fen, 0) \
         + (SELECT p.paid_fen FROM order_payments p WHERE p.order_id = orders.id) / quantity \
         WHERE id = $1 AND EXISTS (SELECT 1 FROM order_payments p WHERE p.order_id = orders.id)"
    )
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Cash the host collected in `[from, to)`, in fen.
pub async fn cash_collected(conn: &mut impl Access, from: i64, to: i64) -> Result<i64, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(paid_fen), 0) AS BIGINT) FROM order_payments WHERE paid_at >= $1 AND paid_at < $2"
    )
    .bind(from)
    .bind(to)
    .fetch_one(c)
    .await)
}

/// Cash owed back to members for paid orders the shop cancelled, in fen.
pub async fn cash_refund_due(conn: &mut impl Access) -> Result<i64, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT CAST(COALESCE(SUM(cash_refund_due_fen), 0) AS BIGINT) FROM orders").fetch_one(c).await)
}
