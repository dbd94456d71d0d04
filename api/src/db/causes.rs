//! Donation causes and the donations members made to them.

use super::{on, Access, Tx};

/// A cause as stored, with what one member gave it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CauseRow {
    /// Cause id.
    pub id: i64,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Description in Chinese.
    pub description_zh: String,
    /// Description in English.
    pub description_en: String,
    /// Image path.
    pub image: String,
    /// Points it aims for.
    pub target: i64,
    /// Points given.
    pub raised: i64,
    /// What the member asked about gave.
    pub given: i64,
    /// When it stopped taking donations.
    pub closed_at: Option<i64>,
}

/// The columns of `CauseRow` (of `causes c`), `given` for member `$1`.
const COLUMNS: &str = "SELECT c.id, c.name_zh, c.name_en, c.description_zh, c.description_en, c.image, c.target, c.raised, \
     COALESCE((SELECT CAST(SUM(d.points) AS BIGINT) FROM donations d WHERE d.cause_id = c.id AND d.member_id = $1), 0) AS given, \
     c.closed_at FROM causes c";

/// Every cause, open ones first, newest first, with what `member_id` gave each.
pub async fn list(conn: &mut impl Access, member_id: i64) -> Result<Vec<CauseRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{COLUMNS} ORDER BY (c.closed_at IS NULL) DESC, c.id DESC")).bind(member_id).fetch_all(c).await)
}

/// Cause `id`, with what `member_id` gave it.
pub async fn get(conn: &mut impl Access, member_id: i64, id: i64) -> Result<Option<CauseRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{COLUMNS} WHERE c.id = $2")).bind(member_id).bind(id).fetch_optional(c).await)
}

/// A new cause.
#[derive(Debug, Clone)]
pub struct NewCause<'a> {
    /// Name in Chinese.
    pub name_zh: &'a str,
    /// Name in English.
    pub name_en: &'a str,
    /// Description in Chinese.
    pub description_zh: &'a str,
    /// Description in English.
    pub description_en: &'a str,
    /// Image path.
    pub image: &'a str,
    /// Points it aims for.
    pub target: i64,
}

/// Inserts a cause; returns its id.
pub async fn insert(tx: &mut Tx, c: &NewCause<'_>, now: i64) -> Result<i64, sqlx::Error> {
    on!(tx, |conn| sqlx::query_scalar(
        "INSERT INTO causes (name_zh, name_en, description_zh, description_en, image, target, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(c.name_zh)
    .bind(c.name_en)
    .bind(c.description_zh)
    .bind(c.description_en)
    .bind(c.image)
    .bind(c.target)
    .bind(now)
    .fetch_one(conn)
    .await)
}

/// Closes an open cause; false if there is none open with this id.
pub async fn close(tx: &mut Tx, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query("UPDATE causes SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Adds `points` to an open cause's raised points (conditional: only while open); false
/// when it is closed (or unknown).
pub async fn add_raised(tx: &mut Tx, id: i64, points: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query("UPDATE causes SET raised = raised + $1 WHERE id = $2 AND closed_at IS NULL")
        .bind(points)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Records a donation.
pub async fn insert_donation(
    tx: &mut Tx,
    cause_id: i64,
    member_id: i64,
    points: i64,
    history_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("INSERT INTO donations (cause_id, member_id, points, history_id, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(cause_id)
        .bind(member_id)
        .bind(points)
        .bind(history_id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A cause as the operator's list shows it, with its donations.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffCauseRow {
    /// Cause id.
    pub id: i64,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Description in Chinese.
    pub description_zh: String,
    /// Description in English.
    pub description_en: String,
    /// Image path.
    pub image: String,
    /// Points it aims for.
    pub target: i64,
    /// Points given.
    pub raised: i64,
    /// Donations made.
    pub donations: i64,
    /// Members who gave.
    pub donors: i64,
    /// When it opened.
    pub created_at: i64,
    /// When it stopped taking donations.
    pub closed_at: Option<i64>,
}

/// Every cause, newest first, with its donations and donors.
pub async fn staff_all(conn: &mut impl Access) -> Result<Vec<StaffCauseRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(
        "SELECT c.id, c.name_zh, c.name_en, c.description_zh, c.description_en, c.image, c.target, c.raised, \
         (SELECT COUNT(*) FROM donations d WHERE d.cause_id = c.id) AS donations, \
         (SELECT COUNT(DISTINCT d.member_id) FROM donations d WHERE d.cause_id = c.id) AS donors, \
         c.created_at, c.closed_at FROM causes c ORDER BY c.id DESC"
    )
    .fetch_all(c)
    .await)
}
