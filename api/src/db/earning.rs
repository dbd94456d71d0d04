//! Earning from outside the mall: reported purchases (each once; pending until their
//! return window ends), their refunds (each once), and invites.

use super::{on, Access, Tx};

/// A purchase reported by the host shop.
#[derive(Debug, Clone)]
pub struct NewPurchase<'a> {
    /// The host shop's id of the purchase.
    pub purchase_id: &'a str,
    /// Who bought.
    pub member_id: i64,
    /// Paid, in fen.
    pub paid_fen: i64,
    /// Points it earns.
    pub points: i64,
    /// Growth it earns.
    pub growth: i64,
    /// Unix seconds.
    pub created_at: i64,
    /// When its points settle.
    pub settles_at: i64,
    /// When the lot its points go into expires.
    pub lot_expires_at: i64,
    /// The campaign whose bonus it carries.
    pub campaign_id: Option<i64>,
    /// That bonus (booked as a `campaign` entry when the purchase settles).
    pub campaign_points: i64,
}

/// Records a purchase (unsettled); false if it was already reported (its primary key).
pub async fn insert_purchase(tx: &mut Tx, p: &NewPurchase<'_>) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| {
        sqlx::query(
        "INSERT INTO purchases (purchase_id, member_id, paid_fen, points, growth, created_at, settles_at, lot_expires_at, campaign_id, \
         campaign_points) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (purchase_id) DO NOTHING",
    )
    .bind(p.purchase_id)
    .bind(p.member_id)
    .bind(p.paid_fen)
    .bind(p.points)
    .bind(p.growth)
    .bind(p.created_at)
    .bind(p.settles_at)
    .bind(p.lot_expires_at)
    .bind(p.campaign_id)
    .bind(p.campaign_points)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

/// A purchase as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PurchaseRow {
    /// The host's id.
    pub purchase_id: String,
    /// Who bought.
    pub member_id: i64,
    /// Paid, in fen.
    pub paid_fen: i64,
    /// Points it earns (before refunds).
    pub points: i64,
    /// Growth it earns (before refunds).
    pub growth: i64,
    /// When it was reported.
    pub created_at: i64,
    /// When its points settle.
    pub settles_at: i64,
    /// When they settled (`None`: pending).
    pub settled_at: Option<i64>,
    /// When its lot expires.
    pub lot_expires_at: Option<i64>,
    /// Refunded so far, in fen.
    pub refunded_fen: i64,
    /// Points refunds took back or cancelled so far (of `points`).
    pub taken_back: i64,
    /// The campaign whose bonus it carries.
    pub campaign_id: Option<i64>,
    /// That bonus (before refunds).
    pub campaign_points: i64,
    /// Of the bonus, points refunds took back or cancelled so far.
    pub campaign_taken_back: i64,
}

const PURCHASE: &str =
    "SELECT purchase_id, member_id, paid_fen, points, growth, created_at, settles_at, settled_at, lot_expires_at, refunded_fen, taken_back, \
     campaign_id, campaign_points, campaign_taken_back FROM purchases";

/// The purchase `purchase_id`.
pub async fn purchase(tx: &mut Tx, purchase_id: &str) -> Result<Option<PurchaseRow>, sqlx::Error> {
    on!(tx, |c| sqlx::query_as(&format!("{PURCHASE} WHERE purchase_id = $1")).bind(purchase_id).fetch_optional(c).await)
}

/// The member's purchases still pending at `now` (settling later), soonest first.
pub async fn pending(conn: &mut impl Access, member_id: i64, now: i64) -> Result<Vec<PurchaseRow>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!(
        "{PURCHASE} WHERE member_id = $1 AND settled_at IS NULL AND settles_at > $2 ORDER BY settles_at, purchase_id"
    ))
    .bind(member_id)
    .bind(now)
    .fetch_all(c)
    .await)
}

/// The member's purchases due to settle at `now` and not settled yet.
pub async fn matured(tx: &mut Tx, member_id: i64, now: i64) -> Result<Vec<PurchaseRow>, sqlx::Error> {
    on!(tx, |c| sqlx::query_as(&format!(
        "{PURCHASE} WHERE member_id = $1 AND settled_at IS NULL AND settles_at <= $2 ORDER BY settles_at, purchase_id"
    ))
    .bind(member_id)
    .bind(now)
    .fetch_all(c)
    .await)
}

/// Members with purchases due to settle at `now` (the sweep's list).
pub async fn members_with_matured(conn: &mut impl Access, now: i64) -> Result<Vec<i64>, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT DISTINCT member_id FROM purchases WHERE settled_at IS NULL AND settles_at <= $1")
        .bind(now)
        .fetch_all(c)
        .await)
}

/// Marks a purchase settled (once: conditional); false if it already was.
pub async fn mark_settled(tx: &mut Tx, purchase_id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query("UPDATE purchases SET settled_at = $1 WHERE purchase_id = $2 AND settled_at IS NULL")
        .bind(now)
        .bind(purchase_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// A refund of a purchase.
#[derive(Debug, Clone)]
pub struct NewRefund<'a> {
    /// The host's refund id.
    pub refund_id: &'a str,
    /// The purchase.
    pub purchase_id: &'a str,
    /// Cash refunded, in fen.
    pub amount_fen: i64,
    /// Points taken from the balance.
    pub taken: i64,
    /// Pending points cancelled.
    pub cancelled: i64,
    /// Points that could not be taken.
    pub shortfall: i64,
    /// Of `taken + cancelled + shortfall`, the points of the purchase's campaign bonus.
    pub campaign: i64,
    /// Unix seconds.
    pub created_at: i64,
}

/// Records a refund and adds it to its purchase's totals; false if the refund id exists.
pub async fn insert_refund(tx: &mut Tx, r: &NewRefund<'_>) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "INSERT INTO purchase_refunds (refund_id, purchase_id, amount_fen, taken, cancelled, shortfall, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (refund_id) DO NOTHING",
    )
    .bind(r.refund_id)
    .bind(r.purchase_id)
    .bind(r.amount_fen)
    .bind(r.taken)
    .bind(r.cancelled)
    .bind(r.shortfall)
    .bind(r.created_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    if done == 0 {
        return Ok(false);
    }
    let points = r.taken + r.cancelled + r.shortfall - r.campaign;
    on!(tx, |c| {
        sqlx::query(
        "UPDATE purchases SET refunded_fen = refunded_fen + $1, taken_back = taken_back + $2, campaign_taken_back = campaign_taken_back + $4 \
         WHERE purchase_id = $3"
    )
    .bind(r.amount_fen)
    .bind(points)
    .bind(r.purchase_id)
    .bind(r.campaign)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(true)
}

/// How many of the member's purchases have settled.
pub async fn settled_count(tx: &mut Tx, member_id: i64) -> Result<i64, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM purchases WHERE member_id = $1 AND settled_at IS NOT NULL")
        .bind(member_id)
        .fetch_one(c)
        .await)
}

/// The condition under which an invitee's invite is due: a purchase of theirs settled,
/// and the invite was accepted before their first purchase was reported.
const INVITE_DUE: &str = "credited_at IS NULL \
    AND EXISTS (SELECT 1 FROM purchases p WHERE p.member_id = invites.invitee_id AND p.settled_at IS NOT NULL) \
    AND accepted_at <= (SELECT MIN(p.created_at) FROM purchases p WHERE p.member_id = invites.invitee_id)";

/// Marks the invitee's invite credited when it is due (once: conditional); returns the
/// inviter.
pub async fn credit_invite(tx: &mut Tx, invitee_id: i64, now: i64) -> Result<Option<i64>, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar(&format!(
        "UPDATE invites SET credited_at = $1 WHERE invitee_id = $2 AND {INVITE_DUE} RETURNING inviter_id"
    ))
    .bind(now)
    .bind(invitee_id)
    .fetch_optional(c)
    .await)
}

/// Records an accepted invite unless the invitee has a reported purchase; false if it
/// was not recorded (they already accepted one: its primary key; or they already bought).
/// Race-free with `insert_purchase` when both run after `members::lock` of the invitee:
/// whichever takes the lock second sees the other's row.
pub async fn insert_invite(tx: &mut Tx, invitee_id: i64, inviter_id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "INSERT INTO invites (invitee_id, inviter_id, accepted_at) SELECT $1, $2, $3 \
         WHERE NOT EXISTS (SELECT 1 FROM purchases WHERE member_id = $1) ON CONFLICT (invitee_id) DO NOTHING"
    )
    .bind(invitee_id)
    .bind(inviter_id)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Whether the member accepted an invite.
pub async fn invited(tx: &mut Tx, invitee_id: i64) -> Result<bool, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM invites WHERE invitee_id = $1)").bind(invitee_id).fetch_one(c).await)
}

/// Invitees whose invite is due (the sweep's list).
pub async fn invitees_due(conn: &mut impl Access) -> Result<Vec<i64>, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar(&format!("SELECT invitee_id FROM invites WHERE {INVITE_DUE}")).fetch_all(c).await)
}
