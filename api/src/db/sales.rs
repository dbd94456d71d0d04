//! Flash sales: the sales, grabs per member and reminders.

use mall_core::sales::NewSale;

use super::{merchants::MerchantRow, on, on_pool, violates, Access, Pool, Tx};

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
    /// The partner merchant.
    pub merchant_id: Option<i64>,
    /// When an operator cancelled it.
    pub cancelled_at: Option<i64>,
    /// When an operator deactivated its merchant (read only: joined from the merchant).
    pub merchant_deactivated_at: Option<i64>,
}

/// A sale as the operator's list shows it: the row, its offer key and codes verified.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffSaleRow {
    /// The sale.
    #[sqlx(flatten)]
    pub sale: SaleRow,
    /// Identifies the offer.
    pub offer_key: String,
    /// Codes of it a merchant verified.
    pub verified: i64,
}

/// How many codes of a sale the member grabbed.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct GrabCount {
    /// Sale id.
    pub sale_id: i64,
    /// Codes grabbed.
    pub grabbed: i64,
}

const COLUMNS: &str = "id, offer_zh, offer_en, merchant_zh, merchant_en, image, points, quantity, remaining, \
     per_member_limit, starts_at, ends_at, code_valid_days, merchant_id, cancelled_at, \
     (SELECT m.deactivated_at FROM merchants m WHERE m.id = sales.merchant_id) AS merchant_deactivated_at";

const SALE_COLUMNS: &str = "SELECT id, offer_zh, offer_en, merchant_zh, merchant_en, image, points, quantity, remaining, \
     per_member_limit, starts_at, ends_at, code_valid_days, merchant_id, cancelled_at, \
     (SELECT m.deactivated_at FROM merchants m WHERE m.id = sales.merchant_id) AS merchant_deactivated_at FROM sales";

/// Sales members can see overlapping `[from, to)` (not cancelled, of an active merchant),
/// by start.
pub async fn between(conn: &mut impl Access, from: i64, to: i64) -> Result<Vec<SaleRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!(
        "{SALE_COLUMNS} WHERE ends_at > $1 AND starts_at < $2 AND cancelled_at IS NULL \
         AND (merchant_id IS NULL OR merchant_id NOT IN (SELECT m.id FROM merchants m WHERE m.deactivated_at IS NOT NULL)) \
         ORDER BY starts_at, id"
    ))
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

/// Sales starting in `[from, to)`, cancelled ones too, with codes verified: the operator's list.
pub async fn starting_between(conn: &mut impl Access, from: i64, to: i64) -> Result<Vec<StaffSaleRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!(
        "SELECT {COLUMNS}, offer_key, (SELECT COUNT(*) FROM codes c WHERE c.sale_id = sales.id AND c.status = 'used') AS verified \
         FROM sales WHERE starts_at >= $1 AND starts_at < $2 ORDER BY starts_at, id"
    ))
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await)
}

/// One sale as the operator's list shows it.
pub async fn staff_one(conn: &mut impl Access, id: i64) -> Result<Option<StaffSaleRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!(
        "SELECT {COLUMNS}, offer_key, (SELECT COUNT(*) FROM codes c WHERE c.sale_id = sales.id AND c.status = 'used') AS verified \
         FROM sales WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await)
}

/// The editable terms of a sale.
#[derive(Debug, Clone)]
pub struct Terms<'a> {
    /// Offer name in Chinese.
    pub offer_zh: &'a str,
    /// Offer name in English.
    pub offer_en: &'a str,
    /// Points price.
    pub points: i64,
    /// Codes in all.
    pub quantity: i64,
    /// Codes per member.
    pub per_member_limit: i64,
    /// Window start.
    pub starts_at: i64,
    /// Window end.
    pub ends_at: i64,
}

/// Changes a sale that has not started at `now`, is not cancelled and has no code grabbed
/// (early access can open it before its start); false otherwise. `None` when the new
/// window overlaps another slot of the offer (see `insert`).
pub async fn edit(tx: &mut Tx, id: i64, t: &Terms<'_>, now: i64) -> Result<Option<bool>, sqlx::Error> {
    let changed = on!(tx, |c| sqlx::query(
        "UPDATE sales SET offer_zh = $1, offer_en = $2, points = $3, quantity = $4, remaining = $4, per_member_limit = $5, \
         starts_at = $6, ends_at = $7 WHERE id = $8 AND starts_at > $9 AND cancelled_at IS NULL AND remaining = quantity",
    )
    .bind(t.offer_zh)
    .bind(t.offer_en)
    .bind(t.points)
    .bind(t.quantity)
    .bind(t.per_member_limit)
    .bind(t.starts_at)
    .bind(t.ends_at)
    .bind(id)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()));
    match changed {
        Ok(n) => Ok(Some(n == 1)),
        Err(e) if is_overlap(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Cancels a sale that has not ended at `now` (once); false otherwise.
pub async fn cancel(tx: &mut Tx, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query("UPDATE sales SET cancelled_at = $1 WHERE id = $2 AND cancelled_at IS NULL AND ends_at > $1")
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Takes one code of the sale if any is left, the sale has not ended and is not
/// cancelled (conditional).
pub async fn take_unit(tx: &mut Tx, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "UPDATE sales SET remaining = remaining - 1 WHERE id = $1 AND remaining > 0 AND ends_at > $2 AND cancelled_at IS NULL"
    )
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

/// Sales of the offer, other than `except`, overlapping `[starts_at, ends_at)`.
pub async fn overlapping(tx: &mut Tx, offer_key: &str, starts_at: i64, ends_at: i64, except: i64) -> Result<i64, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM sales WHERE offer_key = $1 AND starts_at < $2 AND ends_at > $3 AND id <> $4")
        .bind(offer_key)
        .bind(ends_at)
        .bind(starts_at)
        .bind(except)
        .fetch_one(c)
        .await)
}

/// Inserts a sale (validated by the caller); returns its id, or `None` when the database
/// refuses it as overlapping another slot of the offer: PostgreSQL's exclusion constraint
/// `sales_no_overlap` (which also stops two replicas scheduling at once) or the unique
/// start `sales_offer_start`. A refusal aborts a PostgreSQL transaction: roll it back.
pub async fn insert(tx: &mut Tx, s: &NewSale, merchant: &MerchantRow, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let inserted = on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO sales (offer_key, offer_zh, offer_en, merchant_zh, merchant_en, image, points, quantity, remaining, \
         per_member_limit, starts_at, ends_at, code_valid_days, created_at, merchant_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(&s.terms.offer_key)
    .bind(&s.terms.offer.zh)
    .bind(&s.terms.offer.en)
    .bind(&merchant.name_zh)
    .bind(&merchant.name_en)
    .bind(&s.terms.image)
    .bind(s.terms.points)
    .bind(s.terms.quantity)
    .bind(s.terms.per_member_limit.unwrap_or(1))
    .bind(s.starts_at)
    .bind(s.ends_at)
    .bind(s.terms.code_valid_days.unwrap_or(30))
    .bind(now)
    .bind(merchant.id)
    .fetch_one(c)
    .await);
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(e) if is_overlap(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether the database refused a window as overlapping another slot of its offer.
fn is_overlap(e: &sqlx::Error) -> bool {
    violates(e, "sales_no_overlap") || matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
