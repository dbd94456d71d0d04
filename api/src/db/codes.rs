//! Wallet codes, issued by flash sales and by vouchers (a catalogue order or a lottery
//! prize), and their one-time verification by the merchant that honours them.

use super::{on, Access, Exec, Tx};

/// A code to insert.
#[derive(Debug, Clone)]
pub struct NewCode<'a> {
    /// Canonical code (12 characters).
    pub code: &'a str,
    /// Holder.
    pub member_id: i64,
    /// Where it came from: a sale or a voucher item.
    pub source: Source,
    /// The merchant that may verify it (none: the shop's own).
    pub merchant_id: Option<i64>,
    /// Valid from (Unix seconds).
    pub valid_from: i64,
    /// Valid until (exclusive).
    pub valid_until: i64,
    /// The debit's history entry.
    pub history_id: i64,
}

/// What issued a code.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// A flash sale.
    Sale(i64),
    /// A voucher item, redeemed by an order.
    Order {
        /// The voucher.
        item_id: i64,
        /// The order.
        order_id: i64,
    },
    /// A voucher item won in a lottery draw.
    Draw {
        /// The voucher.
        item_id: i64,
        /// The draw.
        draw_id: i64,
    },
}

/// A code as the wallet and the merchant check read it, with its sale's names.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CodeRow {
    /// Canonical code.
    pub code: String,
    /// `issued`, `used` or `void` as stored.
    pub status: mall_core::sales::CodeStatus,
    /// Offer name in Chinese.
    pub offer_zh: String,
    /// Offer name in English.
    pub offer_en: String,
    /// Merchant name in Chinese.
    pub merchant_zh: String,
    /// Merchant name in English.
    pub merchant_en: String,
    /// The sale, for a flash sale's code.
    pub sale_id: Option<i64>,
    /// Valid from.
    pub valid_from: i64,
    /// Valid until (exclusive).
    pub valid_until: i64,
    /// When a merchant used it.
    pub used_at: Option<i64>,
    /// Which merchant.
    pub used_by: Option<String>,
    /// The merchant that may verify it.
    pub merchant_id: Option<i64>,
    /// Why the mall voided it.
    pub void_reason: Option<String>,
}

const CODE_COLUMNS: &str = "SELECT c.code, c.status, COALESCE(s.offer_zh, i.name_zh) AS offer_zh, \
     COALESCE(s.offer_en, i.name_en) AS offer_en, COALESCE(s.merchant_zh, m.name_zh, '') AS merchant_zh, \
     COALESCE(s.merchant_en, m.name_en, '') AS merchant_en, c.sale_id, c.valid_from, c.valid_until, c.used_at, c.used_by, \
     c.merchant_id, c.void_reason FROM codes c LEFT JOIN sales s ON s.id = c.sale_id LEFT JOIN items i ON i.id = c.item_id \
     LEFT JOIN merchants m ON m.id = c.merchant_id";

/// A code as an operator looks it up: the wallet's columns, its holder, what issued it,
/// what it cost and what a void gave back.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffCodeRow {
    /// The wallet's columns.
    #[sqlx(flatten)]
    pub code: CodeRow,
    /// Holder.
    pub member_id: i64,
    /// The voucher, for a voucher's code.
    pub item_id: Option<i64>,
    /// The order that bought it (a voucher redeemed).
    pub order_id: Option<i64>,
    /// The debit's history entry (a lottery prize's: the draw's cost).
    pub history_id: i64,
    /// When it was issued.
    pub created_at: i64,
    /// Points the member paid for this code: a sale's price, an order's price of one unit,
    /// 0 for a lottery prize.
    pub points_paid: i64,
    /// Points its void gave back.
    pub refunded_points: i64,
}

/// Inserts an issued code; false if the code already exists (a collision: draw again).
/// Its settlement value is fixed here, from its merchant's terms now: a code of a sale
/// approved from the merchant's own free offer settles at `offer_settlement_fen`, any
/// other partner code at `settlement_fen`, a code the shop honours itself at 0. A
/// voucher's first code is also the code its order shows (`orders.code`), set in the same
/// round trip: PostgreSQL one statement, SQLite one batch.
pub async fn insert(tx: &mut Tx, code: &NewCode<'_>) -> Result<bool, sqlx::Error> {
    let (sale_id, item_id, order_id, draw_id) = match code.source {
        Source::Sale(id) => (Some(id), None, None, None),
        Source::Order { item_id, order_id } => (None, Some(item_id), Some(order_id), None),
        Source::Draw { item_id, draw_id } => (None, Some(item_id), None, Some(draw_id)),
    };
    const SHOWN: &str = "UPDATE orders SET code = $1 WHERE id = $5 AND code IS NULL";
    let insert = insert_sql(["$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9", "$10"], "WHERE true");
    let sql = match tx.exec() {
        Exec::Postgres(_) => format!("WITH c AS ({insert}), o AS ({SHOWN} AND EXISTS (SELECT 1 FROM c)) SELECT code FROM c"),
        // `changes()`: the rows the insert wrote (its rows are all read, so it completed).
        Exec::Sqlite(_) => format!("{insert}; {SHOWN} AND changes() = 1"),
    };
    // Every row fetched: a batch's later statements run only as its rows are read.
    let inserted: Vec<String> = on!(tx, |c| sqlx::query_scalar(&sql)
        .bind(code.code)
        .bind(code.member_id)
        .bind(sale_id)
        .bind(item_id)
        .bind(order_id)
        .bind(draw_id)
        .bind(code.merchant_id)
        .bind(code.valid_from)
        .bind(code.valid_until)
        .bind(code.history_id)
        .fetch_all(c)
        .await)?;
    Ok(!inserted.is_empty())
}

/// The text of an issued code's insert, `ON CONFLICT (code) DO NOTHING RETURNING code`:
/// its values are the SQL expressions `[code, member, sale, item, order, draw, merchant,
/// valid from, valid until, history entry]` (issued at its valid-from time), selected
/// `source` (a `FROM` and a `WHERE`, which SQLite needs before `ON CONFLICT`); its
/// settlement value as [`insert`] says.
pub(super) fn insert_sql(values: [&str; 10], source: &str) -> String {
    let [code, member, sale, item, order, draw, merchant, from, until, history] = values;
    format!(
        "INSERT INTO codes (code, member_id, sale_id, item_id, order_id, draw_id, merchant_id, status, valid_from, \
         valid_until, history_id, created_at, settle_fen) SELECT {code}, {member}, {sale}, {item}, {order}, {draw}, {merchant}, \
         'issued', {from}, {until}, {history}, {from}, \
         COALESCE((SELECT CASE WHEN EXISTS (SELECT 1 FROM merchant_offers mo WHERE mo.sale_id = {sale} AND mo.merchant_id = m.id) \
                  THEN m.offer_settlement_fen ELSE m.settlement_fen END FROM merchants m WHERE m.id = {merchant}), 0) \
         {source} ON CONFLICT (code) DO NOTHING RETURNING code"
    )
}

/// The member's codes, newest first (at most `limit`).
pub async fn of_member(conn: &mut impl Access, member_id: i64, limit: i64) -> Result<Vec<CodeRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{CODE_COLUMNS} WHERE c.member_id = $1 ORDER BY c.created_at DESC LIMIT $2"))
        .bind(member_id)
        .bind(limit)
        .fetch_all(c)
        .await)
}

/// One code.
pub async fn one(conn: &mut impl Access, code: &str) -> Result<Option<CodeRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{CODE_COLUMNS} WHERE c.code = $1")).bind(code).fetch_optional(c).await)
}

/// One code as an operator looks it up.
pub async fn staff_one(conn: &mut impl Access, code: &str) -> Result<Option<StaffCodeRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{STAFF_CODE} WHERE c.code = $1")).bind(code).fetch_optional(c).await)
}

/// `CODE_COLUMNS` and `StaffCodeRow`'s own.
const STAFF_CODE: &str = "SELECT c.code, c.status, COALESCE(s.offer_zh, i.name_zh) AS offer_zh, \
     COALESCE(s.offer_en, i.name_en) AS offer_en, COALESCE(s.merchant_zh, m.name_zh, '') AS merchant_zh, \
     COALESCE(s.merchant_en, m.name_en, '') AS merchant_en, c.sale_id, c.valid_from, c.valid_until, c.used_at, c.used_by, \
     c.merchant_id, c.void_reason, c.member_id, c.item_id, c.order_id, c.history_id, c.created_at, \
     CAST(CASE WHEN c.sale_id IS NOT NULL THEN -(SELECT h.amount FROM history h WHERE h.id = c.history_id) \
          WHEN c.order_id IS NOT NULL THEN (SELECT o.points / o.quantity FROM orders o WHERE o.id = c.order_id) \
          ELSE 0 END AS BIGINT) AS points_paid, c.refunded_points \
     FROM codes c LEFT JOIN sales s ON s.id = c.sale_id LEFT JOIN items i ON i.id = c.item_id \
     LEFT JOIN merchants m ON m.id = c.merchant_id";

/// Voids an issued code (used or voided ones stay as they are: conditional, so two voids
/// give back once), with the reason; true when it was voided now.
pub async fn void(tx: &mut Tx, code: &str, reason: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "UPDATE codes SET status = 'void', void_reason = $1, voided_at = $2 WHERE code = $3 AND status = 'issued'"
    )
    .bind(reason)
    .bind(now)
    .bind(code)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Points the voids of the other codes of debit `history_id` gave back (an order's codes
/// share one debit).
pub async fn refunded_of_debit(tx: &mut Tx, history_id: i64, except: &str) -> Result<i64, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(refunded_points), 0) AS BIGINT) FROM codes WHERE history_id = $1 AND code <> $2"
    )
    .bind(history_id)
    .bind(except)
    .fetch_one(c)
    .await)
}

/// Records what a code's void gave back.
pub async fn set_refunded(tx: &mut Tx, code: &str, points: i64) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("UPDATE codes SET refunded_points = $1 WHERE code = $2")
        .bind(points)
        .bind(code)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Marks an issued code valid at `now` used by `merchant` (conditional: once), only a
/// code that `merchant_id` honours (`None`: a code the shop honours itself, verified by an
/// operator). Returns the code's member when it was marked.
pub async fn mark_used(tx: &mut Tx, code: &str, merchant: &str, merchant_id: Option<i64>, now: i64) -> Result<Option<i64>, sqlx::Error> {
    // Merchant ids start at 1: 0 stands for the shop.
    on!(tx, |c| sqlx::query_scalar(
        "UPDATE codes SET status = 'used', used_at = $1, used_by = $2 WHERE code = $3 AND status = 'issued' \
         AND valid_from <= $1 AND valid_until > $1 AND COALESCE(merchant_id, 0) = $4 \
         RETURNING member_id",
    )
    .bind(now)
    .bind(merchant)
    .bind(code)
    .bind(merchant_id.unwrap_or(0))
    .fetch_optional(c)
    .await)
}

/// The newest codes (at most `limit`) merchant `merchant_id` honours, of `status` as it
/// is at `now` (an issued code past its validity is `expired`), or all.
pub async fn of_merchant(
    conn: &mut impl Access,
    merchant_id: i64,
    status: Option<mall_core::sales::CodeStatus>,
    now: i64,
    limit: i64,
) -> Result<Vec<CodeRow>, sqlx::Error> {
    use mall_core::sales::CodeStatus;
    let filter = match status {
        None => "",
        Some(CodeStatus::Issued) => " AND c.status = 'issued' AND c.valid_until > $2",
        Some(CodeStatus::Expired) => " AND c.status = 'issued' AND c.valid_until <= $2",
        Some(CodeStatus::Used) => " AND c.status = 'used'",
        Some(CodeStatus::Void) => " AND c.status = 'void'",
    };
    let sql = format!("{CODE_COLUMNS} WHERE c.merchant_id = $1 AND $2 = $2{filter} ORDER BY c.created_at DESC, c.code LIMIT $3");
    on!(conn, |c| sqlx::query_as(&sql).bind(merchant_id).bind(now).bind(limit).fetch_all(c).await)
}

/// A verified code's time and settlement value.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct UsedCode {
    /// When it was used.
    pub used_at: i64,
    /// What the mall pays for it, fen.
    pub settle_fen: i64,
}

/// The codes merchant `merchant_id` honours that were used in `[from, to)`: when, and
/// their settlement values.
pub async fn used_in(conn: &mut impl Access, merchant_id: i64, from: i64, to: i64) -> Result<Vec<UsedCode>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(
        "SELECT c.used_at, c.settle_fen FROM codes c \
         WHERE c.merchant_id = $1 AND c.status = 'used' AND c.used_at >= $2 AND c.used_at < $3 ORDER BY c.used_at"
    )
    .bind(merchant_id)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await)
}
