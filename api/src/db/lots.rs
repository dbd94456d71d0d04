//! Balances and point lots: the stored balance, the lots credits create, the lots a debit
//! took (`lot_debits`), and the reads that take due lots out without writing.

use super::{on, Access, Exec, Tx};

/// A lot with points left, as a debit or an expiry takes from it.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct LotLeft {
    /// Lot id.
    pub id: i64,
    /// Points still in it.
    pub remaining: i64,
}

/// How much a debit took from one lot.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct LotTaken {
    /// Lot id.
    pub lot_id: i64,
    /// Points taken.
    pub amount: i64,
}

/// An open lot as the member sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenLot {
    /// Lot id.
    pub id: i64,
    /// Points left.
    pub remaining: i64,
    /// Points credited.
    pub amount: i64,
    /// When it was earned (Unix seconds).
    pub earned_at: i64,
    /// When it stops counting (Unix seconds, exclusive).
    pub expires_at: i64,
}

/// The SQL of points in lots that are due (expired by `$2`) but not yet recorded as expired.
const DUE: &str =
    "COALESCE((SELECT CAST(SUM(remaining) AS BIGINT) FROM point_lots WHERE member_id = $1 AND remaining > 0 AND expires_at <= $2), 0)";

/// The member's balance as stored (due lots not yet taken out).
pub async fn stored_balance(conn: &mut impl Access, member_id: i64) -> Result<i64, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT balance FROM members WHERE id = $1").bind(member_id).fetch_one(c).await)
}

/// What makes up a member's balance at `now` before the writes that record it: read in
/// one statement (one snapshot), without writing.
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct BalanceParts {
    /// The stored balance.
    pub stored: i64,
    /// Points in due lots not yet recorded as expired.
    pub due: i64,
    /// Points of lapsed holds whose lots still count (they come back).
    pub held_back: i64,
    /// Points of lapsed holds whose lots have expired (they come back and expire).
    pub held_lapsed: i64,
    /// Points of lapsed unpaid orders whose lots still count (they come back).
    pub unpaid_back: i64,
    /// Points of lapsed unpaid orders whose lots have expired (they come back and expire).
    pub unpaid_lapsed: i64,
    /// Purchase points whose return window ended, not yet settled, whose lot still counts.
    pub matured: i64,
    /// Purchase points whose window ended so long ago that their lot has expired too.
    pub matured_expired: i64,
    /// Purchase points still inside their return window.
    pub pending: i64,
    /// Points refunds could not take back.
    pub shortfall: i64,
}

impl BalanceParts {
    /// Matured points the shortfall takes first.
    pub fn shortfall_settled(&self) -> i64 {
        self.matured.min(self.shortfall)
    }
}

/// Points of `{m}`'s lapsed holds (held, ended by `{now}`, a placeholder) in lots that
/// still count (`>`) or have expired (`<=`).
pub fn lapsed_holds(m: &str, cmp: &str, now: &str) -> String {
    format!(
        "COALESCE((SELECT CAST(SUM(ld.amount) AS BIGINT) FROM deductions d JOIN lot_debits ld ON ld.history_id = d.hold_entry \
         JOIN point_lots l ON l.id = ld.lot_id WHERE d.member_id = {m}.id AND d.status = 'held' AND d.expires_at <= {now} AND l.expires_at {cmp} {now}), 0)"
    )
}

/// Points of `{m}`'s unpaid orders that lapsed (awaiting payment, `pay_by` passed by
/// `{now}`, a placeholder) in lots that still count (`>`) or have expired (`<=`).
pub fn lapsed_orders(m: &str, cmp: &str, now: &str) -> String {
    format!(
        "COALESCE((SELECT CAST(SUM(ld.amount) AS BIGINT) FROM orders o JOIN lot_debits ld ON ld.history_id = o.history_id \
         JOIN point_lots l ON l.id = ld.lot_id WHERE o.member_id = {m}.id AND o.status = 'awaiting_payment' AND o.pay_by <= {now} \
         AND l.expires_at {cmp} {now}), 0)"
    )
}

/// Which of a member's unsettled purchases a sum takes.
#[derive(Debug, Clone, Copy)]
pub enum Unsettled {
    /// Still inside the return window.
    Pending,
    /// The window ended and the lot would still count: spendable on read.
    Matured,
    /// The window ended so long ago that the lot would already have expired.
    MaturedExpired,
}

/// Points of `{m}`'s unsettled purchases of kind `which` at `{now}` (a placeholder), their
/// campaign bonuses included, less what refunds cancelled.
pub fn unsettled(m: &str, which: Unsettled, now: &str) -> String {
    let condition = match which {
        Unsettled::Pending => format!("p.settles_at > {now}"),
        Unsettled::Matured => format!("p.settles_at <= {now} AND (p.lot_expires_at IS NULL OR p.lot_expires_at > {now})"),
        Unsettled::MaturedExpired => format!("p.settles_at <= {now} AND p.lot_expires_at <= {now}"),
    };
    format!(
        "COALESCE((SELECT CAST(SUM(p.points - p.taken_back + p.campaign_points - p.campaign_taken_back) AS BIGINT) FROM purchases p \
         WHERE p.member_id = {m}.id AND p.settled_at IS NULL AND {condition}), 0)"
    )
}

/// Points in `{m}`'s due lots not yet recorded as expired at `$2`.
fn due_sql(m: &str) -> String {
    format!("COALESCE((SELECT CAST(SUM(l.remaining) AS BIGINT) FROM point_lots l WHERE l.member_id = {m}.id AND l.remaining > 0 AND l.expires_at <= $2), 0)")
}

/// The SQL of member row `{m}`'s spendable balance at `$2`: what its next write records
/// (`ledger::catch_up`): the stored balance, plus lapsed holds' and lapsed unpaid orders'
/// points in lots that still count, plus matured purchase points whose lot still counts less the shortfall they
/// pay, minus due lots. The one definition every read uses.
pub fn spendable_sql(m: &str) -> String {
    let matured = unsettled(m, Unsettled::Matured, "$2");
    let balance = format!("{m}.balance");
    spendable_of(&balance, &due_sql(m), &lapsed_holds(m, ">", "$2"), &lapsed_orders(m, ">", "$2"), &matured, &format!("{m}.shortfall"))
}

/// The spendable balance from its parts, each an SQL expression: the stored balance, due
/// lots, lapsed holds' and lapsed unpaid orders' points in lots that still count, matured
/// purchase points, the shortfall. Written once for `spendable_sql` (parts as subqueries)
/// and for reads that compute each part once (parts as columns).
pub fn spendable_of(balance: &str, due: &str, held_back: &str, unpaid_back: &str, matured: &str, shortfall: &str) -> String {
    format!(
        "({balance} - {due} + {held_back} + {unpaid_back} + {matured} - CASE WHEN {matured} < {shortfall} THEN {matured} ELSE {shortfall} END)"
    )
}

/// The SQL of member row `{m}`'s shortfall at `$2`: what matured purchase points have not
/// paid yet.
pub fn shortfall_left_sql(m: &str) -> String {
    shortfall_left_of(&unsettled(m, Unsettled::Matured, "$2"), &format!("{m}.shortfall"))
}

/// The shortfall left from its parts (SQL expressions): matured purchase points and the
/// shortfall.
pub fn shortfall_left_of(matured: &str, shortfall: &str) -> String {
    format!("({shortfall} - CASE WHEN {matured} < {shortfall} THEN {matured} ELSE {shortfall} END)")
}

/// Member row `{m}`'s balance parts at `$2` as columns `due`, `held_back`, `unpaid_back`,
/// `matured` (for `spendable_of` and `shortfall_left_of` over a row that has them).
pub fn spendable_parts(m: &str) -> String {
    format!(
        "{} AS due, {} AS held_back, {} AS unpaid_back, {} AS matured",
        due_sql(m),
        lapsed_holds(m, ">", "$2"),
        lapsed_orders(m, ">", "$2"),
        unsettled(m, Unsettled::Matured, "$2")
    )
}

/// The parts of the member's balance at `now` (for the pending entries history shows).
pub async fn balance_parts(conn: &mut impl Access, member_id: i64, now: i64) -> Result<BalanceParts, sqlx::Error> {
    let sql = format!(
        "SELECT m.balance AS stored, {} AS due, {} AS held_back, {} AS held_lapsed, {} AS unpaid_back, {} AS unpaid_lapsed, \
         {} AS matured, {} AS matured_expired, {} AS pending, m.shortfall FROM members m WHERE m.id = $1",
        due_sql("m"),
        lapsed_holds("m", ">", "$2"),
        lapsed_holds("m", "<=", "$2"),
        lapsed_orders("m", ">", "$2"),
        lapsed_orders("m", "<=", "$2"),
        unsettled("m", Unsettled::Matured, "$2"),
        unsettled("m", Unsettled::MaturedExpired, "$2"),
        unsettled("m", Unsettled::Pending, "$2"),
    );
    on!(conn, |c| sqlx::query_as(&sql).bind(member_id).bind(now).fetch_one(c).await)
}

/// The spendable balance at `now` ([`spendable_sql`]), in one statement, without writing.
pub async fn spendable_balance(conn: &mut impl Access, member_id: i64, now: i64) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT {} FROM members m WHERE m.id = $1", spendable_sql("m"));
    on!(conn, |c| sqlx::query_scalar(&sql).bind(member_id).bind(now).fetch_one(c).await)
}

/// The member's shortfall.
pub async fn shortfall(tx: &mut Tx, member_id: i64) -> Result<i64, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar("SELECT shortfall FROM members WHERE id = $1").bind(member_id).fetch_one(c).await)
}

/// Adds `delta` (either sign) to the member's shortfall (`CHECK (shortfall >= 0)`).
pub async fn add_shortfall(tx: &mut Tx, member_id: i64, delta: i64) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("UPDATE members SET shortfall = shortfall + $1 WHERE id = $2")
        .bind(delta)
        .bind(member_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The lots history entry `history_id` took from, longest-living first (the order points
/// go back in: the member's favour).
pub async fn taken_longest_first(tx: &mut Tx, history_id: i64) -> Result<Vec<LotTaken>, sqlx::Error> {
    on!(tx, |c| sqlx::query_as(
        "SELECT ld.lot_id, ld.amount FROM lot_debits ld JOIN point_lots l ON l.id = ld.lot_id \
         WHERE ld.history_id = $1 ORDER BY l.expires_at DESC, ld.lot_id DESC",
    )
    .bind(history_id)
    .fetch_all(c)
    .await)
}

/// Points in the member's lots that are due at `now` but not yet recorded as expired.
pub async fn due_points(conn: &mut impl Access, member_id: i64, now: i64) -> Result<i64, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar(&format!("SELECT {DUE}")).bind(member_id).bind(now).fetch_one(c).await)
}

/// Adds `delta` (either sign) to the stored balance; returns the balance after. The
/// `CHECK (balance >= 0)` refuses a negative result.
pub async fn add_balance(tx: &mut Tx, member_id: i64, delta: i64) -> Result<i64, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar("UPDATE members SET balance = balance + $1 WHERE id = $2 RETURNING balance")
        .bind(delta)
        .bind(member_id)
        .fetch_one(c)
        .await)
}

/// Takes `amount` from the stored balance only if it covers it; the balance after, or
/// `None` when it does not.
pub async fn take_balance(tx: &mut Tx, member_id: i64, amount: i64) -> Result<Option<i64>, sqlx::Error> {
    on!(tx, |c| sqlx::query_scalar("UPDATE members SET balance = balance - $1 WHERE id = $2 AND balance >= $1 RETURNING balance")
        .bind(amount)
        .bind(member_id)
        .fetch_optional(c)
        .await)
}

/// Adds growth (never negative: growth only goes up) and raises the tier reached to the
/// one the new growth gives under `tiers` (the thresholds in force now); never lowers it.
pub async fn add_growth(tx: &mut Tx, member_id: i64, growth: i64, tiers: &mall_core::TierTable) -> Result<(), sqlx::Error> {
    let [silver, gold, diamond] = tiers.thresholds;
    on!(tx, |c| sqlx::query(
        "UPDATE members SET growth = growth + $1, tier_reached = CASE \
         WHEN growth + $1 >= $5 AND tier_reached < 3 THEN 3 \
         WHEN growth + $1 >= $4 AND tier_reached < 2 THEN 2 \
         WHEN growth + $1 >= $3 AND tier_reached < 1 THEN 1 \
         ELSE tier_reached END WHERE id = $2"
    )
    .bind(growth)
    .bind(member_id)
    .bind(silver)
    .bind(gold)
    .bind(diamond)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Inserts a full lot.
pub async fn insert(tx: &mut Tx, member_id: i64, amount: i64, earned_at: i64, expires_at: i64) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("INSERT INTO point_lots (member_id, amount, remaining, earned_at, expires_at) VALUES ($1, $2, $2, $3, $4)")
        .bind(member_id)
        .bind(amount)
        .bind(earned_at)
        .bind(expires_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The member's lots with points left that still count at `now`, soonest-expiring first.
async fn spendable(tx: &mut Tx, member_id: i64, now: i64) -> Result<Vec<LotLeft>, sqlx::Error> {
    on!(tx, |c| sqlx::query_as(
        "SELECT id, remaining FROM point_lots WHERE member_id = $1 AND remaining > 0 AND expires_at > $2 ORDER BY expires_at, id",
    )
    .bind(member_id)
    .bind(now)
    .fetch_all(c)
    .await)
}

/// Draws `amount` points from the member's lots that still count at `now`, soonest to
/// expire first, each draw recorded in `lot_debits` under `history_id`; returns the points
/// drawn (less than `amount` only when the lots do not hold it). For a member whose row
/// this transaction locked. PostgreSQL: one statement (the running sum picks the lots, the
/// update and the records in one round trip); SQLite: the lots read, then each one drawn.
pub async fn draw(tx: &mut Tx, member_id: i64, now: i64, amount: i64, history_id: i64) -> Result<i64, sqlx::Error> {
    if let Exec::Postgres(c) = tx.exec() {
        let outcome: Result<Vec<i64>, _> = sqlx::query_scalar(
            "WITH open AS (SELECT id, remaining, SUM(remaining) OVER (ORDER BY expires_at, id) - remaining AS before \
             FROM point_lots WHERE member_id = $1 AND remaining > 0 AND expires_at > $2), \
             taken AS (UPDATE point_lots l SET remaining = l.remaining - LEAST(o.remaining, $3 - o.before) \
             FROM open o WHERE l.id = o.id AND o.before < $3 RETURNING l.id, LEAST(o.remaining, $3 - o.before) AS amount) \
             INSERT INTO lot_debits (history_id, lot_id, amount) SELECT $4, id, amount FROM taken RETURNING amount",
        )
        .bind(member_id)
        .bind(now)
        .bind(amount)
        .bind(history_id)
        .fetch_all(c)
        .await;
        tx.saw(&outcome);
        return Ok(outcome?.iter().sum());
    }
    let mut left = amount;
    for lot in spendable(tx, member_id, now).await? {
        if left == 0 {
            break;
        }
        let take = lot.remaining.min(left);
        add_remaining(tx, lot.id, -take).await?;
        record_debit(tx, history_id, lot.id, take).await?;
        left -= take;
    }
    Ok(amount - left)
}

/// The member's lots with points left that are due at `now`.
pub async fn due(tx: &mut Tx, member_id: i64, now: i64) -> Result<Vec<LotLeft>, sqlx::Error> {
    on!(tx, |c| sqlx::query_as(
        "SELECT id, remaining FROM point_lots WHERE member_id = $1 AND remaining > 0 AND expires_at <= $2 ORDER BY expires_at, id",
    )
    .bind(member_id)
    .bind(now)
    .fetch_all(c)
    .await)
}

/// Moves `delta` points into (positive) or out of (negative) a lot.
pub async fn add_remaining(tx: &mut Tx, lot_id: i64, delta: i64) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("UPDATE point_lots SET remaining = remaining + $1 WHERE id = $2")
        .bind(delta)
        .bind(lot_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Records that history entry `history_id` took `amount` from lot `lot_id`.
pub async fn record_debit(tx: &mut Tx, history_id: i64, lot_id: i64, amount: i64) -> Result<(), sqlx::Error> {
    on!(tx, |c| sqlx::query("INSERT INTO lot_debits (history_id, lot_id, amount) VALUES ($1, $2, $3)")
        .bind(history_id)
        .bind(lot_id)
        .bind(amount)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// What history entry `history_id` took, lot by lot.
pub async fn debits_of(tx: &mut Tx, history_id: i64) -> Result<Vec<LotTaken>, sqlx::Error> {
    on!(tx, |c| sqlx::query_as("SELECT lot_id, amount FROM lot_debits WHERE history_id = $1 ORDER BY lot_id")
        .bind(history_id)
        .fetch_all(c)
        .await)
}

/// Members holding due lots at `now` (the sweep's work list).
pub async fn members_with_due(conn: &mut impl Access, now: i64) -> Result<Vec<i64>, sqlx::Error> {
    on!(conn, |c| sqlx::query_scalar("SELECT DISTINCT member_id FROM point_lots WHERE remaining > 0 AND expires_at <= $1")
        .bind(now)
        .fetch_all(c)
        .await)
}

/// The member's lots that still count at `now`, soonest to expire first (at most `limit`).
pub async fn open(conn: &mut impl Access, member_id: i64, now: i64, limit: i64) -> Result<Vec<OpenLot>, sqlx::Error> {
    on!(conn, |c| sqlx::query_as(
        "SELECT id, remaining, amount, earned_at, expires_at FROM point_lots \
         WHERE member_id = $1 AND remaining > 0 AND expires_at > $2 ORDER BY expires_at, id LIMIT $3",
    )
    .bind(member_id)
    .bind(now)
    .bind(limit)
    .fetch_all(c)
    .await)
}
