//! Partner merchants' free offers: proposed by a merchant account, approved (into a flash
//! sale) or declined by an operator, once.

use mall_core::staff::OfferStatus;

use super::{on, Access, Tx};

/// An offer as stored, with its merchant's names and the proposer's username.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OfferRow {
    /// Offer id.
    pub id: i64,
    /// The merchant.
    pub merchant_id: i64,
    /// Its name in Chinese.
    pub merchant_zh: String,
    /// Its name in English.
    pub merchant_en: String,
    /// The username of the account that proposed it.
    pub proposed_by: String,
    /// What is given away, in Chinese.
    pub offer_zh: String,
    /// What is given away, in English.
    pub offer_en: String,
    /// Units.
    pub quantity: i64,
    /// Window start, Unix seconds.
    pub starts_at: i64,
    /// Window end (exclusive), Unix seconds.
    pub ends_at: i64,
    /// Where it stands.
    pub status: OfferStatus,
    /// The sale it was approved into.
    pub sale_id: Option<i64>,
    /// When it was proposed.
    pub created_at: i64,
    /// When it was approved or declined.
    pub decided_at: Option<i64>,
}

const COLUMNS: &str = "SELECT o.id, o.merchant_id, m.name_zh AS merchant_zh, m.name_en AS merchant_en, s.username AS proposed_by, \
     o.offer_zh, o.offer_en, o.quantity, o.starts_at, o.ends_at, o.status, o.sale_id, o.created_at, o.decided_at \
     FROM merchant_offers o JOIN merchants m ON m.id = o.merchant_id JOIN staff s ON s.id = o.proposed_by";

/// A new offer.
#[derive(Debug, Clone)]
pub struct NewOffer<'a> {
    /// The merchant.
    pub merchant_id: i64,
    /// The staff account that proposes it.
    pub proposed_by: i64,
    /// What is given away, in Chinese.
    pub offer_zh: &'a str,
    /// What is given away, in English.
    pub offer_en: &'a str,
    /// Units.
    pub quantity: i64,
    /// Window start, Unix seconds.
    pub starts_at: i64,
    /// Window end (exclusive), Unix seconds.
    pub ends_at: i64,
}

/// Inserts a proposed offer; returns its id.
pub async fn insert(tx: &mut Tx, o: &NewOffer<'_>, now: i64) -> Result<i64, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO merchant_offers (merchant_id, proposed_by, offer_zh, offer_en, quantity, starts_at, ends_at, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(o.merchant_id)
    .bind(o.proposed_by)
    .bind(o.offer_zh)
    .bind(o.offer_en)
    .bind(o.quantity)
    .bind(o.starts_at)
    .bind(o.ends_at)
    .bind(OfferStatus::Proposed)
    .bind(now)
    .fetch_one(c)
    .await)
}

/// One offer.
pub async fn one(conn: &mut impl Access, id: i64) -> Result<Option<OfferRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{COLUMNS} WHERE o.id = $1")).bind(id).fetch_optional(c).await)
}

/// The merchant's offers, newest first (at most `limit`).
pub async fn of_merchant(conn: &mut impl Access, merchant_id: i64, limit: i64) -> Result<Vec<OfferRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{COLUMNS} WHERE o.merchant_id = $1 ORDER BY o.id DESC LIMIT $2"))
        .bind(merchant_id)
        .bind(limit)
        .fetch_all(c)
        .await)
}

/// Every merchant's offers of `status` (or all), newest first (at most `limit`).
pub async fn listed(conn: &mut impl Access, status: Option<OfferStatus>, limit: i64) -> Result<Vec<OfferRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{COLUMNS} WHERE ($1 IS NULL OR o.status = $1) ORDER BY o.id DESC LIMIT $2"))
        .bind(status)
        .bind(limit)
        .fetch_all(c)
        .await)
}

/// Claims a proposed offer for a decision: a conditional update that changes nothing but
/// locks the row (PostgreSQL) until the transaction ends, so a second decision waits and
/// then finds it decided (SQLite's writers are serialized anyway). False when it is not
/// proposed (or unknown).
pub async fn claim(tx: &mut Tx, id: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query("UPDATE merchant_offers SET status = $1 WHERE id = $2 AND status = $1")
        .bind(OfferStatus::Proposed)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Marks a proposed offer approved into sale `sale_id`, or declined (`sale_id` `None`);
/// conditional on it still being proposed. False when it is not.
pub async fn decide(tx: &mut Tx, id: i64, sale_id: Option<i64>, now: i64) -> Result<bool, sqlx::Error> {
    let status = if sale_id.is_some() { OfferStatus::Approved } else { OfferStatus::Declined };
    let done =
        on!(tx, |c| sqlx::query("UPDATE merchant_offers SET status = $1, sale_id = $2, decided_at = $3 WHERE id = $4 AND status = $5",)
            .bind(status)
            .bind(sale_id)
            .bind(now)
            .bind(id)
            .bind(OfferStatus::Proposed)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}
