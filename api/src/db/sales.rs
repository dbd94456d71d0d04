//! Flash sales: the sales, grabs per member and reminders.

use mall_core::sales::NewSale;

use super::{on, on_pool, violates, Access, Pool, Tx};

/// A sale.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SaleRow {
    /// Sale id.
    pub id: i64,
    /// Offer name in Chinese.
    pub offer_zh: String,
    /// Offer name in English.
    pub offer_en: String,
    /// Merchant name in Chinese.
    pub merchant_zh: String,
    /// Merchant name in English.
    pub merchant_en: String,
    /// Image path.
    pub image: String,
    /// Points price.
    pub points: i64,
    /// Codes in the sale.
    pub quantity: i64,
    /// Codes left.
    pub remaining: i64,
    /// Codes one member may grab.
    pub per_member_limit: i64,
    /// Unix seconds.
    pub starts_at: i64,
    /// Unix seconds (exclusive).
    pub ends_at: i64,
    /// Days a code stays valid after the sale ends.
    pub code_valid_days: i64,
}

/// How many codes of a sale the member grabbed.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct GrabCount {
    /// Sale id.
    pub sale_id: i64,
    /// Codes grabbed.
    pub grabbed: i64,
}

const SALE_COLUMNS: &str = "SELECT id, offer_zh, offer_en, merchant_zh, merchant_en, image, points, quantity, remaining, \
     per_member_limit, starts_at, ends_at, code_valid_days FROM sales";

/// Sales overlapping `[from, to)`, by start.
pub async fn between(conn: &mut impl Access, from: i64, to: i64) -> Result<Vec<SaleRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{SALE_COLUMNS} WHERE ends_at > $1 AND starts_at < $2 ORDER BY starts_at, id"))
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await)
}

/// One sale.
pub async fn one(conn: &mut impl Access, id: i64) -> Result<Option<SaleRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{SALE_COLUMNS} WHERE id = $1")).bind(id).fetch_optional(c).await)
}

/// Whether a sale exists.
pub async fn exists(conn: &mut impl Access, id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = on!(conn, |c| sqlx::query_scalar("SELECT id FROM sales WHERE id = $1").bind(id).fetch_optional(c).await)?;
    Ok(found.is_some())
}

/// Takes one code of the sale if any is left and the sale has not ended (conditional).
pub async fn take_unit(tx: &mut Tx, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query("UPDATE sales SET remaining = remaining - 1 WHERE id = $1 AND remaining > 0 AND ends_at > $2")
        .bind(id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Counts one more grab for the member unless that passes `limit` (conditional upsert).
pub async fn count_grab(tx: &mut Tx, sale_id: i64, member_id: i64, limit: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "INSERT INTO sale_grabs (sale_id, member_id, grabbed) VALUES ($1, $2, 1) \
         ON CONFLICT (sale_id, member_id) DO UPDATE SET grabbed = sale_grabs.grabbed + 1 \
         WHERE sale_grabs.grabbed + 1 <= $3",
    )
    .bind(sale_id)
    .bind(member_id)
    .bind(limit)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// The member's grabs, per sale.
pub async fn grabs_of(conn: &mut impl Access, member_id: i64) -> Result<Vec<GrabCount>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as("SELECT sale_id, grabbed FROM sale_grabs WHERE member_id = $1").bind(member_id).fetch_all(c).await)
}

/// The sales the member asked to be reminded of.
pub async fn reminders_of(conn: &mut impl Access, member_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT sale_id FROM sale_reminders WHERE member_id = $1").bind(member_id).fetch_all(c).await)
}

/// Turns a reminder on (idempotent) or off.
pub async fn set_reminder(writer: &Pool, sale_id: i64, member_id: i64, on: bool) -> Result<(), sqlx::Error> {
    let sql = if on {
        "INSERT INTO sale_reminders (sale_id, member_id) VALUES ($1, $2) ON CONFLICT (sale_id, member_id) DO NOTHING"
    } else {
        "DELETE FROM sale_reminders WHERE sale_id = $1 AND member_id = $2"
    };
    on_pool!(writer, |p| sqlx::query(sql).bind(sale_id).bind(member_id).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Sales of the offer overlapping `[starts_at, ends_at)`.
pub async fn overlapping(tx: &mut Tx, offer_key: &str, starts_at: i64, ends_at: i64) -> Result<i64, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM sales WHERE offer_key = $1 AND starts_at < $2 AND ends_at > $3")
        .bind(offer_key)
        .bind(ends_at)
        .bind(starts_at)
        .fetch_one(c)
        .await)
}

/// Inserts a sale (validated by the caller); returns its id, or `None` when the database
/// refuses it as overlapping another slot of the offer: PostgreSQL's exclusion constraint
/// `sales_no_overlap` (which also stops two replicas scheduling at once) or the unique
/// start `sales_offer_start`. A refusal aborts a PostgreSQL transaction: roll it back.
pub async fn insert(tx: &mut Tx, s: &NewSale, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let inserted = on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO sales (offer_key, offer_zh, offer_en, merchant_zh, merchant_en, image, points, quantity, remaining, \
         per_member_limit, starts_at, ends_at, code_valid_days, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(&s.terms.offer_key)
    .bind(&s.terms.offer.zh)
    .bind(&s.terms.offer.en)
    .bind(&s.terms.merchant.zh)
    .bind(&s.terms.merchant.en)
    .bind(&s.terms.image)
    .bind(s.terms.points)
    .bind(s.terms.quantity)
    .bind(s.terms.per_member_limit.unwrap_or(1))
    .bind(s.starts_at)
    .bind(s.ends_at)
    .bind(s.terms.code_valid_days.unwrap_or(30))
    .bind(now)
    .fetch_one(c)
    .await);
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(e) if violates(&e, "sales_no_overlap") || matches!(&e, sqlx::Error::Database(d) if d.is_unique_violation()) => Ok(None),
        Err(e) => Err(e),
    }
}
