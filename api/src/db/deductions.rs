//! Deductions at the host's checkout: one row per host order, held → captured or
//! released, with what refunds gave back.

use mall_core::checkout::DeductionStatus;

use super::{on, Access, Tx};

/// A deduction as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeductionRow {
    /// The mall's id.
    pub id: i64,
    /// The host's order id.
    pub order_id: String,
    /// The member.
    pub member_id: i64,
    /// The order's amount, in fen.
    pub order_fen: i64,
    /// Points held.
    pub points: i64,
    /// Cash off, in fen.
    pub cash_off_fen: i64,
    /// Stored status (an expired hold is still `held` until recorded).
    pub status: DeductionStatus,
    /// The `deduction_hold` history entry (its lot debits say where the points came from).
    pub hold_entry: i64,
    /// When the hold ends (Unix seconds).
    pub expires_at: i64,
    /// Points refunded after capture.
    pub refunded: i64,
}

const COLUMNS: &str = "id, order_id, member_id, order_fen, points, cash_off_fen, status, hold_entry, expires_at, refunded";

/// A new hold.
#[derive(Debug, Clone)]
pub struct NewDeduction<'a> {
    /// The host's order id.
    pub order_id: &'a str,
    /// The member.
    pub member_id: i64,
    /// The order's amount, in fen.
    pub order_fen: i64,
    /// Points held.
    pub points: i64,
    /// Cash off, in fen.
    pub cash_off_fen: i64,
    /// The `deduction_hold` entry.
    pub hold_entry: i64,
    /// Unix seconds now.
    pub created_at: i64,
    /// When the hold ends.
    pub expires_at: i64,
}

/// Inserts a hold; `None` when the order already has a deduction (its unique key).
pub async fn insert(tx: &mut Tx, d: &NewDeduction<'_>) -> Result<Option<i64>, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "INSERT INTO deductions (order_id, member_id, order_fen, points, cash_off_fen, status, hold_entry, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, 'held', $6, $7, $8) ON CONFLICT (order_id) DO NOTHING RETURNING id",
    )
    .bind(d.order_id)
    .bind(d.member_id)
    .bind(d.order_fen)
    .bind(d.points)
    .bind(d.cash_off_fen)
    .bind(d.hold_entry)
    .bind(d.created_at)
    .bind(d.expires_at)
    .fetch_optional(c)
    .await)
}

/// The deduction `id`.
pub async fn get(conn: &mut impl Access, id: i64) -> Result<Option<DeductionRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("SELECT {COLUMNS} FROM deductions WHERE id = $1")).bind(id).fetch_optional(c).await)
}

/// Moves a `held` deduction to `to` (only while held; a capture only before it expires);
/// false when it was not held (or had expired, for a capture).
pub async fn close(tx: &mut Tx, id: i64, to: DeductionStatus, now: i64) -> Result<bool, sqlx::Error> {
    let sql = match to {
        DeductionStatus::Captured => {
            "UPDATE deductions SET status = $1, closed_at = $2 WHERE id = $3 AND status = 'held' AND expires_at > $2"
        }
        _ => "UPDATE deductions SET status = $1, closed_at = $2 WHERE id = $3 AND status = 'held'",
    };
    let done = on!(tx, |c| sqlx::query(sql).bind(to).bind(now).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Adds `points` to what was refunded of a captured deduction, only within what was
/// captured; false otherwise.
pub async fn add_refunded(tx: &mut Tx, id: i64, points: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "UPDATE deductions SET refunded = refunded + $1 WHERE id = $2 AND status = 'captured' AND refunded + $1 <= points"
    )
    .bind(points)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// The member's holds that ended by `now` without being captured or released.
pub async fn lapsed(tx: &mut Tx, member_id: i64, now: i64) -> Result<Vec<DeductionRow>, sqlx::Error> {
    on!(tx, |c| sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM deductions WHERE member_id = $1 AND status = 'held' AND expires_at <= $2 ORDER BY id"
    ))
    .bind(member_id)
    .bind(now)
    .fetch_all(c)
    .await)
}

/// Members with holds that ended by `now` and are not recorded yet (the sweep's list).
pub async fn members_with_lapsed(conn: &mut impl Access, now: i64) -> Result<Vec<i64>, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT DISTINCT member_id FROM deductions WHERE status = 'held' AND expires_at <= $1")
        .bind(now)
        .fetch_all(c)
        .await)
}

/// Points in open holds (not lapsed at `now`): the shop's `held_points`.
pub async fn held_points(conn: &mut impl Access, now: i64) -> Result<i64, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar(
        "SELECT COALESCE(CAST(SUM(points) AS BIGINT), 0) FROM deductions WHERE status = 'held' AND expires_at > $1"
    )
    .bind(now)
    .fetch_one(c)
    .await)
}
