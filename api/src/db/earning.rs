//! Earning from outside the mall: reported purchases (each once) and invites.

use super::{on, on_pool, Pool, Tx};

/// A purchase reported by the host shop.
#[derive(Debug, Clone)]
pub struct NewPurchase<'a> {
    /// The host shop's id of the purchase.
    pub purchase_id: &'a str,
    /// Who bought.
    pub member_id: i64,
    /// Paid, in fen.
    pub paid_fen: i64,
    /// Points credited.
    pub points: i64,
    /// Unix seconds.
    pub created_at: i64,
}

/// Records a purchase; false if it was already reported (its primary key).
pub async fn insert_purchase(tx: &mut Tx, p: &NewPurchase<'_>) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "INSERT INTO purchases (purchase_id, member_id, paid_fen, points, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (purchase_id) DO NOTHING",
    )
    .bind(p.purchase_id)
    .bind(p.member_id)
    .bind(p.paid_fen)
    .bind(p.points)
    .bind(p.created_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// How many purchases the member has reported.
pub async fn purchase_count(tx: &mut Tx, member_id: i64) -> Result<i64, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM purchases WHERE member_id = $1").bind(member_id).fetch_one(c).await)
}

/// Marks the invitee's invite credited (once: conditional); returns the inviter.
pub async fn credit_invite(tx: &mut Tx, invitee_id: i64, now: i64) -> Result<Option<i64>, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(
        "UPDATE invites SET credited_at = $1 WHERE invitee_id = $2 AND credited_at IS NULL RETURNING inviter_id"
    )
    .bind(now)
    .bind(invitee_id)
    .fetch_optional(c)
    .await)
}

/// Records an accepted invite; false if the invitee already accepted one (its primary key).
pub async fn insert_invite(writer: &Pool, invitee_id: i64, inviter_id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = on_pool!(writer, |p| sqlx::query(
        "INSERT INTO invites (invitee_id, inviter_id, accepted_at) VALUES ($1, $2, $3) ON CONFLICT (invitee_id) DO NOTHING"
    )
    .bind(invitee_id)
    .bind(inviter_id)
    .bind(now)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}
