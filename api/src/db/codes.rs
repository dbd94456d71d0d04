//! Wallet codes, issued by flash sales and by vouchers (a catalogue order or a lottery
//! prize), and their one-time verification by the merchant that honours them.

use super::{on, Access, Tx};

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
}

const CODE_COLUMNS: &str = "SELECT c.code, c.status, COALESCE(s.offer_zh, i.name_zh) AS offer_zh, \
     COALESCE(s.offer_en, i.name_en) AS offer_en, COALESCE(s.merchant_zh, m.name_zh, '') AS merchant_zh, \
     COALESCE(s.merchant_en, m.name_en, '') AS merchant_en, c.sale_id, c.valid_from, c.valid_until, c.used_at, c.used_by, \
     c.merchant_id FROM codes c LEFT JOIN sales s ON s.id = c.sale_id LEFT JOIN items i ON i.id = c.item_id \
     LEFT JOIN merchants m ON m.id = c.merchant_id";

/// Inserts an issued code; false if the code already exists (a collision: draw again).
pub async fn insert(tx: &mut Tx, code: &NewCode<'_>) -> Result<bool, sqlx::Error> {
    let (sale_id, item_id, order_id, draw_id) = match code.source {
        Source::Sale(id) => (Some(id), None, None, None),
        Source::Order { item_id, order_id } => (None, Some(item_id), Some(order_id), None),
        Source::Draw { item_id, draw_id } => (None, Some(item_id), None, Some(draw_id)),
    };
    let done = on!(tx, |c| sqlx::query(
        "INSERT INTO codes (code, member_id, sale_id, item_id, order_id, draw_id, merchant_id, status, valid_from, valid_until, \
         history_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'issued', $8, $9, $10, $8) ON CONFLICT (code) DO NOTHING",
    )
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
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
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

/// Marks an issued code valid at `now` used by `merchant` (conditional: once); when
/// `merchant_id` is given, only a code that merchant honours. Returns the code's
/// member when it was marked.
pub async fn mark_used(tx: &mut Tx, code: &str, merchant: &str, merchant_id: i64, now: i64) -> Result<Option<i64>, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "UPDATE codes SET status = 'used', used_at = $1, used_by = $2 WHERE code = $3 AND status = 'issued' \
         AND valid_from <= $1 AND valid_until > $1 AND merchant_id = $4 \
         RETURNING member_id",
    )
    .bind(now)
    .bind(merchant)
    .bind(code)
    .bind(merchant_id)
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

/// When each code merchant `merchant_id` honours that was used in `[from, to)` was used.
pub async fn used_times(conn: &mut impl Access, merchant_id: i64, from: i64, to: i64) -> Result<Vec<i64>, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar(
        "SELECT c.used_at FROM codes c \
         WHERE c.merchant_id = $1 AND c.status = 'used' AND c.used_at >= $2 AND c.used_at < $3 ORDER BY c.used_at"
    )
    .bind(merchant_id)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await)
}
