//! Partner merchants: the records sales belong to and merchant accounts are bound to.

use super::{on, Access, Tx};

/// A merchant as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MerchantRow {
    /// Id.
    pub id: i64,
    /// Short stable name.
    pub slug: String,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Logo path.
    pub logo: String,
    /// Address in Chinese.
    pub address_zh: String,
    /// Address in English.
    pub address_en: String,
    /// Settlement per verified code, fen.
    pub settlement_fen: i64,
    /// Settlement per verified code of its own free offers, fen.
    pub offer_settlement_fen: i64,
    /// When an operator deactivated it (none: active).
    pub deactivated_at: Option<i64>,
}

const COLUMNS: &str = "SELECT id, slug, name_zh, name_en, logo, address_zh, address_en, settlement_fen, offer_settlement_fen, \
     deactivated_at FROM merchants";

/// Every merchant, by id.
pub async fn all(conn: &mut impl Access) -> Result<Vec<MerchantRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{COLUMNS} ORDER BY id")).fetch_all(c).await)
}

/// One merchant.
pub async fn one(conn: &mut impl Access, id: i64) -> Result<Option<MerchantRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{COLUMNS} WHERE id = $1")).bind(id).fetch_optional(c).await)
}

/// One merchant by slug.
pub async fn by_slug(conn: &mut impl Access, slug: &str) -> Result<Option<MerchantRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{COLUMNS} WHERE slug = $1")).bind(slug).fetch_optional(c).await)
}

/// Inserts a merchant; its id, or `None` when the slug is taken.
pub async fn insert(tx: &mut Tx, m: &MerchantRow, now: i64) -> Result<Option<i64>, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO merchants (slug, name_zh, name_en, logo, address_zh, address_en, settlement_fen, offer_settlement_fen, \
         deactivated_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (slug) DO NOTHING RETURNING id",
    )
    .bind(&m.slug)
    .bind(&m.name_zh)
    .bind(&m.name_en)
    .bind(&m.logo)
    .bind(&m.address_zh)
    .bind(&m.address_en)
    .bind(m.settlement_fen)
    .bind(m.offer_settlement_fen)
    .bind(m.deactivated_at)
    .bind(now)
    .fetch_optional(c)
    .await)
}

/// Writes a merchant's changeable columns (everything but its id and slug).
pub async fn update(tx: &mut Tx, m: &MerchantRow) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query(
        "UPDATE merchants SET name_zh = $1, name_en = $2, logo = $3, address_zh = $4, address_en = $5, settlement_fen = $6, \
         offer_settlement_fen = $7, deactivated_at = $8 WHERE id = $9",
    )
    .bind(&m.name_zh)
    .bind(&m.name_en)
    .bind(&m.logo)
    .bind(&m.address_zh)
    .bind(&m.address_en)
    .bind(m.settlement_fen)
    .bind(m.offer_settlement_fen)
    .bind(m.deactivated_at)
    .bind(m.id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
