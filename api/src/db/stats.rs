//! The statistics' reads: points per entry kind and sign over a time range, outstanding
//! points at an instant, activity counts, top items, codes per merchant. Each takes a
//! half-open range of Unix seconds `[from, to)`.

use mall_core::dto::EntryKind;

use super::{on, Access};

/// Points of one entry kind and sign over a range.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct KindSum {
    /// The kind.
    pub kind: EntryKind,
    /// Signed sum of the amounts.
    pub points: i64,
}

/// Recorded history per kind and sign in `[from, to)`.
pub async fn kind_sums(conn: &mut impl Access, from: i64, to: i64) -> Result<Vec<KindSum>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(
        "SELECT kind, CAST(SUM(amount) AS BIGINT) AS points FROM history WHERE created_at >= $1 AND created_at < $2 \
         GROUP BY kind, CASE WHEN amount >= 0 THEN 1 ELSE 0 END"
    )
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await)
}

/// Points in lots that fell due in `[from, to)` (and by `now`) but whose expiry is not
/// recorded yet: what reads already show as expired.
pub async fn pending_expiry(conn: &mut impl Access, from: i64, to: i64, now: i64) -> Result<i64, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM point_lots \
         WHERE remaining > 0 AND expires_at >= $1 AND expires_at < $2 AND expires_at <= $3"
    )
    .bind(from)
    .bind(to)
    .bind(now)
    .fetch_one(c)
    .await)
}

/// What every member's next write (or the sweep) will record at `now` and reads already
/// show (`ledger::catch_up`), summed over members.
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct CatchUp {
    /// Points of lapsed holds coming back.
    pub released: i64,
    /// Of those, points whose lots have expired (they expire again at once).
    pub released_expired: i64,
    /// Points of lapsed unpaid orders coming back (`refund`).
    pub returned: i64,
    /// Of those, points whose lots have expired (they expire again at once).
    pub returned_expired: i64,
    /// Matured purchase points settling.
    pub settled: i64,
    /// Of those, points whose lot has expired already (they expire at once).
    pub settled_expired: i64,
    /// Of those, points paying members' shortfalls.
    pub shortfall_paid: i64,
}

/// The catch-up every member has pending at `now`, in one statement.
pub async fn catch_up(conn: &mut impl Access, now: i64) -> Result<CatchUp, sqlx::Error> {
    use super::lots::{lapsed_holds, lapsed_orders, unsettled, Unsettled};
    let sql = format!(
        "SELECT COALESCE(CAST(SUM(back + lapsed) AS BIGINT), 0) AS released, COALESCE(CAST(SUM(lapsed) AS BIGINT), 0) AS released_expired, \
         COALESCE(CAST(SUM(unpaid_back + unpaid_lapsed) AS BIGINT), 0) AS returned, \
         COALESCE(CAST(SUM(unpaid_lapsed) AS BIGINT), 0) AS returned_expired, \
         COALESCE(CAST(SUM(mat + mat_expired) AS BIGINT), 0) AS settled, COALESCE(CAST(SUM(mat_expired) AS BIGINT), 0) AS settled_expired, \
         COALESCE(CAST(SUM(CASE WHEN mat < shortfall THEN mat ELSE shortfall END) AS BIGINT), 0) AS shortfall_paid \
         FROM (SELECT m.shortfall, {} AS back, {} AS lapsed, {} AS unpaid_back, {} AS unpaid_lapsed, {} AS mat, {} AS mat_expired \
         FROM members m) per_member",
        lapsed_holds("m", ">", "$1"),
        lapsed_holds("m", "<=", "$1"),
        lapsed_orders("m", ">", "$1"),
        lapsed_orders("m", "<=", "$1"),
        unsettled("m", Unsettled::Matured, "$1"),
        unsettled("m", Unsettled::MaturedExpired, "$1"),
    );
    on!(conn, |c| sqlx::query_as(&sql).bind(now).fetch_one(c).await)
}

/// Points of deductions captured in `[from, to)` (they move from held to spent).
pub async fn captured(conn: &mut impl Access, from: i64, to: i64) -> Result<i64, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM deductions WHERE status = 'captured' AND closed_at >= $1 AND closed_at < $2"
    )
    .bind(from)
    .bind(to)
    .fetch_one(c)
    .await)
}

/// The sum of all history recorded before `t`.
pub async fn history_before(conn: &mut impl Access, t: i64) -> Result<i64, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM history WHERE created_at < $1")
        .bind(t)
        .fetch_one(c)
        .await)
}

/// How many members there are.
pub async fn member_count(conn: &mut impl Access) -> Result<i64, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT COUNT(*) FROM members").fetch_one(c).await)
}

/// Activity in `[from, to)`.
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct Activity {
    /// Members with a history entry.
    pub active_members: i64,
    /// Check-ins.
    pub checkins: i64,
    /// Members who checked in.
    pub checked_in_members: i64,
    /// Orders placed.
    pub redemptions: i64,
    /// Codes issued.
    pub codes_issued: i64,
    /// Codes verified.
    pub codes_verified: i64,
}

/// Activity counts in `[from, to)`, in one statement.
pub async fn activity(conn: &mut impl Access, from: i64, to: i64) -> Result<Activity, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(
        "SELECT \
         (SELECT COUNT(DISTINCT member_id) FROM history WHERE created_at >= $1 AND created_at < $2) AS active_members, \
         (SELECT COUNT(*) FROM checkins WHERE created_at >= $1 AND created_at < $2) AS checkins, \
         (SELECT COUNT(DISTINCT member_id) FROM checkins WHERE created_at >= $1 AND created_at < $2) AS checked_in_members, \
         (SELECT COUNT(*) FROM orders WHERE created_at >= $1 AND created_at < $2) AS redemptions, \
         (SELECT COUNT(*) FROM codes WHERE created_at >= $1 AND created_at < $2) AS codes_issued, \
         (SELECT COUNT(*) FROM codes WHERE used_at >= $1 AND used_at < $2) AS codes_verified"
    )
    .bind(from)
    .bind(to)
    .fetch_one(c)
    .await)
}

/// An item's redemptions in a range.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemCount {
    /// Item id.
    pub item_id: i64,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Units (orders not cancelled or lapsed).
    pub units: i64,
    /// Points paid.
    pub points: i64,
}

/// The most redeemed items in `[from, to)`, at most `limit`.
pub async fn top_items(conn: &mut impl Access, from: i64, to: i64, limit: i64) -> Result<Vec<ItemCount>, sqlx::Error> {
    on!(conn, |c| {
        sqlx::query_as(
        "SELECT o.item_id, i.name_zh, i.name_en, CAST(SUM(o.quantity) AS BIGINT) AS units, CAST(SUM(o.points) AS BIGINT) AS points \
         FROM orders o JOIN items i ON i.id = o.item_id WHERE o.created_at >= $1 AND o.created_at < $2 AND o.status NOT IN ('cancelled', 'lapsed') \
         GROUP BY o.item_id, i.name_zh, i.name_en ORDER BY units DESC, o.item_id LIMIT $3"
    )
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(c)
    .await
    })
}

/// A merchant's codes in a range.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MerchantCount {
    /// Merchant id.
    pub id: i64,
    /// Name in Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Codes issued.
    pub issued: i64,
    /// Codes verified.
    pub verified: i64,
    /// The settlement values of the codes verified, fen.
    pub settled: i64,
}

/// Codes issued and verified in `[from, to)`, per merchant that honours them (its sales'
/// and its vouchers').
pub async fn codes_by_merchant(conn: &mut impl Access, from: i64, to: i64) -> Result<Vec<MerchantCount>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(
        "SELECT m.id, m.name_zh, m.name_en, \
         CAST(COALESCE(SUM(CASE WHEN c.created_at >= $1 AND c.created_at < $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS issued, \
         CAST(COALESCE(SUM(CASE WHEN c.used_at >= $1 AND c.used_at < $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS verified, \
         CAST(COALESCE(SUM(CASE WHEN c.used_at >= $1 AND c.used_at < $2 THEN c.settle_fen ELSE 0 END), 0) AS BIGINT) AS settled \
         FROM merchants m LEFT JOIN codes c ON c.merchant_id = m.id \
         GROUP BY m.id, m.name_zh, m.name_en ORDER BY m.id"
    )
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await)
}
