//! The outbox of signed webhooks to the host shop (`domain::outbox`): rows written in the
//! transaction of their change, claimed by a replica's dispatcher under a lease, marked
//! delivered or failed, listed and resent by operators.

use super::{on, Access, Exec, Tx};

/// A new event.
#[derive(Debug, Clone, Copy)]
pub struct NewEvent<'a> {
    /// The member it is for.
    pub member_id: i64,
    /// Its type (`EventType::as_str`).
    pub kind: &'a str,
    /// Its "once" key (a day number, a sale id), unique with the type and member; `None`
    /// for events without a once rule.
    pub once_key: Option<i64>,
    /// Its payload as JSON.
    pub payload: &'a str,
    /// When it happened (Unix seconds).
    pub created_at: i64,
    /// When it may first be sent.
    pub due_at: i64,
    /// When it is given up if not delivered.
    pub give_up_at: i64,
}

/// Writes an event; false when its once rule already holds one (nothing written).
pub async fn insert(conn: &mut impl Access, e: &NewEvent<'_>) -> Result<bool, sqlx::Error> {
    let written = on!(conn, |c| sqlx::query(
        "INSERT INTO outbox (member_id, kind, once_key, payload, created_at, due_at, next_attempt_at, give_up_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7) ON CONFLICT DO NOTHING"
    )
    .bind(e.member_id)
    .bind(e.kind)
    .bind(e.once_key)
    .bind(e.payload)
    .bind(e.created_at)
    .bind(e.due_at)
    .bind(e.give_up_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(written == 1)
}

/// A row a dispatcher claimed: what it sends.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    /// The event id.
    pub id: i64,
    /// The member.
    pub member_id: i64,
    /// Its type.
    pub kind: String,
    /// Its payload (JSON).
    pub payload: String,
    /// When it happened.
    pub created_at: i64,
    /// Attempts before this one.
    pub attempts: i64,
    /// When it is given up.
    pub give_up_at: i64,
}

/// The rows a claim may take at `now`: pending, their next attempt due, nobody's lease
/// running at `now_ms`, and no earlier pending row of the same member (order per member).
const CLAIMABLE: &str = "SELECT o.id FROM outbox o WHERE o.state = 'pending' AND o.next_attempt_at <= $1 AND o.leased_until <= $2 \
     AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.member_id = o.member_id AND e.state = 'pending' AND e.id < o.id) \
     ORDER BY o.id LIMIT $3";

/// Claims at most `limit` due rows for `token` until `lease_until_ms` (real time), one per
/// member at most (each member's earliest pending row). On PostgreSQL the rows are picked
/// `FOR UPDATE SKIP LOCKED`, so replicas claiming at once take different rows; on SQLite
/// the claim is one statement of the single writer.
pub async fn claim(tx: &mut Tx, now: i64, now_ms: i64, lease_until_ms: i64, token: &str, limit: i64) -> Result<Vec<Claimed>, sqlx::Error> {
    const SET: &str = "UPDATE outbox SET leased_until = $4, lease_token = $5";
    const RETURNING: &str = "RETURNING id, member_id, kind, payload, created_at, attempts, give_up_at";
    let outcome = match tx.exec() {
        Exec::Sqlite(c) => {
            sqlx::query_as(&format!("{SET} WHERE id IN ({CLAIMABLE}) {RETURNING}"))
                .bind(now)
                .bind(now_ms)
                .bind(limit)
                .bind(lease_until_ms)
                .bind(token)
                .fetch_all(c)
                .await
        }
        Exec::Postgres(c) => {
            sqlx::query_as(&format!(
                "WITH picked AS ({CLAIMABLE} FOR UPDATE OF o SKIP LOCKED) {SET} FROM picked WHERE outbox.id = picked.id \
                 RETURNING outbox.id, member_id, kind, payload, created_at, attempts, give_up_at"
            ))
            .bind(now)
            .bind(now_ms)
            .bind(limit)
            .bind(lease_until_ms)
            .bind(token)
            .fetch_all(c)
            .await
        }
    };
    tx.saw(&outcome);
    let mut rows: Vec<Claimed> = outcome?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub struct Attempt<'a> {
    /// The claim it was made under.
    pub token: &'a str,
    /// When (Unix seconds, the server clock).
    pub at: i64,
    /// The HTTP status, if the host answered.
    pub status: Option<i64>,
    /// The start of the answer, or what went wrong.
    pub answer: &'a str,
    /// The next state: `delivered`, `pending` (tried again at `next_attempt_at`) or `failed`.
    pub state: &'a str,
    /// When a pending row is tried next.
    pub next_attempt_at: i64,
}

/// Records an attempt on a row still claimed by `a.token` and ends the claim; false when
/// the claim was lost (it ran out and another replica took the row).
pub async fn record_attempt(conn: &mut impl Access, id: i64, a: &Attempt<'_>) -> Result<bool, sqlx::Error> {
    let done = on!(conn, |c| sqlx::query(
        "UPDATE outbox SET state = $1, attempts = attempts + 1, last_attempt_at = $2, last_status = $3, last_answer = $4, \
         next_attempt_at = $5, delivered_at = CASE WHEN $1 = 'delivered' THEN $2 ELSE delivered_at END, \
         leased_until = 0, lease_token = NULL WHERE id = $6 AND lease_token = $7 AND state = 'pending'"
    )
    .bind(a.state)
    .bind(a.at)
    .bind(a.status)
    .bind(a.answer)
    .bind(a.next_attempt_at)
    .bind(id)
    .bind(a.token)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Marks failed the pending rows whose day ran out before any dispatcher took them (e.g.
/// written while no `HOST_WEBHOOK_URL` was set): old news is not sent. Returns how many.
pub async fn give_up_stale(conn: &mut impl Access, now: i64, now_ms: i64) -> Result<u64, sqlx::Error> {
    on!(conn, |c| sqlx::query(
        "UPDATE outbox SET state = 'failed', last_answer = 'not delivered within a day of its due time' \
         WHERE state = 'pending' AND give_up_at < $1 AND leased_until <= $2"
    )
    .bind(now)
    .bind(now_ms)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}

/// A row as the operator sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Row {
    /// The event id.
    pub id: i64,
    /// The member.
    pub member_id: i64,
    /// Its type.
    pub kind: String,
    /// Its payload (JSON).
    pub payload: String,
    /// When it happened.
    pub created_at: i64,
    /// When it was first due.
    pub due_at: i64,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    /// Attempts so far.
    pub attempts: i64,
    /// When a pending row is tried next.
    pub next_attempt_at: i64,
    /// When it is given up.
    pub give_up_at: i64,
    /// The last attempt.
    pub last_attempt_at: Option<i64>,
    /// The last answer's status.
    pub last_status: Option<i64>,
    /// The last answer's start, or what went wrong.
    pub last_answer: Option<String>,
    /// When it was delivered.
    pub delivered_at: Option<i64>,
}

const ROW: &str = "SELECT id, member_id, kind, payload, created_at, due_at, state, attempts, next_attempt_at, give_up_at, \
     last_attempt_at, last_status, last_answer, delivered_at FROM outbox";

/// Rows with ids below `before`, newest first, in `state` and of `member_id` when given.
pub async fn list(
    conn: &mut impl Access,
    state: Option<&str>,
    member_id: Option<i64>,
    before: i64,
    limit: i64,
) -> Result<Vec<Row>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!(
        "{ROW} WHERE id < $1 AND ($2 IS NULL OR state = $2) AND ($3 IS NULL OR member_id = $3) ORDER BY id DESC LIMIT $4"
    ))
    .bind(before)
    .bind(state)
    .bind(member_id)
    .bind(limit)
    .fetch_all(c)
    .await)
}

/// One row.
pub async fn one(conn: &mut impl Access, id: i64) -> Result<Option<Row>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(&format!("{ROW} WHERE id = $1")).bind(id).fetch_optional(c).await)
}

/// Makes a row pending again, due at `now` and given up at `give_up_at` (its attempts
/// and last answer stay); false for an unknown id.
pub async fn resend(tx: &mut Tx, id: i64, now: i64, give_up_at: i64) -> Result<bool, sqlx::Error> {
    let done = on!(tx, |c| sqlx::query(
        "UPDATE outbox SET state = 'pending', next_attempt_at = $1, give_up_at = $2, delivered_at = NULL WHERE id = $3"
    )
    .bind(now)
    .bind(give_up_at)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// A reminded sale that opens for a member: the sale and the member's reached tier.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Opening {
    /// The sale.
    pub sale_id: i64,
    /// The member.
    pub member_id: i64,
    /// The member's growth.
    pub growth: i64,
    /// The rank of the member's reached tier.
    pub tier_reached: i64,
    /// Offer, Chinese.
    pub offer_zh: String,
    /// Offer, English.
    pub offer_en: String,
    /// Points per code.
    pub points: i64,
    /// Start for everyone.
    pub starts_at: i64,
    /// End.
    pub ends_at: i64,
}

/// The reminders of sales that start before `now + early` (the longest early access)
/// and have not ended, not cancelled, of an active merchant (or the shop's), without a
/// `sale_opening` row yet: the candidates the dispatcher checks against each member's
/// own opening.
pub async fn openings(conn: &mut impl Access, now: i64, early: i64) -> Result<Vec<Opening>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(
        "SELECT s.id AS sale_id, r.member_id, m.growth, m.tier_reached, s.offer_zh, s.offer_en, s.points, s.starts_at, s.ends_at \
         FROM sale_reminders r JOIN sales s ON s.id = r.sale_id JOIN members m ON m.id = r.member_id \
         WHERE s.starts_at <= $1 + $2 AND s.ends_at > $1 AND s.cancelled_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM merchants x WHERE x.id = s.merchant_id AND x.deactivated_at IS NOT NULL) \
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'sale_opening' AND o.member_id = r.member_id AND o.once_key = s.id) \
         ORDER BY s.starts_at, s.id, r.member_id LIMIT 1000"
    )
    .bind(now)
    .bind(early)
    .fetch_all(c)
    .await)
}

/// Members who agreed to notices (`notices_consent`) with points in lots expiring in
/// `(now, until]`: the points and the soonest expiry, for those without a
/// `points_expiring` row of local day `day` yet.
pub async fn expiring(conn: &mut impl Access, now: i64, until: i64, day: i64) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(
        "SELECT l.member_id, CAST(SUM(l.remaining) AS BIGINT), MIN(l.expires_at) FROM point_lots l \
         JOIN members m ON m.id = l.member_id AND m.notices_consent = 1 \
         WHERE l.remaining > 0 AND l.expires_at > $1 AND l.expires_at <= $2 \
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'points_expiring' AND o.member_id = l.member_id AND o.once_key = $3) \
         GROUP BY l.member_id ORDER BY l.member_id"
    )
    .bind(now)
    .bind(until)
    .bind(day)
    .fetch_all(c)
    .await)
}

/// Drops every row (the demo data's load: its history is not news for the host).
pub async fn clear(tx: &mut Tx) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("DELETE FROM outbox").execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Drops at most `limit` delivered or failed rows created before `before`; returns how many.
pub async fn prune(conn: &mut impl Access, before: i64, limit: i64) -> Result<u64, sqlx::Error> {
    on!(conn, |c| sqlx::query(
        "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE state <> 'pending' AND created_at < $1 LIMIT $2)"
    )
    .bind(before)
    .bind(limit)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}
