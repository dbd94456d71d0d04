//! Redemption codes issued by flash sales, and their one-time verification.

use super::{on, Access, Tx};

/// A code to insert.
#[derive(Debug, Clone)]
pub struct NewCode<'a> {
    /// Canonical code (12 characters).
    pub code: &'a str,
    /// Holder.
    pub member_id: i64,
    /// The sale it came from.
    pub sale_id: i64,
    /// Valid from (Unix seconds).
    pub valid_from: i64,
    /// Valid until (exclusive).
    pub valid_until: i64,
    /// The debit's history entry.
    pub history_id: i64,
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
    /// The sale.
    pub sale_id: i64,
    /// Valid from.
    pub valid_from: i64,
    /// Valid until (exclusive).
    pub valid_until: i64,
    /// When a merchant used it.
    pub used_at: Option<i64>,
    /// Which merchant.
    pub used_by: Option<String>,
    /// The merchant of its sale.
    pub merchant_id: Option<i64>,
}

const CODE_COLUMNS: &str = "SELECT c.code, c.status, s.offer_zh, s.offer_en, s.merchant_zh, s.merchant_en, c.sale_id, \
     c.valid_from, c.valid_until, c.used_at, c.used_by, s.merchant_id FROM codes c JOIN sales s ON s.id = c.sale_id";

/// Inserts an issued code; false if the code already exists (a collision: draw again).
pub async fn insert(tx: &mut Tx, code: &NewCode<'_>) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "INSERT INTO codes (code, member_id, sale_id, status, valid_from, valid_until, history_id, created_at) \
         VALUES ($1, $2, $3, 'issued', $4, $5, $6, $4) ON CONFLICT (code) DO NOTHING",
    )
    .bind(code.code)
    .bind(code.member_id)
    .bind(code.sale_id)
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
/// `merchant_id` is given, only a code of that merchant's sales. Returns the code's
/// member when it was marked.
pub async fn mark_used(tx: &mut Tx, code: &str, merchant: &str, merchant_id: Option<i64>, now: i64) -> Result<Option<i64>, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "UPDATE codes SET status = 'used', used_at = $1, used_by = $2 WHERE code = $3 AND status = 'issued' \
         AND valid_from <= $1 AND valid_until > $1 AND ($4 IS NULL OR sale_id IN (SELECT id FROM sales WHERE merchant_id = $4)) \
         RETURNING member_id",
    )
    .bind(now)
    .bind(merchant)
    .bind(code)
    .bind(merchant_id)
    .fetch_optional(c)
    .await)
}

/// The newest codes (at most `limit`) of merchant `merchant_id`'s sales, of `status` as it
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
    let sql = format!("{CODE_COLUMNS} WHERE s.merchant_id = $1 AND $2 = $2{filter} ORDER BY c.created_at DESC, c.code LIMIT $3");
    on!(conn, |c| sqlx::query_as(&sql).bind(merchant_id).bind(now).bind(limit).fetch_all(c).await)
}

/// When each code of merchant `merchant_id`'s sales that was used in `[from, to)` was used.
pub async fn used_times(conn: &mut impl Access, merchant_id: i64, from: i64, to: i64) -> Result<Vec<i64>, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar(
        "SELECT c.used_at FROM codes c JOIN sales s ON s.id = c.sale_id \
         WHERE s.merchant_id = $1 AND c.status = 'used' AND c.used_at >= $2 AND c.used_at < $3 ORDER BY c.used_at"
    )
    .bind(merchant_id)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await)
}
