//! Members' delivery addresses (a deleted one is kept: orders copied it).

use mall_core::dto::ShipTo;

use super::{on, Access, Tx};

/// An address as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AddressRow {
    /// Id.
    pub id: i64,
    /// Recipient.
    pub name: String,
    /// Phone.
    pub phone: String,
    /// Province, city, district.
    pub region: String,
    /// Street and number.
    pub detail: String,
    /// The default one (1) or not (0).
    pub is_default: i64,
}

const COLUMNS: &str = "SELECT id, name, phone, region, detail, is_default FROM addresses";

/// The member's addresses, the default first.
pub async fn of_member(conn: &mut impl Access, member_id: i64) -> Result<Vec<AddressRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{COLUMNS} WHERE member_id = $1 AND deleted_at IS NULL ORDER BY is_default DESC, id"))
        .bind(member_id)
        .fetch_all(c)
        .await)
}

/// One of the member's addresses (not deleted).
pub async fn one(conn: &mut impl Access, member_id: i64, id: i64) -> Result<Option<AddressRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{COLUMNS} WHERE id = $1 AND member_id = $2 AND deleted_at IS NULL"))
        .bind(id)
        .bind(member_id)
        .fetch_optional(c)
        .await)
}

/// Adds an address; returns its id.
pub async fn insert(tx: &mut Tx, member_id: i64, to: &ShipTo, now: i64) -> Result<i64, sqlx::Error> {
    on!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO addresses (member_id, name, phone, region, detail, is_default, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id"
    )
    .bind(member_id)
    .bind(to.name.trim())
    .bind(to.phone.trim())
    .bind(to.region.trim())
    .bind(to.detail.trim())
    .bind(now)
    .fetch_one(c)
    .await
    })
}

/// Rewrites one of the member's addresses; false if it is not one.
pub async fn update(tx: &mut Tx, member_id: i64, id: i64, to: &ShipTo) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "UPDATE addresses SET name = $1, phone = $2, region = $3, detail = $4 WHERE id = $5 AND member_id = $6 AND deleted_at IS NULL"
    )
    .bind(to.name.trim())
    .bind(to.phone.trim())
    .bind(to.region.trim())
    .bind(to.detail.trim())
    .bind(id)
    .bind(member_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Makes `id` the member's only default address.
pub async fn set_default(tx: &mut Tx, member_id: i64, id: i64) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("UPDATE addresses SET is_default = CASE WHEN id = $1 THEN 1 ELSE 0 END WHERE member_id = $2")
        .bind(id)
        .bind(member_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Deletes one of the member's addresses (kept for orders); false if it is not one.
pub async fn delete(tx: &mut Tx, member_id: i64, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "UPDATE addresses SET deleted_at = $1, is_default = 0 WHERE id = $2 AND member_id = $3 AND deleted_at IS NULL"
    )
    .bind(now)
    .bind(id)
    .bind(member_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}
