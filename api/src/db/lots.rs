//! Balances and point lots: the stored balance, the lots credits create, the lots a debit
//! took (`lot_debits`), and the reads that take due lots out without writing.

use mall_core::dto::EntryKind;

use super::{events::balance_notice_sql, history::EntryRef, on, Access, Engine, Exec, Tx};

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

/// Whether `{m}` has a lapsed hold or unpaid order (ended by `{now}`, a placeholder) that
/// no write has recorded yet: when not, `lapsed_holds` and `lapsed_orders` are 0.
pub fn any_lapsed(m: &str, now: &str) -> String {
    format!(
        "(EXISTS (SELECT 1 FROM deductions d WHERE d.member_id = {m}.id AND d.status = 'held' AND d.expires_at <= {now}) \
         OR EXISTS (SELECT 1 FROM orders o WHERE o.member_id = {m}.id AND o.status = 'awaiting_payment' AND o.pay_by <= {now}))"
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

/// The points a purchase row `p` still holds unsettled: its points and campaign bonus,
/// less what refunds took back.
const PURCHASE_POINTS: &str = "p.points - p.taken_back + p.campaign_points - p.campaign_taken_back";

/// The condition on an unsettled purchase row `p` of kind `which` at `{now}` (a placeholder).
fn unsettled_condition(which: Unsettled, now: &str) -> String {
    match which {
        Unsettled::Pending => format!("p.settles_at > {now}"),
        Unsettled::Matured => format!("p.settles_at <= {now} AND (p.lot_expires_at IS NULL OR p.lot_expires_at > {now})"),
        Unsettled::MaturedExpired => format!("p.settles_at <= {now} AND p.lot_expires_at <= {now}"),
    }
}

/// Points of `{m}`'s unsettled purchases of kind `which` at `{now}` (a placeholder), their
/// campaign bonuses included, less what refunds cancelled.
pub fn unsettled(m: &str, which: Unsettled, now: &str) -> String {
    format!(
        "COALESCE((SELECT CAST(SUM({PURCHASE_POINTS}) AS BIGINT) FROM purchases p \
         WHERE p.member_id = {m}.id AND p.settled_at IS NULL AND {}), 0)",
        unsettled_condition(which, now)
    )
}

/// As [`unsettled`], as an aggregate column over the member's unsettled purchase rows `p`
/// (several kinds summed in one scan).
fn unsettled_sum(which: Unsettled, now: &str) -> String {
    format!("COALESCE(CAST(SUM({PURCHASE_POINTS}) FILTER (WHERE {}) AS BIGINT), 0)", unsettled_condition(which, now))
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

/// The balance parts of the member the row set `{member}` names (one row with its `id`,
/// e.g. a materialized CTE), at `$2` with points expiring by `$3`, as two one-row
/// selects, each one scan of the member's rows: lots (`due`, `expiring_points`,
/// `expiring_first`) and unsettled purchases (`matured`, `pending_points`). The same
/// conditions as the subquery forms above; for the member's summary, where one plan
/// with few scans is what a read costs on PostgreSQL.
pub fn lot_and_purchase_sums(member: &str) -> (String, String) {
    let expiring = "l.expires_at > $2 AND l.expires_at <= $3";
    let lots = format!(
        "SELECT COALESCE(CAST(SUM(l.remaining) FILTER (WHERE l.expires_at <= $2) AS BIGINT), 0) AS due, \
         COALESCE(CAST(SUM(l.remaining) FILTER (WHERE {expiring}) AS BIGINT), 0) AS expiring_points, \
         MIN(l.expires_at) FILTER (WHERE {expiring}) AS expiring_first \
         FROM point_lots l WHERE l.member_id = (SELECT id FROM {member}) AND l.remaining > 0"
    );
    let purchases = format!(
        "SELECT {} AS matured, {} AS pending_points FROM purchases p \
         WHERE p.member_id = (SELECT id FROM {member}) AND p.settled_at IS NULL",
        unsettled_sum(Unsettled::Matured, "$2"),
        unsettled_sum(Unsettled::Pending, "$2")
    );
    (lots, purchases)
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

/// Binds a debit's `$1`…`$9` (member, amount, kind, the reference's kind, id and labels,
/// time, month) to a [`take`] statement.
macro_rules! bind_entry {
    ($query:expr, $member_id:expr, $amount:expr, $kind:expr, $reference:expr, $now:expr, $month:expr) => {
        $query
            .bind($member_id)
            .bind($amount)
            .bind($kind)
            .bind($reference.map(|r| r.kind))
            .bind($reference.map(|r| r.id))
            .bind($reference.and_then(|r| r.label_zh))
            .bind($reference.and_then(|r| r.label_en))
            .bind($now)
            .bind($month)
    };
}

/// A debit as [`take`] recorded it.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Taken {
    /// The history entry written.
    pub history_id: i64,
    /// The stored balance right after.
    pub balance_after: i64,
    /// Points drawn from lots (the amount, unless lots and balance disagree).
    pub drawn: i64,
}

/// Takes `amount` (> 0) from the member's stored balance if it covers it, and records the
/// debit: the history entry (`kind`, `reference`, at `now` in local month `month`), the
/// balance notice for the member's streams (`member_events`, woken at commit), and the draw
/// from the lots that still count at `now`, soonest to expire first (`lot_debits`). `None`,
/// with nothing written, when the balance does not cover it. For a member whose row this
/// transaction locked. One round trip: PostgreSQL one statement, SQLite one batch.
pub async fn take(
    tx: &mut Tx,
    member_id: i64,
    amount: i64,
    kind: EntryKind,
    reference: Option<EntryRef<'_>>,
    now: i64,
    month: &str,
) -> Result<Option<Taken>, sqlx::Error> {
    let taken = match tx.exec() {
        Exec::Postgres(c) => {
            let notice = balance_notice_sql(Engine::Postgres, "h.balance_after", "h.amount", "h.kind", "h.id");
            let sql = format!(
                "WITH t AS (UPDATE members SET balance = balance - $2 WHERE id = $1 AND balance >= $2 RETURNING balance), \
                 h AS (INSERT INTO history (member_id, kind, amount, balance_after, ref_kind, ref_id, label_zh, label_en, created_at, month) \
                 SELECT $1, $3, -$2, balance, $4, $5, $6, $7, $8, $9 FROM t RETURNING id, kind, amount, balance_after), \
                 e AS (INSERT INTO member_events (member_id, kind, data, created_at) SELECT $1, 'balance', {notice}, $8 FROM h), \
                 open AS (SELECT id, remaining, SUM(remaining) OVER (ORDER BY expires_at, id) - remaining AS before \
                 FROM point_lots WHERE member_id = $1 AND remaining > 0 AND expires_at > $8), \
                 drawn AS (UPDATE point_lots l SET remaining = l.remaining - LEAST(o.remaining, $2 - o.before) FROM open o, h \
                 WHERE l.id = o.id AND o.before < $2 RETURNING h.id AS history_id, l.id AS lot_id, LEAST(o.remaining, $2 - o.before) AS amount), \
                 d AS (INSERT INTO lot_debits (history_id, lot_id, amount) SELECT history_id, lot_id, amount FROM drawn RETURNING amount) \
                 SELECT h.id AS history_id, h.balance_after, CAST((SELECT COALESCE(SUM(amount), 0) FROM d) AS BIGINT) AS drawn FROM h"
            );
            let outcome = bind_entry!(sqlx::query_as(&sql), member_id, amount, kind, reference, now, month).fetch_optional(c).await;
            tx.saw(&outcome);
            outcome?
        }
        Exec::Sqlite(c) => {
            // Each statement runs only when the one before changed rows (`changes()`, the
            // rows of the statement that completed last: the batch's rows are all read, so
            // each completes before the next starts); the entry is the newest history row
            // (this write transaction is the database's only writer).
            let notice = balance_notice_sql(Engine::Sqlite, "h.balance_after", "h.amount", "h.kind", "h.id");
            let sql = format!(
                "UPDATE members SET balance = balance - $2 WHERE id = $1 AND balance >= $2 RETURNING balance; \
                 INSERT INTO history (member_id, kind, amount, balance_after, ref_kind, ref_id, label_zh, label_en, created_at, month) \
                 SELECT $1, $3, -$2, balance, $4, $5, $6, $7, $8, $9 FROM members WHERE id = $1 AND changes() = 1 RETURNING id; \
                 INSERT INTO member_events (member_id, kind, data, created_at) \
                 SELECT $1, 'balance', {notice}, $8 FROM history h WHERE h.id = last_insert_rowid() AND changes() = 1; \
                 INSERT INTO lot_debits (history_id, lot_id, amount) \
                 SELECT (SELECT MAX(id) FROM history), id, MIN(remaining, $2 - before) \
                 FROM (SELECT id, remaining, SUM(remaining) OVER (ORDER BY expires_at, id) - remaining AS before \
                 FROM point_lots WHERE member_id = $1 AND remaining > 0 AND expires_at > $8) WHERE before < $2 AND changes() = 1 \
                 RETURNING amount; \
                 UPDATE point_lots SET remaining = remaining - \
                 (SELECT d.amount FROM lot_debits d WHERE d.history_id = (SELECT MAX(id) FROM history) AND d.lot_id = point_lots.id) \
                 WHERE id IN (SELECT lot_id FROM lot_debits WHERE history_id = (SELECT MAX(id) FROM history)) AND changes() > 0"
            );
            let outcome: Result<Vec<i64>, _> =
                bind_entry!(sqlx::query_scalar(&sql), member_id, amount, kind, reference, now, month).fetch_all(c).await;
            tx.saw(&outcome);
            // The balance after, the entry's id, then each lot's draw; nothing when the
            // balance did not cover the amount.
            match outcome?.as_slice() {
                [balance_after, history_id, drawn @ ..] => {
                    Some(Taken { history_id: *history_id, balance_after: *balance_after, drawn: drawn.iter().sum() })
                }
                _ => None,
            }
        }
    };
    if taken.is_some() {
        // Its notice row was written by the statement above (`balance_notice_sql`).
        tx.wake_after_commit(member_id);
    }
    Ok(taken)
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
